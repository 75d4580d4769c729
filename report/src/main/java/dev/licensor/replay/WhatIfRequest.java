package dev.licensor.replay;

import dev.licensor.policy.PoolPolicy;
import dev.licensor.report.Bucket;
import java.time.Instant;

/**
 * A replay: the recorded demand of one pool with {@code from <= at < to}, re-run with
 * {@code seats} seats and {@code policy}. Immutable and thread-safe; validated by
 * {@link WhatIf#replay} ({@code invalid_request} for a bad value).
 *
 * @param licenseId the floating license (pool), positive
 * @param from      start of the range, inclusive
 * @param to        end of the range, exclusive
 * @param seats     seats of the replayed pool, 1 to 1,000,000
 * @param policy    the replayed pool's policy, or null for the pool's current one
 *                  ({@link PoolPolicy#NONE} for none); it must lease per device
 * @param bucket    width of the per-bucket denial and queue counts
 */
public record WhatIfRequest(long licenseId, Instant from, Instant to, int seats, PoolPolicy policy,
                            Bucket bucket) {
    /** Most seats a replayed pool may have. */
    public static final int MAX_SEATS = 1_000_000;

    /** The same replay with another seat count. */
    public WhatIfRequest withSeats(int value) {
        return new WhatIfRequest(licenseId, from, to, value, policy, bucket);
    }

    /** A replay of the pool with its current policy and {@code seats} seats, in hourly buckets. */
    public static WhatIfRequest of(long licenseId, Instant from, Instant to, int seats) {
        return new WhatIfRequest(licenseId, from, to, seats, null, Bucket.HOUR);
    }
}
