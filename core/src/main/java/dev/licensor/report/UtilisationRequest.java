package dev.licensor.report;

import java.time.Instant;

/**
 * What a utilisation report covers: one floating pool, the ledger entries with
 * {@code from <= at < to}, cut in buckets. Immutable and thread-safe; validated by
 * {@link CapacityReports#utilisation} (a bad value gives {@code invalid_request}).
 *
 * @param licenseId  the floating license (pool), positive
 * @param from       start of the range, inclusive
 * @param to         end of the range, exclusive; at most {@link #MAX_BUCKETS} buckets after {@code from}
 * @param bucket     bucket width
 * @param topHolders how many holders the report names, by seat time, 0 to {@link #MAX_TOP_HOLDERS}
 */
public record UtilisationRequest(long licenseId, Instant from, Instant to, Bucket bucket,
                                 int topHolders) {
    /** Most buckets one report has (about eleven years of hours). */
    public static final int MAX_BUCKETS = 100_000;
    /** Most holders one report names. */
    public static final int MAX_TOP_HOLDERS = 1_000;
}
