package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.licensor.outcome.Code;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin catalog calls' edges on the demo server (every exchange checked against the OpenAPI
 * document by the fixture): pool policies, refused bodies, unknown names, methods.
 */
class AdminCatalogApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    final ServerFixture f = new ServerFixture();

    private HttpResponse<String> call(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.uri(path)).header("Authtoken", ServerFixture.ADMIN_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return f.send(b, body);
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("code").asText();
    }

    @Test
    void aPoolPolicyIsReadAndReplacedAndAnInvalidOneChangesNothing() throws Exception {
        long pool = f.pool("cad-pro/CADPRO-FLOAT-5SEAT");
        HttpResponse<String> put = call("PUT", "/admin/licenses/" + pool + "/policy", "application/json",
                "{\"policy\":\"RESERVE 2 USER alice\\nMAX 1 HOST build-01\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode read = JSON.readTree(call("GET", "/admin/licenses/" + pool + "/policy", null, null).body());
        assertThat(read.get("policy").asText()).contains("RESERVE 2 USER alice").contains("MAX 1 HOST build-01");

        HttpResponse<String> tooMany = call("PUT", "/admin/licenses/" + pool + "/policy", "application/json",
                "{\"policy\":\"RESERVE 9 USER alice\"}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(code(tooMany)).isEqualTo("invalid_request");
        HttpResponse<String> garbage = call("PUT", "/admin/licenses/" + pool + "/policy", "application/json",
                "{\"policy\":\"RESERVE lots\"}");
        assertThat(code(garbage)).isEqualTo("invalid_request");
        assertThat(JSON.readTree(call("GET", "/admin/licenses/" + pool + "/policy", null, null).body()))
                .isEqualTo(read);
        assertThat(code(call("GET", "/admin/licenses/999999/policy", null, null))).isEqualTo("license_not_found");
    }

    @Test
    void bodiesAreJsonWithKnownFieldsOnly() throws Exception {
        HttpResponse<String> xml = call("POST", "/admin/products", "application/xml", "<p code=\"x\"/>");
        assertThat(xml.statusCode()).isEqualTo(415);
        HttpResponse<String> typo = call("POST", "/admin/products", "application/json", "{\"code\":\"x\",\"nmae\":\"X\"}");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(code(typo)).isEqualTo("invalid_request");
        assertThat(JSON.readTree(typo.body()).get("message").asText()).contains("nmae");
        HttpResponse<String> wrongType = call("POST", "/admin/clients", "application/json", "{\"name\":\"c\",\"platform_type\":\"1\"}");
        assertThat(code(wrongType)).isEqualTo("invalid_request");
        HttpResponse<String> broken = call("POST", "/admin/licenses", "application/json", "{\"product\":");
        assertThat(code(broken)).isEqualTo("malformed_body");
        HttpResponse<String> badType = call("POST", "/admin/licenses", "application/json",
                "{\"product\":\"cad-pro\",\"license_key\":\"N\",\"license_type\":\"forever\"}");
        assertThat(code(badType)).isEqualTo("invalid_request");
        assertThat(f.licensor.catalog().licenseByKey("cad-pro", "N").code()).isEqualTo(Code.LICENSE_NOT_FOUND);
    }

    @Test
    void unknownNamesMethodsAndCursors() throws Exception {
        assertThat(code(call("GET", "/admin/products/nope", null, null))).isEqualTo("unknown_product");
        assertThat(call("GET", "/admin/products/cad-pro", null, null).statusCode()).isEqualTo(200);
        assertThat(code(call("GET", "/admin/clients/999999", null, null))).isEqualTo("client_not_found");
        assertThat(code(call("GET", "/admin/licenses/abc", null, null))).isEqualTo("malformed_url");
        assertThat(code(call("GET", "/admin/licenses?after=x", null, null))).isEqualTo("malformed_url");
        assertThat(code(call("GET", "/admin/licenses?after=-1", null, null))).isEqualTo("invalid_request");
        HttpResponse<String> put = call("PUT", "/admin/licenses/1", "application/json", "{}");
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).contains("GET, PATCH, DELETE");
        assertThat(code(call("PATCH", "/admin/licenses/" + f.pool("cad-pro/CADPRO-FLOAT-5SEAT"), "application/json", "{}")))
                .isEqualTo("invalid_request");
        // the demo catalog's clients, page by page
        JsonNode page = JSON.readTree(call("GET", "/admin/clients?limit=2", null, null).body());
        assertThat(page.get("clients")).hasSize(2);
        assertThat(page.get("next").asLong()).isEqualTo(page.get("clients").get(1).get("id").asLong());
        JsonNode client = JSON.readTree(call("GET", "/admin/clients/" + f.catalog.clientIds().get("client001"), null, null).body());
        assertThat(client.get("licenses")).isNotEmpty();
    }
}
