package dev.licensor.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * One database connection held open by a store, with its Jdbi handle, its cache of prepared
 * statements (so the hot path never re-prepares) and the dialect's transaction-control
 * statements. Transactions are begun and ended with explicit SQL ({@link Dialect#begin},
 * {@code COMMIT}, {@code ROLLBACK}) while the connection stays in auto-commit mode: sqlite-jdbc's
 * {@code commit()} would open the next transaction at once, and in IMMEDIATE mode hold the write
 * lock between units.
 *
 * <p>Not thread-safe: used by one thread at a time, handed over through the store's pool.
 */
public final class JdbcConnection implements AutoCloseable {
    private final Handle handle;
    private final Dialect dialect;
    private final PreparedStatement beginWrite;
    private final PreparedStatement beginRead;
    private final PreparedStatement commit;
    private final PreparedStatement rollback;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private boolean inTransaction;
    private boolean broken;

    /**
     * Takes over {@code handle} (closing it on {@link #close()}) and runs the dialect's session
     * settings on it.
     */
    public JdbcConnection(Handle handle, Dialect dialect) throws SQLException {
        this.handle = Objects.requireNonNull(handle, "handle");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        try {
            try (Statement st = handle.getConnection().createStatement()) {
                for (String setting : dialect.sessionSettings()) {
                    st.execute(setting);
                }
            }
            this.beginWrite = statement(dialect.begin(true));
            this.beginRead = statement(dialect.begin(false));
            this.commit = statement("COMMIT");
            this.rollback = statement("ROLLBACK");
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The Jdbi handle, for statements off the hot path (migrations, backups, tests). */
    public Handle handle() {
        return handle;
    }

    /** The dialect this connection speaks. */
    public Dialect dialect() {
        return dialect;
    }

    /** The prepared statement for {@code sql}, prepared once per connection. */
    public PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = handle.getConnection().prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** Starts a transaction with {@link Dialect#begin}. */
    public void begin(boolean write) throws SQLException {
        (write ? beginWrite : beginRead).execute();
        inTransaction = true;
    }

    /** Commits the open transaction. */
    public void commit() throws SQLException {
        commit.execute();
        inTransaction = false;
    }

    /** Rolls back the open transaction, if any; a failure marks the connection broken so the store replaces it. */
    public void rollbackQuietly() {
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

    /** Whether a rollback failed: the store should close this connection and open another. */
    public boolean isBroken() {
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
