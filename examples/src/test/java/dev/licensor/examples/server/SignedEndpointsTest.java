package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.licensor.token.TokenSigner;
import dev.licensor.verify.ActivationRequests;
import dev.licensor.verify.LicenseVerifier;
import dev.licensor.verify.Status;
import dev.licensor.verify.Verification;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signed-token endpoints ({@code /signed/*}) and the {@code license_token} field of the
 * LicenseSpring answers, over real HTTPS against the real {@link LicenseServer}; every token is
 * checked by {@code licensor-verify} with the keys the server publishes at {@code /signed/keys}.
 */
class SignedEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE = "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":\"%s\"%s}";
    private static final TokenSigner TOKENS = TokenSigner.generate("k1");
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
        f = ServerFixture.signing(TOKENS, tls);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private HttpResponse<String> adminPost(String path, String body) {
        return f.send(HttpRequest.newBuilder(f.uri(path)).header("Authtoken", ServerFixture.ADMIN_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A verifier trusting what {@code /signed/keys} publishes, as a client that fetched it once. */
    private LicenseVerifier verifier(String hardwareId) throws Exception {
        return verifier("cad-pro", hardwareId);
    }

    private LicenseVerifier verifier(String product, String hardwareId) throws Exception {
        HttpResponse<String> keys = f.send(HttpRequest.newBuilder(f.uri("/signed/keys")).GET());
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.headers().firstValue("Content-Type").orElse("")).startsWith("application/jwk-set+json");
        LicenseVerifier.Builder b = LicenseVerifier.builder().product(product).hardwareId(hardwareId).clock(f.clock);
        JSON.readTree(keys.body()).get("keys").forEach(k -> b.trust(k.get("kid").asText(), k.get("x").asText()));
        return b.build();
    }

    private static String field(HttpResponse<String> r, String name) throws Exception {
        JsonNode v = JSON.readTree(r.body()).get(name);
        assertThat(v).as(name + " in " + r.body()).isNotNull();
        return v.asText();
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("code").asText();
    }

    @Test
    void publishesTheSignersKeysAsAJwkSet() throws Exception {
        HttpResponse<String> r = f.send(HttpRequest.newBuilder(f.uri("/signed/keys")).GET());
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree(TOKENS.jwks()));
        assertThat(JSON.readTree(r.body()).get("keys").get(0).get("kid").asText()).isEqualTo("k1");
    }

    @Test
    void offlineActivationThenCheckAndBorrowHandOutTokens() throws Exception {
        // Issue 27 S1: a floating license never leaves as a license file, so offline activation refuses it.
        ServerFixture.State before = f.state(false);
        String floating = ActivationRequests.encode("cad-pro", "CADPRO-FLOAT-5SEAT", null, "hw-offline");
        HttpResponse<String> refused = adminPost("/signed/offline_activation",
                JSON.writeValueAsString(JSON.createObjectNode().put("request", floating)));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(code(refused)).isEqualTo("floating_not_available");
        assertThat(f.state(false)).isEqualTo(before);

        // A license that is not floating goes offline as a file bound to the device.
        String request = ActivationRequests.encode("sim-meter", "SIM-METER-1000", null, "hw-offline");
        HttpResponse<String> activated = adminPost("/signed/offline_activation",
                JSON.writeValueAsString(JSON.createObjectNode().put("request", request)));
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        Verification file = verifier("sim-meter", "hw-offline").verify(field(activated, "license_file"));
        assertThat(file.status()).isEqualTo(Status.VALID);
        assertThat(file.claims().kind()).isEqualTo("license");
        assertThat(verifier("sim-meter", "someone-else").verify(field(activated, "license_file")).status())
                .isEqualTo(Status.WRONG_DEVICE);

        // The floating device activates online (no file), then takes a lease.
        HttpResponse<String> online = f.lsPost("/api/v4/activate_license", DEVICE.formatted("hw-offline", ""));
        assertThat(online.statusCode()).as(online.body()).isEqualTo(200);
        assertThat(JSON.readTree(online.body()).path("license_token").isTextual()).isFalse();

        HttpResponse<String> checked = f.lsPost("/signed/check", DEVICE.formatted("hw-offline", ""));
        assertThat(checked.statusCode()).as(checked.body()).isEqualTo(200);
        Verification lease = verifier("hw-offline").verify(field(checked, "token"));
        assertThat(lease.status()).isEqualTo(Status.VALID);
        assertThat(lease.claims().kind()).isEqualTo("lease");
        assertThat(f.licensor.seats().holders(f.pool("cad-pro/CADPRO-FLOAT-5SEAT")).orElseThrow())
                .extracting(l -> l.hardwareId()).containsExactly("hw-offline");

        Instant until = f.clock.instant().plus(Duration.ofDays(2));
        HttpResponse<String> borrowed = f.lsPost("/signed/borrow",
                DEVICE.formatted("hw-offline", ",\"borrowed_until\":\"" + until + "\""));
        assertThat(borrowed.statusCode()).as(borrowed.body()).isEqualTo(200);
        Verification b = verifier("hw-offline").verify(field(borrowed, "token"));
        assertThat(b.status()).isEqualTo(Status.VALID);
        assertThat(b.claims().time("borrowed_until")).isEqualTo(until);
    }

    /** Issue 27 S2 over HTTP: a borrowed seat stays counted until the borrowed lease comes back. */
    @Test
    void aBorrowedSeatIsFreedOnlyByReturningItsLease() throws Exception {
        assertThat(f.lsPost("/api/v4/activate_license", DEVICE.formatted("hw-b", "")).statusCode()).isEqualTo(200);
        HttpResponse<String> borrowed = f.lsPost("/signed/borrow", DEVICE.formatted("hw-b", ""));
        assertThat(borrowed.statusCode()).as(borrowed.body()).isEqualTo(200);
        String lease = field(borrowed, "token");
        long pool = f.pool("cad-pro/CADPRO-FLOAT-5SEAT");

        HttpResponse<String> released = f.lsPost("/api/v4/floating/release", DEVICE.formatted("hw-b", ""));
        assertThat(released.statusCode()).isEqualTo(400);
        assertThat(code(released)).isEqualTo("seat_borrowed");
        HttpResponse<String> deactivated = f.lsPost("/api/v4/deactivate_license", DEVICE.formatted("hw-b", ""));
        assertThat(code(deactivated)).isEqualTo("seat_borrowed");
        HttpResponse<String> forced = adminPost("/admin/licenses/" + pool + "/force-release", "{\"hardware_id\":\"hw-b\"}");
        assertThat(forced.body()).contains("seat_borrowed");
        assertThat(f.licensor.seats().holders(pool).orElseThrow()).extracting(l -> l.hardwareId()).containsExactly("hw-b");

        HttpResponse<String> forged = f.lsPost("/signed/return", DEVICE.formatted("hw-b",
                ",\"borrow_token\":\"" + TokenSigner.generate("k1").sign(java.util.Map.of("kind", "lease")) + "\""));
        assertThat(code(forged)).isEqualTo("invalid_request");
        assertThat(code(f.lsPost("/signed/return", DEVICE.formatted("hw-b", "")))).isEqualTo("missing_parameters");
        HttpResponse<String> returned = f.lsPost("/signed/return", DEVICE.formatted("hw-b", ",\"borrow_token\":\"" + lease + "\""));
        assertThat(returned.statusCode()).as(returned.body()).isEqualTo(200);
        assertThat(f.licensor.seats().holders(pool).orElseThrow()).isEmpty();
    }

    @Test
    void deviceCallsNeedTheDeviceSignatureAndOfflineActivationTheAdminToken() throws Exception {
        ServerFixture.State before = f.state();
        HttpResponse<String> unsigned = f.send(HttpRequest.newBuilder(f.uri("/signed/check"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(DEVICE.formatted("ws-0001", ""))));
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(code(unsigned)).isEqualTo("authorization_missing_params");
        String request = JSON.writeValueAsString(JSON.createObjectNode()
                .put("request", ActivationRequests.encode("cad-pro", "CADPRO-FLOAT-5SEAT", null, "hw-x")));
        HttpResponse<String> noToken = f.send(HttpRequest.newBuilder(f.uri("/signed/offline_activation"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)));
        assertThat(noToken.statusCode()).isEqualTo(401);
        // A device's LicenseSpring signature is not an admin token.
        HttpResponse<String> deviceAuth = f.lsPost("/signed/offline_activation", request);
        assertThat(deviceAuth.statusCode()).isEqualTo(401);
        HttpResponse<String> wrongToken = f.send(HttpRequest.newBuilder(f.uri("/signed/offline_activation"))
                .header("Authtoken", ServerFixture.CV_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)));
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(code(wrongToken)).isEqualTo("unauthorized");
        assertThat(f.state()).isEqualTo(before);
    }

    @Test
    void refusalsAreTypedJsonAndChangeNothing() throws Exception {
        ServerFixture.State before = f.state(false);
        HttpResponse<String> unknown = f.lsPost("/signed/check", DEVICE.formatted("nope", ""));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(code(unknown)).isEqualTo("device_not_found");
        for (String bad : new String[] {"", "[]", "{", "{\"product\":1}", "{\"extra\":\"x\"}",
                DEVICE.formatted("ws-0001", ",\"borrowed_until\":\"2026-12-01T00:00:00Z\"")}) {
            HttpResponse<String> r = f.lsPost("/signed/check", bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(code(r)).as(bad).isEqualTo("malformed_body");
        }
        assertThat(code(f.lsPost("/signed/check", "{\"product\":\"cad-pro\"}"))).isEqualTo("missing_parameters");
        assertThat(code(adminPost("/signed/offline_activation", "{\"request\":\"garbage\"}"))).isEqualTo("invalid_request");
        assertThat(code(adminPost("/signed/offline_activation", "{\"request\":\"x\",\"y\":1}"))).isEqualTo("malformed_body");
        assertThat(code(adminPost("/signed/offline_activation", "{}"))).isEqualTo("missing_parameters");
        assertThat(code(f.lsPost("/signed/borrow", DEVICE.formatted("ws-0001", ",\"borrowed_until\":\"tomorrow\""))))
                .isEqualTo("malformed_body");
        HttpResponse<String> text = f.send(f.signed("/signed/check").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(DEVICE.formatted("ws-0001", ""))));
        assertThat(text.statusCode()).isEqualTo(415);
        HttpResponse<String> get = f.lsGet("/signed/check");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(f.lsGet("/signed/elsewhere").statusCode()).isEqualTo(404);
        HttpResponse<String> big = f.lsPost("/signed/check", "{\"a\":\"" + "x".repeat(LicenseServer.DEFAULT_MAX_BODY) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(code(big)).isEqualTo("body_too_large");
        assertThat(f.state(false)).isEqualTo(before);
    }

    @Test
    void licenseSpringAnswersCarryTheTokenWhenTheEngineSigns() throws Exception {
        HttpResponse<String> activated = f.lsPost("/api/v4/activate_license", DEVICE.formatted("hw-ls", ""));
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        // Issue 27 S1: a floating license's activation answers no license file (it granted the license forever).
        assertThat(JSON.readTree(activated.body()).path("license_token").isTextual()).isFalse();
        HttpResponse<String> metered = f.lsPost("/api/v4/activate_license",
                "{\"product\":\"sim-meter\",\"license_key\":\"SIM-METER-1000\",\"hardware_id\":\"hw-ls\"}");
        Verification file = verifier("sim-meter", "hw-ls").verify(field(metered, "license_token"));
        assertThat(file.status()).isEqualTo(Status.VALID);
        assertThat(file.claims().kind()).isEqualTo("license");

        HttpResponse<String> checked = f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=hw-ls");
        assertThat(checked.statusCode()).as(checked.body()).isEqualTo(200);
        Verification lease = verifier("hw-ls").verify(field(checked, "license_token"));
        assertThat(lease.status()).isEqualTo(Status.VALID);
        assertThat(lease.claims().kind()).isEqualTo("lease");

        Instant until = f.clock.instant().plus(Duration.ofHours(24));
        HttpResponse<String> borrowed = f.lsPost("/api/v4/floating/borrow",
                DEVICE.formatted("hw-ls", ",\"borrowed_until\":\"" + until + "\""));
        assertThat(borrowed.statusCode()).as(borrowed.body()).isEqualTo(200);
        Verification b = verifier("hw-ls").verify(field(borrowed, "license_token"));
        assertThat(b.status()).isEqualTo(Status.VALID);
        assertThat(b.claims().time("borrowed_until")).isEqualTo(until);

        // Refusals carry no token.
        HttpResponse<String> refused = f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=nope");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).has("license_token")).isFalse();
    }

    @Test
    void withoutASignerThereIsNoTokenAndNoSignedEndpoint() throws Exception {
        try (ServerFixture plain = new ServerFixture(tls)) {
            HttpResponse<String> checked = plain.lsGet(
                    "/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001");
            assertThat(checked.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(checked.body()).has("license_token")).isFalse();
            HttpResponse<String> keys = plain.send(HttpRequest.newBuilder(plain.uri("/signed/keys")).GET());
            assertThat(keys.statusCode()).isEqualTo(404);
            assertThat(code(keys)).isEqualTo("not_found");
        }
    }
}
