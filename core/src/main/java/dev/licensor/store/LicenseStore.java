package dev.licensor.store;

/**
 * Core's only view of persistence. A store persists rows and runs units of work atomically; it
 * holds no licensing rule. Every decision (is a seat free, may this device borrow, is the license
 * expired) is made by the engine inside a unit of work, from what the unit reads.
 *
 * <h2>Guarantees a store must give</h2>
 * <ul>
 *   <li><b>Atomicity.</b> A unit passed to {@link #write} either commits every write it made or,
 *       if it throws, none of them. The store rethrows the unit's exception unchanged.</li>
 *   <li><b>Serializable isolation.</b> Units passed to {@link #write} behave as if run one at a
 *       time, across threads <em>and processes</em> sharing the store. Concretely, a unit that
 *       counts the live leases of a pool and then inserts one can never interleave with another
 *       unit doing the same: this is what keeps a pool from being oversubscribed. How a store
 *       achieves it is its business (the memory store: one lock; SQLite: {@code BEGIN IMMEDIATE};
 *       PostgreSQL: {@code SERIALIZABLE}, or {@code SELECT ... FOR UPDATE} of the license row
 *       read first). A SQL store must not rely on a lock inside one JVM.</li>
 *   <li><b>Retry.</b> A store may run a unit more than once if its first run lost a
 *       serialization conflict; only the last run's writes commit. Units are written to be
 *       re-runnable: they have no side effects outside the transaction.</li>
 *   <li><b>Durability.</b> When {@link #write} returns, the unit's writes survive a crash of the
 *       process (each store documents the setting that makes this true).</li>
 *   <li><b>Consistent reads.</b> A unit passed to {@link #read} sees one committed state; it must
 *       not write (stores throw {@link IllegalStateException} if it does).</li>
 * </ul>
 *
 * <p>Failures of the store itself (I/O, corruption, timeouts) are thrown as
 * {@link dev.licensor.outcome.LicensingException} with code
 * {@link dev.licensor.outcome.Code#STORE_FAILURE}; nothing is committed then.
 *
 * <p>Implementations must be thread-safe. A {@link StoreTransaction} is only valid inside the
 * unit it was passed to, on that unit's thread.
 */
public interface LicenseStore extends AutoCloseable {

    /**
     * Runs {@code work} in one serializable read-write transaction and commits it.
     *
     * @return what {@code work} returned
     */
    <T> T write(StoreWork<T> work);

    /**
     * Runs {@code work} against one consistent committed state, without writing.
     *
     * @return what {@code work} returned
     */
    <T> T read(StoreWork<T> work);

    /** Releases the store's resources. Idempotent. */
    @Override
    void close();
}
