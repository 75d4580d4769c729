package dev.licensor.store;

/**
 * Core's only view of persistence, and the specification a store is written from. A store
 * persists rows and runs units of work atomically; it holds no licensing rule. Every decision
 * (is a seat free, may this device borrow, is the license expired) is made by the engine inside
 * a unit of work, from what the unit reads. The shared contract suite ({@code store-tests}) is
 * the executable form of this text.
 *
 * <h2>Units of work</h2>
 * <ul>
 *   <li><b>Atomicity.</b> A unit passed to {@link #write} either commits every write it made or,
 *       if it throws, none of them. The store rethrows the unit's exception unchanged.</li>
 *   <li><b>Locking protocol.</b> Before a changing unit reads the rows it decides from, core
 *       calls {@link StoreTransaction#lock} with the {@link LockKey}s of everything it will
 *       change, in the one global order of {@link LockKey} (so units cannot deadlock). A unit may
 *       read rows that identify what it will lock (a product, a license's id by its key, a client
 *       by name) before locking; a row that a catalog change may delete meanwhile (a client) is read
 *       again under the lock. The store makes a lock exclusive between units, across threads,
 *       processes and hosts, until the unit ends. With every writer of a row taking its key
 *       first, <em>read committed</em> isolation is enough: a unit that counts a pool's live
 *       leases and then inserts one holds the pool's key throughout, which is what keeps a pool
 *       from being oversubscribed. A store whose write units run one at a time anyway (SQLite
 *       {@code BEGIN IMMEDIATE}, one JVM lock) may treat locks as no-ops. A store must not rely
 *       on a lock inside one JVM if several processes share its data.</li>
 *   <li><b>No dirty reads.</b> A write unit never sees another unit's uncommitted rows, the
 *       ones it reads before locking included (read committed at least): a reader that acted on a
 *       catalog row of a unit that then rolled back would act on a row that never existed. A
 *       store may make the reader wait instead (SQLite's one writer; the memory store runs a unit
 *       that locks {@link LockKey#CATALOG} alone).</li>
 *   <li><b>Transient conflicts.</b> If the database reports a conflict that may pass on a new
 *       attempt (busy, serialization failure, deadlock, lock timeout), the store rolls the unit
 *       back and throws {@link TransientStoreException}. Stores do not retry: the engine re-runs
 *       the unit a bounded number of times with jittered backoff, then fails with
 *       {@link dev.licensor.outcome.Code#STORE_FAILURE}. Units are written to be re-runnable:
 *       no side effects outside the transaction.</li>
 *   <li><b>No nesting.</b> A unit must not start another unit on the same store; every store
 *       refuses it with {@link NestedUnitException} (use a {@link UnitGuard}).</li>
 *   <li><b>Durability.</b> When {@link #write} returns, the unit's writes survive a crash of the
 *       process (each store documents the setting that makes this true, e.g. SQLite
 *       {@code synchronous=FULL}, PostgreSQL {@code fsync=on} and {@code synchronous_commit=on}).
 *       The memory store is the one exception and says so.</li>
 *   <li><b>Consistent reads.</b> A unit passed to {@link #read} sees committed data only, and
 *       one committed state for the rows guarded by one lock key (a snapshot is best). It must
 *       not write or lock: stores throw {@link IllegalStateException} if it does.</li>
 * </ul>
 *
 * <p>Failures of the store itself (I/O, corruption, a closed store) are thrown as
 * {@link dev.licensor.outcome.LicensingException} with code
 * {@link dev.licensor.outcome.Code#STORE_FAILURE}; nothing is committed then. No
 * {@code SQLException} or driver exception escapes a store.
 *
 * <h2>A JDBC store in twenty lines</h2>
 * {@code licensor-store-jdbc} does all of this for a relational database given a
 * {@code Dialect}; written by hand, the heart of one is:
 * <pre>{@code
 * public <T> T write(StoreWork<T> work) {
 *     guard.enter();                                   // NestedUnitException if nested
 *     try (Connection c = dataSource.getConnection()) {
 *         c.setAutoCommit(false);
 *         c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
 *         try {
 *             T result = work.run(new JdbcTx(c));      // lock(k) = SELECT ... FOR UPDATE
 *             c.commit();                              // durable when this returns
 *             return result;
 *         } catch (SQLException e) {
 *             c.rollback();
 *             if ("40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState())) {
 *                 throw new TransientStoreException("conflict", e);   // core retries
 *             }
 *             throw new LicensingException(Code.STORE_FAILURE, e.getMessage(), e);
 *         } catch (RuntimeException e) {
 *             c.rollback();                            // a refusal: nothing written
 *             throw e;
 *         }
 *     } catch (SQLException e) {
 *         throw new LicensingException(Code.STORE_FAILURE, e.getMessage(), e);
 *     } finally {
 *         guard.exit();
 *     }
 * }
 * }</pre>
 * ({@code JdbcTx} wraps SQL exceptions thrown inside {@code work} so they reach the catch.)
 *
 * <p>Implementations must be thread-safe. A {@link StoreTransaction} is only valid inside the
 * unit it was passed to, on that unit's thread.
 */
public interface LicenseStore extends AutoCloseable {

    /**
     * Runs {@code work} in one read-write transaction, following the locking protocol, and
     * commits it.
     *
     * @return what {@code work} returned
     * @throws TransientStoreException if a transient conflict rolled the unit back
     * @throws NestedUnitException     if called from inside a unit of this store
     */
    <T> T write(StoreWork<T> work);

    /**
     * Runs {@code work} against committed data, without writing.
     *
     * @return what {@code work} returned
     * @throws TransientStoreException if a transient conflict ended the unit
     * @throws NestedUnitException     if called from inside a unit of this store
     */
    <T> T read(StoreWork<T> work);

    /** Releases the store's resources. Idempotent. */
    @Override
    void close();
}
