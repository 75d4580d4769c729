package dev.licensor.examples.server.api;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What the server sends back: status, content type (null for no body), body and extra headers.
 *
 * <p>Immutable and thread-safe (the body array is never changed after construction).
 *
 * @param status      HTTP status
 * @param contentType media type of the body, or null when the body is empty
 * @param body        the body bytes, empty for none
 * @param headers     extra response headers
 */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json";
    public static final String XML = "application/xml";

    public Reply {
        headers = Map.copyOf(headers);
    }

    /** A UTF-8 text body of the given media type. */
    public static Reply of(int status, String contentType, String body) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A status with an empty body. */
    public static Reply empty(int status) {
        return new Reply(status, null, new byte[0], Map.of());
    }

    /** This reply with one more header. */
    public Reply withHeader(String name, String value) {
        Map<String, String> h = new HashMap<>(headers);
        h.put(name, value);
        return new Reply(status, contentType, body, h);
    }
}
