package dev.licensor.report;

import dev.licensor.ledger.Ledger;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads every ledger entry with {@code from <= at < to} in time order (then seq order), a page
 * at a time, so a caller sees a range of any size holding one page in memory. Thread-safe
 * (stateless).
 */
public final class LedgerScan {
    /** Ledger entries read per page by default. */
    public static final int PAGE = 10_000;
    /** The ledger's largest page ({@link Ledger#between}). */
    private static final int MAX_LEDGER_PAGE = 100_000;

    private LedgerScan() {
    }

    /**
     * Calls {@code sink} with every entry of the range in order. Pages resume after the last
     * (time, seq) read; a page taken up wholly by entries of one instant already read is asked
     * again larger, up to the ledger's largest page.
     *
     * @param ledger   the ledger to read
     * @param from     the start, inclusive
     * @param to       the end, exclusive
     * @param pageSize entries per page, 1 to 100,000
     * @param sink     called with each entry, in (time, seq) order
     * @throws LicensingException {@code invalid_request} for bad bounds, or when more than 100,000
     *                            entries share one instant (the scan could not move past it)
     */
    public static void forEach(Ledger ledger, Instant from, Instant to, int pageSize, Consumer<LedgerEntry> sink) {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(sink, "sink");
        if (pageSize < 1 || pageSize > MAX_LEDGER_PAGE) {
            throw new LicensingException(Code.INVALID_REQUEST, "pageSize must be in 1.." + MAX_LEDGER_PAGE);
        }
        Instant at = from;
        long seq = -1;
        int page = pageSize;
        while (true) {
            List<LedgerEntry> entries = ledger.between(at, to, page);
            boolean progressed = false;
            for (LedgerEntry e : entries) {
                if (e.at().equals(at) && e.seq() <= seq) {
                    continue; // read in the previous page
                }
                sink.accept(e);
                at = e.at();
                seq = e.seq();
                progressed = true;
            }
            if (entries.size() < page) {
                return;
            }
            if (!progressed) {
                if (page >= MAX_LEDGER_PAGE) {
                    throw new LicensingException(Code.INVALID_REQUEST,
                            "more than " + MAX_LEDGER_PAGE + " ledger entries share the instant " + at);
                }
                page = (int) Math.min(MAX_LEDGER_PAGE, page * 10L);
            } else {
                page = pageSize;
            }
        }
    }
}
