package dev.licensor.examples.signed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.storetests.MutableClock;
import dev.licensor.token.TokenSigner;
import dev.licensor.verify.ActivationRequests;
import dev.licensor.verify.LicenseVerifier;
import dev.licensor.verify.Status;
import dev.licensor.verify.Verification;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The signed-token endpoints over a real HTTP server; tokens checked by licensor-verify. */
class SignedApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final TokenSigner signer = TokenSigner.generate("k1");
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer http;
    private ExecutorService pool;
    private Licensor licensor;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        licensor = Licensor.builder().store(new MemoryLicenseStore()).clock(clock).signer(signer).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofDays(7))).orElseThrow();
        licensor.catalog().createLicense(License.builder("cad").key("FLOAT").maxActivations(3).floatingSeats(1)
                .borrowAllowed(true).build()).orElseThrow();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pool = Executors.newFixedThreadPool(2);
        http.setExecutor(pool);
        http.createContext(SignedApi.PREFIX, new SignedHttpHandler(new SignedApi(licensor, signer)));
        http.start();
        base = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        http.stop(0);
        pool.shutdownNow();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json");
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private LicenseVerifier verifier(String hardwareId) throws Exception {
        // The client fetched the JWK Set once; it trusts the x of each key.
        JsonNode keys = JSON.readTree(call("GET", "/signed/keys", null).body()).get("keys");
        LicenseVerifier.Builder b = LicenseVerifier.builder().product("cad").hardwareId(hardwareId).clock(clock);
        keys.forEach(k -> b.trust(k.get("kid").asText(), k.get("x").asText()));
        return b.build();
    }

    @Test
    void offlineActivationThenCheckAndBorrowHandOutTokens() throws Exception {
        String request = ActivationRequests.encode("cad", "FLOAT", null, "hw-1");
        HttpResponse<String> activated = call("POST", "/signed/offline_activation", JSON.writeValueAsString(
                JSON.createObjectNode().put("request", request)));
        assertThat(activated.statusCode()).isEqualTo(200);
        Verification file = verifier("hw-1").verify(JSON.readTree(activated.body()).get("license_file").asText());
        assertThat(file.status()).isEqualTo(Status.VALID);
        assertThat(file.claims().kind()).isEqualTo("license");

        String device = "{\"product\":\"cad\",\"license_key\":\"FLOAT\",\"hardware_id\":\"hw-1\"}";
        HttpResponse<String> checked = call("POST", "/signed/check", device);
        assertThat(checked.statusCode()).isEqualTo(200);
        Verification lease = verifier("hw-1").verify(JSON.readTree(checked.body()).get("token").asText());
        assertThat(lease.status()).isEqualTo(Status.VALID);
        assertThat(lease.claims().kind()).isEqualTo("lease");

        String until = clock.instant().plus(Duration.ofDays(2)).toString();
        HttpResponse<String> borrowed = call("POST", "/signed/borrow",
                device.replace("}", ",\"borrowed_until\":\"" + until + "\"}"));
        assertThat(borrowed.statusCode()).isEqualTo(200);
        Verification b = verifier("hw-1").verify(JSON.readTree(borrowed.body()).get("token").asText());
        assertThat(b.status()).isEqualTo(Status.VALID);
        assertThat(b.claims().time("borrowed_until")).isEqualTo(Instant.parse(until));
    }

    @Test
    void refusalsAreTypedJson() throws Exception {
        assertThat(call("POST", "/signed/check", "{\"product\":\"cad\",\"license_key\":\"FLOAT\",\"hardware_id\":\"nope\"}"))
                .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
                .satisfies(r -> assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("device_not_found"));
        for (String bad : new String[] {"", "[]", "{", "{\"product\":1}", "{\"extra\":\"x\"}", "{\"request\":\"x\",\"y\":1}"}) {
            HttpResponse<String> r = call("POST", "/signed/check", bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("code").asText()).as(bad).isIn("invalid_request", "missing_parameters");
        }
        assertThat(JSON.readTree(call("POST", "/signed/offline_activation", "{\"request\":\"garbage\"}").body())
                .get("code").asText()).isEqualTo("invalid_request");
        assertThat(call("POST", "/signed/borrow", "{\"product\":\"cad\",\"license_key\":\"FLOAT\",\"hardware_id\":\"h\","
                + "\"borrowed_until\":\"tomorrow\"}").statusCode()).isEqualTo(400);
        assertThat(call("GET", "/signed/check", null).statusCode()).isEqualTo(405);
        assertThat(call("GET", "/signed/elsewhere", null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/signed/check", "{\"a\":\"" + "x".repeat(20_000) + "\"}").statusCode()).isEqualTo(413);
    }
}
