package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.licensor.floating.Lease;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calls the LicenseSpring Python library makes, in its documented request shapes, end to
 * end over HTTPS, with every answer's {@code LicenseSignature} verified by the JDK
 * ({@code SHA256withRSA}) against the public key from the documented file and endpoint.
 */
class LicenseSpringClientOverHttpsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAD = "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":\"%s\"%s}";
    @TempDir
    static Path dir;
    private static DevCertificate tls;
    private static ResponseSigner signer;
    private static PublicKey publicKey;
    private ServerFixture f;

    @BeforeAll
    static void keys() throws Exception {
        tls = DevCertificate.create(dir);
        Path key = dir.resolve("signing-key.pem");
        signer = ResponseSigner.loadOrCreate(key);
        // The published file, read as a client would.
        publicKey = ResponseSigner.parsePublicKey(Files.readString(ResponseSigner.publicKeyFile(key)));
        // Loading the same file again gives the same key.
        assertThat(ResponseSigner.loadOrCreate(key).publicKeyPem()).isEqualTo(signer.publicKeyPem());
    }

    @BeforeEach
    void start() {
        f = new ServerFixture(LicenseServer.DEFAULT_COMMVAULT_ROOT, tls, b -> b.signer(signer));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** Verifies the answer's signature over its exact body bytes; returns the body as JSON (or null if empty). */
    private static JsonNode verified(HttpResponse<byte[]> r) throws Exception {
        String header = r.headers().firstValue("LicenseSignature").orElseThrow(
                () -> new AssertionError("no LicenseSignature on " + new String(r.body(), StandardCharsets.UTF_8)));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(publicKey);
        s.update(r.body());
        assertThat(s.verify(Base64.getDecoder().decode(header))).as("signature of " + r.uri()).isTrue();
        return r.body().length == 0 ? null : JSON.readTree(r.body());
    }

    private HttpResponse<byte[]> post(String path, String json) throws Exception {
        return f.http.send(f.signed(path).header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
        return f.http.send(f.signed(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void everyAnswerIsSignedOverItsExactBytes() throws Exception {
        HttpResponse<byte[]> activate = post("/api/v4/activate_license", CAD.formatted("ws-new", ""));
        assertThat(activate.statusCode()).isEqualTo(200);
        assertThat(verified(activate).get("hardware_id").asText()).isEqualTo("ws-new");

        HttpResponse<byte[]> check = get("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-new");
        JsonNode c = verified(check);
        assertThat(c.get("is_floating").asBoolean()).isTrue();
        assertThat(c.get("floating_in_use_devices").asInt()).isEqualTo(1);
        assertThat(c.get("product_features").isArray()).isTrue();

        JsonNode borrow = verified(post("/api/v4/floating/borrow", CAD.formatted("ws-new", ",\"borrowed_until\":null")));
        assertThat(borrow.get("max_borrow_time").asInt()).isEqualTo(72);
        assertThat(borrow.get("device_id").asText()).isEqualTo("ws-new");

        JsonNode consumption = verified(post("/api/v4/add_consumption",
                "{\"product\":\"sim-meter\",\"license_key\":\"SIM-METER-1000\",\"hardware_id\":\"ws-0001\"}"));
        assertThat(consumption.get("total_consumptions").asLong()).isEqualTo(1);

        // Refusals, the empty release answer and the deactivation answer are signed too.
        HttpResponse<byte[]> refused = post("/api/v4/activate_license", "{\"product\":\"nope\",\"license_key\":\"K\",\"hardware_id\":\"h\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(verified(refused).get("code").asText()).isEqualTo("unknown_product");
        // ws-new's seat is borrowed (kept until the borrow ends); ws-0001 holds none
        assertThat(verified(post("/api/v4/floating/release", CAD.formatted("ws-new", ""))).get("code").asText())
                .isEqualTo("seat_borrowed");
        HttpResponse<byte[]> release = post("/api/v4/floating/release", CAD.formatted("ws-0001", ""));
        assertThat(release.statusCode()).isEqualTo(200);
        assertThat(verified(release)).isNull();
        assertThat(verified(post("/api/v4/deactivate_license", CAD.formatted("ws-0001", ""))).asText())
                .isEqualTo("license_deactivated");
        HttpResponse<byte[]> unsigned = f.http.send(java.net.http.HttpRequest.newBuilder(
                f.uri("/api/v4/check_license")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(verified(unsigned).get("code").asText()).isEqualTo("authorization_missing_params");
    }

    @Test
    void thePublicKeyIsPublishedAtADocumentedEndpoint() throws Exception {
        HttpResponse<String> r = f.send(java.net.http.HttpRequest.newBuilder(f.uri("/api/v4/signature_public_key")).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(signer.publicKeyPem());
        assertThat(ResponseSigner.parsePublicKey(r.body())).isEqualTo(publicKey);
    }

    @Test
    void borrowedUntilWithoutAnOffsetIsUtcAndAReBorrowEchoesTheLeaseAsKept() throws Exception {
        // The server's clock is 2026-11-23T09:00:00Z; the Python client sends naive UTC times.
        JsonNode first = verified(post("/api/v4/floating/borrow", CAD.formatted("ws-0001",
                ",\"borrowed_until\":\"2026-11-24T09:00:00.123456\"")));
        assertThat(first.get("borrowed_until").asText()).isEqualTo("2026-11-24T09:00:00.123Z");

        // An earlier end is refused: the lease signed for the later one is still out (issue 27 S2).
        HttpResponse<byte[]> earlier = post("/api/v4/floating/borrow", CAD.formatted("ws-0001",
                ",\"borrowed_until\":\"2026-11-23T12:00:00\""));
        assertThat(earlier.statusCode()).isEqualTo(400);
        assertThat(verified(earlier).get("code").asText()).isEqualTo("borrow_until_not_valid");
        // A later end: the answer tells the time the seat is really kept, as the engine holds it.
        JsonNode again = verified(post("/api/v4/floating/borrow", CAD.formatted("ws-0001",
                ",\"borrowed_until\":\"2026-11-25T12:00:00\"")));
        List<Lease> holders = f.licensor.seats().holders(f.pool("cad-pro/CADPRO-FLOAT-5SEAT")).orElseThrow();
        assertThat(holders).hasSize(1);
        Lease kept = holders.get(0);
        assertThat(kept.expiresAt()).isEqualTo(java.time.Instant.parse("2026-11-25T12:00:00Z"));
        assertThat(again.get("floating_expires_at").asText()).isEqualTo("2026-11-25T12:00:00.000Z");
        assertThat(again.get("borrowed_until").asText()).isEqualTo("2026-11-25T12:00:00.000Z");

        HttpResponse<byte[]> bad = post("/api/v4/floating/borrow", CAD.formatted("ws-0001", ",\"borrowed_until\":\"tomorrow\""));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(verified(bad).get("code").asText()).isEqualTo("malformed_body");
    }
}
