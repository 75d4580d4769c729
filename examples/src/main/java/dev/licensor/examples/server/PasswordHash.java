package dev.licensor.examples.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for the catalog file's users: PBKDF2-HMAC-SHA256 from the JDK, written as
 * {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>} with a 16-byte random salt and
 * a 32-byte hash. Verification takes the iterations from the stored hash and compares in
 * constant time. {@code java -jar licensor-examples.jar hash-password} prints a new hash.
 *
 * <p>Stateless and thread-safe.
 */
public final class PasswordHash {
    /** Iterations for new hashes (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
    public static final int ITERATIONS = 600_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final int MAX_ITERATIONS = 10_000_000;

    private PasswordHash() {
    }

    /** A new hash of {@code password} with a fresh salt. */
    public static String hash(char[] password) {
        return hash(password, ITERATIONS);
    }

    /** A new hash with the given iterations (tests use fewer). */
    public static String hash(char[] password, int iterations) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations));
    }

    /** Checks that {@code stored} is a well-formed hash; throws {@link IllegalArgumentException} otherwise. */
    public static void checkFormat(String stored) {
        parse(stored);
    }

    /** The iterations of a well-formed hash; throws {@link IllegalArgumentException} otherwise. */
    public static int iterations(String stored) {
        return parse(stored).iterations();
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            throw new IllegalArgumentException("a password hash must look like pbkdf2-sha256$<iterations>$<salt>$<hash>"
                    + " (make one with `java -jar licensor-examples.jar hash-password`)");
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException("password hash iterations must be 1.." + MAX_ITERATIONS);
            }
            Base64.Decoder b64 = Base64.getDecoder();
            return new Parsed(iterations, b64.decode(parts[2]), b64.decode(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("password hash iterations must be a number");
        }
    }

    /** True if {@code password} matches {@code stored}; false for a malformed hash too. */
    public static boolean verify(char[] password, String stored) {
        Parsed p;
        try {
            p = parse(stored);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(p.hash(), derive(password, p.salt(), p.iterations()));
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            // Every Java 17 runtime ships PBKDF2WithHmacSHA256.
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        }
    }

}
