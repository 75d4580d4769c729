package dev.licensor.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.store.postgresql.testing.CountingSockets;
import dev.licensor.store.postgresql.testing.PgServer;
import dev.licensor.store.postgresql.testing.WireCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a checkout and a release cost the server and the network, counted on a server of this
 * test's own: statements with {@code pg_stat_statements}, round trips with {@link CountingSockets}
 * on the store's one pooled connection; beside them the raw-JDBC floor the benchmarks divide by
 * ({@code pgInsertDelete}: insert a row and commit, delete it and commit). The bounds are what the
 * store reaches today, so a change that adds a statement or a round trip fails here; the figures
 * are printed for docs/performance.md.
 *
 * <p>Each figure is the least over several cycles: a pool may add a validation round trip to a
 * connection idle for more than half a second, which is the pool's, not the unit's.
 */
class RoundTripsTest {
    /**
     * Bounds reached by the store (issue 19 targets: 6 round trips and 8 statements per
     * checkout+release). A unit's statements: the settings, the pool lock, the load, the apply
     * (store-jdbc's {@code PoolSql}: one statement each); {@code BEGIN} and {@code COMMIT}, sent
     * as prepared statements, are not listed. At {@code 6736f71} a check was 14 statements and a
     * release 10; with the one-statement load and apply but group commit's lock-timeout statement
     * still before the {@code COMMIT} (a {@code NOTIFY} guard, gone with the change record), 5 each.
     */
    static final int CHECK_ROUND_TRIPS = 3;
    static final int RELEASE_ROUND_TRIPS = 3;
    static final int CHECK_STATEMENTS = 4;
    static final int RELEASE_STATEMENTS = 4;
    private static final int CYCLES = 8;

    private static PgServer server;

    @BeforeAll
    static void ownServer() {
        server = PgServer.startCluster(); // alone on it: pg_stat_statements counts only this test
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HikariDataSource countingPool(String name, boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.url());
        if (server.user() != null) {
            config.setUsername(server.user());
        }
        config.setMaximumPoolSize(1);
        config.setAutoCommit(autoCommit);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        CountingSockets.properties(name).forEach(config::addDataSourceProperty);
        return new HikariDataSource(config);
    }

