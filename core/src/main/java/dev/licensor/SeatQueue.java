package dev.licensor;

import dev.licensor.floating.QueueEntry;
import dev.licensor.ledger.LedgerEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The pool queue's rules, pure functions of the pool's loaded queue (the seat decision's part): entries lapse by
 * themselves, a freed seat goes to the first live entry, and a caller joins at the end (or keeps
 * its place when it checks again). Thread-safe (stateless).
 */
final class SeatQueue {
    private SeatQueue() {
    }

    /** The pool's live entries in ticket order, of its loaded queue; lapsed entries are deleted on the way. */
    static List<QueueEntry> live(List<QueueEntry> queue, Instant now, FloatingRules.Changes changes) {
        List<QueueEntry> live = new ArrayList<>();
        for (QueueEntry e : queue) {
            if (e.isLiveAt(now)) {
                live.add(e);
            } else {
                changes.deleteQueued(e.hardwareId());
            }
        }
        return live;
    }

    /** Live entries ahead of {@code key}: all of them if it does not queue. */
    static int ahead(List<QueueEntry> live, String key) {
        for (int i = 0; i < live.size(); i++) {
            if (live.get(i).hardwareId().equals(key)) {
                return i;
            }
        }
        return live.size();
    }

    /**
     * Whether the {@code ahead} live entries before the requester hold back the seat {@code grant}
     * would give it: entries are served first, one per seat they could take. A seat anyone may
     * take goes to anyone ahead; a requester's own reserved seat only to entries ahead that the
     * same RESERVE line names (after those not named have taken the free seats).
     */
    static boolean heldBack(SeatRules.Grant grant, List<QueueEntry> live, int ahead, SeatRules.Groups groups) {
        if (grant.reservation() == null) {
            return ahead >= grant.free();
        }
        long named = live.subList(0, ahead).stream().filter(e -> SeatRules.matches(grant.reservation(),
                e.holder().user(), e.holder().host(), groups)).count();
        long freeLeft = Math.max(0, grant.free() - (ahead - named));
        return named >= grant.reservedFree() + freeLeft;
    }

    /**
     * Joins the queue (or refreshes the caller's entry, keeping its place) and returns the
     * 1-based position, or 0 if the queue is full.
     */
    static int join(long licenseId, DeviceTarget t, String key, List<QueueEntry> live,
                    Instant now, Instant expires, int maxLength, FloatingRules.Changes changes) {
        int at = ahead(live, key);
        if (at < live.size()) {
            QueueEntry e = live.get(at);
            changes.putQueued(new QueueEntry(licenseId, key, e.ticket(), e.enqueuedAt(), expires, t.hardwareId(),
                    t.holder()));
            return at + 1;
        }
        if (live.size() >= maxLength) {
            return 0;
        }
        long ticket = live.isEmpty() ? 1 : live.get(live.size() - 1).ticket() + 1;
        changes.putQueued(new QueueEntry(licenseId, key, ticket, now, expires, t.hardwareId(), t.holder()));
        changes.ledger(changes.entry(now, LedgerEvent.QUEUED, key, "").withPosition(live.size() + 1));
        return live.size() + 1;
    }
}
