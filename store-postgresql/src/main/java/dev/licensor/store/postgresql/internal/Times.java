package dev.licensor.store.postgresql.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads instants and durations stored as (seconds, nanos) column pairs. Not API. Thread-safe.
 */
final class Times {
    private Times() {
    }

    /** The instant in columns {@code col} and {@code col + 1}, or null. */
    static Instant instant(ResultSet rs, int col) throws SQLException {
        long seconds = rs.getLong(col);
        if (rs.wasNull()) {
            return null;
        }
        return Instant.ofEpochSecond(seconds, rs.getLong(col + 1));
    }

    /** The duration in columns {@code col} and {@code col + 1}, or null. */
    static Duration duration(ResultSet rs, int col) throws SQLException {
        long seconds = rs.getLong(col);
        if (rs.wasNull()) {
            return null;
        }
        return Duration.ofSeconds(seconds, rs.getLong(col + 1));
    }
}
