package dev.licensor.store;

/**
 * An optional capability of a store that other processes or hosts write to: it tells an engine's
 * lookup cache which cached rows they changed, so the cache drops them before its time-to-live
 * runs out. The PostgreSQL store implements it with {@code LISTEN/NOTIFY}.
 *
 * <p>Delivery is best effort: a notice can be late or lost (a dropped connection), which is why
 * the cache's time-to-live stays the staleness bound. A feed that knows it may have missed notices
 * (it reconnected) calls {@link ChangeListener#everythingChanged()}. The engine never decides a
 * grant from the cache, so a late notice can only make a lookup stale, never oversubscribe a pool.
 *
 * <p>The engine subscribes when it is built with a cache on a store that implements this.
 * Implementations must be thread-safe and may call listeners from their own thread.
 */
public interface ChangeFeed {

    /**
     * Calls {@code listener} for every change committed to the store from now on (by any process,
     * this one included), until the returned handle is closed or the store is closed.
     */
    AutoCloseable subscribe(ChangeListener listener);
}
