package dev.licensor.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two hosts (two pools, two stores, two engines with a one-hour cache) on one schema: a seat host
 * A frees drops out of host B's cache through the polled change record, long before the
 * time-to-live. The delay is measured and printed (the test log is where it is reported; no timing
 * is asserted beyond "well under the time-to-live"). When the record loses entries (reset), B
 * drops its whole cache, so changes made meanwhile are not served stale either.
 */
@ExtendWith(PgExtension.class)
class CacheNotifyTest {
    private static final Duration TTL = Duration.ofHours(1);
    private PgServer server;
    private String schema;
    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private PostgresLicenseStore storeA;
    private PostgresLicenseStore storeB;
    private Licensor a;
    private Licensor b;
    private long licenseId;

    @BeforeEach
    void twoHosts() {
        server = PgServer.shared();
        schema = PgServer.freshSchema("notify");
        poolA = Fixtures.pool(server, 3, Duration.ofSeconds(5));
        poolB = Fixtures.pool(server, 3, Duration.ofSeconds(5));
        storeA = Fixtures.open(poolA, schema);
        storeB = Fixtures.open(poolB, schema);
        a = Licensor.builder().store(storeA).cache(CacheSettings.of(10_000, TTL)).build();
        b = Licensor.builder().store(storeB).cache(CacheSettings.of(10_000, TTL)).build();
        licenseId = Fixtures.define(a, 100, 1);
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
    void anotherHostsReleaseReachesTheCacheInMilliseconds() throws Exception {
        List<Long> delaysMicros = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "hw-" + i);
            a.floating().activate(device).orElseThrow();
            a.floating().check(device).orElseThrow();
            awaitHolds(b, device, true, Duration.ofSeconds(10)); // B caches "holds"
            assertThat(b.lookups().holdsLiveSeat(licenseId, device.hardwareId()).orElseThrow()).isTrue();

            long start = System.nanoTime();
            a.floating().release(device).orElseThrow();
            awaitHolds(b, device, false, Duration.ofSeconds(10));
            delaysMicros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
        }
        Collections.sort(delaysMicros);
        System.out.printf("change record invalidation across hosts, 20 releases: median %.1f ms, max %.1f ms (TTL %s)%n",
                delaysMicros.get(10) / 1000.0, delaysMicros.get(19) / 1000.0, TTL);
        assertThat(b.lookups().stats().hits()).as("B answered from its cache in between").isPositive();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aChangeWhoseEntryWasLostInAResetStillReachesTheCache() throws Exception {
        DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "hw-x");
        a.floating().activate(device).orElseThrow();
        a.floating().check(device).orElseThrow();
        awaitHolds(b, device, true, Duration.ofSeconds(10));

        // A crash empties the unlogged change record; here its entries and mark are deleted while
        // the pollers wait on the mark's lock, so B never reads the release's entry.
        try (Connection c = poolA.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("LOCK TABLE " + schema + ".change_mark IN ACCESS EXCLUSIVE MODE");
            a.floating().release(device).orElseThrow();
            st.execute("DELETE FROM " + schema + ".change_log");
            st.execute("DELETE FROM " + schema + ".change_mark");
            c.commit();
        }
        awaitHolds(b, device, false, Duration.ofSeconds(20));
        assertThat(b.lookups().holdsLiveSeat(licenseId, device.hardwareId()).orElseThrow()).isFalse();
    }

    private void awaitHolds(Licensor host, DeviceRequest device, boolean holds, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (host.lookups().holdsLiveSeat(licenseId, device.hardwareId()).orElseThrow() != holds) {
            assertThat(System.nanoTime()).as("host saw holds=" + holds + " within " + within).isLessThan(deadline);
            Thread.sleep(0, 200_000);
        }
    }
}
