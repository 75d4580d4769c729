package dev.licensor;

import dev.licensor.json.internal.FlatJson;
import dev.licensor.catalog.License;
import dev.licensor.floating.Lease;
import dev.licensor.outcome.Outcome;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds the claims of the engine's tokens and signs them; {@link #NONE} when the engine has no
 * signer. The claim names are the wire contract documented in {@code docs/offline.md} and read by
 * {@code licensor-verify}. Times are NumericDate (whole seconds since the epoch), rounded so a
 * token never claims more than the engine granted: expiries down, starts up. Not API.
 *
 * <p><b>Lease reuse</b> (signing less, {@code docs/offline.md#reusing-a-lease-token}): a lease
 * token already issued for the same seat is answered again instead of a new signature when
 * <ol>
 *   <li>its claims other than {@code iat} and {@code exp} are the ones a new token would carry
 *       (product, license, device, {@code granted_at}, {@code borrowed_until}; same key);</li>
 *   <li>its {@code exp} is at or before the lease's expiry now: it never claims more than the
 *       lease holds;</li>
 *   <li>its {@code iat} is not after now (the engine's clock did not go back past it);</li>
 *   <li>its remaining life ({@code exp} − now) is at least {@link #REUSE_NUMERATOR}/{@link
 *       #REUSE_DENOMINATOR} of a new token's.</li>
 * </ol>
 * So a device refreshing every few seconds gets one new signature per half of its refresh
 * timeout. At most {@link #REMEMBERED} seats are remembered (size-bounded, no timer); a forgotten
 * seat only costs one signature.
 *
 * <p>Thread-safe. Racing checks of one seat may each sign; every answer obeys the rules above.
 */
final class TokenIssuer {
    /** The issuer of an engine without a signer: every method answers null. */
    public static final TokenIssuer NONE = new TokenIssuer(null);
    /**
     * A token is reused while its remaining life is at least half a new one's: a device that
     * refreshes every few seconds holds a token good for at least half its refresh timeout, and
     * the engine signs once per half timeout per seat instead of on every check.
     */
    static final long REUSE_NUMERATOR = 1;
    static final long REUSE_DENOMINATOR = 2;
    /** Seats whose last lease token is remembered (about 0.5 KiB each). */
    static final int REMEMBERED = 1 << 16;

    private final TokenSigner signer;
    /** The last lease token per seat; entries are values checked against the lease on every use. */
    private final Cache<Seat, Issued> leases;

    TokenIssuer(TokenSigner signer) {
        this.signer = signer;
        // No expiry timer: time comes from the engine's clock, and the rule reads it on each use.
        this.leases = signer == null ? null
                : Caffeine.newBuilder().maximumSize(REMEMBERED).executor(Runnable::run).build();
    }

    /** Identifies a seat: a device's lease on a license of a product. */
    private record Seat(String product, long licenseId, String hardwareId) {
    }

    /** A lease token as issued, with the claims the reuse rule compares. */
    private record Issued(String token, String device, long grantedAt, Long borrowedUntil, long issuedAt,
                          long expiresAt) {
    }

    /** True when tokens are issued. */
    public boolean enabled() {
        return signer != null;
    }

    /**
     * Adds a signed token to a success (outside the store unit: signing holds no lock). The
     * token's issue time is the engine's clock ({@code now}), read after the unit committed.
     *
     * @param outcome the unit's answer
     * @param value   the caller's value, from the unit's
     * @param token   the token for the unit's value at an issue time, or null for none
     * @param now     the engine's clock
     * @return {@code outcome} mapped by {@code value}, carrying the token if one was signed
     */
    <T, R> Outcome<R> signed(Outcome<T> outcome, Function<T, R> value, BiFunction<T, Instant, String> token,
                             Supplier<Instant> now) {
        if (!(outcome instanceof Outcome.Success<T> ok)) {
            return outcome.map(value);
        }
        R result = value.apply(ok.value());
        String signed = enabled() ? token.apply(ok.value(), now.get()) : null;
        return signed != null ? Outcome.success(result, signed) : Outcome.success(result);
    }

    /**
     * A signed lease (from check or borrow) of {@code product}, or null without a signer: the
     * seat's last token when the reuse rule allows it (see the class comment), else a new one.
     */
    public String lease(String product, Lease lease, Instant now) {
        if (signer == null) {
            return null;
        }
        long grantedAt = down(lease.grantedAt());
        Long borrowedUntil = lease.borrowedUntil() == null ? null : down(lease.borrowedUntil());
        long issuedAt = down(now);
        long expiresAt = down(lease.expiresAt());
        Seat seat = new Seat(product, lease.licenseId(), lease.hardwareId());
        Issued last = leases.getIfPresent(seat);
        // a per-user seat may move to another device of the user: the token names the device
        if (last != null && last.device().equals(lease.device())
                && reusable(last, grantedAt, borrowedUntil, issuedAt, expiresAt)) {
            return last.token();
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kind", "lease");
        c.put("product", product);
        c.put("license_id", lease.licenseId());
        c.put("hardware_id", lease.device()); // the device, not the seat key (a user, or device + process)
        c.put("granted_at", grantedAt);
        if (borrowedUntil != null) {
            c.put("borrowed_until", borrowedUntil);
        }
        c.put("iat", issuedAt);
        c.put("exp", expiresAt);
        String token = signer.sign(c);
        leases.put(seat, new Issued(token, lease.device(), grantedAt, borrowedUntil, issuedAt, expiresAt));
        return token;
    }

    /** The reuse rule: same claims but iat and exp, never more than the lease, long enough to live. */
    private static boolean reusable(Issued last, long grantedAt, Long borrowedUntil, long now, long expiresAt) {
        long remaining = last.expiresAt() - now;
        long fresh = expiresAt - now;
        return last.grantedAt() == grantedAt
                && Objects.equals(last.borrowedUntil(), borrowedUntil)
                && last.expiresAt() <= expiresAt
                && last.issuedAt() <= now
                && remaining > 0
                && remaining * REUSE_DENOMINATOR >= fresh * REUSE_NUMERATOR;
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
