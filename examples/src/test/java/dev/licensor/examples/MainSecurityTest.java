package dev.licensor.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 27 at start: S5 banner, S6 demo credentials, S9 --postgres, S10 file modes. */
class MainSecurityTest {
    @TempDir
    Path dir;

    /** S5: with a real catalog the banner shows how to build requests, never a live secret. */
    @Test
    void theBannerPrintsNoLiveSecret() throws Exception {
        Path catalog = Files.writeString(dir.resolve("catalog.json"), """
                { "products": [ { "code": "p", "floatingTimeoutMinutes": 30 } ],
                  "licenses": [ { "product": "p", "key": "K", "maxActivations": 3, "floatingSeats": 1,
                                  "activatedDevices": ["d1"] } ],
                  "credentials": { "apiKeys": [ { "key": "vendor-key", "sharedKey": "very-secret-shared" } ],
                                   "commvaultTokens": ["machine-token-secret"], "adminTokens": ["admin-token-secret"] } }
                """);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (Main.Running running = Main.serve(Main.Options.parse(List.of("--port", "0", "--memory", "--catalog",
                catalog.toString())), new PrintStream(buffer, true, StandardCharsets.UTF_8))) {
            String out = buffer.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("listening on " + running.server().uri()).doesNotContain("very-secret-shared", "machine-token-secret",
                    "admin-token-secret", "Authorization: algorithm", "DEMO CREDENTIALS");
            assertThat(out).contains("sign --api-key <API KEY> --shared-key <SHARED KEY>", "<AN ADMIN TOKEN OF THE CATALOG>");
        }
    }

    /** S6: the public demo credentials answer on loopback only, and say so loudly. */
    @Test
    void demoCredentialsOnlyOnLoopback() throws Exception {
        assertThatThrownBy(() -> Main.serve(Main.Options.parse(List.of("--host", "0.0.0.0", "--port", "0", "--memory")),
                new PrintStream(new ByteArrayOutputStream()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--catalog");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (Main.Running running = Main.serve(Main.Options.parse(List.of("--port", "0", "--memory")),
                new PrintStream(buffer, true, StandardCharsets.UTF_8))) {
            assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("WARNING: DEMO CREDENTIALS")
                    .contains(running.server().uri().toString());
        }
    }

    /** S9: servers sharing a database share a token key, as they must a signing key. */
    @Test
    void postgresNeedsATokenKey() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("LICENSOR_TOKEN_KEY") == null);
        Main.Options options = Main.Options.parse(List.of("--postgres", "jdbc:postgresql://127.0.0.1:1/x",
                "--signing-key", dir.resolve("k.pem").toString()));
        assertThatThrownBy(() -> Main.tokenSigner(options)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--token-key");
    }

    /** S10: the SQLite database (every license key) is created owner-only; a readable key file is reported. */
    @Test
    void theDatabaseIsOwnerOnlyAndReadableKeysAreReported() throws Exception {
        Path db = dir.resolve("licensor.db");
        Path key = Files.write(dir.resolve("token.der"), dev.licensor.token.TokenSigner.generate("k1").privateKeyPkcs8());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (Main.Running running = Main.serve(Main.Options.parse(List.of("--port", "0", "--db", db.toString(),
                "--token-key", key.toString())), new PrintStream(buffer, true, StandardCharsets.UTF_8))) {
            assertThat(running.store().description()).contains("sqlite");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rw-------");
            assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("WARNING: " + key + " holds a secret");
        }
    }
}
