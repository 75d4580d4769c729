package dev.licensor.examples.server.api;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP request as the wire mapping sees it, independent of any HTTP server: a host builds it
 * from whatever its framework hands over (Jetty, Spring, Javalin, Helidon) and passes it to
 * {@link LicensorApi#handle}.
 *
 * <p>Immutable and thread-safe (the body array is never changed after construction).
 *
 * @param method   the HTTP method, e.g. {@code POST}
 * @param rawPath  the path as sent, still percent-encoded, e.g. {@code /api/v4/check_license}
 * @param rawQuery the query string as sent (no {@code ?}), or null
 * @param headers  request headers, first value per name; names match case-insensitively
 * @param body     the whole body, already bounded by the host ({@link LicensorApi#maxBodyBytes()}); empty for none
 * @param remoteAddress the client's IP address (login throttling per address), or null when unknown
 * @param secure   true when the request came over TLS (the admin page's session cookie is then {@code Secure})
 */
public record ApiRequest(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body,
                         String remoteAddress, boolean secure) {

    /** A request whose client address is not known, not over TLS. */
    public ApiRequest(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {
        this(method, rawPath, rawQuery, headers, body, null, false);
    }

    /** A request not over TLS. */
    public ApiRequest(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body,
                      String remoteAddress) {
        this(method, rawPath, rawQuery, headers, body, remoteAddress, false);
    }

    public ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> {
                if (k != null && v != null) {
                    h.putIfAbsent(k, v);
                }
            });
        }
        headers = Collections.unmodifiableMap(h);
        body = body == null ? new byte[0] : body;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return headers.get(name);
    }
}
