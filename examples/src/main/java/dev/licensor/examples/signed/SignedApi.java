package dev.licensor.examples.signed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.token.TokenSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * The signed-token endpoints of the example server, independent of any HTTP server (mount it
 * with {@link SignedHttpHandler}, or call {@link #handle} from the framework a host runs):
 * <ul>
 *   <li>{@code GET  /signed/keys}: the published public keys, a JWK Set;</li>
 *   <li>{@code POST /signed/check}: {@code {product, license_key | username, hardware_id}} →
 *       {@code {"token": …}}, a signed lease (a license file for a non-floating license);</li>
 *   <li>{@code POST /signed/borrow}: the same plus optional {@code borrowed_until} (ISO-8601) →
 *       {@code {"token": …}}, a signed borrowed lease;</li>
 *   <li>{@code POST /signed/offline_activation}: {@code {"request": …}} from
 *       {@code ActivationRequests.encode} → {@code {"license_file": …}}.</li>
 * </ul>
 * Failures are {@code {"status", "code", "message"}} with HTTP 400 (500 for
 * {@code store_failure}), 404 for an unknown path, 405 for a wrong method. Authentication is the
 * host's: put the device calls behind its device auth and offline activation behind its admin
 * auth.
 *
 * <p>Thread-safe.
 */
public final class SignedApi {
    /** The path prefix this API owns. */
    public static final String PREFIX = "/signed/";
    private static final int MAX_BODY = 16 * 1024;
    private static final Set<String> DEVICE_FIELDS = Set.of("product", "license_key", "username", "hardware_id", "borrowed_until");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Licensor licensor;
    private final TokenSigner signer;

    /** The API over an engine built with {@code signer}. */
    public SignedApi(Licensor licensor, TokenSigner signer) {
        this.licensor = licensor;
        this.signer = signer;
        licensor.offline(); // fails fast if the engine has no signer
    }

    /**
     * An HTTP answer.
     *
     * @param status      HTTP status
     * @param contentType media type of {@code body}
     * @param body        the bytes to send
     */
    public record Answer(int status, String contentType, byte[] body) {
    }

    /** True for paths this API answers. */
    public static boolean owns(String path) {
        return path != null && path.startsWith(PREFIX);
    }

    /** Answers one request; never throws. */
    public Answer handle(String method, String path, byte[] body) {
        String op = owns(path) ? path.substring(PREFIX.length()) : "";
        String want = switch (op) {
            case "keys" -> "GET";
            case "check", "borrow", "offline_activation" -> "POST";
            default -> null;
        };
        if (want == null) {
            return error(404, "not_found", "no endpoint " + path);
        }
        if (!want.equals(method)) {
            return error(405, "method_not_allowed", path + " takes " + want);
        }
        if (op.equals("keys")) {
            return new Answer(200, "application/jwk-set+json", signer.jwks().getBytes(StandardCharsets.UTF_8));
        }
        JsonNode fields;
        try {
            fields = object(body);
        } catch (IllegalArgumentException e) {
            return error(400, Code.INVALID_REQUEST.key(), e.getMessage());
        }
        return switch (op) {
            case "check" -> device(fields, false);
            case "borrow" -> device(fields, true);
            default -> offline(fields);
        };
    }

    private Answer device(JsonNode f, boolean borrow) {
        for (Iterator<String> names = f.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!DEVICE_FIELDS.contains(name) || (!borrow && name.equals("borrowed_until"))) {
                return error(400, Code.INVALID_REQUEST.key(), "unknown field " + name);
            }
        }
        DeviceRequest request;
        Instant until = null;
        try {
            request = new DeviceRequest(text(f, "product"), text(f, "license_key"), text(f, "username"), null,
                    text(f, "hardware_id"));
            String end = text(f, "borrowed_until");
            until = end == null ? null : Instant.parse(end);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return error(400, Code.INVALID_REQUEST.key(), e.getMessage());
        }
        Outcome<?> o = borrow ? licensor.floating().borrow(request, until) : licensor.floating().check(request);
        return answer(o, "token");
    }

    private Answer offline(JsonNode f) {
        if (f.size() != 1 || !f.has("request")) {
            return error(400, Code.INVALID_REQUEST.key(), "send {\"request\": \"...\"}");
        }
        String request;
        try {
            request = text(f, "request");
        } catch (IllegalArgumentException e) {
            return error(400, Code.INVALID_REQUEST.key(), e.getMessage());
        }
        return answer(licensor.offline().activate(request), "license_file");
    }

    private static Answer answer(Outcome<?> o, String field) {
        if (!o.isSuccess()) {
            return error(o.code() == Code.STORE_FAILURE ? 500 : 400, o.code().key(), o.message());
        }
        ObjectNode out = JSON.createObjectNode();
        out.put(field, o.token());
        return json(200, out);
    }

    private static JsonNode object(byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_BODY) {
            throw new IllegalArgumentException("send a JSON object of at most " + MAX_BODY + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
    }

    private static String text(JsonNode f, String name) {
        JsonNode v = f.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(name + " must be a string");
        }
        return v.asText();
    }

    private static Answer error(int status, String code, String message) {
        ObjectNode out = JSON.createObjectNode();
        out.put("status", status);
        out.put("code", code);
        out.put("message", message == null ? "" : message);
        return json(status, out);
    }

    private static Answer json(int status, ObjectNode node) {
        try {
            return new Answer(status, "application/json", JSON.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
