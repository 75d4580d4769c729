package dev.licensor.token.internal;

import dev.licensor.catalog.License;
import dev.licensor.floating.Lease;
import dev.licensor.token.TokenSigner;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the claims of the engine's tokens and signs them; {@link #NONE} when the engine has no
 * signer. The claim names are the wire contract documented in {@code docs/offline.md} and read by
 * {@code licensor-verify}. Times are NumericDate (whole seconds since the epoch), rounded so a
 * token never claims more than the engine granted: expiries down, starts up. Not API.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenIssuer {
    /** The issuer of an engine without a signer: every method answers null. */
    public static final TokenIssuer NONE = new TokenIssuer(null);

    private final TokenSigner signer;

    public TokenIssuer(TokenSigner signer) {
        this.signer = signer;
    }

    /** True when tokens are issued. */
    public boolean enabled() {
        return signer != null;
    }

    /** A signed lease (from check or borrow) of {@code product}, or null without a signer. */
    public String lease(String product, Lease lease, Instant now) {
        if (signer == null) {
            return null;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kind", "lease");
        c.put("product", product);
        c.put("license_id", lease.licenseId());
        c.put("hardware_id", lease.device()); // the device, not the seat key (a user, or device + process)
        c.put("granted_at", down(lease.grantedAt()));
        if (lease.borrowedUntil() != null) {
            c.put("borrowed_until", down(lease.borrowedUntil()));
        }
        c.put("iat", down(now));
        c.put("exp", down(lease.expiresAt()));
        return signer.sign(c);
    }

    /**
     * A signed license file: the license bound to {@code hardwareId}, or null without a signer.
     *
     * @param activatedAt when the device was bound, or null when not known to the caller
     */
    public String licenseFile(License license, String hardwareId, Instant activatedAt, Instant now) {
        if (signer == null) {
            return null;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kind", "license");
        c.put("product", license.product());
        c.put("license_id", license.id());
        c.put("hardware_id", hardwareId);
        c.put("license_type", license.type().name().toLowerCase(Locale.ROOT));
        c.put("max_activations", (long) license.maxActivations());
        c.put("floating_seats", (long) license.floatingSeats());
        c.put("borrow_allowed", license.borrowAllowed());
        if (license.maxConsumptions() > 0) {
            c.put("max_consumptions", license.maxConsumptions());
        }
        if (activatedAt != null) {
            c.put("activated_at", down(activatedAt));
        }
        c.put("iat", down(now));
        if (license.validFrom() != null) {
            c.put("nbf", up(license.validFrom()));
        }
        if (license.validUntil() != null) {
            c.put("exp", down(license.validUntil()));
        }
        return signer.sign(c);
    }

    private static long down(Instant t) {
        return t.getEpochSecond();
    }

    private static long up(Instant t) {
        return t.getNano() == 0 ? t.getEpochSecond() : t.getEpochSecond() + 1;
    }
}
