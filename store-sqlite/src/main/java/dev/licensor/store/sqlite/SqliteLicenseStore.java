package dev.licensor.store.sqlite;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.CommitBatches;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.StoreWork;
import dev.licensor.store.jdbc.GroupCommit;
import dev.licensor.store.sqlite.internal.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link LicenseStore} in one SQLite file: durable, and safe for several threads and several
 * processes sharing the file.
 *
 * <pre>{@code
 * try (SqliteLicenseStore store = SqliteLicenseStore.open(Path.of("/var/lib/app/licensor.db"))) {
 *     Licensor licensor = Licensor.builder().store(store).build();
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Opening</b> creates the file if it is missing (built under a temporary name and published
 * complete, so no opener ever sees it empty) and brings its schema up to date (versioned, ordered
 * migrations, each in a transaction). A directory, an unwritable path, a file that is not a
 * Licensor database, a corrupt file or one written by a newer schema is refused with a
 * {@link LicensingException} of code {@link Code#STORE_FAILURE} and left untouched; so is an empty
 * (0-byte) file or a blank SQLite database, unless the caller asked to create one
 * ({@link Builder#createIfEmpty}). Misusing the API (a null path, an option set twice or out of
 * range) is a programmer error: {@link NullPointerException}, {@link IllegalStateException} or
 * {@link IllegalArgumentException}, as in other Java libraries.
 *
 * <p><b>Transactions.</b> The file is in WAL mode: readers never block the writer. Every unit of
 * {@link #write} runs in {@code BEGIN IMMEDIATE}, which takes the file's single write lock, so units
 * are serialized across threads and processes by SQLite itself; a unit waits up to the busy timeout
 * for the lock and then fails with {@code STORE_FAILURE}. Units of {@link #read} see one snapshot.
 *
 * <p><b>Durability.</b> By default ({@link Synchronous#FULL}) a unit whose {@code write} returned
 * survives a crash of the process, of the operating system and a power loss;
 * {@link Synchronous#NORMAL} keeps the first but may lose the last commits to the other two.
 *
 * <p>Thread-safe. Close it when done; closing is idempotent.
 */
public final class SqliteLicenseStore implements LicenseStore, CommitBatches.Source {
    /** Busy timeout used by {@link #open(Path)}. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);
    /** Reader connections used by {@link #open(Path)}. */
    public static final int DEFAULT_READERS = 4;

    /** Most write units one commit carries by default ({@link Builder#maxBatch}). */
    public static final int DEFAULT_MAX_BATCH = Database.DEFAULT_MAX_BATCH;

    private final Database database;

    private SqliteLicenseStore(Database database) {
        this.database = database;
    }

    /**
     * Opens the store on {@code file} with the defaults: WAL, {@link Synchronous#FULL}, a busy
     * timeout of {@link #DEFAULT_BUSY_TIMEOUT}.
     *
     * @throws LicensingException {@link Code#STORE_FAILURE} if the file is refused or cannot be opened
     */
    public static SqliteLicenseStore open(Path file) {
        return builder(file).open();
    }

    /** Starts configuring a store on {@code file}. */
    public static Builder builder(Path file) {
        if (file == null) {
            throw new NullPointerException("file");
        }
        return new Builder(file);
    }

    @Override
    public <T> T write(StoreWork<T> work) {
        Objects.requireNonNull(work, "work");
        return database.write(work);
    }

    @Override
    public <T> T read(StoreWork<T> work) {
        Objects.requireNonNull(work, "work");
        return database.read(work);
    }

    /**
     * Writes a consistent copy of the database to {@code target} (which must not exist) while the
     * store stays in use, and flushes it to disk. The copy is written under a temporary name in
     * the target's folder and renamed into place only once complete; if it fails (a full disk),
     * the temporary file is removed and {@code target} does not exist, so a retry can use the same
     * name. Open the copy with {@link #open(Path)}.
     *
     * @throws LicensingException {@link Code#STORE_FAILURE} if the target exists or the copy fails
     */
    /** How the store has batched write units into commits so far (group commit). */
    @Override
    public CommitBatches commitBatches() {
        GroupCommit g = database.groupCommit();
        return new CommitBatches(g.commits(), g.units(), g.largestBatch());
    }

    public void backupTo(Path target) {
        if (target == null) {
            throw new NullPointerException("target");
        }
        database.backupTo(target);
    }

    /** The database file. */
    public Path file() {
        return database.file();
    }

    @Override
    public void close() {
        database.close();
    }

    /**
     * Configures a {@link SqliteLicenseStore}. Each option may be set once; values are checked as
     * they are set. Not thread-safe.
     */
    public static final class Builder {
        private final Path file;
        private Synchronous synchronous;
        private Duration busyTimeout;
        private Integer readers;
        private Boolean createIfEmpty;
        private Integer maxBatch;

        private Builder(Path file) {
            this.file = file;
        }

        /** How commits are flushed; default {@link Synchronous#FULL}. */
        public Builder synchronous(Synchronous value) {
            if (synchronous != null) {
                throw new IllegalStateException("synchronous was already set");
            }
            if (value == null) {
                throw new NullPointerException("synchronous");
            }
            synchronous = value;
            return this;
        }

        /**
         * How long a unit waits for the write lock held by another connection or process before
         * failing with {@code STORE_FAILURE}; default {@link #DEFAULT_BUSY_TIMEOUT}, at least a millisecond.
         */
        public Builder busyTimeout(Duration value) {
            if (busyTimeout != null) {
                throw new IllegalStateException("busyTimeout was already set");
            }
            if (value == null) {
                throw new NullPointerException("busyTimeout");
            }
            if (value.toMillis() < 1 || value.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("busyTimeout must be between 1 ms and " + Integer.MAX_VALUE + " ms");
            }
            busyTimeout = value;
            return this;
        }

        /** Most connections serving {@code read} units at once; default {@link #DEFAULT_READERS}. */
        public Builder readers(int value) {
            if (readers != null) {
                throw new IllegalStateException("readers was already set");
            }
            if (value < 1 || value > 64) {
                throw new IllegalArgumentException("readers must be between 1 and 64");
            }
            readers = value;
            return this;
        }

        /**
         * Whether an existing file that is empty (0 bytes) or a blank SQLite database (no schema)
         * may be initialised as a new Licensor database; default false. Without it such a file is
         * refused: it is what a copy or backup that never completed leaves behind, and initialising
         * it would hide that everything is missing. A missing file is always created.
         */
        public Builder createIfEmpty(boolean value) {
            if (createIfEmpty != null) {
                throw new IllegalStateException("createIfEmpty was already set");
            }
            createIfEmpty = value;
            return this;
        }

        /**
         * Group commit: the most write units that one transaction, and so one durable commit,
         * carries when several threads write at once; default {@link #DEFAULT_MAX_BATCH}, 1 to
         * commit every unit alone. A lone caller never waits for company: batching only gathers
         * units that were already waiting for the writer. See docs/sqlite.md.
         */
        public Builder maxBatch(int value) {
            if (maxBatch != null) {
                throw new IllegalStateException("maxBatch was already set");
            }
            if (value < 1 || value > 1024) {
                throw new IllegalArgumentException("maxBatch must be between 1 and 1024");
            }
            maxBatch = value;
            return this;
        }

        /**
         * Opens the store.
         *
         * @throws LicensingException {@link Code#STORE_FAILURE} if the file is refused or cannot be opened
         */
        public SqliteLicenseStore open() {
            return new SqliteLicenseStore(Database.open(file,
                    synchronous == null ? Synchronous.FULL : synchronous,
                    busyTimeout == null ? DEFAULT_BUSY_TIMEOUT : busyTimeout,
                    readers == null ? DEFAULT_READERS : readers,
                    createIfEmpty != null && createIfEmpty,
                    maxBatch == null ? DEFAULT_MAX_BATCH : maxBatch));
        }
    }
}
