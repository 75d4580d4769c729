package dev.licensor.token.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compact JWS with {@code alg: EdDSA} (RFC 7515, RFC 8037): header, claims and Ed25519
 * signature, each base64url without padding, joined by dots. Not API.
 *
 * <p>Thread-safe: a new {@link Signature} per call (the JDK's is not thread-safe, and its
 * lookup costs little beside an Ed25519 signature).
 */
public final class Jws {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Jws() {
    }

    /** The compact serialisation of {@code claims} signed by {@code key} under {@code keyId}. */
    public static String sign(String keyId, PrivateKey key, Map<String, ?> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "EdDSA");
        header.put("typ", "JWT");
        header.put("kid", keyId);
        String input = B64.encodeToString(FlatJson.writeBytes(header)) + '.'
                + B64.encodeToString(FlatJson.writeBytes(claims));
        return input + '.' + B64.encodeToString(ed25519(key, input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** An Ed25519 signature of {@code data}. */
    public static byte[] ed25519(PrivateKey key, byte[] data) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
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
