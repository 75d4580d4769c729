package dev.licensor.store.postgresql.internal;

import java.sql.SQLException;

/** Small SQL helpers of the PostgreSQL store. Stateless. */
public final class Sql {
    private Sql() {
    }

    /** {@code name} as a quoted PostgreSQL identifier. */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * Whether a failure is a conflict that may pass if the unit runs again: serialization failure
     * (40001), deadlock (40P01), lock not available (55P03). Connection failures are not: whether
     * the unit committed may be unknown, so the engine must not run it again on its own.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ("40001".equals(state) || "40P01".equals(state) || "55P03".equals(state)) {
                    return true;
                }
            }
        }
        return false;
    }
}
