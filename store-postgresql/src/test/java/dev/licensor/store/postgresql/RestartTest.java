package dev.licensor.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.outcome.Code;
import dev.licensor.store.postgresql.testing.PgServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Crash-restarts the server ({@code pg_ctl restart -m immediate}) while several threads take
 * seats: calls in flight answer {@link Code#STORE_FAILURE} (never another code, an exception or a
 * hang), calls after the restart succeed on the same store object (no reopening), and every seat
 * that was acknowledged is still held. Runs on a cluster of its own, since it restarts it.
 */
class RestartTest {
    private static final int THREADS = 6;
    private static final int SETTLED_CALLS = 15;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void inFlightCallsFailCleanlyAndLaterCallsSucceedWithoutReopening() throws Exception {
        try (PgServer server = PgServer.startCluster();
             HikariDataSource pool = Fixtures.pool(server, THREADS, Duration.ofSeconds(2));
             PostgresLicenseStore store = Fixtures.open(pool, "licensor")) {
            Licensor licensor = Fixtures.licensor(store);
            long licenseId = Fixtures.define(licensor, 1_000_000, 1);

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Map<Code, Integer> codes = new ConcurrentHashMap<>();
            List<Throwable> thrown = new CopyOnWriteArrayList<>();
            AtomicBoolean restarted = new AtomicBoolean();
            Map<Integer, Integer> okInARowAfterRestart = new ConcurrentHashMap<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    try {
                        for (int i = 0; okInARowAfterRestart.getOrDefault(thread, 0) < SETTLED_CALLS; i++) {
                            boolean after = restarted.get();
                            String hw = "t" + thread + "-" + i;
                            DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, hw);
                            Code activated = Fixtures.code(() -> licensor.floating().activate(device));
                            Code checked = activated == Code.OK ? Fixtures.code(() -> licensor.floating().check(device)) : activated;
                            codes.merge(checked, 1, Integer::sum);
                            if (checked == Code.OK) {
                                acknowledged.add(hw);
                            }
                            if (after) {
                                okInARowAfterRestart.merge(thread, 1, (old, one) -> checked == Code.OK ? old + 1 : 0);
                            }
                        }
                    } catch (Throwable e) {
                        thrown.add(e);
                    }
                }, "load-" + t);
                workers.add(worker);
                worker.start();
            }
            Thread.sleep(1_500);
            int before = acknowledged.size();
            server.restartImmediate();
            restarted.set(true);
            for (Thread worker : workers) {
                worker.join(TimeUnit.SECONDS.toMillis(120));
                assertThat(worker.isAlive()).as(worker.getName() + " settled after the restart").isFalse();
            }

            assertThat(thrown).isEmpty();
            assertThat(before).as("seats taken before the restart").isPositive();
            assertThat(codes.keySet()).as("answers").containsOnly(Code.OK, Code.STORE_FAILURE)
                    .contains(Code.STORE_FAILURE);
            List<String> held = licensor.seats().holders(licenseId).orElseThrow().stream()
                    .map(Lease::hardwareId).collect(Collectors.toList());
            assertThat(held).containsAll(acknowledged);
        }
    }
}
