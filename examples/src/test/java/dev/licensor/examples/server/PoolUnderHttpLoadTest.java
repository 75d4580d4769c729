package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.examples.LoadTest;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.store.sqlite.SqliteLicenseStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 64 devices, each on its own thread, race through real HTTP for a 5-seat floating pool, on the
 * in-memory store and on a SQLite file. No timing is asserted; only counts.
 */
class PoolUnderHttpLoadTest {
    private static final int DEVICES = 64;
    private static final int SEATS = 5;
    private static final int ROUNDS = 20;

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite"})
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void thePoolIsNeverOversubscribedThroughHttp(String kind, @TempDir Path dir) throws Exception {
        Clock clock = Clock.systemUTC();
        Instant start = clock.instant();
        try (LicenseStore store = kind.equals("memory") ? new MemoryLicenseStore()
                : SqliteLicenseStore.open(dir.resolve("pool.db"))) {
            Licensor licensor = Licensor.builder().store(store).clock(clock).build();
            licensor.catalog().defineProduct(new Product("p", "P", Duration.ofMinutes(30), Duration.ZERO)).orElseThrow();
            long id = licensor.catalog().createLicense(License.builder("p").key("K").maxActivations(DEVICES)
                    .floatingSeats(SEATS).build()).orElseThrow().id();
            Credentials credentials = new Credentials(Map.of("k", "s"), Set.of(), Set.of());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ExecutorService devices = Executors.newFixedThreadPool(DEVICES);
            try (LicenseServer server = LicenseServer.builder(licensor).credentials(credentials).clock(clock)
                    .port(0).threads(8).start()) {
                URI base = server.uri();
                Requests requests = new Requests(http, base);

                // Every device activates (no seat yet).
                for (int d = 0; d < DEVICES; d++) {
                    assertThat(requests.post("/api/v4/activate_license", "dev-" + d).statusCode()).isEqualTo(200);
                }

                // Phase 1: all 64 check at once and keep what they get: exactly 5 seats, 59 refusals.
                CyclicBarrier barrier = new CyclicBarrier(DEVICES);
                List<Future<Integer>> checks = new ArrayList<>();
                for (int d = 0; d < DEVICES; d++) {
                    String hw = "dev-" + d;
                    checks.add(devices.submit(() -> {
                        barrier.await(1, TimeUnit.MINUTES);
                        return requests.check(hw).statusCode();
                    }));
                }
                int granted = 0;
                int refused = 0;
                for (Future<Integer> c : checks) {
                    int status = c.get(2, TimeUnit.MINUTES);
                    if (status == 200) {
                        granted++;
                    } else if (status == 400) {
                        refused++;
                    }
                }
                assertThat(granted).isEqualTo(SEATS);
                assertThat(refused).isEqualTo(DEVICES - SEATS);
                assertThat(licensor.seats().holders(id).orElseThrow()).hasSize(SEATS);
                for (int d = 0; d < DEVICES; d++) {
                    assertThat(requests.post("/api/v4/floating/release", "dev-" + d).statusCode()).isEqualTo(200);
                }
                assertThat(licensor.seats().holders(id).orElseThrow()).isEmpty();

                // Phase 2: 20 rounds each of check, and release when granted.
                AtomicInteger holding = new AtomicInteger();
                AtomicInteger maxHolding = new AtomicInteger();
                AtomicInteger grants = new AtomicInteger();
                AtomicInteger denials = new AtomicInteger();
                AtomicInteger other = new AtomicInteger();
                CyclicBarrier go = new CyclicBarrier(DEVICES);
                List<Future<?>> runs = new ArrayList<>();
                for (int d = 0; d < DEVICES; d++) {
                    String hw = "dev-" + d;
                    runs.add(devices.submit((Callable<Void>) () -> {
                        go.await(1, TimeUnit.MINUTES);
                        for (int r = 0; r < ROUNDS; r++) {
                            HttpResponse<String> check = requests.check(hw);
                            if (check.statusCode() == 200) {
                                grants.incrementAndGet();
                                maxHolding.accumulateAndGet(holding.incrementAndGet(), Math::max);
                                Thread.yield();
                                holding.decrementAndGet();
                                if (requests.post("/api/v4/floating/release", hw).statusCode() != 200) {
                                    other.incrementAndGet();
                                }
                            } else if (check.statusCode() == 400 && check.body().contains("\"floating_not_available\"")) {
                                denials.incrementAndGet();
                            } else {
                                other.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(2, TimeUnit.MINUTES);
                }

                assertThat(other.get()).isZero();
                assertThat(grants.get() + denials.get()).isEqualTo(DEVICES * ROUNDS);
                assertThat(maxHolding.get()).isBetween(1, SEATS);
                assertThat(licensor.seats().holders(id).orElseThrow()).isEmpty();

                List<LedgerEntry> ledger = licensor.ledger().between(start, clock.instant().plusSeconds(1), 100_000);
                long ledgerGrants = ledger.stream().filter(e -> e.event() == LedgerEvent.GRANTED).count();
                long ledgerReleases = ledger.stream().filter(e -> e.event() == LedgerEvent.RELEASED).count();
                long ledgerDenials = ledger.stream().filter(e -> e.event() == LedgerEvent.DENIED).count();
                // Exact: every answer the devices saw is one ledger line, in both phases.
                assertThat(ledgerGrants).isEqualTo(SEATS + grants.get());
                assertThat(ledgerReleases).isEqualTo(ledgerGrants);
                assertThat(ledgerDenials).isEqualTo((DEVICES - SEATS) + denials.get());
                assertThat(LoadTest.maxConcurrent(ledger, id)).isEqualTo(SEATS);
            } finally {
                devices.shutdownNow();
            }
        }
    }

    /** Signed LicenseSpring requests for one license. */
    private record Requests(HttpClient http, URI base) {
        HttpResponse<String> check(String hw) throws Exception {
            RequestSigner.Signed s = RequestSigner.sign("k", "s", Instant.now());
            return http.send(HttpRequest.newBuilder(base.resolve("/api/v4/check_license?product=p&license_key=K&hardware_id=" + hw))
                    .header("Date", s.date()).header("Authorization", s.authorization()).timeout(Duration.ofSeconds(60))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String hw) throws Exception {
            RequestSigner.Signed s = RequestSigner.sign("k", "s", Instant.now());
            return http.send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Date", s.date()).header("Authorization", s.authorization())
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"product\":\"p\",\"license_key\":\"K\",\"hardware_id\":\"" + hw + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
