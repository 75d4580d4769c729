package dev.licensor.report;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Capacity reports of a {@link Licensor}'s floating pools, computed from its ledger.
 *
 * <pre>{@code
 * CapacityReports reports = CapacityReports.of(licensor);
 * UtilisationReport week = reports.utilisation(
 *         new UtilisationRequest(poolId, monday, nextMonday, Bucket.HOUR, 10));
 * }</pre>
 *
 * <p>Thread-safe: each call reads the ledger in its own read units and keeps no state.
 */
public final class CapacityReports {
    private final Licensor licensor;
    private final int pageSize;

    private CapacityReports(Licensor licensor, int pageSize) {
        this.licensor = licensor;
        this.pageSize = pageSize;
    }

    /**
     * Reports over {@code licensor}'s ledger and catalog.
     *
     * @param licensor the engine whose ledger and catalog are read
     * @return the reports
     * @throws NullPointerException if {@code licensor} is null
     */
    public static CapacityReports of(Licensor licensor) {
        return new CapacityReports(Objects.requireNonNull(licensor, "licensor"), LedgerScan.PAGE);
    }

    /** With a smaller page, so tests cross page boundaries on small ledgers. */
    static CapacityReports of(Licensor licensor, int pageSize) {
        return new CapacityReports(Objects.requireNonNull(licensor, "licensor"), pageSize);
    }

    /**
     * How the pool was used over the request's range: peak and time-weighted p50/p95 concurrent
     * seats per bucket, time at the limit (the pool's current seats), grants, denials, queue joins
     * and borrows per bucket, the top holders by seat time, and per user or host group the pool's
     * policy names ({@code GROUP}, {@code HOST_GROUP}; their current members) the same peak and
     * seat time, grants and denials per bucket ({@link GroupUsage}).
     *
     * <p>Streams over {@link dev.licensor.ledger.Ledger#between} ({@link LedgerScan}) in pages of {@value LedgerScan#PAGE}
     * entries, in time order, so memory is bounded by {@code O(page + H + B + K + S + G·(B + M))}: H
     * seat keys holding a seat at once, B buckets, K distinct seat keys in the range (their seat
     * time, for the top holders), S the peak concurrent seats, G groups of M members at most; it
     * does not grow with the number of entries.
     * Time is linear in the entries of the range (of every pool: the ledger is not indexed by pool).
     *
     * <p>The report reads what the ledger says: a seat taken before {@code from} counts from its
     * first entry in the range; a seat not borrowed stops counting its timeout after its last grant
     * or refresh (the engine records that lapse only when it sweeps it); a borrowed seat counts
     * until an entry ends it or until {@code to}. See docs/reports.md.
     *
     * @param request the pool, the range, the bucket and how many top holders
     * @return the report
     * @throws LicensingException {@code invalid_request} for a null or out-of-range field, or a pool
     *                            that is not a floating license; nothing is read then
     */
    public UtilisationReport utilisation(UtilisationRequest request) {
        License pool = validate(request);
        Duration timeout = licensor.catalog().product(pool.product()).map(pool::effectiveFloatingTimeout)
                .orElseThrow(() -> new LicensingException(Code.INVALID_REQUEST, "the pool's product is gone"));
        UtilisationAccumulator acc = new UtilisationAccumulator(request.licenseId(), request.from(), request.to(),
                request.bucket().length(), timeout, pool.floatingSeats(), request.topHolders(), groups(request.licenseId()));
        LedgerScan.forEach(licensor.ledger(), request.from(), request.to(), pageSize, acc::accept);
        return acc.finish();
    }

    /**
     * The user groups ({@code GROUP}) and host groups ({@code HOST_GROUP}) the pool's current
     * policy names, each once, in the policy's order, with their current members; a group the
     * catalog does not define is left out.
     */
    private List<SeatGroup> groups(long licenseId) {
        PoolPolicy policy = licensor.catalog().policy(licenseId).orElse(null);
        if (policy == null) {
            return List.of();
        }
        Map<String, SeatGroup> groups = new LinkedHashMap<>();
        for (PolicyRule rule : policy.rules()) {
            GroupKind kind = rule.type() == PolicyRule.TargetType.GROUP ? GroupKind.USER
                    : rule.type() == PolicyRule.TargetType.HOST_GROUP ? GroupKind.HOST : null;
            if (kind != null && !groups.containsKey(kind + "/" + rule.name())) {
                licensor.catalog().group(kind, rule.name()).ifPresent(g -> groups.put(kind + "/" + rule.name(), g));
            }
        }
        return List.copyOf(groups.values());
    }

    private License validate(UtilisationRequest r) {
        if (r == null || r.from() == null || r.to() == null || r.bucket() == null) {
            throw new LicensingException(Code.INVALID_REQUEST, "licenseId, from, to and bucket are required");
        }
        if (!r.from().isBefore(r.to())) {
            throw new LicensingException(Code.INVALID_REQUEST, "from must be before to");
        }
        Duration span = Duration.between(r.from(), r.to());
        if (span.dividedBy(r.bucket().length()) >= UtilisationRequest.MAX_BUCKETS) {
            throw new LicensingException(Code.INVALID_REQUEST,
                    "at most " + UtilisationRequest.MAX_BUCKETS + " buckets per report");
        }
        if (r.topHolders() < 0 || r.topHolders() > UtilisationRequest.MAX_TOP_HOLDERS) {
            throw new LicensingException(Code.INVALID_REQUEST,
                    "topHolders must be in 0.." + UtilisationRequest.MAX_TOP_HOLDERS);
        }
        License pool = r.licenseId() <= 0 ? null : licensor.catalog().license(r.licenseId()).orElse(null);
        if (pool == null || !pool.isFloating()) {
            throw new LicensingException(Code.INVALID_REQUEST, "license " + r.licenseId() + " is not a floating pool");
        }
        return pool;
    }
}
