package dev.licensor.token;

import dev.licensor.json.internal.FlatJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Compact JWS with {@code alg: EdDSA} (RFC 7515, RFC 8037): header, claims and Ed25519
 * signature, each base64url without padding, joined by dots. Not API.
 *
 * <p>Thread-safe: static methods; a {@link Signature} is used by one thread at a time.
 */
final class Jws {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Jws() {
    }

    /** The compact serialisation of {@code claims} signed by {@code ed25519} under {@code keyId}. */
    public static String sign(String keyId, UnaryOperator<byte[]> ed25519, Map<String, ?> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "EdDSA");
        header.put("typ", "JWT");
        header.put("kid", keyId);
        String input = B64.encodeToString(FlatJson.writeBytes(header)) + '.'
                + B64.encodeToString(FlatJson.writeBytes(claims));
        return input + '.' + B64.encodeToString(ed25519.apply(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A {@link Signature} ready to sign with {@code key}. */
    public static Signature signing(PrivateKey key) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            return signature;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not an Ed25519 private key", e);
        }
    }

    /** An Ed25519 signature of {@code data} by a {@link #signing} instance. */
    public static byte[] ed25519(Signature signing, byte[] data) {
        try {
            signing.update(data);
            return signing.sign();
        } catch (GeneralSecurityException e) {
            // The key was proven at construction (TokenSigner signs a probe): this cannot happen.
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** base64url without padding. */
    public static String base64Url(byte[] bytes) {
        return B64.encodeToString(bytes);
    }
}
