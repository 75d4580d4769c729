package dev.licensor.report;

import java.time.Duration;
import java.time.Instant;

/**
 * One bucket of a utilisation report. Concurrent seats are weighted by time: {@code p50} is the
 * smallest count the pool was at or under for at least half of the bucket. Immutable and thread-safe.
 *
 * @param start    the bucket's start
 * @param length   the bucket's length (the last bucket ends at the report's {@code to})
 * @param peak     most seats held at once in the bucket
 * @param p50      median concurrent seats, time-weighted
 * @param p95      95th percentile of concurrent seats, time-weighted
 * @param atLimit  time with every seat held (concurrent seats at least the pool's seats)
 * @param granted  seats taken ({@code GRANTED} entries)
 * @param denials  refusals recorded for the pool ({@code DENIED} entries, any code)
 * @param queued   callers that joined the pool's queue ({@code QUEUED} entries)
 * @param borrowed borrows and borrow extensions ({@code BORROWED} entries)
 */
public record BucketUsage(Instant start, Duration length, int peak, int p50, int p95, Duration atLimit,
                          long granted, long denials, long queued, long borrowed) {
}
