package dev.licensor.store.sqlite.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * One SQLite connection, held open for the life of the store, with its Jdbi handle, its cache of
 * prepared statements (so the hot path never re-prepares) and transaction-control statements. Transactions are begun and
 * ended with explicit SQL ({@code BEGIN IMMEDIATE} for units that write), never with the JDBC
 * auto-commit switch: sqlite-jdbc's {@code commit()} opens the next transaction at once, which in
 * IMMEDIATE mode would hold the write lock between units and block every other process. Not API.
 *
 * <p>Not thread-safe: used by one thread at a time, handed over through the store's pool.
 */
final class SqliteConnection implements AutoCloseable {
    private final Handle handle;
    private final PreparedStatement beginImmediate;
    private final PreparedStatement beginDeferred;
    private final PreparedStatement commit;
    private final PreparedStatement rollback;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private boolean inTransaction;
    private boolean broken;

    SqliteConnection(Handle handle) throws SQLException {
        this.handle = handle;
        try {
            this.beginImmediate = statement("BEGIN IMMEDIATE");
            this.beginDeferred = statement("BEGIN DEFERRED");
            this.commit = statement("COMMIT");
            this.rollback = statement("ROLLBACK");
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    Handle handle() {
        return handle;
    }

    /** The prepared statement for {@code sql}, prepared once per connection. */
    PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = handle.getConnection().prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /**
     * Starts a transaction: IMMEDIATE takes the database's write lock now (waiting up to the busy
     * timeout for other connections and processes), so a unit that reads then writes can never
     * fail its upgrade half-way; DEFERRED only reads, from one snapshot.
     */
    void begin(boolean immediate) throws SQLException {
        (immediate ? beginImmediate : beginDeferred).execute();
        inTransaction = true;
    }

    void commit() throws SQLException {
        commit.execute();
        inTransaction = false;
    }

    /** Rolls back the open transaction, if any; a failure marks the connection broken so the store replaces it. */
    void rollbackQuietly() {
        if (!inTransaction) {
            return;
        }
        inTransaction = false;
        try {
            rollback.execute();
        } catch (SQLException | RuntimeException e) {
            broken = true;
        }
    }

    boolean isBroken() {
        return broken;
    }

    @Override
    public void close() {
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // the connection closes anyway
            }
        }
        statements.clear();
        handle.close();
    }
}
