package dev.licensor.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.catalog.Client;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.Change;
import dev.licensor.store.Key;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Backup, busy timeouts, and threads racing through two stores on one file. */
class OperationsTest {
    @TempDir
    Path dir;

    @Test
    void backsUpOnlineToAFileThatOpensWithEverything() {
        Path file = dir.resolve("live.db");
        Path copy = dir.resolve("backup").resolve("copy.db");
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            Licensor licensor = Fixtures.licensor(store);
            long licenseId = Fixtures.define(licensor, 3, 1);
            DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "hw-1");
            licensor.floating().activate(device).orElseThrow();
            licensor.floating().check(device).orElseThrow();

            assertThatThrownBy(() -> store.backupTo(copy)).isInstanceOf(LicensingException.class)
                    .hasMessageContaining("does not exist");
            dir.resolve("backup").toFile().mkdir();
            store.backupTo(copy);
            assertThatThrownBy(() -> store.backupTo(copy)).isInstanceOf(LicensingException.class)
                    .hasMessageContaining("already exists");

            // the live store goes on; the copy is the state at the backup
            licensor.floating().release(device).orElseThrow();
            try (SqliteLicenseStore restored = SqliteLicenseStore.open(copy)) {
                assertThat(Fixtures.licensor(restored).seats().holders(licenseId).orElseThrow())
                        .extracting(Lease::hardwareId).containsExactly("hw-1");
            }
            assertThat(licensor.seats().holders(licenseId).orElseThrow()).isEmpty();
        }
    }

    @Test
    @Timeout(30)
    void aWriteBlockedByAnotherProcessFailsWithStoreFailureAfterTheBusyTimeout() throws Exception {
        Path file = dir.resolve("busy.db");
        try (SqliteLicenseStore store = SqliteLicenseStore.builder(file).busyTimeout(Duration.ofMillis(300)).open();
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = other.createStatement()) {
            st.execute("BEGIN IMMEDIATE"); // another connection (as another process would) holds the write lock
            long started = System.nanoTime();
            assertThatThrownBy(() -> store.write(tx -> tx.apply(Change.insertClient(new Client(0, "c", 1, "")))[0]))
                    .isInstanceOf(LicensingException.class)
                    .satisfies(e -> assertThat(((LicensingException) e).code()).isEqualTo(Code.STORE_FAILURE))
                    .hasMessageContaining("busy timeout");
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
            // readers are not blocked by the writer in WAL mode
            Optional<Client> none = store.read(tx -> tx.find(Key.clientByName("c")));
            assertThat(none).isEmpty();
            st.execute("ROLLBACK");
            store.write(tx -> tx.apply(Change.insertClient(new Client(0, "c", 1, "")))[0]);
            Optional<Client> one = store.read(tx -> tx.find(Key.clientByName("c")));
            assertThat(one).isPresent();
        }
    }

    @Test
    @Timeout(120)
    void threadsOfTwoStoresOnOneFileNeverOversubscribe() throws Exception {
        // Two store instances share no JVM lock: only SQLite serializes their units.
        Path file = dir.resolve("threads.db");
        int seats = 5;
        int threads = 8;
        int devicesEach = 4;
        try (SqliteLicenseStore a = SqliteLicenseStore.open(file); SqliteLicenseStore b = SqliteLicenseStore.open(file)) {
            long licenseId = Fixtures.define(Fixtures.licensor(a), seats, 1);
            Licensor[] engines = {Fixtures.licensor(a), Fixtures.licensor(b)};
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger granted = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Licensor licensor = engines[t % 2];
                String prefix = "t" + t + "-";
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int d = 0; d < devicesEach; d++) {
                        DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, prefix + d);
                        licensor.floating().activate(device).orElseThrow();
                        if (licensor.floating().check(device).isSuccess()) {
                            granted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(granted).hasValue(seats);
            assertThat(Fixtures.licensor(b).seats().holders(licenseId).orElseThrow()).hasSize(seats);
        }
    }
}
