package dev.licensor;

import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.store.PoolState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Freeing seats inside a decision: the bounded sweep of a pool's lapsed leases, and freeing one
 * seat with its ledger entry (a release, or a lapse recorded when it happened). Not API.
 *
 * <p>Thread-safe: static, stateless; the {@link FloatingRules.Changes} it fills belong to one decision.
 */
final class Sweep {
    /** Lapsed leases of one pool swept per seat-taking call; more are swept by the next. */
    static final int SWEEP_BATCH = 64;

    private Sweep() {
    }

    /**
     * Frees the pool's lapsed leases (the loaded batch, less the requester's own, which the seat
     * step freed), recording each lapse at the time it happened.
     */
    static void sweep(PoolState s, String ownKey, FloatingRules.Changes c) {
        int n = 0;
        List<Lease> batch = s.lapsed();
        for (int i = 0; i < batch.size() && n < SWEEP_BATCH; i++) { // indexed: no iterator per call
            Lease lapsed = batch.get(i);
            if (!lapsed.hardwareId().equals(ownKey)) {
                c.deleteLease(lapsed.hardwareId());
                c.ledger(lapsed.expiresAt(), LedgerEvent.LAPSED, lapsed.hardwareId(), "");
                c.swept(lapsed.hardwareId());
                n++;
            }
        }
    }

    /**
     * Deletes the seat's lease if any, recording a release (or a lapse, if it had lapsed);
     * refuses a borrowed one ({@link Admission#refuseIfBorrowed}).
     */
    static void freeSeat(Optional<Lease> lease, Instant now, FloatingRules.Changes c) {
        if (lease.isPresent()) {
            Lease l = lease.get();
            Admission.refuseIfBorrowed(l, now);
            c.deleteLease(l.hardwareId());
            if (l.isLiveAt(now)) {
                c.ledger(now, LedgerEvent.RELEASED, l.hardwareId(), "");
            } else {
                c.ledger(l.expiresAt(), LedgerEvent.LAPSED, l.hardwareId(), "");
            }
        }
    }
}
