package dev.licensor.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.clients.UsageSummary;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.Query;
import dev.licensor.storetests.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The memory store's per-key locks under a mixed workload of real threads: units on several
 * pools and client licenses at once (so lock stripes are taken in and out of order, and the
 * out-of-order retry path runs), purges sweeping every pool, the clock moving so leases lapse,
 * and a reader checking all the while that no pool and no client license is over its capacity.
 * At the end every ledger balances the rows and nothing deadlocked. (The contract's barrier
 * races are what catch a missing lock; this test is about many keys at once.)
 */
class MemoryConcurrencyTest {
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final int POOLS = 4;
    private static final int SEATS = 3;
    private static final int DEVICES_PER_POOL = 6;
    private static final int CLIENT_LICENSES = 3;
    private static final int CAPACITY = 2;
    private static final int CLIENTS = 8;
    private static final int THREADS = 8;
    private static final int STEPS = 400;

    @Test
    @Timeout(120)
    void mixedUnitsOnManyKeysNeverExceedACapacityAndTheLedgerBalances() throws Exception {
        MemoryLicenseStore store = new MemoryLicenseStore();
        MutableClock clock = new MutableClock(START);
        Licensor licensor = Licensor.builder().store(store).clock(clock).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofHours(1))).orElseThrow();
        List<License> pools = new ArrayList<>();
        for (int p = 0; p < POOLS; p++) {
            License l = licensor.catalog().createLicense(License.builder("cad").key("K" + p)
                    .maxActivations(DEVICES_PER_POOL).floatingSeats(SEATS).build()).orElseThrow();
            pools.add(l);
            for (int d = 0; d < DEVICES_PER_POOL; d++) {
                licensor.floating().activate(DeviceRequest.byKey("cad", "K" + p, "hw-" + d)).orElseThrow();
            }
        }
        List<ClientLicense> licenses = new ArrayList<>();
        for (int c = 0; c < CLIENT_LICENSES; c++) {
            licenses.add(licensor.catalog().defineClientLicense(
                    ClientLicense.draft(1, c + 1, 0, "L" + c, CAPACITY, 0, null)).orElseThrow());
        }
        for (int c = 0; c < CLIENTS; c++) {
            licensor.catalog().registerClient("client-" + c, 1, "host").orElseThrow();
        }

        AtomicBoolean over = new AtomicBoolean();
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        CyclicBarrier start = new CyclicBarrier(THREADS + 1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 1_000L + t;
            futures.add(pool.submit(() -> {
                start.await();
                Random random = new Random(seed);
                for (int step = 0; step < STEPS; step++) {
                    int op = random.nextInt(10);
                    if (op < 6) {
                        int p = random.nextInt(POOLS);
                        DeviceRequest device = DeviceRequest.byKey("cad", "K" + p, "hw-" + random.nextInt(DEVICES_PER_POOL));
                        Outcome<?> o = op < 4 ? licensor.floating().check(device) : licensor.floating().release(device);
                        if (!o.isSuccess() && o.code() != Code.FLOATING_NOT_AVAILABLE) {
                            violations.add("device call failed: " + o.code());
                        }
                    } else if (op < 8) {
                        ClientRef client = ClientRef.name("client-" + random.nextInt(CLIENTS));
                        int type = 1 + random.nextInt(CLIENT_LICENSES);
                        Outcome<?> o = op == 6
                                ? licensor.clients().consume(new ConsumeRequest(client, 1, type, 0, false))
                                : licensor.clients().release(new ClientLicensesRequest(true, client,
                                        List.of(new LicenseSelector(1, 0, 0, null))));
                        if (!o.isSuccess() && o.code() != Code.NOT_ENOUGH_LICENSES && o.code() != Code.LICENSE_NOT_CONSUMED) {
                            violations.add("client call failed: " + o.code());
                        }
                    } else if (op == 8) {
                        licensor.seats().purgeLapsed();
                    } else if (seed % 2 == 0) {
                        clock.advance(Duration.ofMinutes(1));
                    }
                }
                return null;
            }));
        }
        Future<?> watcher = pool.submit(() -> {
            start.await();
            while (!over.get()) {
                for (License l : pools) {
                    int holders = licensor.seats().holders(l.id()).orElseThrow().size();
                    if (holders > SEATS) {
                        violations.add("pool " + l.id() + " has " + holders + " holders");
                    }
                }
                for (UsageSummary u : licensor.clients().usage()) {
                    int held = u.byClient().values().stream().mapToInt(Integer::intValue).sum();
                    if (u.used() > CAPACITY || u.used() != held) {
                        violations.add("client license " + u.clientLicenseId() + " used " + u.used() + ", held " + held);
                    }
                }
            }
            return null;
        });
        for (Future<?> f : futures) {
            f.get(100, TimeUnit.SECONDS);
        }
        over.set(true);
        watcher.get(10, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(violations).isEmpty();

        List<LedgerEntry> ledger = licensor.ledger().between(Instant.EPOCH, Instant.MAX, 100_000);
        assertThat(ledger).extracting(LedgerEntry::seq).doesNotHaveDuplicates();
        Instant now = clock.instant();
        for (License l : pools) {
            Map<LedgerEvent, Long> events = ledger.stream().filter(e -> e.licenseId() == l.id())
                    .collect(Collectors.groupingBy(LedgerEntry::event, Collectors.counting()));
            long balance = events.getOrDefault(LedgerEvent.GRANTED, 0L) - events.getOrDefault(LedgerEvent.RELEASED, 0L)
                    - events.getOrDefault(LedgerEvent.LAPSED, 0L) - events.getOrDefault(LedgerEvent.FORCE_RELEASED, 0L);
            long rows = store.<List<Lease>>read(tx -> tx.list(Query.leasesLiveAfter(l.id(), Instant.MIN.plusSeconds(1)))).size();
            assertThat(balance).as("pool %d: granted minus freed equals its lease rows", l.id()).isEqualTo(rows);
            assertThat(licensor.seats().holders(l.id()).orElseThrow().size()).isLessThanOrEqualTo(SEATS);
        }
        for (ClientLicense c : licenses) {
            Map<LedgerEvent, Long> events = ledger.stream().filter(e -> e.clientLicenseId() == c.id())
                    .collect(Collectors.groupingBy(LedgerEntry::event, Collectors.counting()));
            long balance = events.getOrDefault(LedgerEvent.CONSUMED, 0L) - events.getOrDefault(LedgerEvent.CLIENT_RELEASED, 0L);
            int used = licensor.catalog().clientLicenses().stream().filter(x -> x.id() == c.id())
                    .findFirst().orElseThrow().used();
            assertThat(balance).as("client license %d", c.id()).isEqualTo(used);
            assertThat(used).isBetween(0, CAPACITY);
        }
        assertThat(now).isAfterOrEqualTo(START);
    }
}
