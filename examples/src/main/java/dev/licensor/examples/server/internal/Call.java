package dev.licensor.examples.server.internal;

import dev.licensor.examples.server.api.ApiRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as the APIs see it: method, decoded path segments, query parameters, headers and
 * the body (already bounded by the host). Decoding problems are refused as
 * {@link WireError#MALFORMED_URL}.
 *
 * <p>Immutable after construction; one call is handled by one thread.
 */
public final class Call {
    private final ApiRequest request;
    private final List<String> segments;
    private final Map<String, String> query;

    /** Decodes the path and query at once, so a malformed URL is refused before anything else. */
    public Call(ApiRequest request) {
        this.request = request;
        this.segments = segments(request.rawPath());
        this.query = Collections.unmodifiableMap(parseQuery(request.rawQuery()));
    }

    /** The path's non-empty segments, percent-decoded; a trailing slash does not matter. */
    public static List<String> segments(String rawPath) {
        List<String> result = new ArrayList<>();
        if (rawPath == null) {
            return result;
        }
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                result.add(decode(s.replace("+", "%2B"), "path"));
            }
        }
        return Collections.unmodifiableList(result);
    }

    /** The client's address as the host saw it, or null when the host does not say. */
    public String remoteAddress() {
        return request.remoteAddress();
    }

    /** True when the request came over TLS. */
    public boolean secure() {
        return request.secure();
    }

    public String method() {
        return request.method().toUpperCase(Locale.ROOT);
    }

    public List<String> segments() {
        return segments;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return request.header(name);
    }

    /** The query parameters. */
    public Map<String, String> query() {
        return query;
    }

    /**
     * The fields of an {@code application/x-www-form-urlencoded} body (an HTML form's POST), decoded
     * as a query string is; a field given twice or a bad percent-escape is {@link WireError#MALFORMED_URL}.
     */
    public static Map<String, String> form(byte[] body) {
        return Collections.unmodifiableMap(parseQuery(new String(body, StandardCharsets.UTF_8)));
    }

    /** The query parameters; a parameter given twice is refused. */
    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> result = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), "query string");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "query string");
            if (result.putIfAbsent(name, value) != null) {
                throw WireException.of(WireError.MALFORMED_URL, "query parameter " + name + " is given more than once");
            }
        }
        return result;
    }

    private static String decode(String s, String where) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw WireException.of(WireError.MALFORMED_URL, "the " + where + " has a bad percent-escape");
        }
    }

    /** The body (empty for none). */
    public byte[] body() {
        return request.body();
    }

    /** The request's media type without parameters, lower case, or null. */
    public String contentType() {
        return mediaType(header("Content-Type"));
    }

    /** A media type without parameters, lower case, or null. */
    public static String mediaType(String ct) {
        if (ct == null || ct.isBlank()) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
