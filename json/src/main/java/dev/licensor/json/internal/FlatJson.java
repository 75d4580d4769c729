package dev.licensor.json.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON of a flat claims object: one object whose values are strings, integers (long) or
 * booleans. Nothing else is accepted: no nesting, arrays, null, fractions or exponents, no
 * duplicate key, no leading zero, no trailing byte, no malformed UTF-8. Whitespace between tokens
 * is allowed (RFC 8259); the writer emits none. A lone surrogate (which UTF-8 cannot carry) is
 * written and read as a {@code \\u} escape, so every Java string round-trips.
 *
 * <p>Shared by {@code licensor-core} (which signs tokens) and {@code licensor-verify} (which reads
 * them and must not depend on core), so both read claims with one parser. Not API: the module
 * exports this package only to those two.
 *
 * <p>Thread-safe: static methods without state.
 */
public final class FlatJson {
    /** Longest input accepted, in bytes: claims are a few hundred. */
    public static final int MAX_BYTES = 16 * 1024;

    private final String text;
    private int pos;

    private FlatJson(String text) {
        this.text = text;
    }

    /** The JSON of {@code claims}: values must be String, Long, Integer or Boolean. */
    public static String write(Map<String, ?> claims) {
        StringBuilder out = new StringBuilder(256).append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : claims.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, e.getKey());
            out.append(':');
            Object v = e.getValue();
            if (v instanceof String s) {
                string(out, s);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
                out.append(v);
            } else {
                throw new IllegalArgumentException("unsupported claim value for " + e.getKey());
            }
        }
        return out.append('}').toString();
    }

    /** UTF-8 bytes of {@link #write}. */
    public static byte[] writeBytes(Map<String, ?> claims) {
        return write(claims).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses strict UTF-8 JSON of a flat object into an ordered map of String, Long and Boolean.
     *
     * @throws IllegalArgumentException with the reason, for anything but a valid flat object
     */
    public static Map<String, Object> parse(byte[] utf8) {
        if (utf8 == null || utf8.length == 0 || utf8.length > MAX_BYTES) {
            throw new IllegalArgumentException("claims must be 1 to " + MAX_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("claims are not valid UTF-8");
        }
        return new FlatJson(text).object();
    }

    private Map<String, Object> object() {
        Map<String, Object> out = new LinkedHashMap<>();
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = value();
                if (out.putIfAbsent(key, value) != null) {
                    throw fail("duplicate key " + key);
                }
                skipSpace();
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw fail("expected , or }");
                }
            }
        }
        skipSpace();
        if (pos != text.length()) {
            throw fail("trailing characters");
        }
        return out;
    }

    private Object value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == 't' || c == 'f') {
            String word = c == 't' ? "true" : "false";
            if (!text.startsWith(word, pos)) {
                throw fail("bad literal");
            }
            pos += word.length();
            return c == 't';
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        throw fail("only strings, integers and booleans are allowed");
    }

    private Long number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digits = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        int count = pos - digits;
        if (count == 0 || (count > 1 && text.charAt(digits) == '0')) {
            throw fail("bad integer");
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw fail("only integers are allowed");
        }
        String literal = text.substring(start, pos);
        if (literal.equals("-0")) {
            throw fail("bad integer");
        }
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException e) {
            throw fail("integer out of range");
        }
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                throw fail("control character in string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hex4());
                default -> throw fail("bad escape");
            }
        }
        String s = out.toString();
        return s;
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw fail("truncated escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos++), 16);
            if (d < 0) {
                throw fail("bad escape");
            }
            v = v * 16 + d;
        }
        return (char) v;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw fail("unexpected end");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw fail("expected " + c);
        }
    }

    private IllegalArgumentException fail(String why) {
        return new IllegalArgumentException(why + " at " + pos);
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || (Character.isSurrogate(c) && !validPair(s, i))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** True if the surrogate at {@code i} is half of a valid pair (then UTF-8 encodes it). */
    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
