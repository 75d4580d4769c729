package dev.licensor;

import dev.licensor.catalog.Product;
import dev.licensor.outcome.Code;
import dev.licensor.store.LockKey;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.PoolLoad;
import dev.licensor.store.PoolState;
import java.time.Instant;

/**
 * One unit of work on one floating pool, the allocation step every device call shares: read the
 * product and the license the request names (rows that never change), lock the pool, load its
 * state in one call ({@link dev.licensor.store.StoreTransaction#loadPool}), decide with
 * {@link FloatingRules} (pure: no store call, no clock read), apply the decision's changes in one
 * call ({@link dev.licensor.store.StoreTransaction#apply}); after the commit, tell the cache and
 * the seat signal. Not API.
 *
 * <p>Thread-safe: stateless beyond the engine, the cache and the signal, which are.
 */
final class PoolUnit {
    private final Engine engine;
    private final SeatCacheHook cache;
    private final SeatSignal signal;

    PoolUnit(Engine engine, SeatCacheHook cache, SeatSignal signal) {
        this.engine = engine;
        this.cache = cache;
        this.signal = signal;
    }

    /** What a unit loads about the pool, given the license id, the request and now. */
    @FunctionalInterface
    interface Load {
        PoolLoad of(long licenseId, DeviceTarget t, Instant now);
    }

    /** The decision of a unit, from the loaded pool, the product and now. */
    @FunctionalInterface
    interface Decide<T> {
        FloatingRules.Decision<T> of(PoolState state, Product product, Instant now);
    }

    /**
     * One pool unit, in the documented order of checks: the product (the first check of every
     * call), the license the key or username names (which never changes, so the engine
     * remembers it: {@link FixedRows}), the pool's lock, its state, the decision. A refusal
     * throws (the unit writes nothing); a grant or a queueing applies its changes. Returns the
     * decision for the after-commit steps ({@link #after}).
     */
    <T> FloatingRules.Decision<T> unit(DeviceTarget t, Load load, Decide<T> decide) {
        return engine.store().write(tx -> {
            Instant now = engine.now();
            Product product = engine.fixed().product(tx, t.product()).orElseThrow(() -> Denied.of(Code.UNKNOWN_PRODUCT));
            Long id = engine.fixed().licenseId(tx, t.product(), t.key(), t.username());
            if (id == null || (t.licenseId() != null && t.licenseId().longValue() != id)) {
                throw Denied.of(Code.LICENSE_NOT_FOUND);
            }
            tx.lock(LockKey.pool(id));
            PoolState state = tx.loadPool(load.of(id, t, now)).orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
            FloatingRules.Decision<T> decision = decide.of(state, product, now);
            if (decision instanceof FloatingRules.Refused<T> r) {
                throw r.denied();
            }
            PoolChanges changes = decision instanceof FloatingRules.Granted<T> g ? g.changes()
                    : ((FloatingRules.Queued<T>) decision).changes();
            if (!changes.isEmpty()) {
                tx.apply(changes);
            }
            return decision;
        });
    }

    /** After the commit: drop the changed seats' (or license's) cached answers, wake waiters. */
    void after(FloatingRules.Decision<?> decision) {
        PoolChanges changes;
        FloatingRules.AfterCommit after;
        if (decision instanceof FloatingRules.Granted<?> g) {
            changes = g.changes();
            after = g.after();
        } else {
            FloatingRules.Queued<?> q = (FloatingRules.Queued<?>) decision;
            changes = q.changes();
            after = q.after();
        }
        if (after.seat() != null) {
            cache.seatChanged(changes.licenseId(), after.seat());
        }
        for (int i = 0; i < after.others().size(); i++) {
            cache.seatChanged(changes.licenseId(), after.others().get(i));
        }
        if (after.licenseChanged()) {
            cache.licenseChanged(changes.licenseId());
        }
        if (after.seatFreed()) {
            signal.seatFreed();
        }
    }

    /** A unit whose decision is a grant (or a refusal, thrown): its value, after the commit's steps. */
    <T> T granted(DeviceTarget t, Load load, Decide<T> decide) {
        FloatingRules.Decision<T> d = unit(t, load, decide);
        after(d);
        return ((FloatingRules.Granted<T>) d).value();
    }
}
