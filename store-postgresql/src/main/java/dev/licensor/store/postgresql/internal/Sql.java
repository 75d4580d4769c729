package dev.licensor.store.postgresql.internal;

/** Small SQL helpers of the PostgreSQL store. Stateless. */
public final class Sql {
    private Sql() {
    }

    /** {@code name} as a quoted PostgreSQL identifier. */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
