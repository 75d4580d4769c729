package dev.licensor.examples.server.internal;

/**
 * Refusals made by the HTTP layer before a request reaches the engine: the wire could not be
 * read, the path or method is unknown, the caller is not authenticated, or the connection
 * misbehaved. Numbers are in the 6xx range, which the engine's {@link dev.licensor.outcome.Code}
 * never uses, so a Commvault {@code errorCode} tells at a glance which layer refused; each number
 * always comes with the same HTTP status.
 *
 * <p>Immutable and thread-safe.
 */
public enum WireError {
    /** The body is not well-formed JSON or XML, or a field has the wrong type or shape. */
    MALFORMED_BODY(400, 600, "malformed_body"),
    /** The body is larger than the server accepts. */
    BODY_TOO_LARGE(413, 601, "body_too_large"),
    /** The {@code Content-Type} is neither JSON nor (where accepted) XML. */
    UNSUPPORTED_MEDIA_TYPE(415, 602, "unsupported_media_type"),
    /** No endpoint has this path. */
    NOT_FOUND(404, 603, "not_found"),
    /** The endpoint exists but not for this method. */
    METHOD_NOT_ALLOWED(405, 604, "method_not_allowed"),
    /** The {@code Authtoken} header is missing or names no known (or live) token, or a login failed. */
    UNAUTHORIZED(401, 605, "unauthorized"),
    /** An unexpected server fault; the server log has the stack trace. */
    INTERNAL_ERROR(500, 609, "internal_error"),
    /** The URL (path or query) cannot be decoded: a bad percent-escape, a repeated parameter, a bad number. */
    MALFORMED_URL(400, 610, "malformed_url"),
    /** The request line or headers are larger than the server accepts. */
    HEADERS_TOO_LARGE(431, 611, "headers_too_large"),
    /** The request was not received in time. */
    REQUEST_TIMEOUT(408, 612, "request_timeout"),
    /** The server is overloaded or stopping. */
    UNAVAILABLE(503, 613, "service_unavailable"),
    /** The HTTP message itself is malformed (bad request line, bad header). */
    BAD_MESSAGE(400, 614, "bad_message"),
    /** The request line names an HTTP version the server does not speak (HTTP/0.9, HTTP/1.2, ...). */
    HTTP_VERSION_NOT_SUPPORTED(505, 615, "http_version_not_supported"),
    /** Too many failed logins for this user or address, or too many logins at once; see {@code Retry-After}. */
    TOO_MANY_REQUESTS(429, 616, "too_many_requests"),
    /** The {@code Host} header names a host this server does not answer for (DNS rebinding). */
    MISDIRECTED_REQUEST(421, 617, "misdirected_request");

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

    /** The refusal for an HTTP status the server itself produced (bad message, oversize header, ...). */
    public static WireError forStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 408 -> REQUEST_TIMEOUT;
            case 413 -> BODY_TOO_LARGE;
            case 414, 400 -> status == 414 ? MALFORMED_URL : BAD_MESSAGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 421 -> MISDIRECTED_REQUEST;
            case 429 -> TOO_MANY_REQUESTS;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> UNAVAILABLE;
            case 505 -> HTTP_VERSION_NOT_SUPPORTED; // the client's fault, not a server fault
            default -> status >= 500 ? INTERNAL_ERROR : BAD_MESSAGE;
        };
    }
}
