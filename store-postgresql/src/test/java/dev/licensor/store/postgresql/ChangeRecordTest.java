package dev.licensor.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.store.ChangeListener;
import dev.licensor.store.jdbc.ChangePoller;
import dev.licensor.store.postgresql.internal.PgMigrations;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The polled change record (migration 9) that replaced {@code NOTIFY}: what a subscribed store
 * hears of other hosts' commits, exactly. Host A writes, host B's store is subscribed with a
 * listener that records every call. A change made after a marker commits reaches B only after it;
 * a marker is an entry the test commits into the record itself, so "B heard the marker" means B's
 * poller read past everything that ended before it.
 */
@ExtendWith(PgExtension.class)
class ChangeRecordTest {
    private static final long MARKER = 4_242_424_242L;
    private PgServer server;
    private String schema;
    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private PostgresLicenseStore storeA;
    private PostgresLicenseStore storeB;
    private Licensor a;
    private long licenseId;
    private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();

    @BeforeEach
    void twoHosts() throws Exception {
        server = PgServer.shared();
        schema = PgServer.freshSchema("changes");
        poolA = Fixtures.pool(server, 3, Duration.ofSeconds(5));
        poolB = Fixtures.pool(server, 3, Duration.ofSeconds(5));
        storeA = Fixtures.open(poolA, schema);
        storeB = Fixtures.open(poolB, schema);
        a = Fixtures.licensor(storeA);
        licenseId = Fixtures.define(a, 100, 1);
        storeB.subscribe(new Recorder(heard));
        markAndAwait(); // B's poller runs and has read past the set-up
        heard.clear();
    }

    @AfterEach
    void close() {
        storeA.close();
        storeB.close();
        poolA.close();
        poolB.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSeatTakenAndFreedOnHostAIsHeardOnHostBWithinTheBound() throws Exception {
        DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "hw-1");
        a.floating().activate(device).orElseThrow();
        heard.clear();
        String seat = "seat " + licenseId + " hw-1";
        long start = System.nanoTime();
        a.floating().check(device).orElseThrow();
        awaitHeard(seat);
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        System.out.printf("change record: a checkout on host A heard on host B after %.1f ms (poll interval %s)%n",
                micros / 1000.0, PostgresLicenseStore.POLL_INTERVAL);
        heard.clear();
        a.floating().release(device).orElseThrow();
        awaitHeard(seat);
    }

    /** Waits for {@code what} within {@link #bound()}, failing the test otherwise. */
    private void awaitHeard(String what) throws InterruptedException {
        long deadline = System.nanoTime() + bound().toNanos();
        while (!heard.contains(what)) {
            assertThat(System.nanoTime()).as(what + " heard within " + bound()).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRolledBackTransactionOrSavepointIsNeverHeard() throws Exception {
        server.execute("BEGIN", "UPDATE " + schema + ".license SET id = id WHERE id = " + licenseId, "ROLLBACK");
        // a batch's unit that failed: its savepoint rolled back, the batch committed
        server.execute("BEGIN", "SAVEPOINT unit", "UPDATE " + schema + ".license SET id = id WHERE id = " + licenseId,
                "ROLLBACK TO SAVEPOINT unit", "RELEASE SAVEPOINT unit",
                "INSERT INTO " + schema + ".change_log (kind, id) VALUES ('c', 7)", "COMMIT");
        markAndAwait();
        assertThat(drained()).containsExactly("client 7", "client " + MARKER);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTruncatedRecordDropsEverythingOnceAndIsMarkedAnew() throws Exception {
        server.execute("TRUNCATE " + schema + ".change_log, " + schema + ".change_mark");
        assertThat(heard.poll(bound().toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("everything");
        assertThat(count("change_mark")).isEqualTo(1);
        markAndAwait();
        assertThat(drained()).containsExactly("client " + MARKER); // after the reset, entries again
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPrunePastTheReadersCursorDropsEverything() throws Exception {
        server.execute("UPDATE " + schema + ".change_mark SET pruned_below"
                + " = txid_snapshot_xmin(txid_current_snapshot()) + 1000");
        assertThat(heard.poll(bound().toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("everything");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pruningDeletesEntriesBelowTheHorizonLessTheKeptIdsAndRaisesTheMark() throws Exception {
        long future = Long.MAX_VALUE / 2; // a position no transaction of this server has reached
        server.execute("INSERT INTO " + schema + ".change_log (xid, kind, id) VALUES (1, 'c', 1), (" + future + ", 'c', 2)");
        assertThat(count("change_log")).isGreaterThan(2); // the set-up's entries too
        try (ChangePoller far = new ChangePoller(poolA, PgMigrations.changeRecord(schema, 1L << 40), Duration.ofSeconds(1),
                1, "test")) {
            far.prune(); // keeps the last 2^40 ids: nothing here is that old
        }
        assertThat(count("change_log WHERE xid = 1")).isEqualTo(1);
        try (ChangePoller none = new ChangePoller(poolA, PgMigrations.changeRecord(schema, 0), Duration.ofSeconds(1),
                1, "test")) {
            none.maybePrune(); // every write prunes (pruneEvery 1), in the caller's thread, keeping nothing below the horizon
            assertThat(count("change_log")).as("pruned before maybePrune returned").isEqualTo(1);
        }
        assertThat(count("change_log WHERE xid = " + future)).isEqualTo(1);
        assertThat(count("change_mark WHERE pruned_below > 1")).isEqualTo(1);
    }

    /** A crash empties the unlogged record: every subscribed store drops everything, then hears entries again. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aCrashRestartDropsEverything() throws Exception {
        BlockingQueue<String> crashHeard = new LinkedBlockingQueue<>();
        try (PgServer own = PgServer.startCluster();
             HikariDataSource pool = Fixtures.pool(own, 3, Duration.ofSeconds(10));
             PostgresLicenseStore store = Fixtures.open(pool, "licensor")) {
            store.subscribe(new Recorder(crashHeard));
            own.execute("INSERT INTO licensor.change_log (kind, id) VALUES ('c', 1)");
            assertThat(crashHeard.poll(30, TimeUnit.SECONDS)).isEqualTo("client 1");
            own.restartImmediate();
            assertThat(crashHeard.poll(60, TimeUnit.SECONDS)).isEqualTo("everything");
            own.execute("INSERT INTO licensor.change_log (kind, id) VALUES ('c', 2)");
            assertThat(crashHeard.poll(30, TimeUnit.SECONDS)).isEqualTo("client 2");
        }
    }

    /** The documented bound on an idle server: a poll interval, plus a poll's own time (generous here: a loaded machine). */
    private static Duration bound() {
        return PostgresLicenseStore.POLL_INTERVAL.multipliedBy(25);
    }

    private void markAndAwait() throws InterruptedException {
        server.execute("INSERT INTO " + schema + ".change_log (kind, id) VALUES ('c', " + MARKER + ")");
        awaitHeard("client " + MARKER);
    }

    private List<String> drained() {
        List<String> all = new ArrayList<>();
        heard.drainTo(all);
        return all;
    }

    private long count(String table) throws Exception {
        try (Connection c = poolA.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Records every call as text, in order. */
    private record Recorder(BlockingQueue<String> into) implements ChangeListener {
        @Override
        public void seatChanged(long licenseId, String hardwareId) {
            into.add("seat " + licenseId + " " + hardwareId);
        }

        @Override
        public void licenseChanged(long licenseId) {
            into.add("license " + licenseId);
        }

        @Override
        public void clientChanged(long clientId) {
            into.add("client " + clientId);
        }

        @Override
        public void everythingChanged() {
            into.add("everything");
        }
    }
}
