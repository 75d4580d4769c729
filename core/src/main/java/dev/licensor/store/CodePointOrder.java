package dev.licensor.store;

import java.util.Comparator;

/**
 * Text in Unicode code point order: the order of UTF-8 bytes, SQLite's {@code BINARY} collation
 * and PostgreSQL's {@code "C"} collation. {@link String#compareTo} differs from it for text
 * mixing supplementary characters (surrogate pairs) with characters from U+E000 to U+FFFF;
 * every list the SPI orders by hardware id uses this order, so it reads the same on every store.
 *
 * <p>Stateless and thread-safe.
 */
public final class CodePointOrder implements Comparator<String> {
    /** The one instance. */
    public static final CodePointOrder INSTANCE = new CodePointOrder();

    private CodePointOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return rank(x) - rank(y);
            }
        }
        return a.length() - b.length();
    }

    /** Moves surrogates above U+E000..U+FFFF, so UTF-16 units compare as code points. */
    private static int rank(char c) {
        if (c < 0xD800) {
            return c;
        }
        return c <= 0xDFFF ? c + 0x2000 : c - 0x800;
    }
}
