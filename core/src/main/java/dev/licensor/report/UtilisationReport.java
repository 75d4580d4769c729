package dev.licensor.report;

import java.time.Instant;
import java.util.List;

/**
 * How a floating pool was used over a range, from its ledger. Immutable and thread-safe.
 *
 * @param licenseId   the pool
 * @param from        start of the range, inclusive
 * @param to          end of the range, exclusive
 * @param seats       the pool's seats, the limit {@link BucketUsage#atLimit} measures against
 * @param buckets     the buckets, in time order, covering the range
 * @param topHolders  the seat keys with the most seat time, most first (ties by key)
 * @param entriesRead ledger entries read (of every pool) to compute the report
 * @param groups      per user or host group the pool's policy names, in the policy's order
 *                    ({@link GroupUsage}); empty when it names none
 */
public record UtilisationReport(long licenseId, Instant from, Instant to, int seats, List<BucketUsage> buckets,
                                List<HolderUsage> topHolders, long entriesRead, List<GroupUsage> groups) {
    public UtilisationReport {
        buckets = List.copyOf(buckets);
        topHolders = List.copyOf(topHolders);
        groups = List.copyOf(groups);
    }

    /** A report without group breakdowns. */
    public UtilisationReport(long licenseId, Instant from, Instant to, int seats, List<BucketUsage> buckets,
                             List<HolderUsage> topHolders, long entriesRead) {
        this(licenseId, from, to, seats, buckets, topHolders, entriesRead, List.of());
    }

    /** Most seats held at once over the whole range. */
    public int peak() {
        return buckets.stream().mapToInt(BucketUsage::peak).max().orElse(0);
    }

    /** Refusals over the whole range. */
    public long denials() {
        return buckets.stream().mapToLong(BucketUsage::denials).sum();
    }
}
