package dev.licensor.token.internal;

import dev.licensor.catalog.License;
import dev.licensor.floating.Lease;
import dev.licensor.token.TokenSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
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

    /**
     * The claims of a token this engine signed (under any key its signer publishes), or null for
     * anything else: no signer, not a canonical compact JWS, another algorithm, an unknown key
     * id, a signature that does not verify, claims that are not a flat object. Used to check a
     * returned borrow; never throws.
     */
    public Map<String, Object> readOwn(String token) {
        if (signer == null || token == null || token.length() > FlatJson.MAX_BYTES) {
            return null;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            Map<String, Object> header = FlatJson.parse(canonical(parts[0]));
            PublicKey key = header.get("kid") instanceof String kid ? signer.publishedKeys().get(kid) : null;
            if (key == null || !"EdDSA".equals(header.get("alg"))) {
                return null;
            }
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update((parts[0] + '.' + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(canonical(parts[2])) ? FlatJson.parse(canonical(parts[1])) : null;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The bytes of a canonical base64url part (no padding); IllegalArgumentException otherwise. */
    private static byte[] canonical(String part) {
        byte[] bytes = Base64.getUrlDecoder().decode(part);
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)) {
            throw new IllegalArgumentException("not canonical base64url");
        }
        return bytes;
    }

    /** The NumericDate a token carries for {@code t} when it is an expiry or end (rounded down). */
    public static long seconds(Instant t) {
        return down(t);
    }

    private static long down(Instant t) {
        return t.getEpochSecond();
    }

    private static long up(Instant t) {
        return t.getNano() == 0 ? t.getEpochSecond() : t.getEpochSecond() + 1;
    }
}
