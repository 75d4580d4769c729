package dev.licensor.replay;

/**
 * How the demands of a replay ended, counted by the seat event each produced. Immutable and
 * thread-safe.
 *
 * @param granted   seats taken
 * @param refreshed seats refreshed
 * @param borrowed  borrows
 * @param released  seats given back
 * @param denied    refusals
 * @param queued    callers that joined the queue
 * @param none      demands that left no seat event (a release of a seat not held)
 */
public record Tally(long granted, long refreshed, long borrowed, long released, long denied, long queued,
                    long none) {
}
