package dev.licensor.store.jdbc;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.LockKey;
import dev.licensor.store.StoreWork;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: callers of one store who want a write unit at the same time share one transaction
 * and so one durable commit (one fsync on SQLite, one WAL flush on PostgreSQL), instead of each
 * paying its own. Batches run one at a time, on the writer's connection (SQLite's one writer; a
 * connection PostgreSQL's store borrows per batch).
 *
 * <p><b>How.</b> A caller queues its unit and takes the writer lock. Whoever holds the lock is the
 * <em>leader</em>: it takes up to {@code maxBatch} queued units (its own among them, in queue
 * order), runs them in one transaction, each inside its own savepoint, commits once, and answers
 * every caller of the batch. A caller whose unit another leader committed finds its answer when it
 * gets the lock and leaves at once. No thread is started and no timer waits for company: a lone
 * caller runs its unit alone, exactly as without batching (no savepoint either).
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li><b>Nothing acknowledged is lost:</b> a caller is answered only after the commit holding its
 *       unit returned (durable as the store's setting makes every commit).</li>
 *   <li><b>All or nothing per unit:</b> a unit that throws (a refusal, a bug) is rolled back to its
 *       savepoint: it changes nothing and the others of the batch go on; its caller gets its
 *       exception unchanged. A unit that meets a SQL error (the transaction may be unusable) rolls
 *       the whole transaction back; its caller gets the translated error and the batch's other
 *       units, not yet answered, are queued again at the head and re-run (units are re-runnable
 *       by the store contract). A failed commit answers every unit of the batch with the
 *       translated error (a transient one is retried by each caller's engine).</li>
 *   <li><b>Order:</b> units run one after another on the leader's thread, each on the state the
 *       previous ones left, in queue order, so a pool's units decide in order. As one writer runs
 *       at a time, this is the serial order the store had before.</li>
 *   <li><b>Bounded:</b> at most {@code maxBatch} units per transaction; a caller waits for the
 *       lock at most {@code lockTimeout}, then gives up with its unit unrun, unless a leader has
 *       already taken it, in which case it waits for that batch's answer.</li>
 * </ul>
 *
 * <p><b>Busy locks (a store shared by hosts, PostgreSQL).</b> A writer whose connection bounds
 * every lock wait to a try ({@link Writer#busy}) never lets one contended key stall the batch: a
 * unit that meets a lock another host holds is rolled back to its savepoint, the batch goes on,
 * and the unit's own caller then runs it <em>contended</em>, outside the writer lock: on a
 * connection of its own it takes, waiting as long as the store's lock timeout allows, the locks
 * the unit asked for (in the order it asked, which is the global order), then takes the writer
 * lock and runs the unit with lock waits bounded to a try again (a key it had not asked for
 * before sends it round once more, at most {@value #CONTENDED_ROUNDS} times). So a caller waits
 * on a database lock only while it holds no writer lock: two hosts' batches cannot deadlock, and a
 * host's unrelated pools are not held up. Every transaction that writes holds the writer lock
 * from its first write to its commit, so one store's transactions commit in the order they began
 * to write (the PostgreSQL ledger's seqs rely on it).
 *
 * <p>On a dialect that pipelines, a unit's {@code SAVEPOINT} travels with its first statement and
 * its {@code RELEASE} with the next unit's (or the {@code COMMIT}), unless the unit left
 * statements deferred: then the {@code RELEASE} is sent at once, so a failing write is the unit's
 * own. A unit that ends before it sent anything is undone by dropping what it deferred.
 *
 * <p>Counters ({@link #commits()}, {@link #units()}, {@link #largestBatch()}) give the batch sizes
 * for metrics: units per commit is fsyncs saved.
 *
 * <p>Thread-safe.
 */
public final class GroupCommit {
    /** The writer side of a store, used only by the leader, under {@link #lock()}. */
    public interface Writer {
        /** The writer connection, reopened if the last one broke; throws {@code STORE_FAILURE} if it cannot. */
        JdbcConnection connection();

        /** The statements of the store's dialect. */
        Statements statements();

        /** Names the database in failure messages (a file, a URL). */
        String what();

        /** The exception for a caller that waited {@code lockTimeout} for the writer lock in vain. */
        default RuntimeException timedOut() {
            return new LicensingException(Code.STORE_FAILURE, "timed out waiting for this host's other writes on " + what());
        }

        /** The exception for a caller interrupted while it waited for the lock. */
        default RuntimeException interrupted(InterruptedException e) {
            return new LicensingException(Code.STORE_FAILURE, "interrupted while waiting to write " + what(), e);
        }

        /** Called after each batch with its connection: a store that borrows one per batch gives it back. */
        default void release(JdbcConnection connection) {
        }

        /**
         * Whether {@code e}, met by a unit on {@link #connection()} or in a contended run, says a
         * lock it asked for was busy (the writer bounds its lock waits to a try), so the unit runs
         * contended. False by default: a writer that waits for no lock (SQLite's) never is.
         */
        default boolean busy(SQLException e) {
            return false;
        }

        /**
         * A connection of its own, whose lock waits are bounded by the store's lock timeout, for a
         * contended run; given back through {@link #release}. Only called if {@link #busy} can be true.
         */
        default JdbcConnection contendedConnection() {
            throw new UnsupportedOperationException("this writer never meets a busy lock");
        }

        /**
         * A statement that bounds the lock waits of the rest of a contended run's transaction to a
         * try, once it holds the writer lock (for example PostgreSQL's
         * {@code SELECT set_config('lock_timeout', '1', true)}); null if there is none.
         */
        default String tryLocks() {
            return null;
        }

    }

    /** A queued unit and, once its batch ended, its answer. */
    private static final class Pending<T> {
        final StoreWork<T> work;
        final CountDownLatch done = new CountDownLatch(1);
        private boolean settled;
        private T result;
        private Throwable failure;
        /** The lock statements the unit asked for when it met a busy one; null if it did not. */
        private List<Object[]> busyLocks;

        Pending(StoreWork<T> work) {
            this.work = work;
        }

        @SuppressWarnings("unchecked")
        void succeed(Object value) {
            result = (T) value;
            failure = null;
            settled = true;
        }

        void fail(Throwable e) {
            result = null;
            failure = e;
            settled = true;
        }

        /** The unit met a busy lock and changed nothing: its caller runs it contended. */
        void busy(List<Object[]> locks) {
            result = null;
            failure = null;
            busyLocks = locks;
            settled = true;
        }

        /** Forgets a tentative answer: the unit runs again in a later batch. */
        void reset() {
            result = null;
            failure = null;
            busyLocks = null;
            settled = false;
        }

        boolean answered() {
            return done.getCount() == 0;
        }

        T answer() {
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            return result;
        }
    }

    private static final String SAVEPOINT = "SAVEPOINT licensor_unit";
    private static final String RELEASE = "RELEASE SAVEPOINT licensor_unit";
    private static final String ROLLBACK_TO = "ROLLBACK TO SAVEPOINT licensor_unit";
    /** Contended runs of one unit at most: each round takes, waiting, every lock the last one asked for. */
    static final int CONTENDED_ROUNDS = 4;

    private final ReentrantLock lock = new ReentrantLock(true);
    private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>(); // guarded by itself
    private final Writer writer;
    private final int maxBatch;
    private final long lockTimeoutNanos;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong units = new AtomicLong();
    private final AtomicLong contended = new AtomicLong();
    private volatile int largest;
    private final Set<String> lockStatements;

    /**
     * @param writer      the store's writer side
     * @param maxBatch    most units per transaction, at least 1 (1 turns batching off)
     * @param lockTimeout how long a caller waits for the writer lock
     */
    public GroupCommit(Writer writer, int maxBatch, Duration lockTimeout) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.writer = writer;
        this.maxBatch = maxBatch;
        this.lockTimeoutNanos = lockTimeout.toNanos();
        Set<String> locks = new HashSet<>();
        for (LockKey.Kind kind : LockKey.Kind.values()) {
            String sql = writer.statements().lock(kind);
            if (sql != null) {
                locks.add(sql);
            }
        }
        this.lockStatements = Set.copyOf(locks);
    }

    /** The writer lock: held by the leader while it runs a batch; the store takes it to close. */
    public ReentrantLock lock() {
        return lock;
    }

    /** Transactions committed (or attempted) by batches so far. */
    public long commits() {
        return commits.get();
    }

    /** Units those transactions carried. */
    public long units() {
        return units.get();
    }

    /** Units that met a busy lock in a batch and ran contended, on their caller's connection. */
    public long contendedUnits() {
        return contended.get();
    }

    /** The most units one transaction has carried. */
    public int largestBatch() {
        return largest;
    }

    /** Units queued and not yet taken by a leader (for tests). */
    public int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /**
     * Runs {@code work} in a write transaction, alone or with other callers' units, and returns
     * once the commit that holds it returned.
     */
    public <T> T write(StoreWork<T> work) {
        Pending<T> mine = new Pending<>(work);
        synchronized (queue) {
            queue.addLast(mine);
        }
        boolean locked;
        try {
            locked = lock.tryLock(lockTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (withdraw(mine)) {
                throw writer.interrupted(e);
            }
            return settle(awaitAnswer(mine)); // a leader runs it already: its answer comes with that batch
        }
        if (!locked) {
            if (withdraw(mine)) {
                throw writer.timedOut();
            }
            return settle(awaitAnswer(mine));
        }
        try {
            while (!mine.answered()) {
                runBatch();
            }
        } finally {
            lock.unlock();
        }
        return settle(mine);
    }

    /** The unit's answer, or, if it met a busy lock, the answer of a contended run (outside the writer lock). */
    private <T> T settle(Pending<T> p) {
        if (p.busyLocks == null) {
            return p.answer();
        }
        contended.incrementAndGet();
        return runContended(p.work, p.busyLocks);
    }

    /** Removes a unit no leader took yet; false if one did. */
    private boolean withdraw(Pending<?> pending) {
        synchronized (queue) {
            return queue.remove(pending);
        }
    }

    /** Waits for the batch that took {@code mine}: every batch answers all it took, in a finally. */
    private static <T> Pending<T> awaitAnswer(Pending<T> mine) {
        boolean interrupted = false;
        while (true) {
            try {
                mine.done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the unit runs anyway: its answer must reach the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return mine;
    }

    /** Takes up to maxBatch queued units and runs them; answers each unless it is queued again. */
    private void runBatch() {
        List<Pending<?>> batch = new ArrayList<>();
        synchronized (queue) {
            while (batch.size() < maxBatch && !queue.isEmpty()) {
                batch.add(queue.pollFirst());
            }
        }
        List<Pending<?>> requeue = List.of();
        JdbcConnection connection = null;
        try {
            connection = writer.connection();
            if (batch.size() == 1) {
                runAlone(connection, batch.get(0));
            } else {
                requeue = runTogether(connection, batch);
            }
        } catch (RuntimeException | Error e) {
            for (Pending<?> p : batch) {
                if (!p.settled) {
                    p.fail(e); // the writer connection could not be had: nothing ran
                }
            }
        } finally {
            if (connection != null) {
                connection.record(Set.of());
                writer.release(connection);
            }
            if (!requeue.isEmpty()) {
                synchronized (queue) {
                    for (int i = requeue.size() - 1; i >= 0; i--) {
                        requeue.get(i).reset();
                        queue.addFirst(requeue.get(i));
                    }
                }
            }
            for (Pending<?> p : batch) {
                if (!requeue.contains(p)) {
                    p.done.countDown();
                }
            }
        }
    }

    private void counted(int size) {
        commits.incrementAndGet();
        units.addAndGet(size);
        if (size > largest) {
            largest = size;
        }
    }

    private void runAlone(JdbcConnection connection, Pending<?> p) {
        counted(1);
        connection.record(lockStatements);
        try {
            p.succeed(Units.run(connection, writer.statements(), p.work, false, writer.what()));
        } catch (RuntimeException | Error e) {
            if (busy(e)) {
                p.busy(connection.recorded()); // Units.run rolled it back
            } else {
                p.fail(e);
            }
        }
    }

    /** Whether {@code e} (or what it wraps: Units translates) is a busy lock of the writer's. */
    private boolean busy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && writer.busy(sql)) {
                return true;
            }
            if (t instanceof SqlFailure f && writer.busy(f.sqlException())) {
                return true;
            }
        }
        return false;
    }

    /**
     * One transaction, a savepoint per unit, one commit. Answers are tentative until the commit
     * returns. Returns the units to queue again: after a SQL error in one unit rolled the whole
     * transaction back, every other unit of the batch (refused ones too: they decided on state
     * that is gone) runs again in a later batch.
     */
    private List<Pending<?>> runTogether(JdbcConnection connection, List<Pending<?>> batch) {
        Dialect dialect = connection.dialect();
        String what = writer.what();
        counted(batch.size());
        try {
            connection.begin(true);
        } catch (SQLException e) {
            connection.rollbackQuietly();
            RuntimeException failure = Units.translate(dialect, e, "cannot begin a transaction on " + what);
            batch.forEach(p -> p.fail(failure));
            return List.of();
        }
        for (Pending<?> p : batch) {
            JdbcTransaction tx = new JdbcTransaction(connection, writer.statements(), false);
            long mark = connection.mark();
            try {
                connection.record(lockStatements);
                connection.defer(SAVEPOINT); // travels with the unit's first statement where the dialect pipelines
                Object value = p.work.run(tx);
                tx.close();
                if (connection.hasDeferred()) {
                    connection.execute(RELEASE); // the unit's deferred writes fail as its own
                } else {
                    connection.defer(RELEASE);
                }
                p.succeed(value);
            } catch (SqlFailure e) {
                tx.close();
                if (busy(e) && undo(connection, mark)) {
                    p.busy(connection.recorded());
                    continue;
                }
                return abandon(connection, batch, p,
                        Units.translate(dialect, e.sqlException(), dialect.name() + " failed on " + what + ": " + e.getMessage()));
            } catch (SQLException e) {
                tx.close(); // a savepoint statement (or the writes sent with it) failed
                if (writer.busy(e) && undo(connection, mark)) {
                    p.busy(connection.recorded());
                    continue;
                }
                return abandon(connection, batch, p, Units.translate(dialect, e, "savepoint on " + what + " failed"));
            } catch (RuntimeException | Error e) {
                tx.close();
                if (!undo(connection, mark)) {
                    return abandon(connection, batch, p, e);
                }
                p.fail(e); // a refusal: this unit changed nothing, the others go on
            }
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            connection.rollbackQuietly();
            RuntimeException failure = Units.translate(dialect, e, "commit on " + what + " failed");
            for (Pending<?> p : batch) {
                if (p.busyLocks == null) {
                    p.fail(failure); // nothing committed: no answer may stand
                } // a busy unit had changed nothing anyway: it still runs contended
            }
        }
        return List.of();
    }

    /**
     * Undoes the unit begun at {@code mark}: drops what it deferred if none of it was sent, else
     * rolls back to its savepoint. False if that failed (the transaction cannot be trusted).
     */
    private static boolean undo(JdbcConnection connection, long mark) {
        if (connection.discardSince(mark)) {
            return true;
        }
        try {
            connection.defer(ROLLBACK_TO);
            connection.execute(RELEASE);
            return true;
        } catch (SQLException rollback) {
            return false;
        }
    }

    /**
     * Runs a unit that met a busy lock, on the caller's thread and a connection of its own: takes
     * {@code locks} waiting (bounded by the store's lock timeout, holding no writer lock), then,
     * under the writer lock, runs the unit with lock waits bounded to a try and commits. A lock
     * the unit had not asked for before that is busy now sends it round again with it.
     */
    private <T> T runContended(StoreWork<T> work, List<Object[]> locks) {
        Statements statements = writer.statements();
        String what = writer.what();
        for (int round = 1; ; round++) {
            JdbcConnection connection = writer.contendedConnection();
            Dialect dialect = connection.dialect();
            try {
                try {
                    connection.begin(true);
                    for (Object[] lock : locks) {
                        connection.execute((String) lock[0], (Object[]) lock[1]); // waits, holding no writer lock
                    }
                } catch (SQLException e) {
                    connection.rollbackQuietly();
                    throw Units.translate(dialect, e, "cannot take the locks of a contended unit on " + what);
                }
                boolean locked;
                try {
                    locked = lock.tryLock(lockTimeoutNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    connection.rollbackQuietly();
                    throw writer.interrupted(e);
                }
                if (!locked) {
                    connection.rollbackQuietly();
                    throw writer.timedOut();
                }
                JdbcTransaction tx = new JdbcTransaction(connection, statements, false);
                try {
                    counted(1);
                    connection.record(lockStatements);
                    String tryLocks = writer.tryLocks();
                    if (tryLocks != null) {
                        connection.defer(tryLocks);
                    }
                    T value = work.run(tx);
                    tx.close();
                    connection.commit();
                    return value;
                } catch (SqlFailure e) {
                    tx.close();
                    connection.rollbackQuietly();
                    if (busy(e) && round < CONTENDED_ROUNDS) {
                        locks = connection.recorded();
                        continue;
                    }
                    throw Units.translate(dialect, e.sqlException(), dialect.name() + " failed on " + what + ": " + e.getMessage());
                } catch (SQLException e) {
                    tx.close();
                    connection.rollbackQuietly();
                    if (writer.busy(e) && round < CONTENDED_ROUNDS) {
                        locks = connection.recorded();
                        continue;
                    }
                    throw Units.translate(dialect, e, "commit on " + what + " failed");
                } catch (RuntimeException | Error e) {
                    tx.close();
                    connection.rollbackQuietly();
                    throw e;
                } finally {
                    lock.unlock();
                }
            } finally {
                connection.record(Set.of());
                writer.release(connection);
            }
        }
    }

    /** Rolls the whole transaction back: {@code culprit} gets {@code failure}, every other unit runs again. */
    private static List<Pending<?>> abandon(JdbcConnection connection, List<Pending<?>> batch, Pending<?> culprit,
                                            Throwable failure) {
        connection.rollbackQuietly();
        culprit.fail(failure);
        List<Pending<?>> again = new ArrayList<>(batch);
        again.remove(culprit);
        return again;
    }
}
