package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27 over real loopback HTTP(S): each test failed on the server before the fix it names.
 * (S1, S2: {@code SignedEndpointsTest}; S5, S6, S9, S10 at start: {@code MainSecurityTest};
 * login throttle and signature reuse units: {@code internal.LoginThrottleTest}.)
 */
class SecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> login(ServerFixture f, String user, String password) {
        return f.send(HttpRequest.newBuilder(f.uri("/commandcenter/api/Login")).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + user + "\",\"password\":\"" + b64(password) + "\"}")));
    }

    /** S3: after 5 wrong passwords the user is blocked (429, Retry-After), even with the right one, until the block ends. */
    @Test
    void failedLoginsAreThrottledPerUserWithRetryAfter() {
        try (ServerFixture f = new ServerFixture()) {
            for (int i = 0; i < 6; i++) {
                assertThat(login(f, "admin", "wrong-" + i).statusCode()).as("try %d", i).isEqualTo(401);
            }
            HttpResponse<String> blocked = login(f, "admin", "demo-password");
            assertThat(blocked.statusCode()).isEqualTo(429);
            assertThat(blocked.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(blocked.body()).contains("616");
            f.clock.advance(Duration.ofSeconds(1));
            assertThat(login(f, "admin", "wrong-again").statusCode()).isEqualTo(401);
            assertThat(login(f, "admin", "demo-password").headers().firstValue("Retry-After")).hasValue("2");
            f.clock.advance(Duration.ofSeconds(2));
            assertThat(login(f, "admin", "demo-password").statusCode()).isEqualTo(200);
        }
    }

    /** S3: an address that guesses many names is blocked too. */
    @Test
    void failedLoginsAreThrottledPerAddress() {
        try (ServerFixture f = new ServerFixture()) {
            for (int i = 0; i < 6; i++) {
                assertThat(login(f, "nobody-" + i, "x").statusCode()).isEqualTo(401);
            }
            assertThat(login(f, "someone-else", "x").statusCode()).isEqualTo(429);
        }
    }

    /** S4: a client trickling its headers is cut off at the header deadline, not kept open by each byte. */
    @Test
    void aSlowRequestHeadIsCutOffAtItsDeadline() throws Exception {
        try (ServerFixture f = new ServerFixture(LicenseServer.DEFAULT_COMMVAULT_ROOT, null,
                b -> b.headerTimeout(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(30)));
             Socket socket = new Socket("127.0.0.1", f.server.address().getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /api/v4/check_license HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            boolean closed = false;
            long start = System.nanoTime();
            try {
                for (int i = 0; i < 20 && !closed; i++) { // one byte every 500 ms: the idle timeout never fires
                    out.write('X');
                    out.flush();
                    Thread.sleep(500);
                }
            } catch (java.io.IOException reset) {
                closed = true;
            }
            if (!closed) {
                closed = in.read() == -1;
            }
            assertThat(closed).as("closed by the server").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            // a normal request still gets its answer
            assertThat(f.lsGet("/api/v4/signature_public_key").statusCode()).isEqualTo(200);
        }
    }

    /** S6: a loopback server answers only for loopback names (DNS rebinding). */
    @Test
    void aLoopbackServerRefusesForeignHostHeaders() throws Exception {
        try (ServerFixture f = new ServerFixture();
             Socket socket = new Socket("127.0.0.1", f.server.address().getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET /admin/pools HTTP/1.1\r\nHost: evil.example:8080\r\nAuthtoken: "
                    + ServerFixture.ADMIN_TOKEN + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 421").doesNotContain("\"pools\"");
            assertThat(f.adminGet("/admin/pools").statusCode()).isEqualTo(200);
        }
        assertThat(HostCheck.name("LOCALHOST:8080")).isEqualTo("localhost");
        assertThat(HostCheck.name("[::1]:80")).isEqualTo("[::1]");
    }

    /** S8: a refusal names the field, never an internal class or Jackson's settings. */
    @Test
    void bodyErrorsNameFieldsNotClasses() throws Exception {
        try (ServerFixture f = ServerFixture.signing(dev.licensor.token.TokenSigner.generate("k1"), null)) {
            for (String body : new String[] {"{\"product\":\"cad-pro\",\"surprise\":1}", "{\"product\":[1]}",
                    "{\"license_id\":\"x\"}"}) {
                HttpResponse<String> r = f.lsPost("/signed/check", body);
                String message = JSON.readTree(r.body()).get("message").asText();
                assertThat(r.statusCode()).isEqualTo(400);
                assertThat(message).as(body).doesNotContain("dev.licensor", "java.", "$", "Jackson", "FAIL_ON", "class");
            }
            assertThat(JSON.readTree(f.lsPost("/signed/check", "{\"surprise\":1}").body()).get("message").asText())
                    .contains("unknown field surprise").contains("hardware_id");
        }
    }

    /** S18: the fixed catalog token cannot be logged out (it would keep working): refused, and it still works. */
    @Test
    void logoutWithTheFixedCatalogTokenIsRefused() {
        try (ServerFixture f = new ServerFixture()) {
            HttpResponse<String> out = f.cvPost("/commandcenter/api/Logout", "application/json", "application/json", "");
            assertThat(out.statusCode()).isEqualTo(400);
            assertThat(out.body()).contains("cannot be logged out");
            assertThat(f.cvPost("/commandcenter/api/WhoAmI", "application/json", "application/json", "").statusCode()).isEqualTo(200);
        }
    }

    /** S19: no CBC suite is offered; a renewed keystore file is served without a restart. */
    @Test
    void tlsOffersAeadSuitesOnlyAndReloadsItsKeystore() throws Exception {
        DevCertificate first = DevCertificate.create(dir);
        try (ServerFixture f = new ServerFixture(LicenseServer.DEFAULT_COMMVAULT_ROOT, first,
                b -> b.keystoreScanSeconds(1))) {
            int port = f.server.address().getPort();
            javax.net.ssl.SSLContext any = trustAll();
            try (SSLSocket s = (SSLSocket) any.getSocketFactory().createSocket("127.0.0.1", port)) {
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.setEnabledCipherSuites(java.util.Arrays.stream(s.getSupportedCipherSuites())
                        .filter(c -> c.contains("_CBC_")).toArray(String[]::new));
                assertThatThrownBy(s::startHandshake).isInstanceOf(SSLHandshakeException.class);
            }
            byte[] before = peerCertificate(any, port);
            Path fresh = Files.createDirectory(dir.resolve("renewed"));
            DevCertificate renewed = DevCertificate.create(fresh);
            Files.copy(renewed.keystore, first.keystore, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            byte[] after = before;
            for (int i = 0; i < 40 && java.util.Arrays.equals(after, before); i++) {
                Thread.sleep(250);
                after = peerCertificate(any, port);
            }
            assertThat(after).as("the renewed certificate is served").isNotEqualTo(before);
        }
    }

    private static byte[] peerCertificate(javax.net.ssl.SSLContext ctx, int port) throws Exception {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return s.getSession().getPeerCertificates()[0].getEncoded();
        }
    }

    private static javax.net.ssl.SSLContext trustAll() throws Exception {
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    /** S17: failed authentications are counted (for metrics); the access log has one line per request, no query. */
    @Test
    void failedAuthenticationsAreCountedAndTheAccessLogCanBeTurnedOn() throws Exception {
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.eclipse.jetty.server.RequestLog.Writer writer = lines::add;
        try (ServerFixture f = new ServerFixture(LicenseServer.DEFAULT_COMMVAULT_ROOT, null, b -> b.accessLog(writer))) {
            f.send(HttpRequest.newBuilder(f.uri("/admin/pools")).header("Authtoken", "wrong-token").GET());
            f.send(HttpRequest.newBuilder(f.uri("/api/v4/check_license?license_key=SECRET-KEY")).GET());
            assertThat(login(f, "nobody", "x").statusCode()).isEqualTo(401);
            assertThat(f.adminGet("/admin/pools").statusCode()).isEqualTo(200);
            assertThat(f.server.failedAuthentications()).isEqualTo(3);
            for (int i = 0; i < 40 && lines.size() < 4; i++) {
                Thread.sleep(50); // the log line is written after the answer
            }
            assertThat(lines).hasSize(4).noneMatch(l -> l.contains("SECRET-KEY"));
            assertThat(lines.get(0)).contains("\"GET /admin/pools HTTP/1.1\" 401");
        }
    }

    /** S17: a flood of failures is logged at most once a second, with the number left out. */
    @Test
    void failedAuthenticationsAreLoggedAtABoundedRate() {
        dev.licensor.testkit.MutableClock clock = new dev.licensor.testkit.MutableClock(ServerFixture.START);
        dev.licensor.examples.server.internal.AuthFailures failures = new dev.licensor.examples.server.internal.AuthFailures(clock);
        dev.licensor.examples.server.api.ApiRequest request = new dev.licensor.examples.server.api.ApiRequest("GET",
                "/admin/pools", null, java.util.Map.of(), null, "10.0.0.9");
        dev.licensor.examples.server.api.Reply refused = new dev.licensor.examples.server.api.Reply(401, "application/json",
                new byte[0], java.util.Map.of());
        dev.licensor.examples.server.api.Reply ok = new dev.licensor.examples.server.api.Reply(200, "application/json",
                new byte[0], java.util.Map.of());
        for (int i = 0; i < 1000; i++) {
            assertThat(failures.observe(request, refused)).isTrue();
        }
        assertThat(failures.observe(request, ok)).isFalse();
        assertThat(failures.total()).isEqualTo(1000);
        assertThat(failures.logged()).as("one line in the same second").isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        failures.observe(request, refused);
        assertThat(failures.logged()).isEqualTo(2);
    }

    /** S10: secret files are created owner-only; readable ones are reported. */
    @Test
    void secretFilesAreOwnerOnly() throws Exception {
        Path db = dir.resolve("new.db");
        SecureFiles.createOwnerOnly(db);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rw-------");
        Path open = Files.writeString(dir.resolve("key.pem"), "x");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(SecureFiles.othersCanRead(open)).isTrue();
        assertThat(SecureFiles.othersCanRead(db)).isFalse();
    }

    /** S9: each development key has its own id, so a token from before a restart is unknown_key, not bad_signature. */
    @Test
    void developmentKeysHaveDistinctIds() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(TokenKeys.development().keyId());
        }
        assertThat(ids).hasSize(5).allMatch(id -> id.startsWith("dev-"));
    }

    /** S11: weak, repeated and reused credentials are refused when the catalog is read. */
    @Test
    void weakOrReusedCredentialsAreRefusedAtStart() throws Exception {
        String good = PasswordHash.hash("pw".toCharArray());
        String[][] bad = {
                {"\"adminTokens\": [\"a\"]", "shorter than 12"},
                {"\"apiKeys\": [{\"key\": \"k\", \"sharedKey\": \"shared-secret-1\"},"
                        + " {\"key\": \"k\", \"sharedKey\": \"shared-secret-2\"}]", "listed twice"},
                {"\"adminTokens\": [\"same-token-123\"], \"commvaultTokens\": [\"same-token-123\"]", "already used"},
                {"\"commvaultUsers\": [{\"username\": \"u\", \"passwordHash\": \""
                        + PasswordHash.hash("pw".toCharArray(), 1000) + "\"}]", "iterations"},
        };
        for (String[] c : bad) {
            Path file = Files.writeString(dir.resolve("catalog.json"), "{\"credentials\": {" + c[0] + "}}");
            assertThatThrownBy(() -> CatalogFile.read(file)).as(c[0]).hasMessageContaining(c[1]);
        }
        Path file = Files.writeString(dir.resolve("ok.json"), "{\"credentials\": {\"adminTokens\": [\"admin-token-123\"],"
                + " \"commvaultUsers\": [{\"username\": \"u\", \"passwordHash\": \"" + good + "\"}]}}");
        assertThat(CatalogFile.read(file).credentials().adminTokens()).containsExactly("admin-token-123");
    }
}
