package dev.licensor.store.postgresql.internal;

import java.sql.SQLException;

/**
 * A SQL error inside a unit of work, carried out of the unit unchecked so the store can roll back
 * and translate it ({@code STORE_FAILURE}, or {@link IllegalStateException} for a key violation). Not API.
 */
final class SqlFailure extends RuntimeException {
    SqlFailure(String sql, SQLException cause) {
        super(cause.getMessage() + " [" + sql + "]", cause);
    }

    SQLException sqlException() {
        return (SQLException) getCause();
    }
}
