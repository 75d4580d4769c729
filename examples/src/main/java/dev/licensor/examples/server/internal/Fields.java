package dev.licensor.examples.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.licensor.outcome.Code;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed access to the fields of a parsed body. JSON is strict about types (a number must be a
 * number, a boolean a boolean); XML carries only text, so numbers and booleans ({@code 1}/{@code 0}
 * or {@code true}/{@code false}) are parsed from it and a blank attribute counts as absent.
 * A field of the wrong type is refused with {@code invalid_request} naming its path; an absent
 * or {@code null} field reads as {@code null}. Shape only: every licensing rule stays in the engine.
 *
 * <p>Immutable and thread-safe.
 */
public final class Fields {
    private final JsonNode node;
    private final boolean xml;
    private final String where;

    private Fields(JsonNode node, boolean xml, String where) {
        this.node = node;
        this.xml = xml;
        this.where = where;
    }

    /** The fields of a JSON object. */
    public static Fields json(JsonNode object) {
        return new Fields(object, false, "");
    }

    /** The fields of an XML element (as parsed by {@link Bodies#parseXml}). */
    public static Fields xml(JsonNode object) {
        return new Fields(object, true, "");
    }

    private String path(String name) {
        return where.isEmpty() ? name : where + "." + name;
    }

    private WireException wrong(String name, String what) {
        return WireException.of(Code.INVALID_REQUEST, path(name) + " must be " + what);
    }

    private JsonNode value(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (xml && v.isTextual() && v.asText().isBlank()) {
            return null;
        }
        return v;
    }

    /** True if the field is present and not null. */
    public boolean has(String name) {
        return value(name) != null;
    }

    /** A text field, or null. */
    public String text(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrong(name, "a string");
        }
        return v.asText();
    }

    /** An integral number, or null. */
    public Long integer(String name) {
        JsonNode v = value(name);
        if (v == null) {
            return null;
        }
        if (xml && v.isTextual()) {
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                throw wrong(name, "an integer");
            }
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrong(name, "an integer");
        }
        return v.asLong();
    }

    /** An integral number that fits an {@code int}, or {@code absent} when the field is absent. */
    public int int32(String name, int absent) {
        Long v = integer(name);
        if (v == null) {
            return absent;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw wrong(name, "an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        }
        return v.intValue();
    }

    /** A boolean (XML: {@code 1}/{@code 0}/{@code true}/{@code false}), or null. */
    public Boolean bool(String name) {
        JsonNode v = value(name);
        if (v == null) {
            return null;
        }
        if (xml && v.isTextual()) {
            switch (v.asText().trim().toLowerCase(Locale.ROOT)) {
                case "1", "true":
                    return true;
                case "0", "false":
                    return false;
                default:
                    throw wrong(name, "1, 0, true or false");
            }
        }
        if (!v.isBoolean()) {
            throw wrong(name, "true or false");
        }
        return v.booleanValue();
    }

    /** An ISO-8601 instant with an offset (e.g. {@code 2026-11-24T09:00:00Z}), or null. */
    public Instant instant(String name) {
        String text = xml ? (value(name) == null ? null : text(name)) : text(name);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw wrong(name, "an ISO-8601 time with an offset, e.g. 2026-11-24T09:00:00Z");
        }
    }

    /** A nested object, or null. */
    public Fields object(String name) {
        JsonNode v = value(name);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw wrong(name, "an object");
        }
        return new Fields(v, xml, path(name));
    }

    /**
     * A list of objects, or null. A single object counts as a list of one (XML has no arrays:
     * one element reads as an object, repeated elements as an array).
     */
    public List<Fields> objects(String name) {
        JsonNode v = value(name);
        if (v == null) {
            return null;
        }
        List<Fields> result = new ArrayList<>();
        if (v.isObject()) {
            result.add(new Fields(v, xml, path(name)));
            return result;
        }
        if (!v.isArray()) {
            throw wrong(name, "a list of objects");
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isObject()) {
                throw WireException.of(Code.INVALID_REQUEST, path(name) + "[" + i + "] must be an object");
            }
            result.add(new Fields(item, xml, path(name) + "[" + i + "]"));
        }
        return result;
    }

    /** A list of strings, or null. */
    public List<String> texts(String name) {
        JsonNode v = value(name);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw wrong(name, "a list of strings");
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw WireException.of(Code.INVALID_REQUEST, path(name) + "[" + i + "] must be a string");
            }
            result.add(v.get(i).asText());
        }
        return result;
    }

    /** Refuses any field not in {@code known}: a catalog typo must not pass silently. */
    public void onlyKnown(Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!known.contains(name)) {
                throw WireException.of(Code.INVALID_REQUEST, "unknown field " + path(name)
                        + " (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    /** Where these fields are, for messages ({@code ""} at the top). */
    public String where() {
        return where;
    }
}
