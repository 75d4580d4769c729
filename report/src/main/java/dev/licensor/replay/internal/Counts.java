package dev.licensor.replay.internal;

import dev.licensor.ledger.LedgerEvent;
import dev.licensor.replay.Tally;

/** Mutable counters behind a {@link Tally}. Not thread-safe: one per replay. */
final class Counts {
    long granted;
    long refreshed;
    long borrowed;
    long released;
    long denied;
    long queued;
    long none;

    void add(LedgerEvent event) {
        if (event == null) {
            none++;
            return;
        }
        switch (event) {
            case GRANTED -> granted++;
            case REFRESHED -> refreshed++;
            case BORROWED -> borrowed++;
            case RELEASED, FORCE_RELEASED -> released++;
            case DENIED -> denied++;
            case QUEUED -> queued++;
            default -> none++;
        }
    }

    Tally tally() {
        return new Tally(granted, refreshed, borrowed, released, denied, queued, none);
    }
}
