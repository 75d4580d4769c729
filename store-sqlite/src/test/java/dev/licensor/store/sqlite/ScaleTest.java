package dev.licensor.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.ledger.LedgerEntry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file with a million leases, a million consumptions and a million ledger entries opens at once
 * (nothing is loaded whole: opening reads the header, the schema and the version row) and serves a
 * checkout, a consume and a ledger page; the ledger prunes by age in batches.
 */
class ScaleTest {
    private static final int ROWS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aMillionRowsOpenAtOnceAndServeCalls() throws Exception {
        Path file = dir.resolve("big.db");
        long licenseId;
        try (SqliteLicenseStore store = SqliteLicenseStore.builder(file).synchronous(Synchronous.NORMAL).open()) {
            licenseId = Fixtures.define(Fixtures.licensor(store), 5, 1);
        }
        long farFuture = Instant.parse("2100-01-01T00:00:00Z").getEpochSecond();
        long past = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement()) {
            st.execute("PRAGMA synchronous = OFF"); // building the fixture only
            st.execute("BEGIN IMMEDIATE");
            // Live leases spread over 10,000 other floating licenses.
            st.execute("INSERT INTO lease (license_id, hardware_id, granted_s, granted_ns, refreshed_s, refreshed_ns,"
                    + " expires_s, expires_ns, borrowed_until_s, borrowed_until_ns)"
                    + " WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < " + ROWS + ")"
                    + " SELECT 1000 + i % 10000, 'hw-' || i, 0, 0, 0, 0, " + farFuture + ", i, NULL, NULL FROM n");
            // 250,000 clients each holding 4 client licenses.
            st.execute("INSERT INTO consumption (client_id, client_license_id, agent_level, released, changed_s, changed_ns)"
                    + " WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < " + ROWS + ")"
                    + " SELECT 1000 + i / 4, 1000 + i % 4, 0, 0, 0, 0 FROM n");
            st.execute("INSERT INTO ledger (at_s, at_ns, event, license_id, client_license_id, subject, code, detail)"
                    + " WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < " + ROWS + ")"
                    + " SELECT " + past + " + i, 0, 'GRANTED', 1000 + i % 10000, 0, 'hw-' || i, 'ok', '' FROM n");
            st.execute("COMMIT");
            try (ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM lease), (SELECT count(*) FROM consumption),"
                    + " (SELECT count(*) FROM ledger)")) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3))).containsExactly(
                        (long) ROWS, (long) ROWS, ROWS + 3L); // + the fixture's product, license, client license
            }
        }

        long started = System.nanoTime();
        SqliteLicenseStore store = SqliteLicenseStore.open(file);
        long openMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("ScaleTest: opened a file of " + ROWS + " leases, consumptions and ledger entries in "
                + openMillis + " ms");
        try (store) {
            // Loading or checking a million rows takes seconds; reading the header, the schema and
            // one version row takes milliseconds. A second leaves room for a slow, shared CI machine.
            assertThat(openMillis).as("milliseconds to open").isLessThan(1000);

            Licensor licensor = Fixtures.licensor(store);
            DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "new-device");
            licensor.floating().activate(device).orElseThrow();
            LicenseCheck check = licensor.floating().check(device).orElseThrow();
            assertThat(check.lease().licenseId()).isEqualTo(licenseId);
            long client = licensor.catalog().registerClient("new-client", 1, "host").orElseThrow().id();
            assertThat(licensor.clients().consume(new ConsumeRequest(ClientRef.id(client),
                    ClientLicense.PLATFORM_CLIENT, 1, 33, false)).isSuccess()).isTrue();
            List<LedgerEntry> page = licensor.ledger().between(Instant.ofEpochSecond(past + 500_000),
                    Instant.ofEpochSecond(past + 500_010), 100);
            assertThat(page).hasSize(10);

            // Pruning by age, in batches: the oldest 300,000 entries go, the rest stay.
            long pruned = licensor.ledger().pruneBefore(Instant.ofEpochSecond(past + 300_000), 50_000);
            assertThat(pruned).isEqualTo(300_000);
            assertThat(licensor.ledger().between(Instant.EPOCH, Instant.ofEpochSecond(past + 300_001), 10))
                    .singleElement().extracting(LedgerEntry::at).isEqualTo(Instant.ofEpochSecond(past + 300_000));
        }
    }
}