    @Test
    void checkoutAndReleaseCountsStayWithinTheirBounds() {
        try (WireCounts wire = new WireCounts(server, "engine"); HikariDataSource pool = countingPool("engine", true);
             PostgresLicenseStore store = PostgresLicenseStore.builder(pool).schema("counts").notifications(false).open()) {
            Licensor licensor = Fixtures.licensor(store);
            Fixtures.define(licensor, 4, 1);
            DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "hw-1");
            licensor.floating().activate(device).orElseThrow();
            List<WireCounts.Counts> checks = new ArrayList<>();
            List<WireCounts.Counts> releases = new ArrayList<>();
            for (int i = 0; i < CYCLES; i++) {
                checks.add(wire.measure(() -> licensor.floating().check(device).orElseThrow()));
                releases.add(wire.measure(() -> licensor.floating().release(device).orElseThrow()));
            }
            WireCounts.Counts check = least(checks);
            WireCounts.Counts release = least(releases);
            report("check (takes the seat)", check);
            report("release", release);
            assertThat(check.roundTrips()).as("check round trips").isLessThanOrEqualTo(CHECK_ROUND_TRIPS);
            assertThat(release.roundTrips()).as("release round trips").isLessThanOrEqualTo(RELEASE_ROUND_TRIPS);
            assertThat(check.statements()).as("check statements").isLessThanOrEqualTo(CHECK_STATEMENTS);
            assertThat(release.statements()).as("release statements").isLessThanOrEqualTo(RELEASE_STATEMENTS);
        }
    }

    /**
     * Holder metadata (issue 19 item 5), beside the same holder (user and host) without pairs in
     * the same run: a put with pairs runs one statement per write (the lease, each pair, the
     * ledger entry: three more than the one apply statement) in the same round trips, and a unit
     * that loads a lease with pairs reads them inside the load, at no cost.
     */
    @Test
    void metadataPairsCostTheirInsertsAndNothingWhereALeaseWithPairsIsLoaded() {
        try (WireCounts wire = new WireCounts(server, "meta"); HikariDataSource pool = countingPool("meta", true);
             PostgresLicenseStore store = PostgresLicenseStore.builder(pool).schema("meta_counts").notifications(false).open()) {
            Licensor licensor = Fixtures.licensor(store);
            Fixtures.define(licensor, 4, 1);
            dev.licensor.floating.Holder holder = dev.licensor.floating.Holder.of("alice", "ws-1");
            DeviceRequest plain = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "hw-1").withHolder(holder);
            DeviceRequest paired = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "hw-2")
                    .withHolder(holder.withMetadata(java.util.Map.of("env", "prod", "build", "42")));
            licensor.floating().activate(plain).orElseThrow();
            licensor.floating().activate(paired).orElseThrow();
            long fallbacksBefore = fallbacks(store);
            List<WireCounts.Counts> plainChecks = new ArrayList<>();
            List<WireCounts.Counts> plainReleases = new ArrayList<>();
            List<WireCounts.Counts> checks = new ArrayList<>();
            List<WireCounts.Counts> releases = new ArrayList<>();
            for (int i = 0; i < CYCLES; i++) {
                plainChecks.add(wire.measure(() -> licensor.floating().check(plain).orElseThrow()));
                plainReleases.add(wire.measure(() -> licensor.floating().release(plain).orElseThrow()));
                checks.add(wire.measure(() -> licensor.floating().check(paired).orElseThrow()));
                releases.add(wire.measure(() -> licensor.floating().release(paired).orElseThrow()));
            }
            // each check with pairs put its lease one statement per write; nothing else did
            assertThat(fallbacks(store) - fallbacksBefore).isEqualTo(CYCLES);
            WireCounts.Counts plainCheck = least(plainChecks);
            WireCounts.Counts plainRelease = least(plainReleases);
            WireCounts.Counts check = least(checks);
            WireCounts.Counts release = least(releases);
            report("check, holder with user and host (takes the seat)", plainCheck);
            report("release, holder with user and host", plainRelease);
            report("check, the same holder with 2 metadata pairs (takes the seat)", check);
            report("release of a lease with 2 metadata pairs", release);
            assertThat(check.roundTrips()).as("check round trips").isEqualTo(plainCheck.roundTrips());
            assertThat(check.statements()).as("check statements").isEqualTo(plainCheck.statements() + 3);
            assertThat(release.roundTrips()).as("release round trips").isEqualTo(plainRelease.roundTrips());
            assertThat(release.statements()).as("release statements").isEqualTo(plainRelease.statements());
        }
    }

    private static long fallbacks(PostgresLicenseStore store) {
        return store.read(tx -> ((dev.licensor.store.jdbc.JdbcTransaction) tx).applyFallbacks());
    }

    @Test
    void theFloorIsFourRoundTrips() throws SQLException {
        server.execute("CREATE SCHEMA IF NOT EXISTS floor",
                "CREATE TABLE IF NOT EXISTS floor.seat (pool bigint NOT NULL, device text NOT NULL,"
                        + " expires_at bigint NOT NULL, PRIMARY KEY (pool, device))");
        try (WireCounts wire = new WireCounts(server, "floor"); HikariDataSource pool = countingPool("floor", false)) {
            List<WireCounts.Counts> cycles = new ArrayList<>();
            for (int i = 0; i < CYCLES; i++) {
                cycles.add(wire.measure(() -> floor(pool)));
            }
            WireCounts.Counts floor = least(cycles);
            report("floor insert+commit, delete+commit", floor);
            assertThat(floor.roundTrips()).isEqualTo(4);
        }
    }

    /** pgInsertDelete: insert and commit, delete and commit, each on a connection borrowed for it. */
    private static void floor(HikariDataSource pool) {
        try {
            for (String sql : List.of("INSERT INTO floor.seat (pool, device, expires_at) VALUES (?, ?, ?)",
                    "DELETE FROM floor.seat WHERE pool = ? AND device = ? AND ? >= 0")) {
                try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, 1);
                    ps.setString(2, "hw-1");
                    ps.setLong(3, 0);
                    ps.executeUpdate();
                    c.commit();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WireCounts.Counts least(List<WireCounts.Counts> all) {
        return all.stream().min(Comparator.comparingLong(WireCounts.Counts::roundTrips)
                .thenComparingLong(WireCounts.Counts::statements)).orElseThrow();
    }

    private static void report(String what, WireCounts.Counts c) {
        System.out.printf("%s: %d statements (%d besides BEGIN, COMMIT and the settings), %d round trips%n",
                what, c.statements(), c.bodyStatements(), c.roundTrips());
        c.byStatement().forEach(s -> System.out.println("    " + (s.length() > 150 ? s.substring(0, 150) + "…" : s)));
    }
}
