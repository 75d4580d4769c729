package dev.licensor.ledger;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import java.time.Instant;
import java.util.List;

/**
 * Reads and prunes the ledger. Bad arguments (a null time, {@code from} after {@code to}, a limit
 * or batch size out of range)
 * throw {@link dev.licensor.outcome.LicensingException} with {@code invalid_request} and touch
 * nothing. Thread-safe.
 */
@CheckReturnValue
public interface Ledger {

    /**
     * Up to {@code limit} entries with {@code from <= at < to}, ordered by time then sequence.
     *
     * @param from the start, inclusive
     * @param to the end, exclusive; not before {@code from}
     * @param limit most entries returned, 1 to 100,000
     * @return the entries, oldest first
     * @throws dev.licensor.outcome.LicensingException with {@code invalid_request} for a bad argument
     */
    List<LedgerEntry> between(Instant from, Instant to, int limit);

    /**
     * The ledger feed: up to {@code limit} entries with {@code seq > afterSeq}, in seq order, which
     * is commit order. A reader that stores the seq of the last entry it handled and asks again from
     * there reads every entry exactly once, whatever threads, processes or hosts write meanwhile: the
     * store never makes an entry visible before every lower seq that will commit (the rule of
     * {@link dev.licensor.store.Change.AppendLedger}). Start from 0; an empty list means
     * nothing new yet. Seqs have gaps (rolled-back units, pruning), never reorderings.
     *
     * <pre>{@code
     * long cursor = loadCursor();
     * for (LedgerEntry e : licensor.ledger().after(cursor, 500)) {
     *     webhook.send(LicensorEvent.of(e));   // at-least-once: store the cursor after sending
     *     cursor = e.seq();
     * }
     * saveCursor(cursor);
     * }</pre>
     *
     * <p>Entries older than a {@link #pruneBefore} are gone: a reader must keep up with pruning.
     *
     * @param afterSeq the last seq already read, or 0 (not negative)
     * @param limit    most entries returned, 1 to 100,000
     * @return the entries after {@code afterSeq}, in seq order; empty if there is none yet
     * @throws dev.licensor.outcome.LicensingException with {@code invalid_request} for a bad argument
     */
    List<LedgerEntry> after(long afterSeq, int limit);

    /**
     * Deletes entries older than {@code before}, in transactions of at most {@code batchSize}
     * entries so writers are never blocked for long; returns how many were deleted.
     *
     * @param before entries older than this are deleted
     * @param batchSize most entries deleted per transaction, positive
     * @return how many entries were deleted
     * @throws dev.licensor.outcome.LicensingException with {@code invalid_request} for a bad argument
     */
    @CanIgnoreReturnValue // the count is informative; the prune is done either way
    long pruneBefore(Instant before, int batchSize);
}
