package dev.licensor.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a store does inside one unit of work: eight calls. {@link #lock} the keys a unit changes;
 * {@link #loadPool} and {@link #apply(PoolChanges)} for a floating decision (load a pool's state,
 * write the decision's changes); {@link #find}, {@link #list} and {@link #count} for the rows the
 * other operations read (one typed {@link Key}, {@link Query} or {@link Count} each);
 * {@link #apply(Change...)} for the rows they write and the ledger entries they append; and
 * {@link #prune} for the ledger's retention. No rules: the engine validates and decides everything
 * before it writes, and the unique keys named by {@link Key} and {@link Change} are the only
 * constraints a store enforces (a violation is a bug in the engine and may throw
 * {@link IllegalStateException}).
 *
 * <p><b>Orders.</b> Every {@link Query} states its order, and the shared suite checks it. "Code
 * point order" is {@link CodePointOrder} (SQL: binary / {@code "C"} collation).
 *
 * <p><b>Indexes.</b> Every call is a lookup by the key it names or an index range bounded by what it
 * returns or counts; none may scan a table that grows with licenses, clients, devices, leases,
 * consumptions or the ledger.
 *
 * <p>Writes and locks from a {@link LicenseStore#read} unit throw {@link IllegalStateException}.
 * Not thread-safe: valid only inside its unit, on the unit's thread.
 */
public interface StoreTransaction {

    /**
     * Locks {@code keys} until the unit ends (commit or rollback), waiting for units that hold
     * them. Core calls it before reading the rows a key guards, and only in ascending
     * {@link LockKey} order: keys of one call are sorted by the store, and every new key must be
     * above every key the unit already holds (a key already held is skipped). Stores check this
     * with {@link HeldLocks} and throw {@link IllegalStateException} otherwise.
     *
     * <p>A store whose units already run one at a time (SQLite's {@code BEGIN IMMEDIATE}) may
     * take nothing. A lock wait that times out, or a deadlock the database reports anyway, is a
     * {@link TransientStoreException}.
     */
    void lock(LockKey... keys);

    /**
     * Everything a floating decision about one pool reads, in one call: core calls it right after
     * {@code lock(LockKey.pool(load.licenseId()))}, decides in memory with no other store call,
     * then calls {@link #apply(PoolChanges)} once. Empty if the license row does not exist (a
     * deleted license); nothing else is read then.
     *
     * <p>What is loaded, and the bound of each part, is in {@link PoolLoad} and {@link PoolState}:
     * the license ({@link Key.LicenseById}), whether the device is blacklisted
     * ({@link Key.Blacklisted}), its activation ({@link Key.ActivationOf}), the activation count if
     * asked ({@link Count.Activations}), the policy ({@link Key.PolicyOf}, {@code PoolPolicy.NONE}
     * if none), the lease of each seat key ({@link Key.LeaseOf}), the live leases
     * ({@link Query.LiveLeases}) or their count ({@link Count.LiveLeases}) as {@link PoolLoad.Live}
     * says, each group the policy names ({@link PoolState#groupsNamedBy}, when live leases are
     * loaded), the lapsed batch if a limit is given ({@link Query.LapsedLeases}), the queue if asked
     * and the policy queues ({@link Query.Queue}): the same rows those calls return, read under the
     * pool's lock. A SQL store sends these reads in one round trip.
     */
    Optional<PoolState> loadPool(PoolLoad load);

    /**
     * Writes a decision's changes to one pool, in this order: the license row (if any), the
     * activation put (if any), the lease deletes, the lease puts, the queue deletes, the queue puts,
     * the activation delete (if any), the blacklist changes, then the ledger entries in list order
     * (the same effect as the matching {@link Change}s applied in that order). Deletes of rows that
     * do not exist are skipped. The unit holds the pool's lock (and the catalog's for blacklist
     * changes). A SQL store sends the writes together (one batch); the ledger's seqs follow the
     * feed rule of {@link #apply(Change...)}.
     *
     * @return the seq assigned to each of {@code changes.ledger()}, in order (the engine's events
     *         carry them)
     */
    long[] apply(PoolChanges changes);

    /**
     * The row {@code key} names, if it exists: one primary-key or unique-index lookup (see each
     * {@link Key} type for its key). A write unit reads a row its locks guard as committed by the
     * last unit that held them; any other row it reads is committed (no dirty reads).
     *
     * @param <R> the row type
     * @return the row, or empty; a {@code Key<Boolean>} answers {@code Optional.of(true)} or empty
     */
    <R> Optional<R> find(Key<R> key);

    /**
     * The rows {@code query} selects, in the order the {@link Query} type states: one index range
     * scan bounded by its limit or by the owner's rows, never a scan of a table that grows.
     *
     * @param <R> the row type
     * @return the rows, possibly empty (core does not change the list)
     */
    <R> List<R> list(Query<R> query);

    /** The number of rows {@code count} names: an index range count (see {@link Count}). */
    int count(Count count);

    /**
     * Applies {@code changes} in order, as part of the unit (atomic with the rest of it), and
     * returns one result per change: the new id of an insert, the seq of a ledger entry, 1 or 0 for
     * a delete (whether the row existed) or a blacklist put (whether it was added), 0 otherwise
     * (each {@link Change} type states its result). Core passes the changes of one step of a
     * decision together, and reads nothing it changed in the same call.
     *
     * <p><b>The feed rule</b> ({@link Change.AppendLedger}). Seqs are positive and increasing in
     * commit order, never reused (not even after {@link #prune} deleted the highest). A reader of
     * {@link Query.LedgerAfter} that stores the last seq it read and asks for what comes after it
     * must never miss an entry. So a store must make seqs <em>visible in seq order</em>: once an
     * entry is visible to a reader, every entry with a lower seq is either visible too or will
     * never commit. Ways to honour it:
     * <ul>
     *   <li>Assign the seq under a lock held until commit, so seqs are taken in commit order. The
     *       memory store (one lock) and SQLite (one writer at a time, {@code max(seq) + 1}) do so.
     *       On PostgreSQL, take a transaction-scoped lock before the first ledger insert of a
     *       transaction (e.g. {@code pg_advisory_xact_lock} on one fixed ledger key, or
     *       {@code SELECT ... FOR UPDATE} of a one-row ledger table) and assign the seq after
     *       taking it. A plain sequence or identity column is <em>not</em> enough: a transaction
     *       can take seq 7, another seq 8 and commit first, and a reader that read 8 skips 7.</li>
     *   <li>Or return only entries below the lowest seq still held by an uncommitted transaction
     *       (e.g. PostgreSQL's {@code pg_snapshot_xmin} compared with a transaction-id column).</li>
     * </ul>
     * The engine's change events rely on the same rule for their order.
     *
     * @return one result per change, in order
     */
    long[] apply(Change... changes);

    /**
     * Deletes up to {@code limit} ledger entries with {@code at < before}, oldest (at, seq) first;
     * returns how many. Seqs are not given again.
     */
    int prune(Instant before, int limit);
}
