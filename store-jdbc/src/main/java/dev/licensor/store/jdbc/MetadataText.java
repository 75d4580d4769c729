package dev.licensor.store.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A holder's metadata pairs in one column, length-prefixed so that every string round-trips,
 * whatever characters it holds: each key and each value is its length in UTF-16 units, a colon,
 * then the string itself ({@code 3:env4:prod}). Nothing inside a string is ever looked at, so no
 * separator or escape can be confused with data. Null for no metadata.
 *
 * <p>Thread-safe (stateless).
 */
final class MetadataText {
    private MetadataText() {
    }

    /** The column value of {@code metadata}: null if it is empty. */
    static String encode(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        metadata.forEach((k, v) -> {
            string(out, k);
            string(out, v);
        });
        return out.toString();
    }

    private static void string(StringBuilder out, String s) {
        out.append(s.length()).append(':').append(s);
    }

    /** The pairs of a column value written by {@link #encode}, in order. */
    static Map<String, String> decode(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        int[] at = {0};
        while (at[0] < text.length()) {
            String key = next(text, at);
            pairs.put(key, next(text, at));
        }
        return pairs;
    }

    private static String next(String text, int[] at) {
        int colon = text.indexOf(':', at[0]);
        if (colon < 0) {
            throw new IllegalStateException("malformed holder metadata column");
        }
        int length = Integer.parseInt(text, at[0], colon, 10);
        int start = colon + 1;
        at[0] = start + length;
        return text.substring(start, at[0]);
    }
}
