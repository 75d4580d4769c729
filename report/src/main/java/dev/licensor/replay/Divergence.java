package dev.licensor.replay;

import dev.licensor.ledger.LedgerEvent;
import java.time.Instant;

/**
 * A demand whose replay ended otherwise than recorded. Immutable and thread-safe.
 *
 * @param at       when the demand was made
 * @param seatKey  the seat key (hardware id)
 * @param recorded the recorded seat event
 * @param replayed the replayed seat event, or null if the replay left none
 */
public record Divergence(Instant at, String seatKey, LedgerEvent recorded, LedgerEvent replayed) {
}
