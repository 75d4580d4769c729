package dev.licensor.json.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict flat-JSON reader and writer. */
class FlatJsonTest {

    private static Map<String, Object> parse(String s) {
        return FlatJson.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsWhatItAccepts() {
        assertThat(parse("{}")).isEmpty();
        assertThat(parse(" {\"a\" : \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\" ,\"b\":-12,\"c\":true,\"d\":false,\"e\":0}\n"))
                .containsExactly(Map.entry("a", "x\"\\/\b\f\n\r\t\u00e9\ud83d\ude00"), Map.entry("b", -12L),
                        Map.entry("c", true), Map.entry("d", false), Map.entry("e", 0L));
        assertThat(parse("{\"max\":9223372036854775807,\"min\":-9223372036854775808}"))
                .containsEntry("max", Long.MAX_VALUE).containsEntry("min", Long.MIN_VALUE);
        assertThat(parse("{\"raw\":\"é😀\"}")).containsEntry("raw", "é😀");
    }

    @Test
    void refusesEverythingElse() {
        for (String bad : new String[] {"", " ", "[]", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}",
                "{\"a\":1}{}", "{\"a\":1} x", "{\"a\":1,\"a\":1}", "{\"a\":1,\"a\":\"1\"}", "{\"a\":{}}", "{\"a\":[]}",
                "{\"a\":null}", "{\"a\":1.0}", "{\"a\":1e3}", "{\"a\":1E3}", "{\"a\":01}", "{\"a\":-0}", "{\"a\":-}",
                "{\"a\":+1}", "{\"a\":9223372036854775808}", "{\"a\":tru}", "{\"a\":True}", "{\"a\":'x'}", "{a:1}",
                "{\"a\":\"\u0001\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"x}",
                "{\"a\":1\u00a0}", "\ufeff{}"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> FlatJson.parse(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}))
                .as("malformed UTF-8").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlatJson.parse(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}))
                .as("UTF-8 of a surrogate").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlatJson.parse(new byte[FlatJson.MAX_BYTES + 1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlatJson.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesCompactJsonThatReadsBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "q\"b\\n\n\u0001\ud800end");
        m.put("n", -5L);
        m.put("b", true);
        String json = FlatJson.write(m);
        assertThat(json).isEqualTo("{\"s\":\"q\\\"b\\\\n\\n\\u0001\\ud800end\",\"n\":-5,\"b\":true}");
        assertThat(parse(json)).isEqualTo(m);
        assertThatThrownBy(() -> FlatJson.write(Map.of("d", 1.5))).isInstanceOf(IllegalArgumentException.class);
    }
}
