package dev.licensor.examples.server.internal;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The Commvault wire DTOs, bound by Jackson from JSON and XML alike (XML attributes and child
 * elements both map to components; repeated elements form a list). Unknown fields are ignored,
 * as the vendor's server does; a field of the wrong type fails binding ({@code malformed_body}).
 *
 * <p>All records are immutable and thread-safe.
 */
public final class CommvaultWire {
    private CommvaultWire() {
    }

    /**
     * {@code isClientLevelOperation}: JSON {@code true}/{@code false}, XML {@code 1}/{@code 0}
     * (either form accepted in either format). Thread-safe.
     */
    static final class Flag extends StdDeserializer<Boolean> {
        Flag() {
            super(Boolean.class);
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                return t == JsonToken.VALUE_TRUE;
            }
            if (t == JsonToken.VALUE_NUMBER_INT && (p.getLongValue() == 0 || p.getLongValue() == 1)) {
                return p.getLongValue() == 1;
            }
            if (t == JsonToken.VALUE_STRING) {
                switch (p.getText().trim().toLowerCase(Locale.ROOT)) {
                    case "1", "true":
                        return true;
                    case "0", "false":
                        return false;
                    case "":
                        return null;
                    default:
                        break;
                }
            }
            return (Boolean) ctx.handleUnexpectedToken(Boolean.class, p);
        }
    }

    /** {@code clientEntity} / {@code clientInfo}: a client by id or name. */
    public record ClientEntity(Long clientId, String clientName) {
    }

    /** {@code license} inside a {@code licensesInfo} entry. */
    public record LicenseDto(Integer licenseType, Integer appType, String licenseName) {
    }

    /** One {@code licensesInfo} entry. */
    public record LicenseInfo(Integer platformType, LicenseDto license) {
    }

    /** {@code appTypes} entry of the vendor's Reconfigure body. */
    public record AppType(Integer applicationId) {
    }

    /**
     * Release License and Reconfigure bodies. Release: {@code isClientLevelOperation} (optional:
     * absent matches a license at whichever level it was consumed), {@code clientEntity},
     * {@code licensesInfo}. Reconfigure also takes the vendor's shape: {@code clientInfo},
     * {@code platformTypes} and optional {@code appTypes}.
     */
    public record ClientLicensesBody(@JsonDeserialize(using = Flag.class) Boolean isClientLevelOperation,
                                     ClientEntity clientEntity, List<LicenseInfo> licensesInfo,
                                     ClientEntity clientInfo, List<Integer> platformTypes, List<AppType> appTypes) {
    }

    /** Login body: the password is base64, as the vendor's SDK sends it. */
    public record LoginBody(String username, String password) {
    }

    /**
     * {@code CVGui_GenericResp}: every Release/Reconfigure answer and every refusal. The seeds'
     * samples order JSON {@code errorMessage, errorCode} and XML {@code errorCode, errorMessage};
     * the XML mapper applies {@link GenericRespXmlOrder}.
     */
    @JacksonXmlRootElement(localName = "CVGui_GenericResp")
    @JsonPropertyOrder({"errorMessage", "errorCode"})
    public record GenericResp(@JacksonXmlProperty(isAttribute = true) String errorMessage,
                              @JacksonXmlProperty(isAttribute = true) int errorCode) {
    }

    /** The XML attribute order of {@link GenericResp} (a Jackson mix-in). */
    @JsonPropertyOrder({"errorCode", "errorMessage"})
    interface GenericRespXmlOrder {
    }

    /** {@code license} of a list answer. */
    public record LicenseOut(@JacksonXmlProperty(isAttribute = true) int licenseType,
                             @JacksonXmlProperty(isAttribute = true) int appType,
                             @JacksonXmlProperty(isAttribute = true) String licenseName) {
    }

    /** One held license of a list answer; {@code agentLevel} says at which level it was consumed. */
    public record LicenseInfoOut(@JacksonXmlProperty(isAttribute = true) int platformType,
                                 @JacksonXmlProperty(isAttribute = true) @JsonFormat(shape = JsonFormat.Shape.NUMBER)
                                 boolean agentLevel,
                                 LicenseOut license) {
    }

    /** Get Client Licenses answer. */
    @JacksonXmlRootElement(localName = "TMMsg_GetConsumedLicenseResp")
    public record ConsumedLicensesResp(List<LicenseInfoOut> licensesInfo) {
    }

    /** Login answer: the token is {@code QSDK <hex>}, sent back as the {@code Authtoken} header. */
    @JacksonXmlRootElement(localName = "DM2ContentIndexing_CheckCredentialResp")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LoginResp(@JacksonXmlProperty(isAttribute = true) String aliasName,
                            @JacksonXmlProperty(isAttribute = true) String userName,
                            @JacksonXmlProperty(isAttribute = true) String token) {
    }

    /** The {@code user} of a WhoAmI answer. */
    public record WhoAmIUser(@JacksonXmlProperty(isAttribute = true) String userName) {
    }

    /**
     * WhoAmI answer, in the shape cvpysdk's {@code who_am_i} reads: JSON
     * {@code {"user":{"userName":...}}} ({@code response.json()['user']['userName']}), XML
     * {@code <CvEntities_ProcessingInstructionInfo><user userName="..."/>}.
     */
    @JacksonXmlRootElement(localName = "CvEntities_ProcessingInstructionInfo")
    public record WhoAmIResp(WhoAmIUser user) {
    }

    // ---- GET <root>/Client/{id}: what cvpysdk's Client constructor reads (a missing key is a KeyError there)

    /** {@code clientEntity} of a client's properties. */
    public record ClientEntityOut(@JacksonXmlProperty(isAttribute = true) long clientId,
                                  @JacksonXmlProperty(isAttribute = true) String clientName,
                                  @JacksonXmlProperty(isAttribute = true) String hostName,
                                  @JacksonXmlProperty(isAttribute = true) String displayName) {
    }

    /** {@code osInfo.OsDisplayInfo}. */
    public record OsDisplayInfo(@JsonProperty("ProcessorType") @JacksonXmlProperty(isAttribute = true, localName = "ProcessorType")
                                String processorType,
                                @JsonProperty("OSName") @JacksonXmlProperty(isAttribute = true, localName = "OSName")
                                String osName) {
    }

    /** {@code client.osInfo}. */
    public record OsInfo(@JsonProperty("Type") @JacksonXmlProperty(isAttribute = true, localName = "Type") String type,
                         @JsonProperty("SubType") @JacksonXmlProperty(isAttribute = true, localName = "SubType") String subType,
                         @JsonProperty("OsDisplayInfo") @JacksonXmlProperty(localName = "OsDisplayInfo") OsDisplayInfo display) {
    }

    /** {@code client.TimeZone}. */
    public record TimeZoneOut(@JsonProperty("TimeZoneName") @JacksonXmlProperty(isAttribute = true, localName = "TimeZoneName")
                              String name) {
    }

    /** {@code client.versionInfo} (cvpysdk reads {@code GalaxyRelease} and {@code version} only if present). */
    public record VersionInfo(@JacksonXmlProperty(isAttribute = true) String version) {
    }

    /** {@code clientProperties[].client}; the list answer carries {@code clientEntity} only. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientOut(ClientEntityOut clientEntity, OsInfo osInfo,
                            @JacksonXmlProperty(isAttribute = true) Integer cvdPort,
                            @JsonProperty("TimeZone") @JacksonXmlProperty(localName = "TimeZone") TimeZoneOut timeZone,
                            VersionInfo versionInfo) {
    }

    /** {@code clientProps.activityControl}. */
    public record ActivityControl(@JsonProperty("EnableDataRecovery") @JacksonXmlProperty(isAttribute = true, localName = "EnableDataRecovery")
                                  boolean dataRecovery,
                                  @JsonProperty("EnableDataManagement") @JacksonXmlProperty(isAttribute = true, localName = "EnableDataManagement")
                                  boolean dataManagement,
                                  @JsonProperty("EnableOnlineContentIndex") @JacksonXmlProperty(isAttribute = true, localName = "EnableOnlineContentIndex")
                                  boolean onlineContentIndex) {
    }

    /** One {@code activityControlOptions} entry: 1 backup, 2 restore, 16 data aging. */
    public record ActivityOption(@JacksonXmlProperty(isAttribute = true) int activityType,
                                 @JacksonXmlProperty(isAttribute = true) boolean enableActivityType) {
    }

    /** {@code clientProps.clientActivityControl}. */
    public record ClientActivityControl(List<ActivityOption> activityControlOptions) {
    }

    /** {@code clientProperties[].clientProps}. */
    public record ClientProps(ActivityControl activityControl, ClientActivityControl clientActivityControl,
                              @JsonProperty("EnableSnapBackups") @JacksonXmlProperty(isAttribute = true, localName = "EnableSnapBackups")
                              boolean snapBackups) {
    }

    /** One {@code clientProperties} element. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientProperties(ClientOut client, ClientProps clientProps) {
    }

    /**
     * {@code GET <root>/Client/{id}} (one element) and {@code GET <root>/Client} (every client,
     * {@code client.clientEntity} only; cvpysdk reads the ids and names from it).
     */
    @JacksonXmlRootElement(localName = "App_GetClientPropertiesResponse")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientPropertiesResp(List<ClientProperties> clientProperties) {
    }
}
