package dev.licensor;

import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.Change;
import java.time.Instant;

/**
 * Ledger entries for changes that succeed (code {@code ok}), as changes of the decision's change
 * set, so they are written in the unit that makes the change. Not API.
 *
 * <p>Thread-safe: static, stateless.
 */
final class Audit {
    private Audit() {
    }

    /** A change with no actor (a device call, a sweep), as a change for a decision's change set. */
    static Change entry(Instant at, LedgerEvent event, long licenseId, String subject, String detail) {
        return Change.appendLedger(new LedgerEntry(0, at, event, licenseId, 0, subject, Code.OK, detail));
    }

    /** An administrative entry naming who made the change, as a change for a decision's change set. */
    static Change entry(Instant at, LedgerEvent event, long licenseId, String subject, String detail, String actor) {
        return Change.appendLedger(new LedgerEntry(0, at, event, licenseId, 0, subject, Code.OK, detail, actor));
    }
}
