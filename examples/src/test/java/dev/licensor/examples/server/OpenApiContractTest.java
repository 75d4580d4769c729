package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI document itself: served as kept in the repository, a valid 3.1 document whose
 * every route the server really answers, and a validator that bites (the answers the server gave
 * before issue 23, which the vendors' clients could not read, fail it).
 */
class OpenApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A server whose engine signs tokens, so /signed/ is served too. */
    @RegisterExtension
    final ServerFixture f = ServerFixture.signing(dev.licensor.token.TokenSigner.generate("k1"), null);

    @Test
    void theServerServesTheDocumentKeptInTheRepository() throws Exception {
        HttpResponse<String> r = f.send(HttpRequest.newBuilder(f.uri("/openapi.json")).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode served = JSON.readTree(r.body());
        assertThat(served).isEqualTo(OpenApiContract.document());
        assertThat(served.get("openapi").asText()).isEqualTo("3.1.0");
    }

    /** Every documented operation reaches a handler: no documented route answers "no endpoint". */
    @Test
    void everyDocumentedRouteIsServed() throws Exception {
        List<String> missing = new ArrayList<>();
        JsonNode paths = OpenApiContract.document().get("paths");
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            String concrete = path.getKey().replaceAll("\\{[^}]+}", "1");
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                operations++;
                HttpRequest.Builder b = HttpRequest.newBuilder(f.uri(concrete)).method(method,
                        method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString("{}"));
                HttpResponse<String> r = f.send(b.header("Content-Type", "application/json"));
                if (r.statusCode() == 404 || r.statusCode() == 405) {
                    missing.add(method + " " + concrete + " -> " + r.statusCode() + " " + r.body());
                }
            }
        }
        assertThat(missing).isEmpty();
        assertThat(operations).isGreaterThanOrEqualTo(48);
    }

    @Test
    void theValidatorRefusesTheShapesTheVendorsClientsCouldNotRead() throws Exception {
        // cvpysdk reads ['user']['userName']; the old answer was {"userName": ...}
        assertThat(OpenApiContract.violations("WhoAmI", JSON.readTree("{\"userName\":\"admin\"}"))).isNotEmpty();
        assertThat(OpenApiContract.violations("WhoAmI", JSON.readTree("{\"user\":{\"userName\":\"admin\"}}"))).isEmpty();
        // one time format: Instant.toString printed 0, 6 or 9 fractional digits by value
        String borrow = "{\"license_id\":1,\"hardware_id\":\"h\",\"device_id\":\"h\",\"floating_granted_at\":\"%s\","
                + "\"floating_expires_at\":\"2026-11-23T09:30:00.000Z\",\"borrowed_until\":null,\"max_borrow_time\":72}";
        assertThat(OpenApiContract.violations("Borrow", JSON.readTree(borrow.formatted("2026-11-23T09:00:00.000Z")))).isEmpty();
        for (String old : List.of("2026-11-23T09:00:00Z", "2026-11-23T09:00:00.123456Z", "2026-11-23T09:00:00.123456789Z")) {
            assertThat(OpenApiContract.violations("Borrow", JSON.readTree(borrow.formatted(old)))).as(old).isNotEmpty();
        }
        // an admin answer with a field the document does not know
        assertThat(OpenApiContract.violations("Client", JSON.readTree(
                "{\"id\":1,\"name\":\"c\",\"platform_type\":1,\"host_name\":\"\",\"secret\":true}"))).isNotEmpty();
    }
}
