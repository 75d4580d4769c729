package dev.licensor.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * One database connection held open by a store, with its Jdbi handle, its cache of prepared
 * statements (so the hot path never re-prepares) and the dialect's transaction-control
 * statements. Transactions are begun and ended with explicit SQL ({@link Dialect#begin},
 * {@code COMMIT}, {@code ROLLBACK}) while the connection stays in auto-commit mode: sqlite-jdbc's
 * {@code commit()} would open the next transaction at once, and in IMMEDIATE mode hold the write
 * lock between units.
 *
 * <p><b>Deferred statements.</b> On a dialect that {@link Dialect#pipelines() pipelines}, a unit's
 * {@code BEGIN}, its locks and the writes whose result nobody reads ({@link #defer}) are not sent
 * when they are called but in front of the next statement that returns something
 * ({@link #execute}) or the {@code COMMIT}: one multi-statement prepared statement, one round
 * trip, run by the server in call order. So the unit still takes its locks before it reads, reads
 * its own writes, and fails (and rolls back) on a failing deferred statement, only at the next
 * statement or the commit instead of at the call. A unit that sent nothing ends without a round
 * trip.
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
    private static final Object[] NO_ARGS = {};
    private final List<String> deferredSql = new ArrayList<>();
    private final List<Object[]> deferredArgs = new ArrayList<>();
    private final StringBuilder combined = new StringBuilder();
    private int deferredResults; // results the deferred statements produce, to step over
    private boolean deferredWork; // something besides the BEGIN is deferred
    private boolean sent; // something of the open unit has reached the server
    private boolean inTransaction;
    private boolean broken;
    private long sends; // round trips of deferred statements so far, to tell whether a mark's are still unsent
    private Set<String> watched = Set.of(); // lock statements to record (group commit)
    private final List<Object[]> recorded = new ArrayList<>();
    private long run; // statements handed out or run, for statementsRun()

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
            this.beginWrite = prepared(dialect.begin(true));
            this.beginRead = prepared(dialect.begin(false));
            this.commit = prepared("COMMIT");
            this.rollback = prepared("ROLLBACK");
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

    /**
     * The prepared statement for {@code sql}, prepared once per connection. Every caller runs what
     * it gets once, so each call counts as one statement run ({@link #statementsRun()}).
     */
    public PreparedStatement statement(String sql) throws SQLException {
        run++;
        return prepared(sql);
    }

    /**
     * Statements run on this connection so far ({@code BEGIN}, {@code COMMIT} and {@code ROLLBACK}
     * included; a pipelined send of several counts once): for tests that pin a unit's cost.
     */
    public long statementsRun() {
        return run;
    }

    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = handle.getConnection().prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** Starts a transaction with {@link Dialect#begin}, now. */
    public void begin(boolean write) throws SQLException {
        run++;
        (write ? beginWrite : beginRead).execute();
        inTransaction = true;
        sent = true;
    }

    /**
     * Starts a transaction with {@link Dialect#begin}: deferred to the unit's first statement if
     * the dialect {@link Dialect#pipelines() pipelines}, else now.
     */
    public void beginDeferred(boolean write) throws SQLException {
        if (!dialect.pipelines()) {
            begin(write);
            return;
        }
        clearDeferred();
        inTransaction = true;
        sent = false;
        queue(dialect.begin(write), NO_ARGS);
        deferredWork = false;
    }

    /**
     * Runs {@code sql} (a statement whose result the caller does not read: a lock, a write whose
     * count does not matter) in front of the unit's next statement or its commit, in the same round
     * trip; or now, if the dialect does not pipeline.
     */
    public void defer(String sql, Object... args) throws SQLException {
        if (watched.contains(sql)) {
            recorded.add(new Object[] {sql, args});
        }
        if (!dialect.pipelines()) {
            bind(statement(sql), 0, args).execute();
            return;
        }
        queue(sql, args);
    }

    private void queue(String sql, Object[] args) {
        deferredSql.add(sql);
        deferredArgs.add(args);
        deferredResults += results(sql);
        deferredWork = true;
    }

    /** The results a statement of ours produces: one per statement in it (our SQL has no ';' in literals). */
    private static int results(String sql) {
        int n = 1;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == ';') {
                n++;
            }
        }
        return n;
    }

    /**
     * From now on, records every deferred statement that is one of {@code statements} (the lock
     * statements) with its arguments, forgetting earlier records: group commit learns which locks a
     * unit asked for, to take them again, waiting, when one was busy.
     */
    public void record(Set<String> statements) {
        watched = statements;
        recorded.clear();
    }

    /** The statements recorded since {@link #record}, each as {@code {sql, args}}, in call order. */
    public List<Object[]> recorded() {
        return List.copyOf(recorded);
    }

    /** A mark of what is deferred now, for {@link #discardSince}. */
    public long mark() {
        return (sends << 20) | deferredSql.size();
    }

    /**
     * Drops what was deferred after {@code mark}, if none of it was sent yet (nothing was sent
     * since the mark, and the dialect pipelines: otherwise statements ran when called); returns
     * whether it did. So a unit that ends before it sent anything is
     * undone without a round trip.
     */
    public boolean discardSince(long mark) {
        int size = (int) (mark & 0xFFFFF);
        if (!dialect.pipelines() || mark >>> 20 != sends || deferredSql.size() < size) {
            return false;
        }
        while (deferredSql.size() > size) {
            deferredResults -= results(deferredSql.remove(deferredSql.size() - 1));
            deferredArgs.remove(deferredArgs.size() - 1);
        }
        return true;
    }

    /** Whether statements wait to be sent with the next one. */
    public boolean hasDeferred() {
        return !deferredSql.isEmpty();
    }

    /**
     * Executes {@code sql} with {@code args} bound, after the deferred statements and in the same
     * round trip, and returns the statement positioned on {@code sql}'s result (read it with
     * {@code getResultSet()} or {@code getUpdateCount()}).
     */
    public PreparedStatement execute(String sql, Object... args) throws SQLException {
        if (deferredSql.isEmpty()) {
            PreparedStatement ps = bind(statement(sql), 0, args);
            sends++;
            ps.execute();
            return ps;
        }
        return send(sql, args, deferredResults);
    }

    /**
     * Executes {@code sqls} in order, each with its {@code args}, after the deferred statements and
     * in one round trip, where the dialect pipelines. Returns the statement positioned on the first
     * one's result; {@code getMoreResults()} steps to the next (one result per statement).
     */
    public PreparedStatement executeAll(List<String> sqls, List<Object[]> args) throws SQLException {
        if (!dialect.pipelines()) {
            throw new IllegalStateException(dialect.name() + " does not pipeline statements");
        }
        int skip = deferredResults;
        int last = sqls.size() - 1;
        for (int i = 0; i < last; i++) {
            queue(sqls.get(i), args.get(i));
        }
        return send(sqls.get(last), args.get(last), skip);
    }

    /** Sends the deferred statements and {@code sql} as one statement, stepping over {@code skip} results. */
    private PreparedStatement send(String sql, Object[] args, int skip) throws SQLException {
        combined.setLength(0);
        for (String d : deferredSql) {
            combined.append(d).append("; ");
        }
        // a unit sends a few combinations; the store's connections live one unit (pgjdbc keeps the
        // server-side statements per physical connection)
        PreparedStatement ps = statement(combined.append(sql).toString());
        int position = 0;
        for (Object[] a : deferredArgs) {
            bind(ps, position, a);
            position += a.length;
        }
        bind(ps, position, args);
        clearDeferred();
        sent = true;
        sends++;
        ps.execute();
        for (int i = 0; i < skip; i++) {
            ps.getMoreResults();
        }
        return ps;
    }

    private void clearDeferred() {
        deferredSql.clear();
        deferredArgs.clear();
        deferredResults = 0;
        deferredWork = false;
    }

    /**
     * Binds {@code args} (Long, Integer, String, Boolean as 0/1, null, or an array of Long or String
     * as a SQL array of {@code int8} or {@code text}) from parameter {@code offset + 1}.
     */
    static PreparedStatement bind(PreparedStatement statement, int offset, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int position = offset + i + 1;
            if (a instanceof Long l) {
                statement.setLong(position, l);
            } else if (a instanceof Integer n) {
                statement.setInt(position, n);
            } else if (a instanceof String s) {
                statement.setString(position, s);
            } else if (a instanceof Boolean b) {
                statement.setInt(position, b ? 1 : 0);
            } else if (a instanceof Long[] v) {
                statement.setArray(position, statement.getConnection().createArrayOf("int8", v));
            } else if (a instanceof String[] v) {
                statement.setArray(position, statement.getConnection().createArrayOf("text", v));
            } else if (a == null) {
                statement.setNull(position, Types.NULL);
            } else {
                throw new IllegalArgumentException("cannot bind " + a.getClass());
            }
        }
        return statement;
    }

    /**
     * Commits the open transaction, sending the deferred statements with the {@code COMMIT}; a unit
     * that sent nothing and deferred nothing but its {@code BEGIN} ends here without a round trip.
     */
    public void commit() throws SQLException {
        if (!sent && !deferredWork) {
            clearDeferred();
        } else if (!deferredSql.isEmpty()) {
            send("COMMIT", NO_ARGS, deferredResults);
        } else {
            run++;
            commit.execute();
        }
        inTransaction = false;
    }

    /** Rolls back the open transaction, if any; a failure marks the connection broken so the store replaces it. */
    public void rollbackQuietly() {
        if (!inTransaction) {
            return;
        }
        inTransaction = false;
        clearDeferred();
        if (!sent) {
            return; // the server never saw the unit
        }
        try {
            run++;
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
