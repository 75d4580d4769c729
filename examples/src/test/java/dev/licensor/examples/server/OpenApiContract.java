package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a real HTTP exchange against the server's OpenAPI 3.1 document
 * ({@code dev/licensor/examples/server/openapi.json}, the one the server serves): the path and
 * method are documented, every query parameter is declared and the required ones are present,
 * the request's JSON body and the response's JSON body validate against their schemas (draft
 * 2020-12 with the OpenAPI 3.1 dialect, by networknt's json-schema-validator), and the status is
 * one the operation lists (or its {@code default}). XML bodies are checked for a declared media
 * type only. So the document cannot drift from what the server does without a test failing.
 *
 * <p>Thread-safe.
 */
final class OpenApiContract {
    static final String RESOURCE = "dev/licensor/examples/server/openapi.json";
    private static final String DOC = "classpath:" + RESOURCE;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode OPENAPI = load();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.metaSchema(OpenApi31.getInstance()).defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private OpenApiContract() {
    }

    private static JsonNode load() {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE).isNotNull();
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document, as parsed. */
    static JsonNode document() {
        return OPENAPI;
    }

    /** The documented path template matching {@code path} (segments compared exactly, then case-insensitively), or null. */
    static String template(String path) {
        List<String> segs = segments(path);
        for (boolean ignoreCase : new boolean[] {false, true}) {
            for (Map.Entry<String, JsonNode> entry : OPENAPI.get("paths").properties()) {
                String t = entry.getKey();
                List<String> ts = segments(t);
                if (ts.size() != segs.size()) {
                    continue;
                }
                boolean match = true;
                for (int i = 0; i < ts.size() && match; i++) {
                    String a = ts.get(i);
                    match = a.startsWith("{") || (ignoreCase ? a.equalsIgnoreCase(segs.get(i)) : a.equals(segs.get(i)));
                }
                if (match && (!ignoreCase || t.startsWith("/commandcenter/"))) {
                    return t;
                }
            }
        }
        return null;
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Asserts that the exchange is the document's.
     *
     * @param requestBody the JSON (or XML) text the request sent, or null
     */
    static void assertValid(HttpRequest request, String requestBody, HttpResponse<String> response) {
        String method = request.method().toLowerCase(Locale.ROOT);
        String path = request.uri().getRawPath();
        String where = request.method() + " " + request.uri() + " -> " + response.statusCode() + " " + response.body();
        String t = template(path);
        assertThat(t).as("documented path for %s", where).isNotNull();
        JsonNode op = OPENAPI.get("paths").get(t).get(method);
        if (op == null && response.statusCode() == 405) {
            return; // a method the path does not take: the server's 405, in the documented error format
        }
        assertThat(op).as("documented method for %s", where).isNotNull();

        // query parameters: declared, and the required ones present
        Set<String> declared = new java.util.HashSet<>();
        List<String> required = new ArrayList<>();
        for (JsonNode p : op.path("parameters")) {
            if (p.get("in").asText().equals("query")) {
                declared.add(p.get("name").asText());
                if (p.path("required").asBoolean()) {
                    required.add(p.get("name").asText());
                }
            }
        }
        List<String> sent = new ArrayList<>();
        String query = request.uri().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
                assertThat(declared).as("query parameter %s declared for %s", name, where).contains(name);
                sent.add(name);
            }
        }
        if (response.statusCode() < 400) {
            assertThat(sent).as("required query parameters of %s", where).containsAll(required);
        }

        // the request body
        String requestType = request.headers().firstValue("Content-Type").orElse("");
        if (requestBody != null && !requestBody.isEmpty() && requestType.contains("json") && op.has("requestBody")
                && response.statusCode() < 400) {
            JsonNode schema = op.get("requestBody").get("content").path("application/json").get("schema");
            assertThat(schema).as("a JSON request body is documented for %s", where).isNotNull();
            validate(schema, parse(requestBody, where), "request of " + where);
        }

        // the status and the answer
        JsonNode responses = op.get("responses");
        JsonNode declaredResponse = responses.get(String.valueOf(response.statusCode()));
        if (declaredResponse == null) {
            declaredResponse = responses.get(response.statusCode() / 100 + "XX");
        }
        if (declaredResponse == null) {
            declaredResponse = responses.get("default");
        }
        assertThat(declaredResponse).as("status documented for %s", where).isNotNull();
        String type = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        JsonNode content = declaredResponse.get("content");
        if (response.body().isEmpty()) {
            assertThat(content).as("an empty answer is documented as such for %s", where).isNull();
            return;
        }
        assertThat(content).as("answer documented for %s", where).isNotNull();
        assertThat(content.has(type)).as("media type %s documented for %s (%s)", type, where, content).isTrue();
        if (type.endsWith("json")) {
            validate(content.get(type).get("schema"), parse(response.body(), where), "answer of " + where);
        }
    }

    private static JsonNode parse(String text, String where) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + where, e);
        }
    }

    /** What is wrong with {@code value} against the component schema {@code name} (empty if nothing). */
    static Set<ValidationMessage> violations(String name, JsonNode value) {
        return schema(JSON.createObjectNode().put("$ref", "#/components/schemas/" + name)).validate(value);
    }

    private static JsonSchema schema(JsonNode schema) {
        return SCHEMAS.computeIfAbsent(schema.toString(), k -> FACTORY.getSchema(
                SchemaLocation.of("urn:licensor:exchange:" + Integer.toHexString(k.hashCode())), absolute(schema.deepCopy())));
    }

    private static void validate(JsonNode schema, JsonNode value, String where) {
        Set<ValidationMessage> errors = schema(schema).validate(value);
        assertThat(errors).as("%s against %s", where, schema).isEmpty();
    }

    /** The schema with its {@code #/...} references made absolute, into the document. */
    private static JsonNode absolute(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#")) {
                o.set("$ref", new TextNode(DOC + ref.asText()));
            }
            o.forEach(OpenApiContract::absolute);
        } else if (node.isArray()) {
            node.forEach(OpenApiContract::absolute);
        }
        return node;
    }
}
