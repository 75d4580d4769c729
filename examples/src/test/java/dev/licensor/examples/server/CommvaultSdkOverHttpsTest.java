package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.HeldLicense;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calls Commvault's Python SDK (cvpysdk) makes, in the shapes it sends them, end to end over
 * HTTPS: the probe, login with a base64 password, WhoAmI, renew, logout, release without
 * {@code isClientLevelOperation}, the vendor's Reconfigure shape and the list answer's root.
 */
class CommvaultSdkOverHttpsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "/commandcenter/api";
    @TempDir
    static Path dir;
    private static DevCertificate tls;
    private ServerFixture f;

    @BeforeAll
    static void certificate() throws Exception {
        tls = DevCertificate.create(dir);
    }

    @BeforeEach
    void start() {
        f = new ServerFixture(tls);
        assertThat(f.server.uri().getScheme()).isEqualTo("https");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private HttpResponse<String> post(String path, String token, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.uri(ROOT + path)).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authtoken", token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return f.send(b);
    }

    private HttpResponse<String> get(String path, String token, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.uri(ROOT + path)).header("Accept", accept).GET();
        if (token != null) {
            b.header("Authtoken", token);
        }
        return f.send(b);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertGeneric(HttpResponse<String> r, int status, int errorCode) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("errorCode").asInt()).as(r.body()).isEqualTo(errorCode);
    }

    private String login() throws Exception {
        String password = Base64.getEncoder().encodeToString("demo-password".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = post("/Login", null, "application/json",
                "{\"username\":\"admin\",\"password\":\"" + password + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String token = json(r).get("token").asText();
        assertThat(token).startsWith("QSDK ");
        return token;
    }

    private List<HeldLicense> held(String client) {
        return f.licensor.clients().consumed(ClientRef.name(client)).orElseThrow();
    }

    @Test
    void theSdksLoginSurface() throws Exception {
        assertThat(get("/", null, "application/json").statusCode()).isEqualTo(200);

        String wrong = Base64.getEncoder().encodeToString("guess".getBytes(StandardCharsets.UTF_8));
        assertGeneric(post("/Login", null, "application/json", "{\"username\":\"admin\",\"password\":\"" + wrong + "\"}"),
                401, 605);
        assertGeneric(post("/Login", null, "application/json", "{\"username\":\"nobody\",\"password\":\"" + wrong + "\"}"),
                401, 605);

        String token = login();
        // WhoAmI: empty body with an XML content type, as the SDK sends it.
        HttpResponse<String> who = f.send(HttpRequest.newBuilder(f.uri(ROOT + "/WhoAmI")).header("Authtoken", token)
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(who.statusCode()).as(who.body()).isEqualTo(200);
        assertThat(who.body()).isEqualTo("<CvEntities_ProcessingInstructionInfo><user userName=\"admin\"/>"
                + "</CvEntities_ProcessingInstructionInfo>");

        HttpResponse<String> list = get("/Client/" + f.catalog.clientIds().get("client001") + "/License", token, "application/xml");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).startsWith("<TMMsg_GetConsumedLicenseResp>");

        // Renew: a new token works, the old one no longer does.
        HttpResponse<String> renewed = post("/RenewLoginToken", token, "application/json", "{}");
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        String fresh = json(renewed).get("token").asText();
        assertThat(fresh).startsWith("QSDK ").isNotEqualTo(token);
        assertGeneric(get("/Client/1/License", token, "application/json"), 401, 605);
        assertThat(get("/Client/1/License", fresh, "application/json").statusCode()).isEqualTo(200);

        // 30 minutes idle by the engine's clock: the token lapses; 29 minutes do not.
        f.clock.advance(Duration.ofMinutes(29));
        assertThat(get("/Client/1/License", fresh, "application/json").statusCode()).isEqualTo(200);
        f.clock.advance(Duration.ofMinutes(30));
        assertGeneric(get("/Client/1/License", fresh, "application/json"), 401, 605);

        String again = login();
        assertGeneric(post("/Logout", again, "application/json", "{}"), 200, 0);
        assertGeneric(get("/Client/1/License", again, "application/json"), 401, 605);
        // Fixed machine tokens from the catalog still work.
        assertThat(get("/Client/1/License", "QSDK " + ServerFixture.CV_TOKEN, "application/json").statusCode()).isEqualTo(200);
    }

    /** {@code node[k1][k2]...} as Python reads it: a missing key fails as the SDK's {@code KeyError} would. */
    private static JsonNode key(JsonNode node, String... path) {
        JsonNode n = node;
        for (String k : path) {
            assertThat(n.isObject() && n.has(k)).as("KeyError: " + k + " in " + n).isTrue();
            n = n.get(k);
        }
        return n;
    }

    /**
     * {@code Commcell(authtoken=...)} reads {@code response.json()['user']['userName']} (JSON) or
     * {@code CvEntities_ProcessingInstructionInfo/user/@userName} (XML) from WhoAmI;
     * {@code Client(commcell, name)} reads {@code GET <root>/Client} for the id, then
     * {@code GET <root>/Client/{id}}: every key of {@code _get_client_properties} that is not
     * guarded by {@code in}/{@code get} (cvpysdk client.py). Failed before: {@code {"userName": ...}}
     * and a 404 for {@code Client/{id}}.
     */
    @Test
    void whoAmIAndClientPropertiesInTheShapesCvpysdkReads() throws Exception {
        String token = login();
        HttpResponse<String> who = post("/WhoAmI", token, "application/json", "");
        assertThat(who.statusCode()).as(who.body()).isEqualTo(200);
        assertThat(who.headers().firstValue("Content-Type").orElse("")).contains("application/json");
        assertThat(json(who).path("errorCode").asInt(0)).isZero();
        assertThat(key(json(who), "user", "userName").asText()).isEqualTo("admin");
        HttpResponse<String> machine = post("/WhoAmI", "QSDK " + ServerFixture.CV_TOKEN, "application/json", "");
        assertThat(key(json(machine), "user", "userName").asText()).isEqualTo("machine");

        // Clients: every client's clientEntity, by id, so the SDK finds client001's id by name
        HttpResponse<String> list = get("/Client", token, "application/json");
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode c : key(json(list), "clientProperties")) {
            JsonNode entity = key(c, "client", "clientEntity");
            names.add(key(entity, "clientName").asText());
            key(entity, "clientId");
            key(entity, "hostName");
            key(entity, "displayName");
        }
        assertThat(names).containsExactlyElementsOf(f.catalog.clientIds().keySet().stream()
                .sorted(java.util.Comparator.comparing(n -> f.catalog.clientIds().get(n))).toList());

        long id = f.catalog.clientIds().get("client001");
        HttpResponse<String> r = get("/Client/" + id, token, "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode props = key(json(r), "clientProperties").get(0);
        JsonNode os = key(props, "client", "osInfo");
        key(os, "OsDisplayInfo", "ProcessorType");
        key(os, "OsDisplayInfo", "OSName");
        key(os, "Type");
        key(os, "SubType");
        assertThat(key(props, "client", "cvdPort").isInt()).isTrue();
        assertThat(key(props, "clientProps", "activityControl", "EnableDataRecovery").isBoolean()).isTrue();
        assertThat(key(props, "clientProps", "activityControl", "EnableDataManagement").isBoolean()).isTrue();
        assertThat(key(props, "clientProps", "activityControl", "EnableOnlineContentIndex").isBoolean()).isTrue();
        JsonNode activities = key(props, "clientProps", "clientActivityControl", "activityControlOptions");
        assertThat(activities.findValuesAsText("activityType")).containsExactly("1", "2", "16");
        activities.forEach(a -> key(a, "enableActivityType"));
        assertThat(key(props, "client", "clientEntity", "hostName").asText()).isEqualTo(
                f.licensor.catalog().client(ClientRef.id(id)).orElseThrow().hostName());
        assertThat(key(props, "client", "clientEntity", "clientName").asText()).isEqualTo("client001");
        assertThat(key(props, "client", "clientEntity", "clientId").asLong()).isEqualTo(id);
        key(props, "client", "TimeZone", "TimeZoneName");
        assertThat(key(props, "client", "versionInfo").isObject()).isTrue();
        key(props, "clientProps", "EnableSnapBackups");

        // An unknown client is the engine's client_not_found, the vendor's way (200, errorCode 203).
        assertGeneric(get("/Client/99999", token, "application/json"), 200, 203);
        assertGeneric(get("/Client/abc", token, "application/json"), 400, 610);
        assertGeneric(get("/Client/" + id, null, "application/json"), 401, 605);
    }

    @Test
    void releaseEverythingWithoutTheFlagAsTheSdkDoes() throws Exception {
        String token = login();
        assertThat(held("client002")).hasSize(3);
        // release_license(): licenseType 0, appType 0, no name, on both platforms; no isClientLevelOperation.
        HttpResponse<String> r = post("/Client/License/Release", token, "application/json", """
                {"clientEntity": {"clientName": "client002"},
                 "licensesInfo": [{"platformType": 2, "license": {"licenseType": 0, "appType": 0}},
                                  {"platformType": 1, "license": {"licenseType": 0, "appType": 0}}]}""");
        assertGeneric(r, 200, 0);
        assertThat(held("client002")).isEmpty();
    }

    @Test
    void releaseAClientLevelLicenseByNameWithoutTheFlag() throws Exception {
        String token = login();
        // client003 consumed Windows File System at client level and Linux File System at agent level.
        HttpResponse<String> r = post("/Client/License/Release", token, "application/json", """
                {"clientEntity": {"clientName": "client003"},
                 "licensesInfo": [{"platformType": 1, "license": {"appType": 33,
                     "licenseName": "Server File System - Windows File System"}}]}""");
        assertGeneric(r, 200, 0);
        assertThat(held("client003")).extracting(HeldLicense::appType).containsExactly(29);
        // The agent-level one matches by name too.
        assertGeneric(post("/Client/License/Release", token, "application/json", """
                {"clientEntity": {"clientName": "client003"},
                 "licensesInfo": [{"platformType": 1, "license": {"licenseName": "Server File System - Linux File System"}}]}"""),
                200, 0);
        assertThat(held("client003")).isEmpty();
    }

    @Test
    void reconfigureInTheVendorsShape() throws Exception {
        String token = login();
        long id = f.catalog.clientIds().get("client001");
        assertGeneric(post("/Client/License/Release", token, "application/json",
                "{\"clientEntity\":{\"clientId\":" + id + "},\"licensesInfo\":[{\"platformType\":1,\"license\":{\"appType\":33}}]}"),
                200, 0);
        assertThat(held("client001")).isEmpty();
        assertGeneric(post("/Client/License/Reconfigure", token, "application/json",
                "{\"clientInfo\":{\"clientId\":" + id + "},\"platformTypes\":[1],\"appTypes\":[{\"applicationId\":33}]}"),
                200, 0);
        assertThat(held("client001")).extracting(HeldLicense::appType).containsExactly(33);

        // Without appTypes, by name, in XML.
        assertGeneric(post("/Client/License/Release", token, "application/json",
                "{\"clientEntity\":{\"clientId\":" + id + "},\"licensesInfo\":[{\"platformType\":1,\"license\":{\"appType\":33}}]}"),
                200, 0);
        HttpResponse<String> xml = f.send(HttpRequest.newBuilder(f.uri(ROOT + "/Client/License/Reconfigure"))
                .header("Authtoken", token).header("Content-Type", "application/xml").header("Accept", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "<App_ReconfigureReq><clientInfo clientName=\"client001\"/><platformTypes>1</platformTypes></App_ReconfigureReq>")));
        assertThat(xml.body()).isEqualTo("<CVGui_GenericResp errorCode=\"0\" errorMessage=\"\"/>");
        assertThat(held("client001")).hasSize(1);
    }

    @Test
    void oneStatusPerErrorCode() throws Exception {
        String token = login();
        String body = "{\"clientEntity\":{\"clientId\":%s},\"licensesInfo\":[{\"platformType\":1}]}";
        // A value the engine refuses: 200 with its code (the vendor's way).
        assertGeneric(post("/Client/License/Release", token, "application/json", body.formatted("-5")), 200, 101);
        // A body the server cannot read: 400 with the layer's own code, never 101.
        assertGeneric(post("/Client/License/Release", token, "application/json", body.formatted("\"abc\"")), 400, 600);
        assertGeneric(post("/Client/License/Release", token, "application/json", body.formatted("99999")), 200, 203);
    }
}
