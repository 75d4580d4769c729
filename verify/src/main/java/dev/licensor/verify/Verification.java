package dev.licensor.verify;

/**
 * The answer of {@link LicenseVerifier#verify}: a status, the token's claims once its signature
 * verified (else null), and a short reason for a refusal (empty when valid).
 *
 * <p>Immutable and thread-safe.
 *
 * @param status what the verifier found
 * @param claims the signed claims, or null when the signature was not verified
 * @param detail why it was refused; empty when valid
 */
public record Verification(Status status, Claims claims, String detail) {

    /** True only for {@link Status#VALID}. */
    public boolean isValid() {
        return status == Status.VALID;
    }

    static Verification refused(Status status, Claims claims, String detail) {
        return new Verification(status, claims, detail);
    }
}
