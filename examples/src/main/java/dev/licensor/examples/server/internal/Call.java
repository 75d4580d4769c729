package dev.licensor.examples.server.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.licensor.outcome.Code;
import java.io.IOException;
import java.io.InputStream;
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
 * a body read at most once and never beyond the size limit.
 *
 * <p>Not thread-safe: one exchange is handled by one thread.
 */
public final class Call {
    /** Most bytes of an oversize body read and dropped before answering 413. */
    static final long DISCARD_LIMIT = 1024 * 1024;

    private final HttpExchange exchange;
    private final int maxBody;
    private final List<String> segments;
    private byte[] body;

    Call(HttpExchange exchange, int maxBody) {
        this.exchange = exchange;
        this.maxBody = maxBody;
        this.segments = segments(exchange.getRequestURI().getRawPath());
    }

    /** The path's non-empty segments, percent-decoded; a trailing slash does not matter. */
    static List<String> segments(String rawPath) {
        List<String> result = new ArrayList<>();
        if (rawPath == null) {
            return result;
        }
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                result.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return Collections.unmodifiableList(result);
    }

    public String method() {
        return exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    }

    public List<String> segments() {
        return segments;
    }

    public Headers headers() {
        return exchange.getRequestHeaders();
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The query parameters; a parameter given twice is refused as {@code invalid_request}. */
    public Map<String, String> query() {
        String raw = exchange.getRequestURI().getRawQuery();
        Map<String, String> result = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (result.putIfAbsent(name, value) != null) {
                throw WireException.of(Code.INVALID_REQUEST, "query parameter " + name + " is given more than once");
            }
        }
        return result;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw WireException.of(WireError.MALFORMED_BODY, "the query string has a bad percent-escape");
        }
    }

    /**
     * The body, read once. A declared or actual length over the limit is refused with
     * {@code body_too_large} before the rest is read (the connection is then closed).
     */
    public byte[] body() throws IOException {
        if (body != null) {
            return body;
        }
        String declared = header("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw WireException.of(WireError.MALFORMED_BODY, "Content-Length is not a number");
            }
            if (length > maxBody) {
                discardRest(exchange.getRequestBody());
                throw tooLarge();
            }
        }
        InputStream in = exchange.getRequestBody();
        byte[] read = in.readNBytes(maxBody + 1);
        if (read.length > maxBody) {
            discardRest(in);
            throw tooLarge();
        }
        body = read;
        return body;
    }

    /**
     * Reads and drops up to {@link #DISCARD_LIMIT} more bytes, so that a client still sending an
     * oversize body gets to read the 413 answer instead of a reset connection. Beyond that the
     * connection is simply closed.
     */
    private static void discardRest(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        long left = DISCARD_LIMIT;
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
            left -= n;
        }
    }

    private WireException tooLarge() {
        return WireException.of(WireError.BODY_TOO_LARGE, "the body is larger than " + maxBody + " bytes");
    }

    /** The request's media type without parameters, lower case, or null. */
    public String contentType() {
        String ct = header("Content-Type");
        if (ct == null || ct.isBlank()) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
