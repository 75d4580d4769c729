package dev.licensor.examples.server.internal;

/**
 * A request refused while it was being read or authenticated, carrying everything each wire
 * format needs to render it: HTTP status, string code and numeric code.
 *
 * <p>Immutable and thread-safe.
 */
public final class WireException extends RuntimeException {
    private final int status;
    private final String key;
    private final int number;
    private final long retryAfter;

    private WireException(int status, String key, int number, String message) {
        this(status, key, number, message, 0);
    }

    private WireException(int status, String key, int number, String message, long retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.key = key;
        this.number = number;
        this.retryAfter = retryAfter;
    }

    /** A 429 whose answer says when to try again ({@code Retry-After}, seconds). */
    public static WireException tooMany(String message, long retryAfterSeconds) {
        WireError e = WireError.TOO_MANY_REQUESTS;
        return new WireException(e.status(), e.key(), e.number(), message, Math.max(1, retryAfterSeconds));
    }

    /** Seconds for a {@code Retry-After} header, or 0 for none. */
    public long retryAfter() {
        return retryAfter;
    }

    /** A transport-level refusal. */
    public static WireException of(WireError error, String message) {
        return new WireException(error.status(), error.key(), error.number(), message);
    }

    /** A request-shape refusal with one of the engine's codes (HTTP 400); used by the catalog file and admin views. */
    public static WireException of(dev.licensor.outcome.Code code, String message) {
        return new WireException(400, code.key(), code.number(), message);
    }

    /** A vendor-specific refusal (e.g. a LicenseSpring auth code). */
    public static WireException of(int status, String key, int number, String message) {
        return new WireException(status, key, number, message);
    }

    public int status() {
        return status;
    }

    public String key() {
        return key;
    }

    public int number() {
        return number;
    }
}
