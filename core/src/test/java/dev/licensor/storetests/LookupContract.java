package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.lookup.CacheStats;
import dev.licensor.lookup.Lookups;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LicenseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link Lookups} every store must answer the same way, with the engine's cache on or off:
 * the enclosing {@link StoreUnderTest} says how to build the store and the engine.
 * With the cache on, the answers must be the ones a fresh store read gives, since this engine's own
 * changes drop the entries they touch after each commit.
 *
 * <p>The engine sees the store through a {@link CountingStore}, so the tests can tell a cache hit
 * (no store call) from a store read.
 */
@Timeout(60)
@ExtendWith(StoreUnderTest.Finder.class)
public abstract class LookupContract {
    private static final String PRODUCT = "cad";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Duration TTL = Duration.ofSeconds(5);

    /** The store's test: builds the store and the engine. */
    protected StoreUnderTest under;
    /** The engine's clock, moved by hand. */
    protected MutableClock clock;
    /** The store under test, as {@link StoreUnderTest#newStore()} made it. */
    protected LicenseStore backing;
    /** {@link #backing} as the engine sees it, counting units of work. */
    protected CountingStore store;
    /** The engine under test, over {@link #store}. */
    protected Licensor licensor;
    /** {@link #licensor}'s lookups. */
    protected Lookups lookups;
    private License floating;
    private DeviceRequest device;

    @BeforeEach
    void setUpLookups(StoreUnderTest storeUnderTest) throws Exception {
        under = storeUnderTest;
        clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        backing = under.newStore();
        store = new CountingStore(backing);
        licensor = under.engine(store, clock).build();
        lookups = licensor.lookups();
        licensor.catalog().defineProduct(new Product(PRODUCT, "CAD", TIMEOUT, Duration.ofDays(7))).orElseThrow();
        floating = licensor.catalog().createLicense(License.builder(PRODUCT).key("K-1").maxActivations(5)
                .floatingSeats(2).borrowAllowed(true).build()).orElseThrow();
        device = DeviceRequest.byKey(PRODUCT, "K-1", "hw-1");
        licensor.floating().activate(device).orElseThrow();
    }

    @AfterEach
    void closeLookups() {
        store.close();
    }

    private boolean holds(long licenseId, String hw) {
        return lookups.holdsLiveSeat(licenseId, hw).orElseThrow();
    }

    private boolean cacheOn() {
        // Two identical lookups: with the cache on the second is a hit.
        long before = lookups.stats().hits();
        lookups.holdsLiveSeat(floating.id(), "probe");
        lookups.holdsLiveSeat(floating.id(), "probe");
        return lookups.stats().hits() > before;
    }

    @Test
    void aSeatIsSeenFromCheckoutToRelease() {
        assertThat(holds(floating.id(), "hw-1")).isFalse();

        licensor.floating().check(device).orElseThrow();
        assertThat(holds(floating.id(), "hw-1")).isTrue();
        assertThat(holds(floating.id(), "hw-1")).isTrue();

        licensor.floating().release(device).orElseThrow();
        assertThat(holds(floating.id(), "hw-1")).isFalse();
    }

