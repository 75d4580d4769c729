package dev.licensor.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signer's key handling and validation; the tokens themselves are tested in licensor-verify. */
class TokenSignerTest {

    private static Code codeOf(Runnable r) {
        try {
            r.run();
        } catch (LicensingException e) {
            return e.code();
        }
        return Code.OK;
    }

    @Test
    void signsACompactJwsWithTheKeyId() {
        TokenSigner signer = TokenSigner.generate("2026-03.a");
        String token = signer.sign(Map.of("kind", "lease"));
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8))
                .isEqualTo("{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"2026-03.a\"}");
        assertThat(Base64.getUrlDecoder().decode(parts[2])).hasSize(64);
    }

    @Test
    void reloadsFromItsEncodedKeys() {
        TokenSigner signer = TokenSigner.generate("k1");
        TokenSigner again = TokenSigner.fromEncoded("k1", signer.privateKeyPkcs8(), signer.publicKey().getEncoded());
        assertThat(again.jwks()).isEqualTo(signer.jwks());
        // Ed25519 is deterministic: the same key signs the same bytes identically.
        assertThat(again.sign(Map.of("a", 1L))).isEqualTo(signer.sign(Map.of("a", 1L)));
    }

    @Test
    void refusesBadKeysAndKeyIds() throws Exception {
        TokenSigner signer = TokenSigner.generate("k1");
        TokenSigner other = TokenSigner.generate("k2");
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        KeyPair mixed = new KeyPair(other.publicKey(), KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate());
        assertThat(codeOf(() -> TokenSigner.generate(""))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> TokenSigner.generate(null))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> TokenSigner.generate("a\"b"))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> TokenSigner.generate("k".repeat(65)))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> TokenSigner.of("k", rsa))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> TokenSigner.of("k", mixed))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> TokenSigner.of("k", null))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> TokenSigner.fromEncoded("k", new byte[3], new byte[3]))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> TokenSigner.fromEncoded("k", null, null))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> signer.alsoPublishing("k1", other.publicKey()))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> signer.alsoPublishing("k0", rsa.getPublic()))).isEqualTo(Code.INVALID_REQUEST);
    }

    @Test
    void signingWithAcceptsOnlyAnImplementationThatSignsLikeTheKey() {
        TokenSigner signer = TokenSigner.generate("k1");
        TokenSigner other = TokenSigner.generate("k2");
        // Another implementation of the same key (here the JDK again, unpooled) gives the same tokens.
        TokenSigner replaced = signer.signingWith(message -> {
            try {
                java.security.Signature s = java.security.Signature.getInstance("Ed25519");
                s.initSign(java.security.KeyFactory.getInstance("Ed25519")
                        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(signer.privateKeyPkcs8())));
                s.update(message);
                return s.sign();
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(replaced.sign(Map.of("a", 1L))).isEqualTo(signer.sign(Map.of("a", 1L)));
        assertThat(replaced.jwks()).isEqualTo(signer.jwks());
        // One that signs with another key, answers garbage, or throws is refused up front.
        Ed25519Signing otherKey = message -> Base64.getUrlDecoder().decode(
                other.sign(Map.of()).substring(other.sign(Map.of()).lastIndexOf('.') + 1));
        assertThat(codeOf(() -> signer.signingWith(otherKey))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> signer.signingWith(message -> new byte[64]))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> signer.signingWith(message -> null))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> signer.signingWith(message -> {
            throw new IllegalStateException("broken");
        }))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(codeOf(() -> signer.signingWith(null))).isEqualTo(Code.INVALID_REQUEST);
    }

    @Test
    void publishesRetiredKeysAfterTheSigningKey() {
        TokenSigner old = TokenSigner.generate("k1");
        TokenSigner current = TokenSigner.generate("k2").alsoPublishing("k1", old.publicKey());
        assertThat(current.publishedKeys().keySet()).containsExactly("k2", "k1");
        assertThat(current.jwks()).startsWith("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"use\":\"sig\",\"alg\":\"EdDSA\",\"kid\":\"k2\",\"x\":\"")
                .contains("\"kid\":\"k1\"");
        assertThatThrownBy(() -> current.publishedKeys().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theBuilderTakesOneSigner() {
        TokenSigner signer = TokenSigner.generate("k1");
        Licensor.Builder b = Licensor.builder().signer(signer);
        // builder misuse is a programmer error: the Java exceptions, not a wire code
        assertThatThrownBy(() -> b.signer(signer)).isExactlyInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Licensor.builder().signer(null)).isExactlyInstanceOf(NullPointerException.class);
    }

    @Test
    void activationRequestsRoundTripAndRefuseAnythingElse() {
        ActivationRequest r = new ActivationRequest("cad", "K-1", null, "hw \"1\" é");
        assertThat(ActivationRequest.parse("  " + r.encode() + "\n")).isEqualTo(r);
        ActivationRequest byUser = new ActivationRequest("cad", null, "ann", "hw");
        assertThat(ActivationRequest.parse(byUser.encode())).isEqualTo(byUser);
        String other = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"kind\":\"activation_request\",\"product\":\"cad\",\"hardware_id\":\"h\",\"admin\":true}".getBytes(StandardCharsets.UTF_8));
        String typed = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"kind\":\"activation_request\",\"product\":1,\"hardware_id\":\"h\"}".getBytes(StandardCharsets.UTF_8));
        for (String bad : new String[] {"x", r.encode() + "=", other, typed, "e30", "A".repeat(5000), "a b"}) {
            assertThat(codeOf(() -> ActivationRequest.parse(bad))).as(bad).isEqualTo(Code.INVALID_REQUEST);
        }
        assertThat(codeOf(() -> ActivationRequest.parse(null))).isEqualTo(Code.MISSING_PARAMETERS);
    }

    @Test
    void outcomesCarryTheirToken() {
        assertThat(Outcome.success(1, "t").token()).isEqualTo("t");
        assertThat(Outcome.success(1, "t").map(i -> i + 1).token()).isEqualTo("t");
        assertThat(Outcome.success(1).token()).isNull();
        assertThat(Outcome.failure(Code.BLACKLISTED).token()).isNull();
    }
}
