package dev.licensor.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.store.postgresql.PostgresLicenseStore;
import dev.licensor.store.postgresql.testing.PgServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL side of the benchmarks: the server, HikariCP pools on it, and preloaded schemas.
 *
 * <p><b>Server.</b> {@code LICENSOR_PG_URL}'s when set ({@code run.sh} starts one cluster for a
 * whole run and passes its URL, so forks do not each run {@code initdb}); otherwise a throwaway
 * cluster of this JVM's own ({@link PgServer#startCluster()}: fsync on, synchronous_commit on),
 * stopped when the last trial using it closes.
 *
 * <p><b>Preloaded schemas.</b> A schema per lease count (named after a checksum of the store's
 * migrations and the fixture, as the SQLite templates are) is preloaded once per server through
 * the store's own transactions ({@link Fixture#preload}) and reused by later forks and by every
 * JVM of a multi-JVM run: the benchmarks leave its preloaded rows as they found them (every seat
 * taken is released; the ledger is pruned), and each trial's own pool has a key of its own. A
 * session advisory lock makes concurrent JVMs build it once; a row in
 * {@code public.licensor_bench_ready} marks it complete, so an interrupted preload is redone.
 *
 * <p>Thread-safe (static state under the class lock).
 */
final class Postgres {
    private static final String VERSION = Stores.fingerprint(
            "/dev/licensor/store/postgresql/internal/PgMigrations.class", "/dev/licensor/benchmarks/Fixture.class");
    /** Session advisory lock key serialising preloads and floor-table creation across JVMs. */
    private static final long SETUP_LOCK = 0x4c6963656e736f72L; // "Licensor"

    private static PgServer server;
    private static int users;

    private Postgres() {
    }

    /** The server, started on first use when no {@code LICENSOR_PG_URL} is set; pair with {@link #release}. */
    static synchronized PgServer acquire() {
        if (server == null) {
            String external = System.getenv(PgServer.URL_ENV);
            server = external != null && !external.isBlank() ? PgServer.shared() : PgServer.startCluster();
        }
        users++;
        return server;
    }

    /** Gives the server back; the last user stops a cluster this JVM started (an external one stays). */
    static synchronized void release() {
        if (--users == 0 && server != null) {
            server.close(); // a no-op for LICENSOR_PG_URL's server
            server = null;
        }
    }

    /**
     * A HikariCP pool on {@code server}, as a host would run one: {@code size} connections, all made
     * up front. {@code autoCommit} true for the store (it begins its units with SQL), false for the
     * raw-JDBC floor; READ COMMITTED either way (the store's writing isolation).
     */
    static HikariDataSource pool(PgServer server, int size, boolean autoCommit, String options) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.url());
        if (server.user() != null && !server.user().isEmpty()) {
            config.setUsername(server.user());
        }
        if (server.password() != null && !server.password().isEmpty()) {
            config.setPassword(server.password());
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(30_000);
        config.setInitializationFailTimeout(60_000);
        config.setAutoCommit(autoCommit);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setPoolName("licensor-bench");
        if (options != null) {
            config.addDataSourceProperty("options", options);
        }
        return new HikariDataSource(config);
    }

    /** The schema holding {@code leases} preloaded leases. */
    static String schema(int leases) {
        return "bench_" + VERSION + "_" + leases;
    }

    /**
     * Makes sure {@link #schema(int)} holds the preloaded leases on {@code server}, building it if it
     * is missing or incomplete. The preload runs at {@code synchronous_commit=off} (its durability is
     * not what is measured), then the schema is vacuumed and analysed and the server checkpointed,
     * so no trial pays for the preload's dirty pages or finds stale statistics.
     */
    static void ensurePreloaded(PgServer server, int leases) {
        String schema = schema(leases);
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + SETUP_LOCK + ")");
            try {
                st.execute("CREATE TABLE IF NOT EXISTS public.licensor_bench_ready (schema_name text PRIMARY KEY)");
                if (ready(c, schema)) {
                    return;
                }
                long start = System.nanoTime();
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                try (HikariDataSource preload = pool(server, 2, true, "-c synchronous_commit=off");
                     PostgresLicenseStore store = PostgresLicenseStore.builder(preload).schema(schema)
                             .notifications(false).open()) {
                    Fixture.preload(store, leases);
                }
                try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '" + schema + "'")) {
                    java.util.List<String> tables = new java.util.ArrayList<>();
                    while (rs.next()) {
                        tables.add(schema + "." + rs.getString(1));
                    }
                    for (String table : tables) {
                        st.execute("VACUUM (ANALYZE) " + table);
                    }
                }
                st.execute("CHECKPOINT");
                st.execute("INSERT INTO public.licensor_bench_ready VALUES ('" + schema + "')");
                System.err.printf("preloaded %,d leases into schema %s in %.1f s%n", leases, schema,
                        (System.nanoTime() - start) / 1e9);
            } finally {
                st.execute("SELECT pg_advisory_unlock(" + SETUP_LOCK + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not preload " + schema + ": " + e.getMessage(), e);
        }
    }

    private static boolean ready(Connection c, String schema) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM public.licensor_bench_ready WHERE schema_name = ?")) {
            q.setString(1, schema);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Creates the floor's table once per server: one row per seat keyed by (pool, device), shaped like
     * the SQLite floor's ({@code expires_at} as a bigint).
     */
    static void ensureFloorTable(PgServer server) {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + SETUP_LOCK + ")");
            try {
                st.execute("CREATE SCHEMA IF NOT EXISTS bench_floor");
                st.execute("CREATE TABLE IF NOT EXISTS bench_floor.seat (pool bigint NOT NULL, device text NOT NULL, "
                        + "expires_at bigint NOT NULL, PRIMARY KEY (pool, device))");
            } finally {
                st.execute("SELECT pg_advisory_unlock(" + SETUP_LOCK + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the floor table: " + e.getMessage(), e);
        }
    }
}
