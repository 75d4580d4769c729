package dev.licensor.store.sqlite.internal;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.StoreWork;
import dev.licensor.store.UnitGuard;
import dev.licensor.store.jdbc.GroupCommit;
import dev.licensor.store.jdbc.JdbcConnection;
import dev.licensor.store.jdbc.Statements;
import dev.licensor.store.jdbc.Units;
import dev.licensor.store.sqlite.Synchronous;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * An open Licensor database: one writer connection and a small pool of reader connections on
 * one SQLite file in WAL mode. Not API: {@link dev.licensor.store.sqlite.SqliteLicenseStore} is.
 *
 * <p>Correctness across threads and processes comes from SQLite alone: every unit that writes runs
 * in {@code BEGIN IMMEDIATE}, which takes the database's single write lock (waiting up to the busy
 * timeout), so units are serialized by the file, whoever runs them. The JVM lock around the writer
 * connection is only for efficiency: threads of one process queue on it instead of polling
 * SQLite's busy handler, which sleeps.
 *
 * <p>Thread-safe.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private static final Statements STATEMENTS = new Statements(SqliteDialect.INSTANCE);

    private final Path file;
    private final Jdbi jdbi;
    private final Duration busyTimeout;
    private final Semaphore readerPermits;
    private final ArrayBlockingQueue<JdbcConnection> idleReaders;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final UnitGuard guard = new UnitGuard();
    private final GroupCommit commits;
    private final ReentrantLock writeLock; // the group commit's writer lock
    private JdbcConnection writer; // guarded by writeLock

    private Database(Path file, Jdbi jdbi, Duration busyTimeout, int readers, int maxBatch, JdbcConnection writer) {
        this.file = file;
        this.jdbi = jdbi;
        this.busyTimeout = busyTimeout;
        this.readerPermits = new Semaphore(readers, true);
        this.idleReaders = new ArrayBlockingQueue<>(readers);
        this.writer = writer;
        this.commits = new GroupCommit(new WriterSide(), maxBatch, busyTimeout);
        this.writeLock = commits.lock();
    }

    /** What the group commit's leader needs of this database, under the writer lock. */
    private final class WriterSide implements GroupCommit.Writer {
        @Override
        public JdbcConnection connection() {
            checkOpen();
            if (writer == null || writer.isBroken()) {
                replaceWriter();
            }
            return writer;
        }

        @Override
        public Statements statements() {
            return STATEMENTS;
        }

        @Override
        public String what() {
            return file.toString();
        }

        @Override
        public RuntimeException timedOut() {
            return failure("timed out after " + busyTimeout + " waiting for another thread's write on " + file, null);
        }

        @Override
        public RuntimeException interrupted(InterruptedException e) {
            return failure("interrupted while waiting to write " + file, e);
        }
    }

    /**
     * Opens (creating if missing) and migrates the database at {@code file}. A path that is a
     * directory, cannot be written, is not a SQLite database, is another application's database,
     * is corrupt or was written by a newer schema is refused with {@link Code#STORE_FAILURE} and
     * left untouched.
     */
    public static Database open(Path file, Synchronous synchronous, Duration busyTimeout, int readers) {
        return open(file, synchronous, busyTimeout, readers, false, DEFAULT_MAX_BATCH);
    }

    /** Most write units one commit carries by default (group commit). */
    public static final int DEFAULT_MAX_BATCH = 64;

    /**
     * Opens as {@link #open(Path, Synchronous, Duration, int)}, with the empty-file rule and the
     * group commit's batch bound ({@link GroupCommit}; 1 commits every unit alone).
     */
    public static Database open(Path file, Synchronous synchronous, Duration busyTimeout, int readers,
                                boolean createIfEmpty, int maxBatch) {
        Path path = file.toAbsolutePath().normalize();
        Opening.checkPath(path);
        boolean created = !Files.exists(path);
        if (created) {
            Opening.create(path, busyTimeout); // complete before its name appears: never seen empty
        }
        Opening.probe(path, busyTimeout, createIfEmpty);
        Jdbi jdbi = Jdbi.create(() -> connect(path, synchronous, busyTimeout, false));
        JdbcConnection writer = null;
        try {
            writer = new JdbcConnection(jdbi.open(), SqliteDialect.INSTANCE);
            Opening.enableWal(writer.handle(), busyTimeout);
            int version = Opening.migrate(path, writer);
            if (created) {
                Opening.syncDirectory(path.getParent()); // the new file's name is durable too
            }
            log.info("opened Licensor database {} (schema version {}, synchronous={}, busy timeout {})",
                    path, version, synchronous, busyTimeout);
            return new Database(path, jdbi, busyTimeout, readers, maxBatch, writer);
        } catch (SQLException | JdbiException e) {
            if (writer != null) {
                writer.close();
            }
            throw Opening.refused(path, "it could not be opened: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (writer != null) {
                writer.close();
            }
            throw e;
        }
    }

    /** A new connection to {@code path} with the store's per-connection settings. */
    static java.sql.Connection connect(Path path, Synchronous synchronous, Duration busyTimeout, boolean readOnly)
            throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        config.setReadOnly(readOnly);
        if (!readOnly) {
            config.setSynchronous(synchronous == Synchronous.FULL
                    ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        }
        return config.createConnection("jdbc:sqlite:" + path);
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /**
     * Runs a unit that may write, in {@code BEGIN IMMEDIATE}, and commits it: alone, or in one
     * transaction with other threads' units that wait at the same time ({@link GroupCommit}).
     */
    public <T> T write(StoreWork<T> work) {
        guard.enter(); // a nested unit is refused before it waits for the lock its caller holds
        try {
            checkOpen();
            return commits.write(work);
        } finally {
            guard.exit();
        }
    }

    /** The group commit's counters: commits, units, largest batch. */
    public GroupCommit groupCommit() {
        return commits;
    }

    /** Runs a read-only unit against one snapshot. */
    public <T> T read(StoreWork<T> work) {
        guard.enter();
        try {
            return withReader("cannot open a connection to " + file,
                    reader -> Units.run(reader, STATEMENTS, work, true, file.toString()));
        } finally {
            guard.exit();
        }
    }

    /**
     * Copies a consistent snapshot of the database to {@code target} with {@code VACUUM INTO},
     * while other units keep running. The copy is written under a temporary name in the target's
     * folder, flushed, and only then given the target's name (a hard link, which fails rather than
     * replace a file that appeared meanwhile), so the target name never shows a partial copy. On
     * any failure (a full disk) the temporary file is removed and the target does not exist.
     */
    public void backupTo(Path target) {
        Path path = target.toAbsolutePath().normalize();
        if (Files.exists(path)) {
            throw failure("backup target " + path + " already exists", null);
        }
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw failure("backup target directory " + dir + " does not exist", null);
        }
        Path partial = Opening.temporarySibling(path, "backup");
        try {
            withReader("backup to " + path + " failed",
                    reader -> reader.handle().createUpdate("VACUUM INTO ?").bind(0, partial.toString()).execute());
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.force(true);
            } catch (IOException e) {
                throw failure("backup to " + path + " could not be flushed: " + e.getMessage(), e);
            }
            if (!Opening.publish(partial, path)) {
                throw failure("backup target " + path + " already exists", null);
            }
            Opening.syncDirectory(dir);
        } finally {
            Opening.deleteQuietly(partial);
        }
        log.info("backed up {} to {}", file, path);
    }

    /** What a caller does with a pooled reader connection. */
    @FunctionalInterface
    private interface ReaderUse<T> {
        T apply(JdbcConnection reader) throws SQLException;
    }

    /**
     * Lends {@code use} an idle reader connection (opening one if none is idle, at most
     * {@code readers} at once) and takes it back after, closing it instead if it broke or the store
     * closed meanwhile. A connection failure is a {@link Code#STORE_FAILURE} that starts with
     * {@code failure}.
     */
    private <T> T withReader(String failure, ReaderUse<T> use) {
        checkOpen();
        acquire(readerPermits::tryAcquire, "a reader connection", "read");
        JdbcConnection reader = null;
        try {
            reader = idleReaders.poll();
            if (reader == null) {
                reader = new JdbcConnection(jdbi.open(), SqliteDialect.INSTANCE);
            }
            return use.apply(reader);
        } catch (SQLException | JdbiException e) {
            throw failure(failure + ": " + e.getMessage(), e);
        } finally {
            if (reader != null) {
                if (reader.isBroken() || closed.get() || !idleReaders.offer(reader)) {
                    reader.close();
                } else if (closed.get()) {
                    // close() may have drained the pool between our check and our offer
                    closeIdleReaders();
                }
            }
            readerPermits.release();
        }
    }

    /** A lock or permit taken with a time limit, e.g. {@code ReentrantLock::tryLock}. */
    @FunctionalInterface
    private interface TimedAcquire {
        boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;
    }

    /** Takes {@code what} within the busy timeout, or fails with {@link Code#STORE_FAILURE}. */
    private void acquire(TimedAcquire acquire, String what, String action) {
        try {
            if (!acquire.tryAcquire(busyTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw failure("timed out after " + busyTimeout + " waiting for " + what + " on " + file, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting to " + action + " " + file, e);
        }
    }

    private void replaceWriter() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        try {
            writer = new JdbcConnection(jdbi.open(), SqliteDialect.INSTANCE);
        } catch (SQLException | JdbiException e) {
            throw failure("cannot reopen a connection to " + file + ": " + e.getMessage(), e);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw failure("the store on " + file + " is closed", null);
        }
    }

    static LicensingException failure(String message, Throwable cause) {
        return new LicensingException(Code.STORE_FAILURE, message, cause);
    }

    /** Closes every connection; idempotent. A unit running on another thread finishes first. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writeLock.lock();
        try {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        } finally {
            writeLock.unlock();
        }
        closeIdleReaders();
        log.debug("closed {}", file);
    }

    private void closeIdleReaders() {
        JdbcConnection reader;
        while ((reader = idleReaders.poll()) != null) {
            reader.close();
        }
    }
}
