package dev.licensor.store.sqlite.internal;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Keeps one prepared statement per SQL text for the life of its connection, so the hot path never
 * re-prepares: Jdbi asks it for a statement and hands it back after each use. A statement asked
 * for while its cached twin is still in use gets a fresh, uncached one. Not API.
 *
 * <p>Not thread-safe: one instance per connection, used by one thread at a time.
 */
final class CachingStatementBuilder implements StatementBuilder {
    private final Map<String, PreparedStatement> cache = new HashMap<>();
    private final Set<Statement> inUse = Collections.newSetFromMap(new IdentityHashMap<>());

    @Override
    public Statement create(Connection conn, StatementContext ctx) throws SQLException {
        return conn.createStatement();
    }

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
        PreparedStatement cached = cache.get(sql);
        if (cached == null) {
            cached = conn.prepareStatement(sql);
            cache.put(sql, cached);
        } else if (inUse.contains(cached)) {
            return conn.prepareStatement(sql);
        }
        inUse.add(cached);
        return cached;
    }

    @Override
    public CallableStatement createCall(Connection conn, String sql, StatementContext ctx) throws SQLException {
        return conn.prepareCall(sql);
    }

    @Override
    public void close(Connection conn, String sql, Statement stmt) throws SQLException {
        if (inUse.remove(stmt)) {
            ((PreparedStatement) stmt).clearParameters();
        } else {
            stmt.close();
        }
    }

    @Override
    public void close(Connection conn) {
        for (PreparedStatement statement : cache.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // the connection is closing anyway
            }
        }
        cache.clear();
        inUse.clear();
    }
}
