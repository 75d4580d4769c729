package dev.licensor.examples.server.internal;

import com.ctc.wstx.api.WstxInputProperties;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import dev.licensor.examples.server.api.Reply;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.stream.XMLInputFactory;

/**
 * The server's JSON and XML mappers, configured once, and the one place bodies are bound to DTO
 * records and DTOs written back. XML parsing refuses DTDs and external entities (no XXE, no
 * entity expansion bombs); both formats cap nesting depth at {@value #MAX_DEPTH} (Woodstox's
 * element-depth limit for XML, Jackson's stream constraint for JSON). A body that cannot be bound
 * (not well-formed, wrong type, too deep) is refused as {@link WireError#MALFORMED_BODY} naming
 * the field.
 *
 * <p>Thread-safe: the mappers are immutable after construction.
 */
public final class Bodies {
    /** Deepest nesting accepted in a body; the wire formats need four levels. */
    public static final int MAX_DEPTH = 32;

    /** JSON is typed: a number is never read from a string or a fraction, a string never from a number. */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .build();
    private static final XmlMapper XML = xmlMapper();

    private Bodies() {
    }

    private static XmlMapper xmlMapper() {
        // Woodstox (jackson-dataformat-xml's parser) through the StAX lookup.
        XMLInputFactory input = XMLInputFactory.newFactory();
        input.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        input.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        input.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, MAX_DEPTH);
        XmlFactory factory = XmlFactory.builder().xmlInputFactory(input)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .build();
        return XmlMapper.builder(factory)
                .defaultUseWrapper(false)
                .addMixIn(CommvaultWire.GenericResp.class, CommvaultWire.GenericRespXmlOrder.class)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** The shared JSON mapper (for the catalog file and admin views). */
    public static ObjectMapper json() {
        return JSON;
    }

    /** True for {@code application/json} and {@code +json} types. */
    static boolean isJson(String mediaType) {
        return mediaType != null && (mediaType.equals("application/json") || mediaType.endsWith("+json"));
    }

    /** True for {@code application/xml}, {@code text/xml} and {@code +xml} types. */
    static boolean isXml(String mediaType) {
        return mediaType != null && (mediaType.equals("application/xml") || mediaType.equals("text/xml")
                || mediaType.endsWith("+xml"));
    }

    /** Parses a JSON body whose top level must be an object (the catalog file). */
    public static JsonNode parseJson(byte[] body) {
        JsonNode node = read(JSON.readerFor(JsonNode.class), body, "JSON");
        if (node == null || !node.isObject()) {
            throw WireException.of(WireError.MALFORMED_BODY, "the body's top level must be a JSON object");
        }
        return node;
    }

    /** Binds a JSON or XML body to a DTO record. */
    static <T> T bind(byte[] body, boolean xml, Class<T> type) {
        return bind((xml ? XML : JSON).readerFor(type), body, xml);
    }

    /** Binds a JSON body to a DTO record, refusing fields the record does not have. */
    static <T> T bindStrict(byte[] body, Class<T> type) {
        return bind(JSON.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES), body, false);
    }

    @SuppressWarnings("TypeParameterUnusedInFormals") // T is the type the reader was made for
    private static <T> T bind(ObjectReader reader, byte[] body, boolean xml) {
        T value = read(reader, body, xml ? "XML" : "JSON");
        if (value == null) {
            throw WireException.of(WireError.MALFORMED_BODY, "the body must be a " + (xml ? "XML element" : "JSON object"));
        }
        return value;
    }

    @SuppressWarnings("TypeParameterUnusedInFormals") // T is the type the reader was made for
    private static <T> T read(ObjectReader reader, byte[] body, String format) {
        if (body.length == 0) {
            throw WireException.of(WireError.MALFORMED_BODY, "the body is empty; a " + format + " object is required");
        }
        try {
            return reader.readValue(body);
        } catch (JsonMappingException e) {
            // Field names only: Jackson's own message names internal classes and its settings.
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw WireException.of(WireError.MALFORMED_BODY, mappingProblem(e, path.isEmpty() ? "the body" : path, format));
        } catch (JsonProcessingException e) {
            throw WireException.of(WireError.MALFORMED_BODY, "the body is not well-formed " + format + ": "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw WireException.of(WireError.MALFORMED_BODY, "the body could not be read as " + format);
        } catch (RuntimeException e) {
            // Woodstox reports some refusals (e.g. an undeclared entity, too deep) as unchecked exceptions.
            throw WireException.of(WireError.MALFORMED_BODY, "the body is not acceptable " + format + ": "
                    + firstLine(e.getMessage()));
        }
    }

    /** What is wrong with a body that parsed but does not fit the DTO, in the wire's own terms. */
    static String mappingProblem(JsonMappingException e, String path, String format) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            java.util.List<String> known = u.getKnownPropertyIds() == null ? java.util.List.of()
                    : u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return "unknown field " + u.getPropertyName() + (known.isEmpty() ? "" : "; the fields are " + String.join(", ", known));
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
            return path + " must be " + kind(m.getTargetType());
        }
        return path + " cannot be read as " + format;
    }

    private static String kind(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != void.class)) {
            return "a number";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    /** A DTO written as JSON or XML (the XML root element is the DTO's {@code @JacksonXmlRootElement}). */
    public static Reply write(int status, Object dto, boolean xml) {
        try {
            return new Reply(status, xml ? Reply.XML : Reply.JSON,
                    xml ? XML.writeValueAsBytes(dto) : JSON.writeValueAsBytes(dto), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response DTO could not be written", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