    @Test
    void aCachedSeatStillLapsesOnTheEngineClock() {
        licensor.floating().check(device).orElseThrow();
        assertThat(holds(floating.id(), "hw-1")).isTrue();

        clock.advance(TIMEOUT.minusSeconds(1));
        assertThat(holds(floating.id(), "hw-1")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(holds(floating.id(), "hw-1")).isFalse();
    }

    @Test
    void borrowForceReleaseAndDeactivateAreSeen() {
        licensor.floating().borrow(device, clock.instant().plus(Duration.ofDays(1))).orElseThrow();
        assertThat(holds(floating.id(), "hw-1")).isTrue();
        clock.advance(TIMEOUT.plusMinutes(1));
        assertThat(holds(floating.id(), "hw-1")).as("borrowed beyond the timeout").isTrue();

        assertThat(licensor.seats().forceRelease(floating.id(), "hw-1").code()).isEqualTo(Code.SEAT_BORROWED);
        assertThat(holds(floating.id(), "hw-1")).as("a borrowed seat is not force-released").isTrue();
        clock.advance(Duration.ofDays(1));
        assertThat(holds(floating.id(), "hw-1")).as("the borrow ended").isFalse();
        licensor.floating().check(device).orElseThrow();
        licensor.seats().forceRelease(floating.id(), "hw-1").orElseThrow();
        assertThat(holds(floating.id(), "hw-1")).isFalse();

        licensor.floating().check(device).orElseThrow();
        assertThat(holds(floating.id(), "hw-1")).isTrue();
        licensor.floating().deactivate(device).orElseThrow();
        assertThat(holds(floating.id(), "hw-1")).isFalse();
    }

    @Test
    void aRefusedCheckoutLeavesTheAnswerUnchanged() {
        for (int i = 2; i <= 3; i++) {
            licensor.floating().activate(DeviceRequest.byKey(PRODUCT, "K-1", "hw-" + i)).orElseThrow();
        }
        licensor.floating().check(device).orElseThrow();
        licensor.floating().check(DeviceRequest.byKey(PRODUCT, "K-1", "hw-2")).orElseThrow();
        assertThat(holds(floating.id(), "hw-3")).isFalse();

        Outcome<?> refused = licensor.floating().check(DeviceRequest.byKey(PRODUCT, "K-1", "hw-3"));
        assertThat(refused.code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(holds(floating.id(), "hw-3")).isFalse();
        assertThat(holds(floating.id(), "hw-2")).isTrue();
    }

    @Test
    void unknownLicensesAndDevicesHoldNoSeat() {
        assertThat(holds(999_999, "hw-1")).isFalse();
        assertThat(holds(floating.id(), "nobody")).isFalse();
    }

    @Test
    void badInputIsATypedFailureAndReadsNothing() {
        long calls = store.calls();
        assertThat(lookups.holdsLiveSeat(0, "hw").code()).isEqualTo(Code.INVALID_REQUEST);
        assertThat(lookups.holdsLiveSeat(1, " ").code()).isEqualTo(Code.MISSING_PARAMETERS);
        assertThat(lookups.holdsLiveSeat(1, "a\u0000b").code()).isEqualTo(Code.INVALID_REQUEST);
        assertThat(lookups.licenseByKey("bad code!", "K").code()).isEqualTo(Code.INVALID_REQUEST);
        assertThat(lookups.licenseByKey(PRODUCT, null).code()).isEqualTo(Code.MISSING_PARAMETERS);
        assertThat(lookups.licenseByUser(null, "ann").code()).isEqualTo(Code.MISSING_PARAMETERS);
        assertThat(lookups.consumedLicenses(-3).code()).isEqualTo(Code.INVALID_REQUEST);
        assertThat(store.calls()).isEqualTo(calls);
    }

    @Test
    void licensesAreFoundByKeyAndByUserAndFollowTheirChanges() {
        License byUser = licensor.catalog().createLicense(License.builder(PRODUCT).username("ann")
                .type(dev.licensor.catalog.LicenseType.CONSUMPTION).maxConsumptions(10).build()).orElseThrow();

        assertThat(lookups.licenseByKey(PRODUCT, "K-1").orElseThrow()).isEqualTo(floating);
        assertThat(lookups.licenseByUser(PRODUCT, "ann").orElseThrow()).isEqualTo(byUser);

        licensor.seats().setEnabled(floating.id(), false).orElseThrow();
        assertThat(lookups.licenseByKey(PRODUCT, "K-1").orElseThrow().enabled()).isFalse();
        licensor.seats().setActive(floating.id(), false).orElseThrow();
        assertThat(lookups.licenseByKey(PRODUCT, "K-1").orElseThrow().active()).isFalse();

        DeviceRequest annsDevice = DeviceRequest.byUser(PRODUCT, "ann", "hw-9");
        licensor.floating().activate(annsDevice).orElseThrow();
        licensor.floating().addConsumption(annsDevice, 4, false).orElseThrow();
        assertThat(lookups.licenseByUser(PRODUCT, "ann").orElseThrow().consumed()).isEqualTo(4);
        assertThat(lookups.licenseByUser(PRODUCT, "ann").orElseThrow())
                .isEqualTo(licensor.catalog().license(byUser.id()).orElseThrow());
    }

    @Test
    void aMissingLicenseIsNotRememberedAsMissing() {
        assertThat(lookups.licenseByKey(PRODUCT, "K-2").code()).isEqualTo(Code.LICENSE_NOT_FOUND);
        assertThat(lookups.licenseByUser(PRODUCT, "K-1").code()).isEqualTo(Code.LICENSE_NOT_FOUND);
        assertThat(lookups.licenseByKey("other", "K-1").code()).isEqualTo(Code.LICENSE_NOT_FOUND);

        License created = licensor.catalog().createLicense(License.builder(PRODUCT).key("K-2").build()).orElseThrow();
        assertThat(lookups.licenseByKey(PRODUCT, "K-2").orElseThrow()).isEqualTo(created);
    }

    @Test
    void aClientsConsumedLicensesFollowConsumeReleaseAndReconfigure() {
        ClientLicense fs = licensor.catalog().defineClientLicense(ClientLicense.draft(1, 1, 33,
                "Server File System - Windows File System", 5, 0, null)).orElseThrow();
        Client client = licensor.catalog().registerClient("client001", 1, "host1").orElseThrow();
        ClientRef ref = ClientRef.id(client.id());
        assertThat(lookups.consumedLicenses(client.id()).orElseThrow()).isEmpty();

        licensor.clients().consume(new ConsumeRequest(ref, 1, 1, 33, false)).orElseThrow();
        List<HeldLicense> held = lookups.consumedLicenses(client.id()).orElseThrow();
        assertThat(held).extracting(HeldLicense::appType).containsExactly(33);
        assertThat(held).isEqualTo(licensor.clients().consumed(ref).orElseThrow());

        ClientLicensesRequest release = new ClientLicensesRequest(true, ref,
                List.of(new LicenseSelector(1, fs.licenseType(), 33, null)));
        licensor.clients().release(release).orElseThrow();
        assertThat(lookups.consumedLicenses(client.id()).orElseThrow()).isEmpty();

        licensor.clients().reconfigure(release).orElseThrow();
        assertThat(lookups.consumedLicenses(client.id()).orElseThrow())
                .isEqualTo(licensor.clients().consumed(ref).orElseThrow()).hasSize(1);
    }

    @Test
    void anUnknownClientIsNotFound() {
        assertThat(lookups.consumedLicenses(12345).code()).isEqualTo(Code.CLIENT_NOT_FOUND);
    }

    @Test
    void withTheCacheOnAHitMakesNoStoreCallAndIsCounted() {
        boolean on = cacheOn();
        licensor.floating().check(device).orElseThrow();
        CacheStats before = lookups.stats();
        long calls = store.calls();

        assertThat(holds(floating.id(), "hw-1")).isTrue();
        assertThat(holds(floating.id(), "hw-1")).isTrue();
        lookups.licenseByKey(PRODUCT, "K-1").orElseThrow();
        lookups.licenseByKey(PRODUCT, "K-1").orElseThrow();

        CacheStats after = lookups.stats();
        if (on) {
            assertThat(store.calls() - calls).as("one seat load, one license load").isEqualTo(2);
            assertThat(after.hits() - before.hits()).isEqualTo(2);
            assertThat(after.misses() - before.misses()).isEqualTo(2);
            assertThat(after.size()).isPositive();
        } else {
            assertThat(store.calls() - calls).isEqualTo(4);
            assertThat(after).isEqualTo(CacheStats.NONE);
        }
    }

    /**
     * Another engine on the same store stands for another process: its changes reach this
     * engine's cache through the time-to-live only, and never later.
     */
    @Test
    void anotherEnginesChangeIsSeenWithinTheTimeToLive() {
        Licensor cached = Licensor.builder().store(store).clock(clock).cache(CacheSettings.of(1000, TTL)).build();
        Licensor other = under.engine(store, clock).build();
        assertThat(cached.lookups().holdsLiveSeat(floating.id(), "hw-1").orElseThrow()).isFalse();

        other.floating().check(device).orElseThrow();
        clock.advance(TTL.minusMillis(1));
        assertThat(cached.lookups().holdsLiveSeat(floating.id(), "hw-1").orElseThrow())
                .as("stale, within the time-to-live").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(cached.lookups().holdsLiveSeat(floating.id(), "hw-1").orElseThrow())
                .as("fresh once the time-to-live has passed").isTrue();

        // The cached engine's own change is seen at once.
        cached.floating().release(device).orElseThrow();
        assertThat(cached.lookups().holdsLiveSeat(floating.id(), "hw-1").orElseThrow()).isFalse();
    }

    /**
     * Threads check out and release seats of pools smaller than their number of devices while
     * others look the seats up; once they are done, every lookup equals the store's holders.
     */
    @Test
    void afterRacingWritersEveryLookupMatchesTheStore() throws Exception {
        int devices = 6;
        License pool2 = licensor.catalog().createLicense(License.builder(PRODUCT).key("K-RACE")
                .maxActivations(devices).floatingSeats(2).build()).orElseThrow();
        List<DeviceRequest> requests = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            DeviceRequest r = DeviceRequest.byKey(PRODUCT, "K-RACE", "race-" + i);
            licensor.floating().activate(r).orElseThrow();
            requests.add(r);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger granted = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int seed = w;
                tasks.add(pool.submit(() -> {
                    int n = seed;
                    while (System.nanoTime() < deadline) {
                        DeviceRequest r = requests.get(n++ % devices);
                        if (licensor.floating().check(r).isSuccess()) {
                            granted.incrementAndGet();
                        }
                        if (n % 3 == 0) {
                            licensor.floating().release(r).orElseThrow();
                        }
                    }
                }));
            }
            for (int l = 0; l < 2; l++) {
                tasks.add(pool.submit(() -> {
                    // Loads racing the writers' invalidations: none may leave a stale entry behind.
                    int n = 0;
                    while (System.nanoTime() < deadline) {
                        holds(pool2.id(), "race-" + (n++ % devices));
                    }
                }));
            }
            for (Future<?> task : tasks) {
                task.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(granted.get()).isPositive();
        List<String> holders = licensor.seats().holders(pool2.id()).orElseThrow().stream()
                .map(dev.licensor.floating.Lease::hardwareId).toList();
        assertThat(holders).hasSizeLessThanOrEqualTo(2);
        for (int i = 0; i < devices; i++) {
            String hw = "race-" + i;
            assertThat(holds(pool2.id(), hw)).as(hw).isEqualTo(holders.contains(hw));
        }
    }
}
