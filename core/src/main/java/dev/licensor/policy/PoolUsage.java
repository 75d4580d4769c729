package dev.licensor.policy;

import java.time.Instant;
import java.util.List;

/**
 * How a pool was used over a time range, by user and by the user groups its policy names, read
 * from the ledger: what an administrator reads to decide how many seats to buy
 * ({@code seats().usage(licenseId, from, to)}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param licenseId the pool
 * @param from      start of the range (inclusive)
 * @param to        end of the range (exclusive)
 * @param byUser    one row per user seen holding or refused a seat, by name (code point order)
 * @param byGroup   one row per {@code GROUP} the pool's policy names, in policy order
 */
public record PoolUsage(long licenseId, Instant from, Instant to, List<Usage> byUser, List<Usage> byGroup) {
    public PoolUsage {
        byUser = List.copyOf(byUser);
        byGroup = List.copyOf(byGroup);
    }

    /**
     * One user's or group's use.
     *
     * @param name      the user or group
     * @param peakSeats most seats held at once within the range (seats taken before it count)
     * @param refusals  licensing refusals (ledger {@code DENIED}) within the range
     */
    public record Usage(String name, int peakSeats, long refusals) {
    }
}
