package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.HeldLicense;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Commvault client-license endpoints over real HTTP, on the demo catalog. */
class CommvaultApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "/commandcenter/api";

    /** Seed 001's JSON sample request body, verbatim. */
    static final String SEED_001_JSON = """
            { "isClientLevelOperation": true, "licensesInfo": [{ "platformType": 1, "license": { "appType": 33, "licenseName": "Server File System - Windows File System" } }], "clientEntity": { "clientName": "client001" }
            }""";
    /** Seed 001's XML sample request body, verbatim. */
    static final String SEED_001_XML = """
            <TMMsg_ReleaseConsumedLicenseReq isClientLevelOperation="1"> <clientEntity clientName="client001"/> <licensesInfo platformType="1"> <license appType="33" licenseName="Server File System - Windows File System"/> </licensesInfo>
            </TMMsg_ReleaseConsumedLicenseReq>""";
    /** Seed 000's request body, verbatim. */
    static final String SEED_000_JSON = """
            {
            "licensesInfo": [
            {
            "platformType": 0,
            "license": {
            "licenseType": 0,
            "appType": 0,
            "licenseName": "string"
            }
            }
            ],
            "clientEntity": {
            "clientId": 0
            }
            }""";

    @RegisterExtension
    final ServerFixture f = new ServerFixture();

    private List<HeldLicense> held(String client) {
        return f.licensor.clients().consumed(ClientRef.name(client)).orElseThrow();
    }

    private static void assertGeneric(HttpResponse<String> r, int status, int errorCode) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("errorCode").asInt()).as(r.body()).isEqualTo(errorCode);
        assertThat(body.get("errorMessage").isTextual()).isTrue();
        assertThat(body.size()).isEqualTo(2);
    }

    private static void assertGenericXml(HttpResponse<String> r, int status, int errorCode) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/xml"));
        assertThat(r.body()).startsWith("<CVGui_GenericResp errorCode=\"" + errorCode + "\" errorMessage=\"");
    }

    @Test
    void seed001JsonSampleReleasesAndAnswersTheSampleResponse() throws Exception {
        assertThat(held("client001")).hasSize(1);

        HttpResponse<String> r = f.cvPost(ROOT + "/Client/License/Release", "application/json", "application/json", SEED_001_JSON);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"errorMessage\":\"\",\"errorCode\":0}"));
        assertThat(held("client001")).isEmpty();
    }

    @Test
    void seed001XmlSampleReleasesAndAnswersTheSampleResponse() {
        HttpResponse<String> r = f.cvPost(ROOT + "/Client/License/Release", "application/xml", "application/xml", SEED_001_XML);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("<CVGui_GenericResp errorCode=\"0\" errorMessage=\"\"/>");
        assertThat(held("client001")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/commandcenter/api/client/license/release", "/CommandCenter/API/CLIENT/License/release/"})
    void pathSegmentsMatchCaseInsensitively(String path) throws Exception {
        assertGeneric(f.cvPost(path, "application/json", "application/json", SEED_001_JSON), 200, 0);
        assertThat(held("client001")).isEmpty();
    }

    @Test
    void seed000BodyGetsAClearNonZeroErrorCodeAndChangesNothing() throws Exception {
        ServerFixture.State before = f.state();

        HttpResponse<String> r = f.cvPost(ROOT + "/client/license/release", "application/json", "application/json", SEED_000_JSON);

        assertGeneric(r, 200, 101);
        assertThat(JSON.readTree(r.body()).get("errorMessage").asText()).contains("clientId");
        assertThat(f.state()).isEqualTo(before);
    }

    @Test
    void answerFormatFollowsAcceptElseTheRequest() {
        HttpResponse<String> xmlFromJson = f.cvPost(ROOT + "/Client/License/Release", "application/json", "application/xml", SEED_000_JSON);
        assertGenericXml(xmlFromJson, 200, 101);
        HttpResponse<String> likeRequest = f.cvPost(ROOT + "/Client/License/Release", "application/xml", null, SEED_001_XML);
        assertGenericXml(likeRequest, 200, 0);
    }

    @Test
    void listReleaseAndReconfigure() throws Exception {
        long id = f.catalog.clientIds().get("client003");
        HttpResponse<String> list = f.cvGet(ROOT + "/Client/" + id + "/License", "application/json");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode infos = JSON.readTree(list.body()).get("licensesInfo");
        assertThat(infos).hasSize(2);
        assertThat(infos.get(0).get("platformType").asInt()).isEqualTo(1);
        assertThat(infos.get(0).get("license").get("appType").asInt()).isEqualTo(29);
        assertThat(infos.get(0).get("license").get("licenseName").asText()).isEqualTo("Server File System - Linux File System");

        String agentRelease = "{\"isClientLevelOperation\":false,\"clientEntity\":{\"clientId\":" + id + "},"
                + "\"licensesInfo\":[{\"platformType\":1,\"license\":{\"appType\":29}}]}";
        assertGeneric(f.cvPost(ROOT + "/Client/License/Release", "application/json", "application/json", agentRelease), 200, 0);
        assertThat(held("client003")).extracting(HeldLicense::appType).containsExactly(33);

        HttpResponse<String> xml = f.cvGet(ROOT + "/client/" + id + "/license", "application/xml");
        assertThat(xml.body()).isEqualTo("<TMMsg_GetConsumedLicenseResp><licensesInfo platformType=\"1\" agentLevel=\"0\">"
                + "<license licenseType=\"1\" appType=\"33\" licenseName=\"Server File System - Windows File System\"/>"
                + "</licensesInfo></TMMsg_GetConsumedLicenseResp>");

        assertGeneric(f.cvPost(ROOT + "/Client/License/Reconfigure", "application/json", "application/json", agentRelease), 200, 0);
        assertThat(held("client003")).extracting(HeldLicense::appType).containsExactly(29, 33);
        // Nothing left to reconfigure: license_not_released.
        assertGeneric(f.cvPost(ROOT + "/Client/License/Reconfigure", "application/json", "application/json", agentRelease), 200, 207);

        assertGeneric(f.cvGet(ROOT + "/Client/999/License", "application/json"), 200, 203);
        assertGeneric(f.cvGet(ROOT + "/Client/abc/License", "application/json"), 400, 610);
    }

    @Test
    void xmlWithSeveralEntriesReleasesThemAllAtOnce() {
        String xml = "<TMMsg_ReleaseConsumedLicenseReq isClientLevelOperation=\"1\"><clientEntity clientName=\"client002\"/>"
                + "<licensesInfo platformType=\"2\"><license licenseType=\"0\" appType=\"0\" licenseName=\"\"/></licensesInfo>"
                + "<licensesInfo platformType=\"1\"><license appType=\"29\"/></licensesInfo>"
                + "</TMMsg_ReleaseConsumedLicenseReq>";
        assertGenericXml(f.cvPost(ROOT + "/Client/License/Release", "application/xml", "application/xml", xml), 200, 0);
        assertThat(held("client002")).isEmpty();
    }

    @Test
    void mediaAgentFirstIsTheEnginesRuleAnsweredInTheBody() throws Exception {
        ServerFixture.State before = f.state(false);
        String body = "{\"isClientLevelOperation\":true,\"clientEntity\":{\"clientName\":\"client002\"},"
                + "\"licensesInfo\":[{\"platformType\":1,\"license\":{\"appType\":29}}]}";
        assertGeneric(f.cvPost(ROOT + "/Client/License/Release", "application/json", "application/json", body), 200, 307);
        assertThat(f.state(false)).isEqualTo(before);
    }

    @Test
    void authtokenIsChecked() throws Exception {
        ServerFixture.State before = f.state();
        HttpRequest.Builder none = HttpRequest.newBuilder(f.uri(ROOT + "/Client/License/Release"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(SEED_001_JSON));
        assertGeneric(f.send(none), 401, 605);
        HttpRequest.Builder wrong = HttpRequest.newBuilder(f.uri(ROOT + "/Client/License/Release"))
                .header("Content-Type", "application/json").header("Authtoken", "QSDK not-the-token")
                .POST(HttpRequest.BodyPublishers.ofString(SEED_001_JSON));
        assertGeneric(f.send(wrong), 401, 605);
        HttpRequest.Builder xml = HttpRequest.newBuilder(f.uri(ROOT + "/Client/License/Release"))
                .header("Content-Type", "application/xml").header("Accept", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(SEED_001_XML));
        assertGenericXml(f.send(xml), 401, 605);
        assertThat(f.state()).isEqualTo(before);

        HttpRequest.Builder bare = HttpRequest.newBuilder(f.uri(ROOT + "/Client/License/Release"))
                .header("Content-Type", "application/json").header("Authtoken", ServerFixture.CV_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(SEED_001_JSON));
        assertGeneric(f.send(bare), 200, 0);
    }

    @Test
    void badRequestsGetClearCodesAndChangeNothing() throws Exception {
        ServerFixture.State before = f.state();
        String release = ROOT + "/Client/License/Release";

        assertGeneric(f.cvPost(release, "application/json", "application/json", "{\"isClientLevelOperation\": tru"), 400, 600);
        assertGenericXml(f.cvPost(release, "application/xml", "application/xml", "<TMMsg_ReleaseConsumedLicenseReq><clientEntity>"), 400, 600);
        assertGeneric(f.cvPost(release, "application/json", "application/json",
                "{\"isClientLevelOperation\":\"yes\",\"clientEntity\":{\"clientName\":\"client001\"},"
                        + "\"licensesInfo\":[{\"platformType\":1,\"license\":{\"appType\":33}}]}"), 400, 600);
        assertGeneric(f.cvPost(release, "application/json", "application/json",
                "{\"isClientLevelOperation\":true,\"clientEntity\":{\"clientId\":\"one\"},"
                        + "\"licensesInfo\":[{\"platformType\":1}]}"), 400, 600);
        assertGeneric(f.cvPost(release, "application/json", "application/json",
                "{\"isClientLevelOperation\":true,\"clientEntity\":{\"clientName\":\"client001\"},\"licensesInfo\":5}"), 400, 600);
        assertGenericXml(f.cvPost(release, "application/xml", "application/xml",
                "<R isClientLevelOperation=\"1\"><clientEntity clientName=\"client001\"/>"
                        + "<licensesInfo platformType=\"one\"><license appType=\"33\"/></licensesInfo></R>"), 400, 600);
        assertGenericXml(f.cvPost(release, "application/xml", "application/xml",
                "<R isClientLevelOperation=\"maybe\"><clientEntity clientName=\"client001\"/></R>"), 400, 600);
        assertGeneric(f.cvPost(release, "text/plain", "application/json", SEED_001_JSON), 415, 602);
        assertGeneric(f.cvPost(release, null, "application/json", SEED_001_JSON), 415, 602);
        assertGeneric(f.cvPost(release, "application/json", "application/json",
                SEED_001_JSON.replace("client001", "x".repeat(70_000))), 413, 601);
        assertGeneric(f.cvPost(ROOT + "/Client/License/Explode", "application/json", "application/json", SEED_001_JSON), 404, 603);
        assertGeneric(f.cvGet(ROOT + "/Client/License/Release", "application/json"), 405, 604);
        // Missing parts reach the engine, which names them.
        assertGeneric(f.cvPost(release, "application/json", "application/json", "{\"isClientLevelOperation\":true}"), 200, 100);

        assertThat(f.state()).isEqualTo(before);
    }

    @Test
    void xmlExternalEntitiesAreNeverResolved(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "client001");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<TMMsg_ReleaseConsumedLicenseReq isClientLevelOperation=\"1\"><clientEntity><clientName>&x;</clientName></clientEntity>"
                + "<licensesInfo platformType=\"1\"><license appType=\"33\"/></licensesInfo></TMMsg_ReleaseConsumedLicenseReq>";
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                + "<r isClientLevelOperation=\"1\"><clientEntity clientName=\"&b;\"/></r>";
        ServerFixture.State before = f.state();

        HttpResponse<String> r = f.cvPost(ROOT + "/Client/License/Release", "application/xml", "application/xml", xxe);
        HttpResponse<String> b = f.cvPost(ROOT + "/Client/License/Release", "application/xml", "application/xml", bomb);

        assertGenericXml(r, 400, 600);
        assertGenericXml(b, 400, 600);
        assertThat(f.state()).isEqualTo(before);
        assertThat(held("client001")).hasSize(1);
    }

    @Test
    void theWebServiceRootIsConfigurable() throws Exception {
        try (ServerFixture other = new ServerFixture("/webconsole/api")) {
            HttpResponse<String> r = other.cvPost("/WebConsole/api/Client/License/Release", "application/json", "application/json", SEED_001_JSON);
            assertGeneric(r, 200, 0);
            HttpResponse<String> old = other.cvPost(ROOT + "/Client/License/Release", "application/json", "application/json", SEED_001_JSON);
            assertThat(old.statusCode()).isEqualTo(404);
        }
    }
}
