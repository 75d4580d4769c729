package dev.licensor.replay;

import java.time.Instant;

/**
 * One bucket of a replay: refusals and queue joins recorded and replayed. Immutable and thread-safe.
 *
 * @param start           the bucket's start
 * @param recordedDenials refusals the ledger recorded
 * @param replayedDenials refusals the replay produced
 * @param recordedQueued  queue joins the ledger recorded
 * @param replayedQueued  queue joins the replay produced
 */
public record BucketOutcome(Instant start, long recordedDenials, long replayedDenials, long recordedQueued,
                            long replayedQueued) {
}
