package dev.licensor.replay;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.replay.internal.Replayer;
import dev.licensor.report.LedgerScan;
import dev.licensor.report.UtilisationRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What-if replays of a {@link Licensor}'s floating pools: the recorded demand of a pool (every
 * check, borrow, release, queue join and seat refusal in its ledger, in order, at its recorded
 * time) re-run through the engine's own decisions with another seat count or policy, on a scratch
 * {@code MemoryLicenseStore} whose clock is set to each demand's time.
 *
 * <pre>{@code
 * WhatIfReport eight = WhatIf.of(licensor).replay(WhatIfRequest.of(poolId, monday, nextMonday, 8));
 * long wouldBeDenied = eight.replayed().denied();   // beside eight.recorded().denied()
 * }</pre>
 *
 * <p>Replaying the recorded configuration reproduces the recorded outcomes exactly for pools
 * leased per device without a queue, whose demands are all in the range (a seat taken before
 * {@code from} is not in the scratch pool). What the ledger does not keep typed is not replayed:
 * a borrow is replayed to the product's longest borrow; the user and host of a holder are not in
 * the ledger, so group rules of a policy match no one; a queued caller's silent re-checks leave no
 * entry, so its queue entry may lapse in the replay.
 *
 * <p>Memory is bounded by the pool's live leases, one activation per distinct device, the buckets
 * and one page of the ledger ({@link LedgerScan}); time is linear in the range's entries.
 * Thread-safe: each call builds its own scratch engine.
 */
public final class WhatIf {
    /** Most divergences a report lists (all are counted). */
    public static final int MAX_DIVERGENCES = 100;

    private final Licensor licensor;
    private final int pageSize;

    private WhatIf(Licensor licensor, int pageSize) {
        this.licensor = licensor;
        this.pageSize = pageSize;
    }

    /** Replays over {@code licensor}'s ledger and catalog. */
    public static WhatIf of(Licensor licensor) {
        return new WhatIf(Objects.requireNonNull(licensor, "licensor"), LedgerScan.PAGE);
    }

    /**
     * Replays the request's range.
     *
     * @throws LicensingException {@code invalid_request} for a null or out-of-range field, a pool that
     *                            is not floating, a policy that does not lease per device, or one that
     *                            names a group the catalog does not define
     */
    public WhatIfReport replay(WhatIfRequest request) {
        License pool = validate(request);
        Product product = licensor.catalog().product(pool.product()).orElseThrow(
                () -> new LicensingException(Code.INVALID_REQUEST, "the pool's product is gone"));
        PoolPolicy policy = request.policy() != null ? request.policy()
                : licensor.catalog().policy(pool.id()).orElse(PoolPolicy.NONE);
        if (policy.leasing() != LeasingStrategy.DEVICE) {
            throw new LicensingException(Code.INVALID_REQUEST,
                    "only pools leased per device can be replayed: the ledger keys other seats by user or process");
        }
        Replayer replayer = new Replayer(product, pool, policy, groups(policy), request.from(), request.to(),
                request.bucket().length(), request.seats(), MAX_DIVERGENCES);
        LedgerScan.forEach(licensor.ledger(), request.from(), request.to(), pageSize, replayer::accept);
        return replayer.finish();
    }

    /**
     * The catalog's groups the policy names ({@code GROUP}, {@code HOST_GROUP}), for the scratch
     * catalog, whose policy must name defined groups.
     *
     * @throws LicensingException {@code invalid_request} for a group the catalog does not define
     */
    private List<SeatGroup> groups(PoolPolicy policy) {
        Map<String, SeatGroup> groups = new LinkedHashMap<>();
        for (PolicyRule rule : policy.rules()) {
            GroupKind kind = rule.type() == PolicyRule.TargetType.GROUP ? GroupKind.USER
                    : rule.type() == PolicyRule.TargetType.HOST_GROUP ? GroupKind.HOST : null;
            if (kind != null && !groups.containsKey(kind + "/" + rule.name())) {
                groups.put(kind + "/" + rule.name(), licensor.catalog().group(kind, rule.name()).orElseThrow(
                        () -> new LicensingException(Code.INVALID_REQUEST,
                                "the policy names " + rule.type() + " " + rule.name() + ", which the catalog does not define")));
            }
        }
        return List.copyOf(groups.values());
    }

    private License validate(WhatIfRequest r) {
        if (r == null || r.from() == null || r.to() == null || r.bucket() == null) {
            throw new LicensingException(Code.INVALID_REQUEST, "licenseId, from, to and bucket are required");
        }
        if (!r.from().isBefore(r.to())) {
            throw new LicensingException(Code.INVALID_REQUEST, "from must be before to");
        }
        if (Duration.between(r.from(), r.to()).dividedBy(r.bucket().length()) >= UtilisationRequest.MAX_BUCKETS) {
            throw new LicensingException(Code.INVALID_REQUEST,
                    "at most " + UtilisationRequest.MAX_BUCKETS + " buckets per replay");
        }
        if (r.seats() < 1 || r.seats() > WhatIfRequest.MAX_SEATS) {
            throw new LicensingException(Code.INVALID_REQUEST, "seats must be in 1.." + WhatIfRequest.MAX_SEATS);
        }
        License pool = r.licenseId() <= 0 ? null : licensor.catalog().license(r.licenseId()).orElse(null);
        if (pool == null || !pool.isFloating()) {
            throw new LicensingException(Code.INVALID_REQUEST, "license " + r.licenseId() + " is not a floating pool");
        }
        return pool;
    }
}
