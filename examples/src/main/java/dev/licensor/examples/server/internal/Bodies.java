package dev.licensor.examples.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import java.io.IOException;
import javax.xml.stream.XMLInputFactory;

/**
 * The server's JSON and XML parsers, configured once. XML parsing refuses DTDs and external
 * entities (no XXE, no entity expansion bombs); both parsers cap nesting depth.
 *
 * <p>Thread-safe: the mappers are immutable after construction.
 */
public final class Bodies {
    /** Deepest nesting accepted in a body; the wire formats need four levels. */
    private static final int MAX_DEPTH = 32;

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
    private static final XmlMapper XML = xmlMapper();

    private Bodies() {
    }

    private static XmlMapper xmlMapper() {
        XMLInputFactory input = XMLInputFactory.newFactory();
        input.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        input.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XmlFactory factory = XmlFactory.builder().xmlInputFactory(input)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .build();
        return new XmlMapper(factory);
    }

    /** The shared JSON mapper (for writing answers too). */
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

    /** Parses a JSON body whose top level must be an object. */
    public static JsonNode parseJson(byte[] body) {
        return parse(JSON, body, "JSON");
    }

    /** Parses an XML body into a tree: attributes and child elements become fields. */
    public static JsonNode parseXml(byte[] body) {
        return parse(XML, body, "XML");
    }

    private static JsonNode parse(ObjectMapper mapper, byte[] body, String format) {
        if (body.length == 0) {
            throw WireException.of(WireError.MALFORMED_BODY, "the body is empty; a " + format + " object is required");
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw WireException.of(WireError.MALFORMED_BODY, "the body is not well-formed " + format + ": "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw WireException.of(WireError.MALFORMED_BODY, "the body could not be read as " + format);
        } catch (RuntimeException e) {
            // Woodstox reports some refusals (e.g. an undeclared entity) as unchecked exceptions.
            throw WireException.of(WireError.MALFORMED_BODY, "the body is not acceptable " + format + ": "
                    + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw WireException.of(WireError.MALFORMED_BODY, "the body's top level must be a " + format
                    + (format.equals("XML") ? " element with attributes or children" : " object"));
        }
        return node;
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
