package dev.licensor.store.postgresql.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what one operation costs on the wire to a test server: the statements the server ran
 * ({@code pg_stat_statements}, top-level, utility statements such as {@code BEGIN} included) and
 * the round trips of the connections that count into {@link CountingSockets} under one name. The
 * server must be the test's own (nothing else running on it), with {@code pg_stat_statements}
 * loaded ({@link PgServer#statementStatistics()}).
 *
 * <p>{@code pg_stat_statements} lists neither the {@code BEGIN} nor the {@code COMMIT} that the
 * store sends as prepared statements (pgjdbc's own {@code BEGIN}, sent when auto-commit is off, is
 * listed); {@link Counts#roundTrips()} counts every exchange whatever it carries.
 *
 * <p>Not thread-safe: measure one operation at a time. {@link #close()} closes its connection.
 */
public final class WireCounts implements AutoCloseable {
    private final AtomicLong trips;
    private final Connection observer; // one session, so its own set-up is not counted in any operation

    /**
     * What one operation cost.
     *
     * @param statements  statements the server ran (calls in {@code pg_stat_statements})
     * @param roundTrips  times the client sent and then waited for the server
     * @param byStatement "calls × statement text" per distinct statement, most called first
     */
    public record Counts(long statements, long roundTrips, List<String> byStatement) {
        /** Statements other than {@code BEGIN}, {@code COMMIT} and the unit's {@code set_config} settings. */
        public long bodyStatements() {
            long n = 0;
            for (String s : byStatement) {
                int x = s.indexOf(" × ");
                String text = s.substring(x + 3);
                if (!text.startsWith("BEGIN") && !text.startsWith("COMMIT") && !text.startsWith("SELECT set_config")) {
                    n += Long.parseLong(s.substring(0, x));
                }
            }
            return n;
        }
    }

    /** Counts on {@code server}, round trips of the connections whose {@code socketFactoryArg} is {@code name}. */
    public WireCounts(PgServer server, String name) {
        if (!server.statementStatistics()) {
            throw new IllegalStateException("pg_stat_statements is not loaded on " + server.url());
        }
        this.trips = CountingSockets.counter(name);
        try {
            this.observer = server.connect();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code operation} and returns what it sent. */
    public Counts measure(Runnable operation) {
        try (Statement st = observer.createStatement()) {
            st.execute("SELECT pg_stat_statements_reset()");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        long before = trips.get();
        operation.run();
        long roundTrips = trips.get() - before;
        List<String> by = new ArrayList<>();
        long statements = 0;
        try (Statement st = observer.createStatement();
             ResultSet rs = st.executeQuery("SELECT calls, query FROM pg_stat_statements"
                     + " WHERE toplevel AND query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC, query")) {
            while (rs.next()) {
                statements += rs.getLong(1);
                by.add(rs.getLong(1) + " × " + rs.getString(2).replaceAll("\\s+", " "));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Counts(statements, roundTrips, by);
    }

    @Override
    public void close() {
        try {
            observer.close();
        } catch (SQLException ignored) {
            // the server is going away with the test
        }
    }
}
