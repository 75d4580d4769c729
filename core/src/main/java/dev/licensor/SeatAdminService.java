package dev.licensor;

import dev.licensor.catalog.License;
import dev.licensor.floating.Lease;
import dev.licensor.floating.PoolSeats;
import dev.licensor.floating.QueueEntry;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.floating.SeatAdministration;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.Change;
import dev.licensor.store.Key;
import dev.licensor.store.LockKey;
import dev.licensor.store.Query;
import dev.licensor.store.StoreTransaction;
import java.util.TreeSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The administrator's view of pools and licenses. Each change (force release, blacklist, switches,
 * purge) locks and loads the rows it decides on, decides in {@link SeatAdminRules} with no store
 * call, and applies the change set in one {@code apply(Change...)}. Thread-safe (stateless beyond
 * the engine).
 */
final class SeatAdminService implements SeatAdministration {
    /** Lapsed leases deleted per purge transaction, so writers are never held up long. */
    private static final int PURGE_BATCH = 500;

    /** Order of {@link #holders}: by grant time, then hardware id by Unicode code point. */
    static final Comparator<Lease> HOLDER_ORDER = Comparator.comparing(Lease::grantedAt)
            .thenComparing(Lease::hardwareId, Check::byCodePoint);

    private final Engine engine;
    private final SeatCacheHook cache;
    private final SeatSignal signal;
    private final String actor;

    SeatAdminService(Engine engine, SeatCacheHook cache, SeatSignal signal) {
        this(engine, cache, signal, "");
    }

    private SeatAdminService(Engine engine, SeatCacheHook cache, SeatSignal signal, String actor) {
        this.engine = engine;
        this.cache = cache;
        this.signal = signal;
        this.actor = actor;
    }

    /** The same administration, recording {@code actor} as who made each change. */
    public SeatAdminService as(dev.licensor.ledger.Actor actor) {
        return new SeatAdminService(engine, cache, signal, actor.name());
    }

    private static License license(StoreTransaction tx, long licenseId) {
        return tx.find(Key.license(licenseId)).orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
    }

