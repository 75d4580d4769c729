package dev.licensor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The jar's entry point: the server starts, prints its address and requests that work as printed. */
class MainTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in\n" + text).isTrue();
        return m.group(1);
    }

    @Test
    void servePrintsItsAddressAndReadyToPasteRequestsThatWork() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (Main.Running running = Main.serve(Main.Options.parse(List.of("--port", "0", "--memory")),
                new PrintStream(buffer, true, StandardCharsets.UTF_8))) {
            String out = buffer.toString(StandardCharsets.UTF_8);
            String base = find(out, "listening on (http://127\\.0\\.0\\.1:\\d+)");
            assertThat(base).isEqualTo(running.server().uri().toString());

            String checkUrl = find(out, "curl -sS '(" + Pattern.quote(base) + "/api/v4/check_license\\?[^']+)'");
            String date = find(out, "-H 'Date: ([^']+)'");
            String authorization = find(out, "-H 'Authorization: ([^']+)'");
            HttpResponse<String> check = http.send(HttpRequest.newBuilder(URI.create(checkUrl))
                    .header("Date", date).header("Authorization", authorization).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
            assertThat(check.body()).contains("\"floating_expires_at\"").contains("\"license_token\"");
            assertThat(out).contains("license tokens").contains("DEVELOPMENT key").contains(base + "/signed/keys");

            String releaseUrl = find(out, "-X POST '([^']+/Client/License/Release)'");
            String token = find(out, "-H 'Authtoken: (QSDK [^']+)'");
            String body = find(out, "--data-raw '([^']+)'");
            HttpResponse<String> release = http.send(HttpRequest.newBuilder(URI.create(releaseUrl))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .header("Authtoken", token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(release.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(release.body()))
                    .isEqualTo(new ObjectMapper().readTree("{\"errorMessage\":\"\",\"errorCode\":0}"));
        }
    }

    @Test
    void theSqliteDefaultKeepsStateAcrossRestartsAndLoadsTheCatalogOnce(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("licensor.db");
        String release = "{\"isClientLevelOperation\":true,\"clientEntity\":{\"clientName\":\"client001\"},"
                + "\"licensesInfo\":[{\"platformType\":1,\"license\":{\"appType\":33}}]}";
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        try (Main.Running running = Main.serve(Main.Options.parse(List.of("--port", "0", "--db", db.toString())),
                new PrintStream(first, true, StandardCharsets.UTF_8))) {
            assertThat(first.toString(StandardCharsets.UTF_8)).contains("store: sqlite " + db.toAbsolutePath())
                    .contains("(16 entries added)");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(running.server().uri()
                            + "/commandcenter/api/Client/License/Release"))
                    .header("Content-Type", "application/json").header("Authtoken", "QSDK demo-commvault-token")
                    .POST(HttpRequest.BodyPublishers.ofString(release)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(new ObjectMapper().readTree(r.body()))
                    .isEqualTo(new ObjectMapper().readTree("{\"errorMessage\":\"\",\"errorCode\":0}"));
        }
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        try (Main.Running running = Main.serve(Main.Options.parse(List.of("--port", "0", "--db", db.toString())),
                new PrintStream(second, true, StandardCharsets.UTF_8))) {
            assertThat(second.toString(StandardCharsets.UTF_8)).contains("(0 entries added)");
            HttpResponse<String> held = http.send(HttpRequest.newBuilder(URI.create(running.server().uri()
                            + "/commandcenter/api/Client/1/License"))
                    .header("Authtoken", "QSDK demo-commvault-token").GET().build(), HttpResponse.BodyHandlers.ofString());
            // The release survived the restart and the catalog did not consume the license again.
            assertThat(held.body()).isEqualTo("{\"licensesInfo\":[]}");
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(running.server().uri()
                            + "/commandcenter/api/Client/License/Release"))
                    .header("Content-Type", "application/json").header("Authtoken", "QSDK demo-commvault-token")
                    .POST(HttpRequest.BodyPublishers.ofString(release)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.body()).contains("\"errorCode\":206");
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theServerProcessExitsCleanlyOnSigint(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/kill")), "needs /bin/kill to send SIGINT");
        // A process started with SIGINT ignored (a background job of a non-interactive shell)
        // passes that on, and a JVM never handles a signal ignored at its start.
        Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process and would be in the child");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process server = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--port", "0", "--db", dir.resolve("sigint.db").toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String base = null;
            for (String line = out.readLine(); line != null && base == null; line = out.readLine()) {
                Matcher m = Pattern.compile("listening on (http://\\S+)").matcher(line);
                if (m.find()) {
                    base = m.group(1);
                }
            }
            assertThat(base).as("the banner").isNotNull();
            HttpResponse<String> pools = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/pools"))
                    .header("Authtoken", "demo-admin-token").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(pools.statusCode()).isEqualTo(200);

            Process kill = new ProcessBuilder("/bin/kill", "-INT", Long.toString(server.pid())).start();
            assertThat(kill.waitFor()).isZero();

            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGINT").isTrue();
            String rest = out.lines().reduce("", (a, b) -> a + b + "\n");
            assertThat(rest).contains("licensor: stopped");
            assertThat(server.exitValue()).isEqualTo(130); // 128 + SIGINT: the JVM's normal exit on Ctrl+C
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theServerProcessKeepsServingAfterMainReturnsAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process server = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--port", "0", "--db", dir.resolve("alive.db").toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String base = null;
            String line;
            // Up to the banner's last line, which main() prints just before it returns.
            while ((line = out.readLine()) != null && !line.startsWith("Press Ctrl+C")) {
                Matcher m = Pattern.compile("listening on (http://\\S+)").matcher(line);
                if (m.find()) {
                    base = m.group(1);
                }
            }
            assertThat(base).as("the banner").isNotNull();
            // main() has returned after the banner; the server's threads keep the process up.
            assertThat(server.waitFor(3, TimeUnit.SECONDS)).as("still running after main returned").isFalse();
            HttpResponse<String> pools = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/pools"))
                    .header("Authtoken", "demo-admin-token").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(pools.statusCode()).isEqualTo(200);
            server.toHandle().destroy(); // SIGTERM, leaving our end of its output open
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            assertThat(out.lines().reduce("", (a, b) -> a + b + "\n")).contains("licensor: stopped");
        } finally {
            server.destroyForcibly();
        }
    }

    /** True if this process ignores SIGINT (bit 1 of SigIgn in /proc/self/status). */
    private static boolean sigintIgnored() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2) != 0;
            }
        }
        return false;
    }

    @Test
    void theTokenKeyComesFromAPkcs8FileAndItsPublicHalfIsPublished(@TempDir Path dir) throws Exception {
        java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path key = dir.resolve("token-key.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (Main.Running running = Main.serve(Main.Options.parse(List.of("--port", "0", "--memory",
                        "--token-key", key.toString(), "--token-key-id", "vendor-2026")),
                new PrintStream(buffer, true, StandardCharsets.UTF_8))) {
            assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("signed with key file " + key)
                    .doesNotContain("DEVELOPMENT");
            HttpResponse<String> keys = http.send(HttpRequest.newBuilder(URI.create(running.server().uri() + "/signed/keys"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            var jwk = new ObjectMapper().readTree(keys.body()).get("keys").get(0);
            assertThat(jwk.get("kid").asText()).isEqualTo("vendor-2026");
            byte[] spki = pair.getPublic().getEncoded();
            assertThat(java.util.Base64.getUrlDecoder().decode(jwk.get("x").asText()))
                    .isEqualTo(java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        }
        Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.serve(Main.Options.parse(List.of("--port", "0",
                        "--memory", "--token-key", dir.resolve("rsa.pem").toString())), new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRIVATE KEY");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--token-key-id", "k")))
                .hasMessageContaining("--token-key");
    }

    @Test
    void optionsAreChecked() {
        Main.Options o = Main.Options.parse(List.of("--port", "0", "--db", "x.db", "--commvault-root", "/webconsole/api"));
        assertThat(o.port()).isZero();
        assertThat(o.memory()).isFalse();
        assertThat(o.commvaultRoot()).isEqualTo("/webconsole/api");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--memory", "--db", "x.db")))
                .hasMessageContaining("exclude");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--port", "http")))
                .hasMessageContaining("number");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--verbose")))
                .hasMessageContaining("unknown option");
    }

    @Test
    void thePostgresOptionsAreChecked() {
        String url = "jdbc:postgresql://db:5432/licensing";
        Main.Options o = Main.Options.parse(List.of("--postgres", url, "--signing-key", "key.pem"));
        assertThat(o.postgres()).isEqualTo(url);
        assertThat(o.pgSchema()).isEqualTo("licensor");
        assertThat(Main.Options.parse(List.of("--postgres", url, "--pg-schema", "team_a", "--signing-key", "k.pem"))
                .pgSchema()).isEqualTo("team_a");
        assertThat(Main.Options.parse(List.of("--memory")).postgres()).isNull();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--postgres", url,
                        "--signing-key", "k.pem", "--memory")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--postgres and --memory exclude each other");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--db", "x.db",
                        "--postgres", url, "--signing-key", "k.pem")))
                .hasMessage("--postgres and --db exclude each other");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--postgres")))
                .hasMessage("--postgres needs a value");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--postgres",
                        "postgres://db/licensing?password=hunter2", "--signing-key", "k.pem")))
                .hasMessageContaining("needs a JDBC URL like jdbc:postgresql://").hasMessageContaining("password=***")
                .hasMessageNotContaining("hunter2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--postgres", url)))
                .hasMessageContaining("--postgres needs --signing-key FILE").hasMessageContaining("same key");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--postgres", url,
                        "--signing-key", "k.pem", "--pg-schema", "Team-A")))
                .hasMessageContaining("--pg-schema must be");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--pg-schema", "a")))
                .hasMessage("--pg-schema needs --postgres");
    }
}
