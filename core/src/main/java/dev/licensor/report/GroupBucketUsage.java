package dev.licensor.report;

import java.time.Duration;
import java.time.Instant;

/**
 * One bucket of a {@link GroupUsage}. Immutable and thread-safe.
 *
 * @param start    the bucket's start (as in {@link BucketUsage#start})
 * @param peak     most seats the group's members held at once in the bucket
 * @param seatTime seat time the group's members held in the bucket
 * @param granted  {@code GRANTED} entries whose holder is a member
 * @param denials  {@code DENIED} entries whose caller is a member
 */
public record GroupBucketUsage(Instant start, int peak, Duration seatTime, long granted, long denials) {
}
