package dev.licensor.token;

/**
 * A raw Ed25519 signature function (RFC 8032, pure Ed25519) bound to one private key: the seam
 * through which a faster implementation than the JDK's replaces the signature inside
 * {@link TokenSigner} ({@link TokenSigner#signingWith}); {@code licensor-token-bc} supplies one on
 * Bouncy Castle. Ed25519 is deterministic, so every correct implementation answers the same 64
 * bytes for the same key and message, and the tokens stay byte-identical.
 *
 * <p>Implementations must be thread-safe: the engine signs on every calling thread at once.
 */
@FunctionalInterface
public interface Ed25519Signing {
    /** The 64-byte Ed25519 signature of {@code message}; never null. */
    byte[] sign(byte[] message);
}
