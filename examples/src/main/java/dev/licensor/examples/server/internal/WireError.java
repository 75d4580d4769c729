package dev.licensor.examples.server.internal;

/**
 * Refusals made by the HTTP layer before a request reaches the engine: the wire could not be
 * read, the path or method is unknown, or the caller is not authenticated. Numbers are in the
 * 6xx range, which the engine's {@link dev.licensor.outcome.Code} never uses, so a Commvault
 * {@code errorCode} tells at a glance which layer refused.
 *
 * <p>Immutable and thread-safe.
 */
public enum WireError {
    /** The body is not well-formed JSON or XML, or its top level is not an object. */
    MALFORMED_BODY(400, 600, "malformed_body"),
    /** The body is larger than the server accepts. */
    BODY_TOO_LARGE(413, 601, "body_too_large"),
    /** The {@code Content-Type} is neither JSON nor (where accepted) XML. */
    UNSUPPORTED_MEDIA_TYPE(415, 602, "unsupported_media_type"),
    /** No endpoint has this path. */
    NOT_FOUND(404, 603, "not_found"),
    /** The endpoint exists but not for this method. */
    METHOD_NOT_ALLOWED(405, 604, "method_not_allowed"),
    /** The {@code Authtoken} header is missing or names no known token. */
    UNAUTHORIZED(401, 605, "unauthorized"),
    /** The {@code Date} or {@code Authorization} header is missing or cannot be parsed. */
    AUTHORIZATION_MISSING(401, 606, "authorization_missing"),
    /** The {@code Date} header cannot be parsed or is more than 15 minutes from the server's clock. */
    DATE_NOT_VALID(401, 607, "date_not_valid"),
    /** Unknown API key, unsupported algorithm or header list, or a signature that does not match. */
    SIGNATURE_NOT_VALID(401, 608, "signature_not_valid"),
    /** An unexpected server fault; the server log has the stack trace. */
    INTERNAL_ERROR(500, 609, "internal_error");

    private final int status;
    private final int number;
    private final String key;

    WireError(int status, int number, String key) {
        this.status = status;
        this.number = number;
        this.key = key;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The Commvault-style {@code errorCode}. */
    public int number() {
        return number;
    }

    /** The LicenseSpring-style {@code code}. */
    public String key() {
        return key;
    }
}
