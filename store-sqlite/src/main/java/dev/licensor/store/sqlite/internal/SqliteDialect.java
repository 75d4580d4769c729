package dev.licensor.store.sqlite.internal;

import dev.licensor.store.LockKey;
import dev.licensor.store.jdbc.Dialect;
import java.sql.SQLException;
import java.util.List;

/**
 * SQLite's {@link Dialect}. Units that write begin with {@code BEGIN IMMEDIATE}, which takes the
 * file's single write lock for the whole unit (across threads and processes), so lock keys need
 * no statement. A unit waits up to the busy timeout for that lock; when it runs out the unit fails
 * with {@code STORE_FAILURE}, not as a transient conflict, since a retry would multiply the wait
 * the host chose. Ledger seqs are {@code max(seq) + 1}, never below a floor that pruning raises
 * (schema version 2). Not API.
 *
 * <p>Immutable and thread-safe.
 */
final class SqliteDialect implements Dialect {
    static final SqliteDialect INSTANCE = new SqliteDialect();

    static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_BUSY_SNAPSHOT = 517;

    private SqliteDialect() {
    }

    @Override
    public String name() {
        return "SQLite";
    }

    @Override
    public String bigint() {
        return "INTEGER";
    }

    @Override
    public String tableOptions(boolean naturalKey) {
        return naturalKey ? " STRICT, WITHOUT ROWID" : " STRICT";
    }

    @Override
    public String idColumn(String name) {
        return name + " INTEGER PRIMARY KEY";
    }

    @Override
    public String begin(boolean write) {
        return write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED";
    }

    @Override
    public String lock(LockKey.Kind kind) {
        return null; // BEGIN IMMEDIATE already runs write units one at a time
    }

    @Override
    public List<String> sessionSettings() {
        return List.of(); // set by the connection factory: busy timeout, synchronous, read-only
    }

    @Override
    public Failure classify(SQLException e) {
        int code = e.getErrorCode();
        if (code == SQLITE_BUSY_SNAPSHOT || (code & 0xff) == SQLITE_LOCKED) {
            return Failure.TRANSIENT; // a snapshot that can no longer be upgraded, a shared-cache lock
        }
        return (code & 0xff) == SQLITE_CONSTRAINT ? Failure.CONSTRAINT : Failure.OTHER;
    }

    @Override
    public String explain(SQLException e) {
        return (e.getErrorCode() & 0xff) == SQLITE_BUSY && e.getErrorCode() != SQLITE_BUSY_SNAPSHOT
                ? "the database stayed locked by another connection for longer than the busy timeout" : null;
    }

    @Override
    public String appendLedger() {
        return "INSERT INTO ledger (seq, at_s, at_ns, event, license_id, client_license_id,"
                + " subject, code, detail, actor, until_s, until_ns, uses, queue_position, agent_level, holder_user,"
                + " holder_host) VALUES (max(ifnull((SELECT max(seq) FROM ledger), 0),"
                + " (SELECT seq FROM ledger_seq_floor WHERE id = 1)) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?) RETURNING seq";
    }

    @Override
    public String beforePrune() {
        return "UPDATE ledger_seq_floor SET seq = max(seq, ifnull((SELECT max(seq) FROM ledger), 0)) WHERE id = 1";
    }
}
