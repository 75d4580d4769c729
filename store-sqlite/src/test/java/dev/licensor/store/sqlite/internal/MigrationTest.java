package dev.licensor.store.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.Change;
import dev.licensor.store.Key;
import dev.licensor.store.Query;
import dev.licensor.store.sqlite.SqliteLicenseStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import dev.licensor.store.jdbc.Migration;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file written at schema version 1 opens, migrates forward in order, and keeps its rows and seq guarantees. */
class MigrationTest {
    @TempDir
    Path dir;

    @Test
    void aVersion1FileWithAutoincrementMigratesKeepingItsLedgerAndNeverReusingASeq() throws SQLException {
        Path file = dir.resolve("v1.db");
        writeVersion1(file, true);
        assertMigratedAndSeqContinuesAfter(file, 3);
    }

    @Test
    void theShortLivedVersion1WithTheFloorTableMigratesToo() throws SQLException {
        Path file = dir.resolve("v1-floor.db");
        writeVersion1(file, false);
        assertMigratedAndSeqContinuesAfter(file, 3);
    }

    /** Issue 26: a file at version 3 keeps policies, groups and holders as text; version 4 converts them whole. */
    @Test
    void aVersion3FileWithTextValuesMigratesToTypedRowsKeepingEveryName() throws SQLException {
        Path file = dir.resolve("v3.db");
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("BEGIN IMMEDIATE");
            Handle handle = Jdbi.open(conn); // not closed: closing it would close conn, which the try closes
            for (int v = 1; v <= 3; v++) {
                Schema.MIGRATIONS.get(v - 1).step().apply(handle);
                st.execute("INSERT INTO licensor_schema (version, description, applied_at_ms) VALUES (" + v + ", 'v', 0)");
            }
            for (String insert : dev.licensor.storetests.LegacyTextRows.INSERTS) {
                st.execute(insert);
            }
            st.execute("COMMIT");
        }
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            dev.licensor.storetests.LegacyTextRows.assertMigrated(store);
        }
    }

    /** Issue 19: a file at version 6 keeps a ledger entry's facts as text; version 7 types them. */
    @Test
    void aVersion6FileWithLedgerTextMigratesToTypedFacts() throws SQLException {
        Path file = dir.resolve("v6.db");
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("BEGIN IMMEDIATE");
            Handle handle = Jdbi.open(conn); // not closed: closing it would close conn, which the try closes
            for (int v = 1; v <= 6; v++) {
                Schema.MIGRATIONS.get(v - 1).step().apply(handle);
                st.execute("INSERT INTO licensor_schema (version, description, applied_at_ms) VALUES (" + v + ", 'v', 0)");
            }
            for (String insert : dev.licensor.storetests.LegacyLedgerRows.INSERTS) {
                st.execute(insert);
            }
            st.execute("COMMIT");
        }
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            dev.licensor.storetests.LegacyLedgerRows.assertMigrated(store);
        }
    }

    /** Issue 19 item 5: a file at version 8 keeps holder metadata as length-prefixed text; version 9 types it. */
    @Test
    void aVersion8FileWithMetadataTextMigratesToPairRows() throws SQLException {
        Path file = dir.resolve("v8.db");
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("BEGIN IMMEDIATE");
            Handle handle = Jdbi.open(conn); // not closed: closing it would close conn, which the try closes
            for (int v = 1; v <= 8; v++) {
                Schema.MIGRATIONS.get(v - 1).step().apply(handle);
                st.execute("INSERT INTO licensor_schema (version, description, applied_at_ms) VALUES (" + v + ", 'v', 0)");
            }
            for (String insert : dev.licensor.storetests.LegacyMetaRows.INSERTS) {
                st.execute(insert);
            }
            st.execute("COMMIT");
        }
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            dev.licensor.storetests.LegacyMetaRows.assertMigrated(store);
        }
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM holder_meta),"
                     + " (SELECT sum(meta_count) FROM lease) + (SELECT sum(meta_count) FROM seat_queue)")) {
            rs.next();
            assertThat(rs.getLong(1)).as("pair rows").isEqualTo(7).isEqualTo(rs.getLong(2));
        }
    }

    /**
     * Issue 23: a file at version 6 whose newest license (id 3, deleted, its id in the ledger) and
     * newest client (id 2) are gone, beside live ones: after migration 8 the rows are kept with their
     * indexes, and new ids start above every id given before, deleted ones included.
     */
    @Test
    void aVersion6FileMigratesToIdsThatAreNeverReused() throws SQLException {
        Path file = dir.resolve("v6.db");
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("BEGIN IMMEDIATE");
            Handle handle = Jdbi.open(conn); // not closed: closing it would close conn, which the try closes
            for (Migration m : Schema.MIGRATIONS.stream().filter(m -> m.version() <= 6).toList()) {
                m.step().apply(handle);
                st.execute("INSERT INTO licensor_schema (version, description, applied_at_ms) VALUES (" + m.version()
                        + ", 'v', 0)");
            }
            st.execute("INSERT INTO product VALUES ('cad', 'CAD', 600, 0, 86400, 0)");
            for (int id = 1; id <= 3; id++) {
                st.execute("INSERT INTO license (id, product, license_key, type, enabled, active, max_activations,"
                        + " floating_seats, borrow_allowed, max_consumptions, consumed, overage_allowed, max_overage)"
                        + " VALUES (" + id + ", 'cad', 'K" + id + "', 'PERPETUAL', 1, 1, 5, 2, 0, 0, 0, 0, 0)");
            }
            st.execute("INSERT INTO ledger (at_s, at_ns, event, license_id, client_license_id, subject, code, detail, actor)"
                    + " VALUES (1700000000, 0, 'LICENSE_DELETED', 3, 0, '', 'ok', 'product cad, key K3', '')");
            st.execute("DELETE FROM license WHERE id = 3");
            st.execute("INSERT INTO license_retired VALUES ('cad', 1, 'K3')");
            st.execute("INSERT INTO client (id, name, platform_type, host_name) VALUES (1, 'c1', 1, 'h1'), (2, 'c2', 1, '')");
            st.execute("COMMIT");
        }
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            assertThat(store.<java.util.Optional<dev.licensor.catalog.License>>read(tx -> tx.find(Key.licenseByKey("cad", "K2")))
                    .orElseThrow().id()).isEqualTo(2);
            assertThat(store.<List<dev.licensor.catalog.License>>read(tx -> tx.list(Query.licensesOfProductAfter("cad", 0, 10))))
                    .extracting(dev.licensor.catalog.License::key).containsExactly("K1", "K2");
            assertThat(store.<Boolean>read(tx -> tx.find(Key.retiredName("cad", "K3", null)).isPresent())).isTrue();
            dev.licensor.catalog.License draft = dev.licensor.catalog.License.builder("cad").key("K4").build();
            assertThat(store.<Long>write(tx -> tx.apply(Change.insertLicense(draft))[0])).as("above the deleted license 3").isEqualTo(4);
            store.write(tx -> {
                tx.apply(Change.deleteClient(tx.find(Key.client(2)).orElseThrow()));
                return null;
            });
            assertThat(store.<Long>write(tx -> tx.apply(Change.insertClient(new dev.licensor.catalog.Client(0, "c3", 1, "")))[0]))
                    .as("above the deleted client 2").isEqualTo(3);
            assertThat(store.<java.util.Optional<dev.licensor.catalog.Client>>read(tx -> tx.find(Key.clientByName("c1")))
                    .orElseThrow().hostName()).isEqualTo("h1");
        }
    }

    /**
     * A file at version 1 with ledger seqs 1 and 2 kept and 3 handed out then pruned: as migration
     * 1 wrote it ({@code autoincrement}), or in its brief form with a floor table instead.
     */
    private static void writeVersion1(Path file, boolean autoincrement) throws SQLException {
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("BEGIN IMMEDIATE");
            Handle handle = Jdbi.open(conn); // not closed: closing it would close conn, which the try closes
            Schema.MIGRATIONS.get(0).step().apply(handle);
            st.execute("INSERT INTO licensor_schema (version, description, applied_at_ms) VALUES (1, 'initial schema', 0)");
            if (!autoincrement) {
                st.execute("DROP TABLE ledger");
                st.execute("CREATE TABLE ledger (seq INTEGER PRIMARY KEY, at_s INTEGER NOT NULL, at_ns INTEGER NOT NULL,"
                        + " event TEXT NOT NULL, license_id INTEGER NOT NULL, client_license_id INTEGER NOT NULL,"
                        + " subject TEXT NOT NULL, code TEXT NOT NULL, detail TEXT NOT NULL) STRICT");
                st.execute("CREATE INDEX ledger_by_time ON ledger (at_s, at_ns)");
                st.execute("CREATE TABLE ledger_seq_floor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL)"
                        + " STRICT");
                st.execute("INSERT INTO ledger_seq_floor (id, seq) VALUES (1, 3)");
            }
            for (int i = 1; i <= 3; i++) {
                st.execute("INSERT INTO ledger (seq, at_s, at_ns, event, license_id, client_license_id, subject, code,"
                        + " detail) VALUES (" + i + ", " + (1_700_000_000 + i) + ", 5, 'GRANTED', 7, 0, 'hw-" + i
                        + "', 'ok', '')");
            }
            st.execute("DELETE FROM ledger WHERE seq = 3"); // pruned: 3 must never come back
            st.execute("COMMIT");
        }
    }

    private static void assertMigratedAndSeqContinuesAfter(Path file, long highest) throws SQLException {
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            List<LedgerEntry> kept = store.read(tx -> tx.list(Query.ledger(Instant.EPOCH, Instant.MAX, 10)));
            assertThat(kept).extracting(LedgerEntry::seq).containsExactly(1L, 2L);
            assertThat(kept.get(1).at()).isEqualTo(Instant.ofEpochSecond(1_700_000_002, 5));
            assertThat(kept).extracting(LedgerEntry::actor).containsExactly("", ""); // migration 6: no actor before
            long next = store.write(tx -> tx.apply(Change.appendLedger(new LedgerEntry(0, Instant.ofEpochSecond(1_800_000_000),
                    LedgerEvent.RELEASED, 7, 0, "hw-1", Code.OK, "")))[0]);
            assertThat(next).isEqualTo(highest + 1);
        }
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT group_concat(version, ',') FROM (SELECT version FROM licensor_schema"
                     + " ORDER BY version)")) {
            assertThat(rs.next()).isTrue();
            // every migration of this build, in order (a number another track holds may be missing until merged)
            assertThat(rs.getString(1)).isEqualTo(Schema.MIGRATIONS.stream().map(m -> Integer.toString(m.version()))
                    .collect(java.util.stream.Collectors.joining(",")));
        }
    }
}
