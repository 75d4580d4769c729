package dev.licensor.store.postgresql;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.ChangeFeed;
import dev.licensor.store.ChangeListener;
import dev.licensor.store.CommitBatches;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.StoreWork;
import dev.licensor.store.UnitGuard;
import dev.licensor.store.jdbc.ChangePoller;
import dev.licensor.store.jdbc.GroupCommit;
import dev.licensor.store.jdbc.JdbcConnection;
import dev.licensor.store.jdbc.Migration;
import dev.licensor.store.jdbc.Migrations;
import dev.licensor.store.jdbc.Statements;
import dev.licensor.store.jdbc.Units;
import dev.licensor.store.postgresql.internal.PgDialect;
import dev.licensor.store.postgresql.internal.PgMigrations;
import java.sql.SQLException;
import java.util.List;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LicenseStore} on a PostgreSQL server that many hosts share: every host opens one on
 * the same database and schema, and no pool is oversubscribed whatever the hosts, processes and
 * threads.
 *
 * <pre>{@code
 * HikariDataSource pool = new HikariDataSource(config);          // the host's own pool
 * try (PostgresLicenseStore store = PostgresLicenseStore.builder(pool).schema("licensor").open()) {
 *     Licensor licensor = Licensor.builder().store(store).build();
 *     ...
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Connections</b> come from the host's {@link DataSource} (bring a pool such as HikariCP;
 *       this library pulls in none), one per unit of work or batch, given back after it; a
 *       subscribed store's change poller borrows one more for each poll.</li>
 *   <li><b>Isolation and locks.</b> Writing units run at READ COMMITTED and take
 *       transaction-scoped advisory locks ({@code pg_advisory_xact_lock}) before they read, so the
 *       server, not a JVM, keeps units apart; locks are released at commit, rollback, or when a
 *       host's connection dies. A lock wait longer than {@link Builder#lockTimeout} fails the call
 *       with {@link Code#STORE_FAILURE}. Reading units run on a read-only REPEATABLE READ snapshot.</li>
 *   <li><b>A faulty host cannot hold locks for long.</b> Every unit sets server-side bounds on its
 *       transaction ({@link Builder#statementTimeout}, {@link Builder#idleInTransactionTimeout},
 *       TCP keepalives and {@code tcp_user_timeout}): a host that freezes or loses its network
 *       mid-unit has its session ended by the server, and its locks released, within them
 *       (docs/postgresql.md has the arithmetic).</li>
 *   <li><b>Group commit.</b> Write units of this store's threads that want one at the same time
 *       share one transaction and one WAL flush ({@link GroupCommit}, at most
 *       {@link Builder#maxBatch} units), each in a savepoint. In a batch, lock waits are bounded to
 *       a try: a unit whose lock another host holds leaves the batch and waits for it on a
 *       connection of its own, so one busy pool never holds up the others.</li>
 *   <li><b>Ledger feed.</b> Seqs are built from the writing transaction's id, and the feed shows
 *       an entry once every older transaction on the server has ended: no lock is shared by all
 *       writers (docs/postgresql.md, "The ledger feed").</li>
 *   <li><b>Durability.</b> A call returns only after its COMMIT was acknowledged; the server's
 *       {@code synchronous_commit} decides what that means (on: flushed to the WAL on disk).</li>
 *   <li><b>Schema.</b> Tables live in one schema ({@link Builder#schema}), created and migrated at
 *       {@link Builder#open} under a migration lock, so hosts starting at once apply each migration
 *       once. A schema written by a newer version is refused with {@link Code#STORE_FAILURE} and
 *       left untouched.</li>
 *   <li><b>Caches across hosts.</b> Triggers append committed seat, license and consumption
 *       changes to an unlogged change record that engines with a lookup cache poll
 *       ({@link ChangeFeed}, every {@code 100 ms}, by transaction id as the ledger feed reads);
 *       they drop those entries, or everything when the record was reset or pruned past them.
 *       The cache's time-to-live remains the bound when the poller cannot read.</li>
 *   <li><b>In-doubt commits.</b> If the connection drops after COMMIT was sent, the call answers
 *       {@link Code#STORE_FAILURE} and the change may or may not have been made. The engine does
 *       not repeat it on its own; every engine call is safe for the caller to repeat.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} stops the poller; it does not close the host's DataSource.
 */
public final class PostgresLicenseStore implements LicenseStore, ChangeFeed, CommitBatches.Source {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLicenseStore.class);
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,47}");
    /** How often a subscribed store polls the change record. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /** Every how many of this store's writes it prunes the change record. */
    private static final int PRUNE_EVERY = 1024;

    private final String schema;
    private final Jdbi jdbi;
    private final PgDialect dialect;
    private final PgDialect batching;
    private final Statements statements;
    private final GroupCommit commits;
    private final UnitGuard guard = new UnitGuard();
    private final ChangePoller changes;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean notifications;

    private PostgresLicenseStore(Builder b, Jdbi jdbi, PgDialect dialect) {
        this.schema = b.schema;
        this.notifications = b.notifications;
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.batching = dialect.batching();
        this.statements = new Statements(dialect);
        this.commits = new GroupCommit(new WriterSide(), b.maxBatch, b.lockTimeout);
        this.changes = new ChangePoller(b.dataSource, PgMigrations.changeRecord(b.schema, PgMigrations.KEEP_XIDS),
                POLL_INTERVAL, PRUNE_EVERY, b.schema);
    }

    /** Starts a builder on the host's DataSource. */
    public static Builder builder(DataSource dataSource) {
        if (dataSource == null) {
            throw new NullPointerException("dataSource");
        }
        return new Builder(dataSource);
    }

    /** The schema this store's tables live in. */
    public String schema() {
        return schema;
    }

    /**
     * Runs {@code work} in a write transaction, alone or with other threads' units that want one
     * at the same time ({@link GroupCommit}: one commit, one WAL flush for all of them).
     */
    @Override
    public <T> T write(StoreWork<T> work) {
        checkOpen();
        guard.enter();
        try {
            T value = commits.write(work);
            changes.maybePrune();
            return value;
        } finally {
            guard.exit();
        }
    }

    /** How write units were batched into commits so far (for {@code LicensorMetrics.commitBatches}). */
    @Override
    public CommitBatches commitBatches() {
        return new CommitBatches(commits.commits(), commits.units(), commits.largestBatch());
    }

    /** The group commit (for tests: its counters and queue). */
    GroupCommit groupCommit() {
        return commits;
    }

    /** What group commit needs of this store: a connection per batch, borrowed from the DataSource. */
    private final class WriterSide implements GroupCommit.Writer {
        @Override
        public JdbcConnection connection() {
            checkOpen();
            return connect(batching); // lock waits bounded to a try: a busy key never stalls the batch
        }

        @Override
        public void release(JdbcConnection connection) {
            connection.close();
        }

        @Override
        public Statements statements() {
            return statements;
        }

        @Override
        public String what() {
            return "schema " + schema;
        }

        @Override
        public boolean busy(SQLException e) {
            return PgDialect.busy(e);
        }

        @Override
        public JdbcConnection contendedConnection() {
            return connect(dialect);
        }

        @Override
        public String tryLocks() {
            return PgDialect.TRY_LOCKS;
        }
    }

    @Override
    public <T> T read(StoreWork<T> work) {
        checkOpen();
        guard.enter();
        try (JdbcConnection connection = connect(dialect)) {
            return Units.run(connection, statements, work, true, "schema " + schema);
        } finally {
            guard.exit();
        }
    }

    /** A connection borrowed from the host's DataSource; closing it gives it back. */
    private JdbcConnection connect(PgDialect dialect) {
        return Units.connect(jdbi, dialect, "schema " + schema);
    }

    /** Every statement units run, for the query-plan test. */
    List<String> statements() {
        return statements.all();
    }

    /**
     * Calls {@code listener} for changes committed by any host from now on (the first
     * subscription runs the first poll before it returns). A no-op handle when notifications are
     * off (the time-to-live is then the only bound).
     */
    @Override
    public AutoCloseable subscribe(ChangeListener changeListener) {
        Objects.requireNonNull(changeListener, "listener");
        checkOpen();
        return notifications ? changes.subscribe(changeListener) : () -> { };
    }

    /** Stops the poller. Idempotent; the host's DataSource stays open. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            changes.close();
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new LicensingException(Code.STORE_FAILURE, "the store on schema " + schema + " is closed");
        }
    }

    /**
     * Configures and opens a {@link PostgresLicenseStore}. Each option may be set once; values are
     * checked as they are set. Not thread-safe.
     */
    public static final class Builder {
        /** The default {@link #lockTimeout}: 10 s. */
        public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
        /** The default {@link #maxBatch}: 64. */
        public static final int DEFAULT_MAX_BATCH = 64;
        /** The default {@link #idleInTransactionTimeout}: 2 s. */
        public static final Duration DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofSeconds(2);

        /** The idle-in-transaction bound of the migrations at {@link #open} (at least): 60 s. */
        static final Duration MIGRATION_IDLE_TIMEOUT = Duration.ofSeconds(60);

        private final DataSource dataSource;
        private String schema;
        private Duration lockTimeout;
        private Duration statementTimeout;
        private Duration idleInTransactionTimeout;
        private Boolean notifications;
        private Integer maxBatch;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * The schema holding the tables (default {@code licensor}): lower-case letters, digits and
         * underscores, at most 48 characters. Created if missing (the user needs CREATE on the
         * database then).
         */
        public Builder schema(String value) {
            once(schema, "schema");
            if (value == null || !SCHEMA.matcher(value).matches()) {
                throw new IllegalArgumentException("schema must match " + SCHEMA.pattern() + ", got " + value);
            }
            schema = value;
            return this;
        }

        /** How long a unit waits for another host's lock before failing with STORE_FAILURE (default 10 s). */
        public Builder lockTimeout(Duration value) {
            once(lockTimeout, "lockTimeout");
            lockTimeout = positive(value, "lockTimeout");
            return this;
        }

        /**
         * The longest one statement of a unit may run, lock waits included, before the server
         * cancels it and the call fails with STORE_FAILURE ({@code statement_timeout}; default the
         * lock timeout plus 5 s). It bounds how long a unit whose host stopped reading holds its
         * locks while a statement still runs. Schema migrations run without it.
         */
        public Builder statementTimeout(Duration value) {
            once(statementTimeout, "statementTimeout");
            statementTimeout = positive(value, "statementTimeout");
            return this;
        }

        /**
         * The longest the server waits for this host's next statement inside a unit before it
         * ends the session, rolling the unit back and releasing its locks
         * ({@code idle_in_transaction_session_timeout}; default 2 s). A unit sends its statements
         * back to back, so only a frozen host (a long GC pause, a stopped VM) or a lost network
         * reaches it: this is the bound on how long such a host holds locks other hosts wait for.
         */
        public Builder idleInTransactionTimeout(Duration value) {
            once(idleInTransactionTimeout, "idleInTransactionTimeout");
            idleInTransactionTimeout = positive(value, "idleInTransactionTimeout");
            return this;
        }

        private static Duration positive(Duration value, String name) {
            if (value == null) {
                throw new NullPointerException(name);
            }
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }

        /**
         * Whether a subscribed lookup cache polls the change record for other hosts' changes
         * (default true). Off, other hosts' changes reach a lookup cache only when its entries
         * expire; the triggers record changes either way.
         */
        public Builder notifications(boolean value) {
            once(notifications, "notifications");
            notifications = value;
            return this;
        }

        /**
         * The most write units one transaction (and so one WAL flush) carries when several threads
         * of this host write at once (default {@value #DEFAULT_MAX_BATCH}; 1 commits every unit
         * alone). A thread alone never waits for company.
         */
        public Builder maxBatch(int value) {
            once(maxBatch, "maxBatch");
            if (value < 1 || value > 1024) {
                throw new IllegalArgumentException("maxBatch must be between 1 and 1024");
            }
            maxBatch = value;
            return this;
        }

        /**
         * Connects, creates or migrates the schema and returns the store.
         *
         * @throws LicensingException {@link Code#STORE_FAILURE} if the server cannot be reached, the
         *                            schema is newer than this build or not a Licensor schema
         */
        public PostgresLicenseStore open() {
            schema = schema == null ? "licensor" : schema;
            lockTimeout = lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout;
            statementTimeout = statementTimeout == null ? lockTimeout.plusSeconds(5) : statementTimeout;
            idleInTransactionTimeout = idleInTransactionTimeout == null ? DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT
                    : idleInTransactionTimeout;
            notifications = notifications == null || notifications;
            maxBatch = maxBatch == null ? DEFAULT_MAX_BATCH : maxBatch;
            PgDialect dialect = new PgDialect(schema,
                    new PgDialect.Timeouts(lockTimeout, statementTimeout, idleInTransactionTimeout));
            // A migration (an index on a long ledger) may take longer than any unit: no statement
            // timeout; and a cold JVM's first statements (class loading) may leave gaps of seconds.
            PgDialect migrating = new PgDialect(schema, new PgDialect.Timeouts(lockTimeout, Duration.ZERO,
                    idleInTransactionTimeout.compareTo(MIGRATION_IDLE_TIMEOUT) > 0 ? idleInTransactionTimeout
                            : MIGRATION_IDLE_TIMEOUT));
            List<Migration> migrations = PgMigrations.all(migrating);
            Jdbi jdbi = Jdbi.create(dataSource);
            int version;
            try (Handle handle = jdbi.open(); JdbcConnection connection = new JdbcConnection(handle, migrating)) {
                unboundReads(handle);
                version = Migrations.migrate(connection, migrations, PgMigrations.versionReader(schema), "schema " + schema);
                handle.execute(PgMigrations.realignLedger(schema));
            } catch (SQLException e) {
                throw Units.translate(dialect, e, "cannot open schema " + schema);
            } catch (JdbiException e) {
                throw new LicensingException(Code.STORE_FAILURE, "cannot open schema " + schema + ": "
                        + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
            }
            LOG.info("opened Licensor schema {} (version {}; notifications {})", schema, version,
                    notifications ? "on" : "off");
            return new PostgresLicenseStore(this, jdbi, dialect);
        }

        /** Lifts a socket timeout the host's pool sets (pgjdbc {@code socketTimeout}) for the migrations; pools reset it. */
        private static void unboundReads(Handle handle) {
            try {
                handle.getConnection().setNetworkTimeout(Runnable::run, 0);
            } catch (SQLException | RuntimeException unsupported) {
                // A DataSource without network timeouts has none to lift.
            }
        }

        private static void once(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
        }
    }
}
