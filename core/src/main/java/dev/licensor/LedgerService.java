package dev.licensor;

import dev.licensor.ledger.Ledger;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.Query;
import java.time.Instant;
import java.util.List;

/**
 * Reads and prunes the ledger. Thread-safe (stateless beyond the engine).
 */
final class LedgerService implements Ledger {
    /** Most entries one read returns. */
    static final int MAX_PAGE = 100_000;

    private final Engine engine;

    LedgerService(Engine engine) {
        this.engine = engine;
    }

    /** A missing bound is bad input like a bad limit: the library's one exception, not an NPE. */
    private static void required(Instant value, String name) {
        if (value == null) {
            throw new LicensingException(Code.INVALID_REQUEST, name + " is required");
        }
    }

    @Override
    public List<LedgerEntry> between(Instant from, Instant to, int limit) {
        required(from, "from");
        required(to, "to");
        if (from.isAfter(to)) {
            throw new LicensingException(Code.INVALID_REQUEST, "from must not be after to");
        }
        checkLimit(limit);
        return engine.store().read(tx -> tx.list(Query.ledger(from, to, limit)));
    }

    private static void checkLimit(int limit) {
        if (limit <= 0 || limit > MAX_PAGE) {
            throw new LicensingException(Code.INVALID_REQUEST, "limit must be in 1.." + MAX_PAGE);
        }
    }

    @Override
    public List<LedgerEntry> after(long afterSeq, int limit) {
        if (afterSeq < 0) {
            throw new LicensingException(Code.INVALID_REQUEST, "afterSeq must not be negative");
        }
        checkLimit(limit);
        return engine.store().read(tx -> tx.list(Query.ledgerAfter(afterSeq, limit)));
    }

    @Override
    public long pruneBefore(Instant before, int batchSize) {
        required(before, "before");
        if (batchSize <= 0) {
            throw new LicensingException(Code.INVALID_REQUEST, "batchSize must be positive");
        }
        long total = 0;
        while (true) {
            int deleted = engine.store().write(tx -> tx.prune(before, batchSize));
            total += deleted;
            if (deleted < batchSize) {
                return total;
            }
        }
    }
}
