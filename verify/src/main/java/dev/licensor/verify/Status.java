package dev.licensor.verify;

/**
 * Every answer of {@link LicenseVerifier#verify}: {@link #VALID} or why not.
 *
 * <p>Immutable and thread-safe.
 */
public enum Status {
    /** Signed by a trusted key, for this product and device, within its validity. */
    VALID,
    /** Past its {@code exp} by more than the tolerance. */
    EXPIRED,
    /** Before its {@code nbf} by more than the tolerance. */
    NOT_YET_VALID,
    /** Issued to another hardware id. */
    WRONG_DEVICE,
    /**
     * A kind of token the product does not accept ({@link LicenseVerifier.Builder#kinds}), or a
     * license file of a floating license (it would grant offline what only a seat grants).
     */
    WRONG_KIND,
    /** Issued for another product. */
    WRONG_PRODUCT,
    /** The signature does not verify, or the token asks for an algorithm other than EdDSA. */
    BAD_SIGNATURE,
    /** The key id is not among the trusted keys. */
    UNKNOWN_KEY,
    /**
     * The local clock is earlier (beyond the tolerance) than a time already trusted: a token's
     * issue time or an earlier check; or the guard's state file was altered or cannot be kept.
     */
    CLOCK_TAMPERED,
    /** Not a token this verifier can read. */
    MALFORMED;

    /** The snake_case name, e.g. {@code clock_tampered}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
