package dev.licensor.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.postgresql.internal.PgDialect;
import dev.licensor.store.postgresql.internal.PgMigrations;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.storetests.LegacyTextRows;
import dev.licensor.store.postgresql.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Opening a schema: hosts starting at once against an empty database apply each migration once
 * (the migration lock), a reopened schema keeps its rows, and a schema this build must not touch
 * (newer, or another application's) is refused with {@link Code#STORE_FAILURE} and left exactly as
 * it was.
 */
@ExtendWith(PgExtension.class)
class MigrationTest {
    private final PgServer server = PgServer.shared();

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void hostsStartingAtOnceApplyEachMigrationOnce() throws Exception {
        String schema = PgServer.freshSchema("race_open");
        int hosts = 4;
        ExecutorService executor = Executors.newFixedThreadPool(hosts);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<PostgresLicenseStore>> opened = new ArrayList<>();
            for (int h = 0; h < hosts; h++) {
                // a DataSource each: separate connections, as separate hosts have
                opened.add(executor.submit(() -> {
                    start.await();
                    return PostgresLicenseStore.builder(server.dataSource()).schema(schema).notifications(false).open();
                }));
            }
            start.countDown();
            for (Future<PostgresLicenseStore> store : opened) {
                store.get(90, TimeUnit.SECONDS).close();
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(query("SELECT count(*) || ' ' || count(DISTINCT version) || ' ' || max(version) FROM "
                + schema + ".licensor_schema")).isEqualTo("9 9 9"); // nine migrations, each applied once
        server.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    /** Issue 26: a schema at version 1 keeps policies, groups and holders as text; version 2 converts them whole. */
    @Test
    void aVersion1SchemaWithTextValuesMigratesToTypedRowsKeepingEveryName() throws SQLException {
        String schema = PgServer.freshSchema("typed");
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("CREATE SCHEMA " + schema);
            st.execute("SET LOCAL search_path TO " + schema);
            Handle handle = Jdbi.open(c); // not closed: the try closes c
            PgDialect dialect = new PgDialect(schema, new PgDialect.Timeouts(Duration.ofSeconds(5), Duration.ZERO,
                    Duration.ofSeconds(60)));
            PgMigrations.all(dialect).get(0).step().apply(handle);
            st.execute("INSERT INTO licensor_schema (version, description, applied_at_ms) VALUES (1, 'v1', 0)");
            for (String insert : LegacyTextRows.INSERTS) {
                st.execute(insert);
            }
            c.commit();
        }
        try (PostgresLicenseStore store = open(schema)) {
            LegacyTextRows.assertMigrated(store);
        }
        server.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    /** Issue 19: a schema at version 4 keeps a ledger entry's facts as text; version 5 types them. */
    @Test
    void aVersion4SchemaWithLedgerTextMigratesToTypedFacts() throws SQLException {
        String schema = PgServer.freshSchema("facts");
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("CREATE SCHEMA " + schema);
            st.execute("SET LOCAL search_path TO " + schema);
            Handle handle = Jdbi.open(c); // not closed: the try closes c
            PgDialect dialect = new PgDialect(schema, new PgDialect.Timeouts(Duration.ofSeconds(5), Duration.ZERO,
                    Duration.ofSeconds(60)));
            for (int v = 1; v <= 4; v++) {
                PgMigrations.all(dialect).get(v - 1).step().apply(handle);
                st.execute("INSERT INTO licensor_schema (version, description, applied_at_ms) VALUES (" + v + ", 'v', 0)");
            }
            for (String insert : dev.licensor.storetests.LegacyLedgerRows.INSERTS) {
                st.execute(insert);
            }
            c.commit();
        }
        try (PostgresLicenseStore store = open(schema)) {
            dev.licensor.storetests.LegacyLedgerRows.assertMigrated(store);
        }
        server.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    /** Issue 19 item 5: a schema at version 5 keeps holder metadata as length-prefixed text; version 6 types it. */
    @Test
    void aVersion5SchemaWithMetadataTextMigratesToPairRows() throws SQLException {
        String schema = PgServer.freshSchema("meta");
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("CREATE SCHEMA " + schema);
            st.execute("SET LOCAL search_path TO " + schema);
            Handle handle = Jdbi.open(c); // not closed: the try closes c
            PgDialect dialect = new PgDialect(schema, new PgDialect.Timeouts(Duration.ofSeconds(5), Duration.ZERO,
                    Duration.ofSeconds(60)));
            for (int v = 1; v <= 5; v++) {
                PgMigrations.all(dialect).get(v - 1).step().apply(handle);
                st.execute("INSERT INTO licensor_schema (version, description, applied_at_ms) VALUES (" + v + ", 'v', 0)");
            }
            for (String insert : dev.licensor.storetests.LegacyMetaRows.INSERTS) {
                st.execute(insert);
            }
            c.commit();
        }
        try (PostgresLicenseStore store = open(schema)) {
            dev.licensor.storetests.LegacyMetaRows.assertMigrated(store);
        }
        assertThat(query("SELECT (SELECT count(*) FROM " + schema + ".holder_meta) || ' ' || ((SELECT sum(meta_count)"
                + " FROM " + schema + ".lease) + (SELECT sum(meta_count) FROM " + schema + ".seat_queue))"))
                .isEqualTo("7 7");
        server.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void aReopenedSchemaKeepsItsRows() {
        String schema = PgServer.freshSchema("reopen");
        long licenseId;
        try (PostgresLicenseStore store = open(schema)) {
            licenseId = Fixtures.define(Fixtures.licensor(store), 3, 1);
        }
        try (PostgresLicenseStore store = open(schema)) {
            assertThat(Fixtures.licensor(store).catalog().license(licenseId)).isPresent();
        }
        server.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void aNewerSchemaIsRefusedAndLeftUntouched() throws SQLException {
        String schema = PgServer.freshSchema("newer");
        try (PostgresLicenseStore store = open(schema)) {
            Fixtures.define(Fixtures.licensor(store), 3, 1);
        }
        server.execute("INSERT INTO " + schema + ".licensor_schema (version, description, applied_at_ms)"
                + " VALUES (99, 'from the future', 0)");
        String before = fingerprint(schema);

        assertThatThrownBy(() -> open(schema)).isInstanceOfSatisfying(LicensingException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.STORE_FAILURE);
            assertThat(e.getMessage()).contains("newer").contains("99");
        });
        assertThat(fingerprint(schema)).isEqualTo(before);
        server.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void anotherApplicationsSchemaIsRefusedAndLeftUntouched() throws SQLException {
        String schema = PgServer.freshSchema("foreign");
        server.execute("CREATE SCHEMA " + schema, "CREATE TABLE " + schema + ".orders (id int PRIMARY KEY)",
                "INSERT INTO " + schema + ".orders VALUES (1)");
        String before = fingerprint(schema);

        assertThatThrownBy(() -> open(schema)).isInstanceOfSatisfying(LicensingException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.STORE_FAILURE);
            assertThat(e.getMessage()).contains("not a Licensor schema");
        });
        assertThat(fingerprint(schema)).isEqualTo(before);
        server.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void aServerThatCannotBeReachedIsAStoreFailure() {
        PgServer nowhere = server;
        org.postgresql.ds.PGSimpleDataSource dead = new org.postgresql.ds.PGSimpleDataSource();
        dead.setUrl(nowhere.urlThrough(1)); // port 1: nothing listens
        dead.setConnectTimeout(2);
        assertThatThrownBy(() -> PostgresLicenseStore.builder(dead).open())
                .isInstanceOfSatisfying(LicensingException.class, e -> assertThat(e.code()).isEqualTo(Code.STORE_FAILURE));
    }

    private PostgresLicenseStore open(String schema) {
        return PostgresLicenseStore.builder(server.dataSource()).schema(schema).notifications(false).open();
    }

    /** Every table of the schema with its row count, and the version rows. */
    private String fingerprint(String schema) throws SQLException {
        StringBuilder out = new StringBuilder();
        List<String> tables = new ArrayList<>();
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '" + schema
                    + "' ORDER BY tablename")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
                    rs.next();
                    out.append(table).append('=').append(rs.getLong(1)).append(' ');
                }
            }
        }
        return out.toString();
    }

    private String query(String sql) throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
