package dev.licensor.store.jdbc;

import dev.licensor.store.StoreWork;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for a store with one writer connection: callers who want a write unit at the same
 * time share one transaction and so one durable commit (one fsync on SQLite), instead of each
 * paying its own.
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
 * <p>Savepoint statements go through {@link JdbcConnection#execute}, so on a dialect that
 * pipelines a unit's deferred statements reach the server before its savepoint is released or
 * rolled back to.
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
        RuntimeException timedOut();

        /** The exception for a caller interrupted while it waited for the lock. */
        RuntimeException interrupted(InterruptedException e);
    }

    /** A queued unit and, once its batch ended, its answer. */
    private static final class Pending<T> {
        final StoreWork<T> work;
        final CountDownLatch done = new CountDownLatch(1);
        private boolean settled;
        private T result;
        private Throwable failure;

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

        /** Forgets a tentative answer: the unit runs again in a later batch. */
        void reset() {
            result = null;
            failure = null;
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

    private final ReentrantLock lock = new ReentrantLock(true);
    private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>(); // guarded by itself
    private final Writer writer;
    private final int maxBatch;
    private final long lockTimeoutNanos;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong units = new AtomicLong();
    private volatile int largest;

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
            return awaitAnswer(mine); // a leader runs it already: its answer comes with that batch
        }
        if (!locked) {
            if (withdraw(mine)) {
                throw writer.timedOut();
            }
            return awaitAnswer(mine);
        }
        try {
            while (!mine.answered()) {
                runBatch();
            }
        } finally {
            lock.unlock();
        }
        return mine.answer();
    }

    /** Removes a unit no leader took yet; false if one did. */
    private boolean withdraw(Pending<?> pending) {
        synchronized (queue) {
            return queue.remove(pending);
        }
    }

    /** Waits for the batch that took {@code mine}: every batch answers all it took, in a finally. */
    private static <T> T awaitAnswer(Pending<T> mine) {
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
        return mine.answer();
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
        try {
            JdbcConnection connection = writer.connection();
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
        try {
            p.succeed(Units.run(connection, writer.statements(), p.work, false, writer.what()));
        } catch (RuntimeException | Error e) {
            p.fail(e);
        }
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
            try {
                connection.execute(SAVEPOINT);
                Object value = p.work.run(tx);
                tx.close();
                connection.execute(RELEASE);
                p.succeed(value);
            } catch (SqlFailure e) {
                tx.close();
                return abandon(connection, batch, p,
                        Units.translate(dialect, e.sqlException(), dialect.name() + " failed on " + what + ": " + e.getMessage()));
            } catch (SQLException e) {
                tx.close(); // a savepoint statement failed: the transaction cannot be trusted
                return abandon(connection, batch, p, Units.translate(dialect, e, "savepoint on " + what + " failed"));
            } catch (RuntimeException | Error e) {
                tx.close();
                try {
                    connection.execute(ROLLBACK_TO);
                    connection.execute(RELEASE);
                } catch (SQLException rollback) {
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
            batch.forEach(p -> p.fail(failure)); // nothing committed: no answer may stand
        }
        return List.of();
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
