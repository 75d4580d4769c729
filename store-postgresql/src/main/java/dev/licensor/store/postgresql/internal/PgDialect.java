package dev.licensor.store.postgresql.internal;

import dev.licensor.store.LockKey;
import dev.licensor.store.jdbc.Dialect;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * PostgreSQL's {@link Dialect}, for one schema. A unit begins with its isolation level and, with
 * {@code SET LOCAL} (so nothing leaks into the host's pooled session), the store's schema as
 * {@code search_path} and the server-side bounds of {@link Timeouts}: how long a lock wait, a
 * statement and an idle moment inside the transaction may last, and how soon a silent peer's
 * connection is given up ({@code tcp_keepalives_*}, {@code tcp_user_timeout}). They bound how long
 * a frozen or cut-off host's unit can hold locks other hosts need. Writing units run at READ COMMITTED; each lock key
 * is a transaction-scoped advisory lock ({@code pg_advisory_xact_lock}), released at commit,
 * rollback or when the connection dies. Reading units run on a read-only REPEATABLE READ snapshot.
 * Serialization failures (40001) and deadlocks (40P01) are transient: the engine re-runs the unit.
 * A lock wait that reaches the lock timeout (55P03) is a store failure, not retried: the host
 * chose how long a call may wait. Ledger seqs are built from the writing transaction's id
 * ({@link #appendLedger()}) and the feed shows an entry once every older transaction has ended
 * ({@link #ledgerVisible()}): no lock is shared by all writers. Not API.
 *
 * <p>Immutable and thread-safe.
 */
public final class PgDialect implements Dialect {
    private final String schema;
    private final String beginWrite;
    private final String beginRead;
    private final long lockPrefix;
    private final Timeouts timeouts;

    /**
     * The server-side bounds every unit sets on its transaction; zero turns a bound off (the
     * migrations' statements may run as long as they need).
     *
     * @param lock      {@code lock_timeout}: the longest wait for one lock
     * @param statement {@code statement_timeout}: the longest one statement runs, lock waits included
     * @param idle      {@code idle_in_transaction_session_timeout}: the longest the server waits for
     *                  the host's next statement inside a transaction before it ends the session
     *                  (rolling back, releasing the locks)
     */
    public record Timeouts(Duration lock, Duration statement, Duration idle) {
        /** {@code tcp_keepalives_idle}: seconds of silence before the server probes the peer. */
        public static final int KEEPALIVE_IDLE_S = 5;
        /** {@code tcp_keepalives_interval}: seconds between probes. */
        public static final int KEEPALIVE_INTERVAL_S = 2;
        /** {@code tcp_keepalives_count}: unanswered probes before the server drops the connection. */
        public static final int KEEPALIVE_COUNT = 3;
        /** {@code tcp_user_timeout}: how long the server's unacknowledged sends may wait before it drops the connection. */
        public static final int TCP_USER_TIMEOUT_MS = 5_000;

        /**
         * One statement setting {@code search_path} and these bounds for the transaction
         * ({@code set_config(..., true)} is {@code SET LOCAL}): one statement costs the server
         * far less than eight. Measured with pgbench (BEGIN, the settings, one advisory lock,
         * COMMIT; 1 client; 8 interleaved rounds on a loaded 2-core machine): median 0.42 ms
         * without the bounds, 1.08 ms with eight {@code SET LOCAL}s, 0.54 ms with this SELECT.
         */
        String settings(String searchPath) {
            return "SELECT set_config('search_path', '" + searchPath + "', true)"
                    + ", set_config('lock_timeout', '" + millis(lock) + "', true)"
                    + ", set_config('statement_timeout', '" + millis(statement) + "', true)"
                    + ", set_config('idle_in_transaction_session_timeout', '" + millis(idle) + "', true)"
                    + ", set_config('tcp_keepalives_idle', '" + KEEPALIVE_IDLE_S + "', true)"
                    + ", set_config('tcp_keepalives_interval', '" + KEEPALIVE_INTERVAL_S + "', true)"
                    + ", set_config('tcp_keepalives_count', '" + KEEPALIVE_COUNT + "', true)"
                    + ", set_config('tcp_user_timeout', '" + TCP_USER_TIMEOUT_MS + "', true)";
        }

        static long millis(Duration d) {
            return d.isZero() ? 0 : Math.max(1, d.toMillis());
        }
    }

    /** The dialect for {@code schema}, its units bounded by {@code timeouts}. */
    public PgDialect(String schema, Timeouts timeouts) {
        this.schema = schema;
        this.timeouts = timeouts;
        String settings = "; " + timeouts.settings(Sql.quote(schema));
        this.beginWrite = "BEGIN ISOLATION LEVEL READ COMMITTED" + settings;
        this.beginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" + settings;
        this.lockPrefix = lockPrefix(schema);
    }

    /**
     * The high bits of this schema's advisory lock keys: 16 bits of the schema name's hash, then 4
     * bits of the key's kind, leaving 44 bits for ids. Advisory locks are per database, so two
     * schemas in one database rarely share a key, and when they do it costs waiting, not safety.
     */
    static long lockPrefix(String schema) {
        return ((long) (schema.hashCode() & 0x7FFF)) << 48;
    }

    /** The advisory lock key of {@code kind} and {@code id} in this schema. */
    @SuppressWarnings("EnumOrdinal") // the kind's place in LockKey.Kind is the key's high bits, by design
    long lockKey(LockKey.Kind kind, long id) {
        return lockPrefix | ((long) kind.ordinal() << 44) | (id & 0xFFF_FFFF_FFFFL);
    }

    /** The schema this dialect's units work in. */
    public String schema() {
        return schema;
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public String bigint() {
        return "BIGINT";
    }

    @Override
    public String tableOptions(boolean naturalKey) {
        return "";
    }

    @Override
    public String idColumn(String name) {
        return name + " BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    }

    @Override
    public String begin(boolean write) {
        return write ? beginWrite : beginRead;
    }

    @Override
    @SuppressWarnings("EnumOrdinal") // as lockKey: the kind's place is the key's high bits
    public String lock(LockKey.Kind kind) {
        return "SELECT pg_advisory_xact_lock(" + (lockPrefix | ((long) kind.ordinal() << 44))
                + " | (?::bigint & " + 0xFFF_FFFF_FFFFL + "))";
    }

    /** pgjdbc sends a multi-statement prepared statement as one pipeline of Parse/Bind/Execute and one Sync. */
    @Override
    public boolean pipelines() {
        return true;
    }

    /** Materialized CTEs, data-modifying CTEs and {@code unnest} of bound arrays (PostgreSQL 12+). */
    @Override
    public boolean oneStatementUnits() {
        return true;
    }

    @Override
    public List<String> sessionSettings() {
        return List.of(); // per unit, with SET LOCAL: the session is the host pool's
    }

    @Override
    public Failure classify(SQLException e) {
        String state = e.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state)) {
            return Failure.TRANSIENT;
        }
        return state != null && state.startsWith("23") ? Failure.CONSTRAINT : Failure.OTHER;
    }

    @Override
    public String explain(SQLException e) {
        String state = e.getSQLState();
        if ("55P03".equals(state)) {
            return "another unit held a lock this unit needs for longer than the lock timeout";
        }
        if ("57014".equals(state)) {
            return "a statement ran longer than the statement timeout (or was cancelled)";
        }
        if ("25P03".equals(state)) {
            return "the server ended the session: the host was silent inside a transaction for longer than the idle timeout";
        }
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
            return "the connection to the server was lost (if this was the COMMIT, whether it took effect is unknown)";
        }
        return null;
    }

    /**
     * A ledger entry's seq is {@code base + (xid << 20) + n}: {@code xid} the writing transaction's
     * id ({@code txid_current()}, the 64-bit form with epoch that {@code pg_current_xact_id()}
     * returns on 13+), {@code n} its entries so far (an index probe for the highest seq of its
     * range, taken by migration 8's {@code licensor_next_ledger_seq()}, planned with no sequential
     * scan whatever the statistics), {@code base} migration 7's {@code ledger_feed.base}, above every
     * seq written before it. So seqs sort by transaction, no lock is shared, and
     * {@link #ledgerVisible()} can tell which entries are final.
     */
    public static final int TX_BITS = 20;

    @Override
    public String appendLedger() {
        return "INSERT INTO ledger (seq, at_s, at_ns, event, license_id, client_license_id, subject, code, detail, actor,"
                + " until_s, until_ns, uses, queue_position, agent_level, holder_user, holder_host)"
                + " VALUES (licensor_next_ledger_seq(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq";
    }

    /**
     * Entries of transactions below the reader's snapshot's {@code xmin}: every one of those has
     * ended (committed or rolled back), and any transaction still open or begun later has an id
     * of at least {@code xmin}, so its entries sort above the bound. Old entries (below
     * {@code base}) are all visible.
     */
    @Override
    public String ledgerVisible() {
        return "seq < (SELECT base FROM ledger_feed) + (txid_snapshot_xmin(txid_current_snapshot()) << " + TX_BITS + ")";
    }

    /** The same dialect with every lock wait bounded to a try (1 ms): group commit's batches. */
    public PgDialect batching() {
        return new PgDialect(schema, new Timeouts(TRY_LOCK, timeouts.statement(), timeouts.idle()));
    }

    /** The lock wait of a batch: a try, in effect (a free key is granted without waiting). */
    static final Duration TRY_LOCK = Duration.ofMillis(1);

    /** Bounds the rest of a transaction's lock waits to {@link #TRY_LOCK}. */
    public static final String TRY_LOCKS = "SELECT set_config('lock_timeout', '" + TRY_LOCK.toMillis() + "', true)";

    /** Whether {@code e} is a lock wait that reached the lock timeout (a busy key, on {@link #batching()}). */
    public static boolean busy(SQLException e) {
        return "55P03".equals(e.getSQLState());
    }

    @Override
    public String beforePrune() {
        return null; // an identity column never goes back
    }

    /** The driver would fetch, and the planner sort, a whole range without it. */
    @Override
    public boolean limitRanges() {
        return true;
    }

    /** {@code = ANY(ARRAY(...))}: the chosen seqs are then deleted through the primary key, never a scan. */
    @Override
    public String pruneLedger() {
        return "DELETE FROM ledger WHERE seq = ANY (ARRAY(SELECT seq FROM ledger"
                + " WHERE (at_s, at_ns) < (?, ?) ORDER BY at_s, at_ns, seq LIMIT ?))";
    }
}
