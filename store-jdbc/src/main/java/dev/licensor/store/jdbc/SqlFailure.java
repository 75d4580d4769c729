package dev.licensor.store.jdbc;

import java.sql.SQLException;

/**
 * A SQL error inside a unit of work, carried out of the unit unchecked so {@link Units} can roll
 * back and translate it (transient, a key violation, or {@code STORE_FAILURE}). Never escapes a
 * store. Immutable.
 */
final class SqlFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SqlFailure(String sql, SQLException cause) {
        super(cause.getMessage() + " [" + sql + "]", cause);
    }

    SQLException sqlException() {
        return (SQLException) getCause();
    }
}