    @Override
    public Outcome<List<Lease>> holders(long licenseId) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            return engine.store().read(tx -> {
                license(tx, licenseId);
                List<Lease> live = new ArrayList<>(tx.list(Query.leasesLiveAfter(licenseId, engine.now())));
                live.sort(HOLDER_ORDER); // the documented order, whatever order the store returned
                return List.copyOf(live);
            });
        });
    }

    @Override
    public Outcome<PoolSeats> pool(long licenseId) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            return engine.store().read(tx -> {
                Instant now = engine.now();
                License license = license(tx, licenseId);
                PoolPolicy policy = tx.find(Key.poolPolicy(licenseId)).orElse(PoolPolicy.NONE);
                List<Lease> live = tx.list(Query.leasesLiveAfter(licenseId, now));
                List<PolicyRule> reserves = policy.rules(PolicyRule.Kind.RESERVE);
                int[] unused = SeatRules.unusedReservations(reserves, Seats.groups(tx, policy), live);
                List<PoolSeats.Reservation> reservations = new ArrayList<>();
                for (int i = 0; i < unused.length; i++) {
                    reservations.add(new PoolSeats.Reservation(reserves.get(i), reserves.get(i).count() - unused[i], unused[i]));
                }
                int borrowed = (int) live.stream().filter(l -> l.isBorrowedAt(now)).count();
                int over = (int) live.stream().filter(Lease::overLimit).count();
                List<QueueEntry> queued = tx.list(Query.queue(licenseId)).stream().filter(e -> e.isLiveAt(now)).toList();
                return new PoolSeats(licenseId, license.floatingSeats(), policy.overdraft().limit(license.floatingSeats()),
                        policy, live, borrowed, over, reservations, queued);
            });
        });
    }

    @Override
    public Outcome<dev.licensor.policy.PoolUsage> usage(long licenseId, Instant from, Instant to) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            Check.that(from != null && to != null && from.isBefore(to), "from must be before to");
            return engine.store().read(tx -> {
                license(tx, licenseId);
                return UsageReport.build(tx, licenseId, tx.find(Key.poolPolicy(licenseId)).orElse(PoolPolicy.NONE), from, to);
            });
        });
    }

    @Override
    public Outcome<Lease> forceRelease(long licenseId, String hardwareId) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            String hw = Seats.seatKey(hardwareId);
            Lease freed = engine.store().write(tx -> {
                Instant now = engine.now();
                tx.lock(LockKey.pool(licenseId));
                Optional<License> license = tx.find(Key.license(licenseId));
                Optional<Lease> lease = license.isPresent() ? tx.find(Key.lease(licenseId, hw)) : Optional.empty();
                Decision<Lease> decided = SeatAdminRules.forceRelease(license, lease, licenseId, hw, now, actor);
                tx.apply(decided.toApply());
                return decided.result();
            });
            cache.seatChanged(licenseId, hw);
            signal.seatFreed();
            return freed;
        });
    }

    @Override
    public int purgeLapsed() {
        int total = 0;
        int[] seenCount = new int[1]; // leases the last batch read, purged or not
        while (true) {
            List<Lease> purged = engine.store().write(tx -> {
                Instant now = engine.now();
                List<Lease> lapsed = tx.list(Query.leasesLapsedBy(now, PURGE_BATCH));
                // Read before the pools were locked: lock them all (ascending), then delete each
                // lease only if it is still there and still lapsed.
                TreeSet<Long> pools = new TreeSet<>();
                lapsed.forEach(l -> pools.add(l.licenseId()));
                tx.lock(pools.stream().map(LockKey::pool).toArray(LockKey[]::new));
                List<Lease> current = new ArrayList<>();
                for (Lease seen : lapsed) {
                    tx.find(Key.lease(seen.licenseId(), seen.hardwareId())).ifPresent(current::add);
                }
                Decision<List<Lease>> decided = SeatAdminRules.purge(current, now);
                if (!decided.changes().isEmpty()) {
                    tx.apply(decided.toApply());
                }
                List<Lease> deleted = decided.result();
                seenCount[0] = lapsed.size();
                return deleted;
            });
            for (Lease lease : purged) {
                cache.seatChanged(lease.licenseId(), lease.hardwareId()); // a cached expiry must not outlive the row
            }
            total += purged.size();
            if (!purged.isEmpty()) {
                signal.seatFreed();
            }
            if (seenCount[0] < PURGE_BATCH) {
                return total;
            }
        }
    }

    @Override
    public Outcome<Void> blacklist(String product, String hardwareId) {
        return changeBlacklist(product, hardwareId, true);
    }

    @Override
    public Outcome<Void> unblacklist(String product, String hardwareId) {
        return changeBlacklist(product, hardwareId, false);
    }

    private Outcome<Void> changeBlacklist(String product, String hardwareId, boolean add) {
        return engine.attempt(() -> {
            String code = Check.productCode(product);
            String hw = Check.text("hardware_id", hardwareId);
            return engine.store().write(tx -> {
                tx.lock(LockKey.CATALOG);
                boolean exists = tx.find(Key.product(code)).isPresent();
                tx.apply(SeatAdminRules.blacklist(exists, code, hw, add, engine.now(), actor).toArray(Change[]::new));
                return null;
            });
        });
    }

    @Override
    public Outcome<Void> setEnabled(long licenseId, boolean enabled) {
        return setSwitches(licenseId, enabled, null);
    }

    @Override
    public Outcome<Void> setActive(long licenseId, boolean active) {
        return setSwitches(licenseId, null, active);
    }

    private Outcome<Void> setSwitches(long licenseId, Boolean enabled, Boolean active) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            engine.store().write(tx -> {
                tx.lock(LockKey.pool(licenseId));
                Decision<License> decided = SeatAdminRules.switches(tx.find(Key.license(licenseId)),
                        enabled, active, engine.now(), actor);
                tx.apply(decided.toApply());
                return null;
            });
            cache.licenseChanged(licenseId);
            return null;
        });
    }
}
