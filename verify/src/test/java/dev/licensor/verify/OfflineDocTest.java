package dev.licensor.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.token.TokenSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/offline.md true: its Java snippet is the code compiled and run here, and its Node
 * snippet (standard library only) verifies a real token when {@code node} is on the PATH.
 */
class OfflineDocTest {
    @TempDir
    Path dir;

    private static String doc() throws IOException {
        return Files.readString(Path.of("..", "docs", "offline.md"));
    }

    /** The lines between two marker lines, trimmed; code only unless {@code raw}. */
    private static String between(String text, String start, String end, boolean raw) {
        StringBuilder out = new StringBuilder();
        boolean inside = false;
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.equals(start)) {
                inside = true;
            } else if (trimmed.equals(end) && inside) {
                return out.toString();
            } else if (inside && !trimmed.startsWith("```")
                    && (raw || (!trimmed.isEmpty() && !trimmed.startsWith("//")))) {
                out.append(raw ? line : trimmed).append('\n');
            }
        }
        throw new AssertionError("markers " + start + " ... " + end + " not found");
    }

    @Test
    void javaSnippetIsTheCodeBelow() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/licensor/verify/OfflineDocTest.java"));
        assertThat(between(doc(), "<!-- snippet:offline -->", "<!-- /snippet:offline -->", false))
                .isEqualTo(between(source, "// snippet:offline", "// /snippet:offline", false));
    }

    @Test
    void javaSnippetRuns() {
        Path stateFile = dir.resolve("licensor.state");
        byte[] stateKey = "product secret, e.g. mixed with the hardware id".getBytes(StandardCharsets.UTF_8);
        // snippet:offline
        // Vendor's server: sign with an Ed25519 key (keep privateKeyPkcs8() secret, reload with fromEncoded).
        TokenSigner signer = TokenSigner.generate("2026-03");
        Licensor licensor = Licensor.builder().store(new MemoryLicenseStore()).signer(signer).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD Pro", Duration.ofMinutes(15), Duration.ofDays(7)));
        licensor.catalog().createLicense(License.builder("cad").key("TEAM-1").maxActivations(10).floatingSeats(2)
                .borrowAllowed(true).build());
        licensor.catalog().createLicense(License.builder("cad").key("NODE-7").maxActivations(1).build());

        // A floating seat leaves the server only as a lease that ends: a check (one timeout), a borrow (its end).
        DeviceRequest laptop = DeviceRequest.byKey("cad", "TEAM-1", "hw-42");
        licensor.floating().activate(laptop); // no license file: the license is floating
        Outcome<LicenseCheck> seat = licensor.floating().check(laptop);
        String lease = seat.token();
        String borrowed = licensor.floating().borrow(laptop, null).token(); // offline for up to 7 days
        // Back early: the borrowed lease proves the return (a plain release is refused: seat_borrowed).
        licensor.floating().returnBorrow(laptop, borrowed);

        // Air-gapped device, node-locked license: it writes a request string; the vendor answers a license file.
        String request = ActivationRequests.encode("cad", "NODE-7", null, "hw-43");
        String licenseFile = licensor.offline().activate(request).token();

        // In the product, on the device: trust the vendor's keys; say which product, device and kinds it accepts.
        LicenseVerifier verifier = LicenseVerifier.builder()
                .trust("2026-03", signer.publicKey()) // or .trust("2026-03", "<the JWK's x>") from signer.jwks()
                .product("cad")
                .hardwareId("hw-43")
                .kinds(TokenKind.LICENSE) // node-locked; a floating product accepts TokenKind.LEASE only
                .tolerance(Duration.ofMinutes(5))
                .stateFile(stateFile, stateKey)
                .build();
        Verification verdict = verifier.verify(licenseFile);
        switch (verdict.status()) {
            case VALID -> System.out.println("licensed until " + verdict.claims().expiresAt());
            case CLOCK_TAMPERED -> System.out.println("set the clock right: " + verdict.detail());
            default -> System.out.println("not licensed: " + verdict.status().key());
        }
        // /snippet:offline
        assertThat(verdict.status()).isEqualTo(Status.VALID);
        assertThat(verifier.verify(lease).status()).as("the lease is hw-42's").isEqualTo(Status.WRONG_DEVICE);
        LicenseVerifier onTheLaptop = LicenseVerifier.builder().trust("2026-03", signer.publicKey()).product("cad")
                .hardwareId("hw-42").kinds(TokenKind.LEASE).build();
        assertThat(onTheLaptop.verify(lease).status()).isEqualTo(Status.VALID);
        assertThat(onTheLaptop.verify(borrowed).claims().expiresAt()).isNotNull();
        assertThat(licensor.seats().holders(seat.orElseThrow().license().id()).orElseThrow()).as("returned").isEmpty();
    }

    @Test
    void nodeSnippetVerifiesARealToken() throws Exception {
        assumeTrue(nodeAvailable(), "node is not on the PATH");
        Files.writeString(dir.resolve("verify.mjs"), between(doc(), "<!-- snippet:node -->", "<!-- /snippet:node -->", true));
        Files.writeString(dir.resolve("run.mjs"), """
                import { readFileSync } from 'node:fs';
                import { verifyLicensorToken } from './verify.mjs';
                const [token, jwks, product, hardwareId] = process.argv.slice(2);
                console.log(verifyLicensorToken(token, JSON.parse(readFileSync(jwks, 'utf8')), { product, hardwareId }));
                """);
        Vendor vendor = new Vendor(TokenSigner.generate("k1").alsoPublishing("k0", TokenSigner.generate("k0").publicKey()));
        vendor.clock.set(java.time.Instant.now());
        Files.writeString(dir.resolve("jwks.json"), vendor.signer.jwks());
        String token = vendor.lease("hw-1");

        assertThat(node(token, "cad", "hw-1")).isEqualTo("valid");
        assertThat(node(token, "cad", "hw-2")).isEqualTo("wrong_device");
        assertThat(node(token, "cam", "hw-1")).isEqualTo("wrong_product");
        String[] parts = token.split("\\.");
        String otherSig = TokenSigner.generate("k1").sign(java.util.Map.of("a", 1L)).split("\\.")[2];
        assertThat(node(parts[0] + "." + parts[1] + "." + otherSig, "cad", "hw-1")).isEqualTo("bad_signature");
        Vendor stranger = new Vendor(TokenSigner.generate("k9"));
        stranger.clock.set(java.time.Instant.now());
        assertThat(node(stranger.lease("hw-1"), "cad", "hw-1")).isEqualTo("unknown_key");
    }

    private String node(String token, String product, String hardwareId) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", "run.mjs", token, "jwks.json", product, hardwareId));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
