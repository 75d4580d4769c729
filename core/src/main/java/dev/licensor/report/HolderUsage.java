package dev.licensor.report;

import java.time.Duration;

/**
 * One seat key's use over a report's range. Immutable and thread-safe.
 *
 * @param seatKey  the seat key of the ledger (hardware id, user or process key, per the pool's leasing)
 * @param seatTime how long it held a seat within the range
 */
public record HolderUsage(String seatKey, Duration seatTime) {
    /** {@link #seatTime} in hours. */
    public double seatHours() {
        return seatTime.toNanos() / 3.6e12;
    }
}
