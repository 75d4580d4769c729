package dev.licensor.store.jdbc;

import dev.licensor.store.ChangeListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the changes other hosts committed to a store's {@link ChangeListener}s by polling a
 * change record: a table the database's triggers append one entry to per changed seat, license or
 * client, tagged with the writing transaction's position ({@link Queries}). One daemon thread per
 * store, started on the first subscription; each poll borrows a connection from the host's
 * DataSource and gives it back.
 *
 * <p>A poll reads, in one snapshot, the record's mark (an epoch, and the position below which
 * entries were pruned) and the entries at or above the reader's cursor and below the snapshot's
 * horizon: every transaction below the horizon has ended, so its entries are final and nothing
 * later sorts below it. The cursor then moves to the horizon. A failed poll loses nothing (the
 * entries stay); a new epoch (the record was reset: an unlogged table after a crash or a failover)
 * or a prune past the cursor (this reader stalled) means entries may be gone, and every listener
 * is told {@link ChangeListener#everythingChanged()}.
 *
 * <p>{@link #maybePrune()} is called by the store after its writes: every {@code pruneEvery}th
 * call it deletes entries far below the horizon (in that caller's thread, after its commit), so
 * the record stays small whether or not any host polls.
 *
 * <p>Thread-safe.
 */
public final class ChangePoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangePoller.class);

    /**
     * The SQL of one database's change record.
     *
     * @param mark      one row (epoch, pruned_below, horizon) in the poll's snapshot, no row if
     *                  the record was reset
     * @param entries   the entries (kind, id, hardware id) with {@code from <= position < to}
     * @param reset     re-creates a missing mark with a new epoch (no-op if one exists)
     * @param prune     deletes entries far below the horizon and raises pruned_below to match
     * @param beginRead begins the poll's read-only snapshot (and bounds its statements)
     */
    public record Queries(String mark, String entries, String reset, String prune, String beginRead) {
        /** Checks the fields. */
        public Queries {
            Objects.requireNonNull(mark, "mark");
            Objects.requireNonNull(entries, "entries");
            Objects.requireNonNull(reset, "reset");
            Objects.requireNonNull(prune, "prune");
            Objects.requireNonNull(beginRead, "beginRead");
        }
    }

    /** One entry: a seat ({@code s}, license id, hardware id), a license ({@code l}) or a client ({@code c}). */
    record Entry(String kind, long id, String hardwareId) {
    }

    private final DataSource dataSource;
    private final Queries queries;
    private final Duration interval;
    private final String name;
    private final int pruneEvery;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicBoolean pruning = new AtomicBoolean();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Thread thread;
    private volatile boolean closed;
    /** The poll's state: owned by the thread. */
    private long epoch;
    private long cursor = -1;

    /**
     * A poller of {@code queries} on {@code dataSource}, polling every {@code interval}, pruning
     * at every {@code pruneEvery}th {@link #maybePrune()}; {@code name} names its thread.
     */
    public ChangePoller(DataSource dataSource, Queries queries, Duration interval, int pruneEvery, String name) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.pruneEvery = pruneEvery;
        this.name = name;
    }

    /** Adds {@code listener} (starting the thread on the first one); closing the handle removes it. */
    public synchronized AutoCloseable subscribe(ChangeListener listener) {
        if (closed) {
            throw new IllegalStateException("store closed");
        }
        listeners.add(listener);
        if (thread == null) {
            try {
                pollOnce(); // the cursor starts here, before the caller caches anything
            } catch (SQLException | RuntimeException e) {
                LOG.warn("first poll of the change record of {} failed ({}); the thread will retry", name, e.getMessage());
            }
            thread = new Thread(this::run, "licensor-changes-" + name);
            thread.setDaemon(true);
            thread.start();
        }
        return () -> listeners.remove(listener);
    }

    private void run() {
        long backoff = interval.toMillis();
        while (!closed) {
            try {
                pollOnce();
                backoff = interval.toMillis();
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                break;
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                LOG.warn("polling the change record of {} failed ({}); again in {} ms", name, e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = Math.min(backoff * 2, 2_000);
            }
        }
    }

    /** The longest a poll waits for the database (client side; the pool resets it). */
    private static final int NETWORK_TIMEOUT_MILLIS = 10_000;

    /**
     * One poll: reads what committed since the cursor and tells every listener (the thread, or the
     * first subscribe). The cursor moves only once the poll has succeeded whole, so a poll that
     * fails half-way is read again.
     */
    void pollOnce() throws SQLException {
        boolean everything = false;
        long newEpoch = epoch;
        long newCursor = cursor;
        Set<Entry> seen = new LinkedHashSet<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            connection.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS); // every wait bounded
            for (int attempt = 0; ; attempt++) {
                execute(connection, queries.beginRead()); // the mark and the entries in one snapshot
                long[] mark;
                try {
                    mark = mark(connection);
                    if (mark != null) {
                        long horizon = mark[2];
                        if (cursor < 0) {
                            // what committed before the first poll is not ours to report, unless the
                            // first poll at subscribe() failed: the caller may have cached since
                            everything = Thread.currentThread() == thread;
                            newCursor = horizon;
                        } else if (everything || mark[0] != epoch || mark[1] > cursor) {
                            everything = true; // reset, or pruned past us: entries we never read may be gone
                            newCursor = Math.max(mark[1], horizon);
                        } else if (horizon > cursor) {
                            readEntries(connection, cursor, horizon, seen);
                            newCursor = horizon;
                        }
                        newEpoch = mark[0];
                    }
                } finally {
                    execute(connection, "COMMIT");
                }
                if (mark != null) {
                    break;
                }
                if (attempt > 0) {
                    throw new SQLException("the change record's mark is still missing after a reset");
                }
                execute(connection, queries.reset()); // the record was reset (crash, failover): mark it anew
                everything = cursor >= 0;
            }
        }
        epoch = newEpoch;
        cursor = newCursor;
        for (ChangeListener listener : listeners) {
            try {
                if (everything) {
                    listener.everythingChanged();
                } else {
                    seen.forEach(entry -> dispatch(entry, listener));
                }
            } catch (RuntimeException e) { // one listener's bug must not cost the others their changes
                LOG.warn("a change listener of {} failed: {}", name, e.toString());
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    private long[] mark(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(queries.mark())) {
            return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)} : null;
        }
    }

    private void readEntries(Connection connection, long from, long to, Set<Entry> into) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(queries.entries())) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.add(new Entry(rs.getString(1), rs.getLong(2), rs.getString(3)));
                }
            }
        }
    }

    /** Calls the listener method an entry stands for; a kind it does not know (a newer version's) drops everything. */
    static void dispatch(Entry entry, ChangeListener listener) {
        switch (entry.kind()) {
            case "s" -> listener.seatChanged(entry.id(), entry.hardwareId());
            case "l" -> listener.licenseChanged(entry.id());
            case "c" -> listener.clientChanged(entry.id());
            default -> listener.everythingChanged();
        }
    }

    /**
     * Counts a write of this store; every {@code pruneEvery}th one prunes the record in the calling
     * thread, after its unit committed (one statement on a connection of the DataSource, bounded by
     * the network timeout; at most one prune at a time, a concurrent caller skips it). The store
     * starts no thread for it: a host that embeds Licensor without a cache has no thread of
     * Licensor's at all. A failure is logged: the next prune catches up.
     */
    public void maybePrune() {
        if (writes.incrementAndGet() % pruneEvery != 0 || closed || !pruning.compareAndSet(false, true)) {
            return;
        }
        try {
            prune();
        } finally {
            pruning.set(false);
        }
    }

    /** Deletes entries far below the horizon now. */
    public void prune() {
        try (Connection connection = dataSource.getConnection(); Statement st = connection.createStatement()) {
            connection.setAutoCommit(true);
            connection.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
            st.execute(queries.prune());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("pruning the change record of {} failed: {}", name, e.getMessage());
        }
    }

    /** Stops the thread. Idempotent. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listeners.clear();
    }
}
