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

    private WireException(int status, String key, int number, String message) {
        super(message, null, false, false);
        this.status = status;
        this.key = key;
        this.number = number;
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
