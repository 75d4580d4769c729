package dev.licensor.store.postgresql;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.store.postgresql.testing.PgServer;
import java.time.Duration;

/**
 * One HikariCP pool on the shared test server for the contract suites of this JVM (closed at
 * exit), with {@code synchronous_commit=off}: the suites test rules; durability has its own tests.
 */
final class Pool {
    private static HikariDataSource pool;

    private Pool() {
    }

    /** Emptied schemas of finished tests, ready for the next (creating a schema costs ~20 DDL statements). */
    private static final java.util.Deque<String> EMPTY_SCHEMAS = new java.util.ArrayDeque<>();

    /** A schema for a contract test: an emptied one of an earlier test, or a new name. */
    static synchronized String takeSchema() {
        return EMPTY_SCHEMAS.isEmpty() ? PgServer.freshSchema("contract") : EMPTY_SCHEMAS.pop();
    }

    /** Empties {@code schema} (every row, identities back to 1) for the next test. */
    static void giveBack(String schema) {
        try (java.sql.Connection c = get().getConnection(); java.sql.Statement st = c.createStatement()) {
            // Every table but the migrations' version table and the ledger's seq base (migration 7),
            // so tables added later are emptied too.
            java.util.List<String> tables = new java.util.ArrayList<>();
            try (java.sql.PreparedStatement q = c.prepareStatement(
                    "SELECT tablename FROM pg_tables WHERE schemaname = ? AND tablename <> ? AND tablename <> 'ledger_feed'")) {
                q.setString(1, schema);
                q.setString(2, dev.licensor.store.jdbc.Migrations.VERSION_TABLE);
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        tables.add(schema + "." + rs.getString(1));
                    }
                }
            }
            st.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY");
        } catch (java.sql.SQLException e) {
            return; // not reused; the next test makes a new one
        }
        synchronized (Pool.class) {
            EMPTY_SCHEMAS.push(schema);
        }
    }

    static synchronized HikariDataSource get() {
        if (pool == null) {
            pool = Fixtures.fastPool(PgServer.shared(), 24, Duration.ofSeconds(30));
            HikariDataSource created = pool;
            Runtime.getRuntime().addShutdownHook(new Thread(created::close, "contract-pool-close"));
        }
        return pool;
    }

    /**
     * The stores one contract test opened (usually one, more if a test reopens), each on a schema
     * of its own, and given back emptied when the test ends. Thread-safe: race threads may open.
     */
    static final class Schemas {
        private final java.util.List<PostgresLicenseStore> opened = new java.util.concurrent.CopyOnWriteArrayList<>();

        /** A store on an empty schema of the shared pool, with {@code options} applied to its builder. */
        PostgresLicenseStore open(java.util.function.UnaryOperator<PostgresLicenseStore.Builder> options) {
            PostgresLicenseStore store = options.apply(PostgresLicenseStore.builder(get()).schema(takeSchema())).open();
            opened.add(store);
            return store;
        }

        /** Closes every store opened (closing twice is harmless) and empties its schema for the next test. */
        void giveBackAll() {
            for (PostgresLicenseStore store : opened) {
                store.close();
                giveBack(store.schema());
            }
            opened.clear();
        }
    }
}
