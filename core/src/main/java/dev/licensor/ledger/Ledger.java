package dev.licensor.ledger;

import java.time.Instant;
import java.util.List;

/**
 * Reads and prunes the ledger. Bad arguments (a null time, {@code from} after {@code to}, a limit
 * or batch size out of range)
 * throw {@link dev.licensor.outcome.LicensingException} with {@code invalid_request} and touch
 * nothing. Thread-safe.
 */
public interface Ledger {

    /** Up to {@code limit} entries with {@code from <= at < to}, ordered by time then sequence. */
    List<LedgerEntry> between(Instant from, Instant to, int limit);

    /**
     * Deletes entries older than {@code before}, in transactions of at most {@code batchSize}
     * entries so writers are never blocked for long; returns how many were deleted.
     */
    long pruneBefore(Instant before, int batchSize);
}
