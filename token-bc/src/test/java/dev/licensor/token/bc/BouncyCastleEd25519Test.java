package dev.licensor.token.bc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.token.TokenSigner;
import dev.licensor.verify.LicenseVerifier;
import dev.licensor.verify.Status;
import dev.licensor.verify.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

/**
 * Bouncy Castle signs exactly what the JDK signs: the same token bytes, verified by
 * {@code licensor-verify} (JDK), by jose4j, and JDK tokens verified by Bouncy Castle.
 */
class BouncyCastleEd25519Test {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final TokenSigner jdk = TokenSigner.generate("k1");
    private final TokenSigner bc = BouncyCastleEd25519.fast(jdk);

    private static Map<String, Object> claims(int i) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kind", "lease");
        c.put("product", "cad-" + i);
        c.put("license_id", 1000L + i);
        c.put("hardware_id", "hw-\u00e9-" + "x".repeat(i % 50));
        c.put("borrow_allowed", i % 2 == 0);
        c.put("iat", NOW.getEpochSecond() + i);
        c.put("exp", NOW.getEpochSecond() + 600 + i);
        return c;
    }

    private static byte[] input(String token) {
        return token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] signature(String token) {
        return Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
    }

    private static byte[] raw(TokenSigner s) {
        byte[] der = s.publicKey().getEncoded(); // X.509: a 12-byte prefix, then the raw key
        return java.util.Arrays.copyOfRange(der, der.length - 32, der.length);
    }

    @Test
    void signsTheSameBytesAsTheJdk() {
        for (int i = 0; i < 200; i++) {
            assertThat(bc.sign(claims(i))).isEqualTo(jdk.sign(claims(i)));
        }
        assertThat(bc.jwks()).isEqualTo(jdk.jwks());
        assertThat(bc.keyId()).isEqualTo("k1");
    }

    @Test
    void eachVerifiesTheOthersTokens() throws Exception {
        for (int i = 0; i < 50; i++) {
            String byBc = bc.sign(claims(i));
            String byJdk = jdk.sign(claims(i));
            // Bouncy Castle's token, verified with the JDK (licensor-verify) and jose4j.
            LicenseVerifier verifier = LicenseVerifier.builder().trust("k1", jdk.publicKey()).product("cad-" + i)
                    .hardwareId((String) claims(i).get("hardware_id"))
                    .clock(Clock.fixed(NOW.plusSeconds(i), ZoneOffset.UTC)).build();
            assertThat(verifier.verify(byBc).status()).isEqualTo(Status.VALID);
            assertThat(jose4j(byBc, NOW.plusSeconds(i)).getStringClaimValue("product")).isEqualTo("cad-" + i);
            // The JDK's token, verified with Bouncy Castle.
            assertThat(BouncyCastleEd25519.verifies(raw(jdk), input(byJdk), signature(byJdk))).isTrue();
        }
    }

    @Test
    void refusesAnyAlteredSignatureMessageOrKey() {
        String token = jdk.sign(claims(1));
        byte[] in = input(token);
        byte[] sig = signature(token);
        assertThat(BouncyCastleEd25519.verifies(raw(jdk), in, sig)).isTrue();
        for (int bit = 0; bit < sig.length * 8; bit += 7) {
            byte[] bad = sig.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(BouncyCastleEd25519.verifies(raw(jdk), in, bad)).as("bit %d", bit).isFalse();
        }
        byte[] otherInput = in.clone();
        otherInput[5] ^= 1;
        assertThat(BouncyCastleEd25519.verifies(raw(jdk), otherInput, sig)).isFalse();
        assertThat(BouncyCastleEd25519.verifies(raw(TokenSigner.generate("k2")), in, sig)).isFalse();
        assertThat(BouncyCastleEd25519.verifies(new byte[31], in, sig)).isFalse();
        assertThat(BouncyCastleEd25519.verifies(raw(jdk), in, new byte[63])).isFalse();
        assertThat(BouncyCastleEd25519.verifies(null, in, sig)).isFalse();
    }

    @Test
    void engineTokensSignedByBouncyCastleVerifyLikeTheJdks() throws Exception {
        Licensor licensor = Licensor.builder().store(new MemoryLicenseStore())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).signer(bc).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofDays(7))).orElseThrow();
        licensor.catalog().createLicense(License.builder("cad").key("FLOAT").maxActivations(5).floatingSeats(2).build())
                .orElseThrow();
        licensor.catalog().createLicense(License.builder("cad").key("LOCKED").maxActivations(5).build()).orElseThrow();
        // a license file comes from a node-locked license; a floating one leaves only as leases (S1)
        String file = licensor.floating().activate(DeviceRequest.byKey("cad", "LOCKED", "hw-1")).token();
        DeviceRequest device = DeviceRequest.byKey("cad", "FLOAT", "hw-1");
        licensor.floating().activate(device).orElseThrow();
        String lease = licensor.floating().check(device).token();

        LicenseVerifier verifier = LicenseVerifier.builder().trust("k1", jdk.publicKey()).product("cad")
                .hardwareId("hw-1").clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        for (String token : List.of(file, lease)) {
            Verification v = verifier.verify(token);
            assertThat(v.status()).isEqualTo(Status.VALID);
            assertThat(jose4j(token, NOW).getStringClaimValue("hardware_id")).isEqualTo("hw-1");
        }
        // The claims re-signed by the JDK signer give the same token: byte-identical either way.
        assertThat(jdk.sign(Map.of())).isEqualTo(bc.sign(Map.of()));
    }

    @Test
    void signsOnManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 100;
                results.add(pool.submit(() -> {
                    for (int i = base; i < base + 100; i++) {
                        if (!BouncyCastleEd25519.verifies(raw(jdk), input(bc.sign(claims(i))), signature(bc.sign(claims(i))))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesAnotherKeyOrAnUnreadableOne() {
        TokenSigner other = TokenSigner.generate("k2");
        assertThatThrownBy(() -> jdk.signingWith(BouncyCastleEd25519.signing(other.privateKeyPkcs8())))
                .isInstanceOf(LicensingException.class)
                .extracting(e -> ((LicensingException) e).code()).isEqualTo(Code.INVALID_REQUEST);
        assertThatThrownBy(() -> BouncyCastleEd25519.signing(new byte[48]))
                .isInstanceOf(LicensingException.class);
        assertThatThrownBy(() -> BouncyCastleEd25519.signing(null))
                .isInstanceOf(LicensingException.class);
        assertThatThrownBy(() -> jdk.signingWith(null)).isInstanceOf(LicensingException.class);
        assertThatThrownBy(() -> jdk.signingWith(m -> {
            throw new IllegalStateException("broken");
        })).isInstanceOf(LicensingException.class);
    }

    @Test
    void rotationKeepsTheFastSignature() {
        TokenSigner old = TokenSigner.generate("k0");
        TokenSigner rotated = bc.alsoPublishing("k0", old.publicKey());
        assertThat(rotated.publishedKeys().keySet()).containsExactly("k1", "k0");
        assertThat(rotated.sign(claims(3))).isEqualTo(jdk.sign(claims(3)));
    }

    private JwtClaims jose4j(String token, Instant at) throws Exception {
        return new JwtConsumerBuilder()
                .setVerificationKey(jdk.publicKey())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.EDDSA)
                .setEvaluationTime(NumericDate.fromSeconds(at.getEpochSecond()))
                .setRequireIssuedAt()
                .build()
                .processToClaims(token);
    }
}
