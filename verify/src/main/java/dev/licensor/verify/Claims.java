package dev.licensor.verify;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signed claims of a token: a lease ({@code kind} {@code lease}, from check or borrow) or a
 * license file ({@code kind} {@code license}, from activation). Typed accessors for the claims
 * every token has; {@link #values()} for the rest (String, Long or Boolean values).
 *
 * <p>Immutable and thread-safe.
 *
 * @param values every claim in token order, unmodifiable
 */
public record Claims(Map<String, Object> values) {

    public Claims {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** {@code lease} or {@code license}. */
    public String kind() {
        return (String) values.get("kind");
    }

    /** The product code. */
    public String product() {
        return (String) values.get("product");
    }

    /** The license's id on the vendor's server. */
    public long licenseId() {
        return (Long) values.get("license_id");
    }

    /** The device the token is bound to. */
    public String hardwareId() {
        return (String) values.get("hardware_id");
    }

    /** When it was signed ({@code iat}). */
    public Instant issuedAt() {
        return Instant.ofEpochSecond((Long) values.get("iat"));
    }

    /** When it starts ({@code nbf}), or null for "since issue". */
    public Instant notBefore() {
        return time("nbf");
    }

    /** When it ends ({@code exp}), or null for never. */
    public Instant expiresAt() {
        return time("exp");
    }

    /** A NumericDate claim as an instant, or null if absent. */
    public Instant time(String name) {
        Object v = values.get(name);
        return v instanceof Long seconds ? Instant.ofEpochSecond(seconds) : null;
    }
}
