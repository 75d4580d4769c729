package dev.licensor.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Instants and durations as (seconds, nanos) column pairs, read and written. Thread-safe.
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

    static Long seconds(Instant t) {
        return t == null ? null : t.getEpochSecond();
    }

    @SuppressWarnings("JavaInstantGetSecondsGetNano") // stored beside seconds(t): the pair is the instant
    static Long nanos(Instant t) {
        return t == null ? null : (long) t.getNano();
    }

    static Long seconds(Duration d) {
        return d == null ? null : d.toSeconds();
    }

    @SuppressWarnings("JavaDurationGetSecondsGetNano") // stored beside seconds(d): the pair is the duration
    static Long nanos(Duration d) {
        return d == null ? null : (long) d.getNano();
    }
}
