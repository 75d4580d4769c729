package dev.licensor.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.token.TokenSigner;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The verifier's builder refuses bad settings as they are made, and each setting twice. */
class BuilderTest {
    private final TokenSigner signer = TokenSigner.generate("k1");

    @Test
    void refusesBadSettings() throws Exception {
        java.security.PublicKey rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();
        List<Consumer<LicenseVerifier.Builder>> bad = List.of(
                b -> b.trust(null, signer.publicKey()),
                b -> b.trust("k", (java.security.PublicKey) null),
                b -> b.trust("k", rsa),
                b -> b.trust("k", "AAAA"),
                b -> b.trust("k", "not base64!"),
                b -> b.trust("k", (String) null),
                b -> b.product(null),
                b -> b.hardwareId(""),
                b -> b.tolerance(Duration.ofSeconds(-1)),
                b -> b.tolerance(Duration.ofDays(2)),
                b -> b.clock(null),
                b -> b.stateFile(Path.of("s"), new byte[15]),
                b -> b.stateFile(null, new byte[16]));
        for (Consumer<LicenseVerifier.Builder> setting : bad) {
            assertThatThrownBy(() -> setting.accept(LicenseVerifier.builder())).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> LicenseVerifier.builder().build()).hasMessageContaining("trust");
    }

    @Test
    void refusesASettingTwice() {
        List<Consumer<LicenseVerifier.Builder>> twice = List.of(
                b -> b.trust("k1", signer.publicKey()).trust("k1", TokenSigner.generate("x").publicKey()),
                b -> b.product("a").product("b"),
                b -> b.hardwareId("a").hardwareId("b"),
                b -> b.tolerance(Duration.ZERO).tolerance(Duration.ZERO),
                b -> b.clock(Clock.systemUTC()).clock(Clock.systemUTC()),
                b -> b.stateFile(Path.of("a"), new byte[16]).stateFile(Path.of("b"), new byte[16]),
                b -> b.kinds(TokenKind.LEASE).kinds(TokenKind.LICENSE),
                b -> b.product("a").anyProduct(),
                b -> b.anyProduct().product("a"),
                b -> b.hardwareId("a").anyDevice(),
                b -> b.anyDevice().anyDevice());
        for (Consumer<LicenseVerifier.Builder> setting : twice) {
            assertThatThrownBy(() -> setting.accept(LicenseVerifier.builder())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already");
        }
    }

    /** Issue 27 S14: a verifier without product and device accepted another product's file. */
    @Test
    void productAndDeviceAreRequiredOrExplicitlyAny() {
        LicenseVerifier.Builder trusting = LicenseVerifier.builder().trust("k1", signer.publicKey());
        assertThatThrownBy(trusting::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anyProduct()");
        assertThatThrownBy(() -> LicenseVerifier.builder().trust("k1", signer.publicKey()).product("p").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anyDevice()");
        assertThat(LicenseVerifier.builder().trust("k1", signer.publicKey()).product("p").hardwareId("h").build()).isNotNull();
        assertThatThrownBy(() -> LicenseVerifier.builder().kinds(TokenKind.LEASE, (TokenKind) null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trustsARawKeyAsPublishedInTheJwks() {
        byte[] raw = Arrays.copyOfRange(signer.publicKey().getEncoded(), 12, 44);
        String x = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        assertThat(signer.jwks()).contains("\"x\":\"" + x + "\"");
        LicenseVerifier verifier = LicenseVerifier.builder().trust("k1", x).anyProduct().anyDevice().build();
        String token = signer.sign(java.util.Map.of("kind", "license", "product", "p", "license_id", 1L,
                "hardware_id", "h", "iat", java.time.Instant.now().getEpochSecond()));
        assertThat(verifier.verify(token).status()).isEqualTo(Status.VALID);
    }

    @Test
    void requestStringsNeedExactlyOneOfKeyAndUser() {
        assertThatThrownBy(() -> ActivationRequests.encode("p", "k", "u", "h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ActivationRequests.encode("p", null, null, "h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ActivationRequests.encode(null, "k", null, "h")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ActivationRequests.encode("p", null, "u", "h")).isNotBlank();
    }
}
