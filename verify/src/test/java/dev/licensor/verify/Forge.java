package dev.licensor.verify;

import dev.licensor.token.TokenSigner;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Builds tokens by hand, byte for byte, for the cases the engine never issues. */
final class Forge {
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Forge() {
    }

    static String b64(String s) {
        return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String json(String token, int part) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[part]), StandardCharsets.UTF_8);
    }

    /** header.payload signed with the signer's private key, whatever the JSON says. */
    static String signed(TokenSigner signer, String headerJson, String payloadJson) {
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(signer.privateKeyPkcs8()));
            String input = b64(headerJson) + "." + b64(payloadJson);
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
