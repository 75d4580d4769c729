package dev.licensor.examples.server;

import dev.licensor.token.TokenSigner;
import dev.licensor.token.bc.BouncyCastleEd25519;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Loads the Ed25519 key that signs license tokens ({@code /signed/*}, {@code license_token})
 * from a PKCS#8 file, PEM ({@code -----BEGIN PRIVATE KEY-----}, as
 * {@code openssl genpkey -algorithm ed25519} writes it) or DER. The public half is derived from
 * the private key, so one file is enough. Signatures are computed by Bouncy Castle
 * ({@code licensor-token-bc}): the same bytes as the JDK's, many times faster.
 *
 * <p>Stateless and thread-safe.
 */
public final class TokenKeys {
    /** Environment variable naming the key file when {@code --token-key} is not given. */
    public static final String KEY_ENV = "LICENSOR_TOKEN_KEY";
    /** Environment variable holding the key id when {@code --token-key-id} is not given. */
    public static final String KEY_ID_ENV = "LICENSOR_TOKEN_KEY_ID";
    /** The key id prefix of a generated development key (a random suffix follows). */
    public static final String DEVELOPMENT_KEY_ID = "dev";

    private TokenKeys() {
    }

    /**
     * The signer of a PKCS#8 Ed25519 private key file.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if it holds no Ed25519 private key, or the key id is bad
     */
    public static TokenSigner load(Path file, String keyId) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        byte[] der = bytes;
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        if (begin >= 0) {
            int end = text.indexOf("-----END PRIVATE KEY-----", begin);
            if (end < 0) {
                throw new IllegalArgumentException(file + ": the PEM block has no END line");
            }
            try {
                der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": the PEM block is not base64");
            }
        } else if (text.contains("-----BEGIN")) {
            throw new IllegalArgumentException(file + ": expected a PKCS#8 '-----BEGIN PRIVATE KEY-----' block");
        }
        try {
            return fromPkcs8(der, keyId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** The signer of PKCS#8 DER bytes of an Ed25519 private key. */
    static TokenSigner fromPkcs8(byte[] der, String keyId) {
        KeyPair pair;
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            EdECPrivateKey key = (EdECPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(der));
            byte[] seed = key.getBytes().orElseThrow(() -> new IllegalArgumentException("the key has no private bytes"));
            pair = derive(seed);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not a PKCS#8 Ed25519 private key");
        }
        try {
            return BouncyCastleEd25519.fast(TokenSigner.of(keyId, pair));
        } catch (dev.licensor.outcome.LicensingException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /**
     * The key pair of an Ed25519 seed. The JDK has no public "derive the public key" call, but
     * its generator takes the 32-byte private key from the random source it is given (RFC 8032
     * §5.1.5), so a source that returns the seed yields that seed's pair; {@link TokenSigner#of}
     * then proves the halves match with a sign/verify probe.
     */
    private static KeyPair derive(byte[] seed) throws GeneralSecurityException {
        if (seed.length != 32) {
            throw new GeneralSecurityException("an Ed25519 private key is 32 bytes");
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(255, new SecureRandom() {
            @Override
            public void nextBytes(byte[] out) {
                System.arraycopy(seed, 0, out, 0, Math.min(seed.length, out.length));
            }
        });
        return generator.generateKeyPair();
    }

    /**
     * A fresh in-memory development key, id {@value #DEVELOPMENT_KEY_ID}{@code -<8 random hex>}: its
     * tokens die with the process, and a client holding one answers {@code unknown_key} after a
     * restart (not {@code bad_signature}, as one shared id made it).
     */
    public static TokenSigner development() {
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        return BouncyCastleEd25519.fast(
                TokenSigner.generate(DEVELOPMENT_KEY_ID + "-" + java.util.HexFormat.of().formatHex(suffix)));
    }
}
