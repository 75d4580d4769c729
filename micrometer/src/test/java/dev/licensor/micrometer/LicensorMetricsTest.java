package dev.licensor.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.event.LicensorEvent;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.FloatingLicenses;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.lookup.Lookups;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.storetests.MutableClock;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The binder's meters, read from a SimpleMeterRegistry after a known sequence of calls. */
class LicensorMetricsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final MockClock registryClock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, registryClock);

    private Licensor engine(LicensorMetrics metrics, CacheSettings cache) {
        Licensor licensor = Licensor.builder().store(new MemoryLicenseStore()).clock(clock).cache(cache)
                .listener(metrics).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofHours(24)));
        return licensor;
    }

    private static long pool(Licensor licensor, String key, int seats) {
        return licensor.catalog().createLicense(License.builder("cad").key(key).maxActivations(10)
                .floatingSeats(seats).build()).orElseThrow().id();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void seatsGrantsDenialsAndTimersHaveExactValues() {
        LicensorMetrics metrics = LicensorMetrics.builder().poolTags(1).readingMaxAge(Duration.ZERO).build();
        Licensor licensor = engine(metrics, CacheSettings.DISABLED);
        long a = pool(licensor, "A", 2);
        long b = pool(licensor, "B", 1);
        for (String hw : new String[] {"a1", "a2", "a3"}) {
            licensor.floating().activate(DeviceRequest.byKey("cad", "A", hw));
        }
        licensor.floating().activate(DeviceRequest.byKey("cad", "B", "b1"));
        // Counted before the registry exists: kept, shown once bound.
        licensor.floating().check(DeviceRequest.byKey("cad", "A", "a1"));

        metrics.attach(licensor).bindTo(registry);
        FloatingLicenses floating = metrics.timed(FloatingLicenses.class, licensor.floating());
        floating.check(DeviceRequest.byKey("cad", "A", "a2"));
        floating.check(DeviceRequest.byKey("cad", "A", "a3")); // pool A is full
        floating.check(DeviceRequest.byKey("cad", "B", "b1"));
        floating.check(DeviceRequest.byKey("cad", "B", "b1")); // a refresh
        floating.check(DeviceRequest.byKey("cad", "", "b1")); // bad input: timed, no event

        assertThat(gauge("licensor.seats.in.use")).isEqualTo(3.0);
        assertThat(gauge("licensor.seats.available")).isEqualTo(0.0);
        // poolTags(1): only the first pool followed (A) has its own series.
        assertThat(gauge("licensor.seats.in.use", "pool", Long.toString(a))).isEqualTo(2.0);
        assertThat(gauge("licensor.seats.available", "pool", Long.toString(a))).isEqualTo(0.0);
        assertThat(registry.find("licensor.seats.in.use").tag("pool", Long.toString(b)).gauge()).isNull();

        assertThat(counter("licensor.grants", "kind", "seat")).isEqualTo(3.0);
        assertThat(counter("licensor.denials", "code", "floating_not_available")).isEqualTo(1.0);
        assertThat(counter("licensor.events", "type", "device_activated")).isEqualTo(4.0);
        assertThat(counter("licensor.events", "type", "seat_refreshed")).isEqualTo(1.0);
        assertThat(registry.find("licensor.denials").functionCounters()).hasSize(1);

        RequiredSearch checks = registry.get("licensor.operation").tag("operation", "floating.check");
        assertThat(checks.tag("outcome", "ok").timer().count()).isEqualTo(3);
        assertThat(registry.get("licensor.operation").tags("operation", "floating.check",
                "outcome", "floating_not_available").timer().count()).isEqualTo(1);
        assertThat(registry.get("licensor.operation").tags("operation", "floating.check",
                "outcome", "missing_parameters").timer().count()).isEqualTo(1);

        licensor.seats().forceRelease(a, "a1");
        assertThat(gauge("licensor.seats.in.use")).isEqualTo(2.0);
        assertThat(gauge("licensor.seats.available")).isEqualTo(1.0);
        assertThat(gauge("licensor.seats.available", "pool", Long.toString(a))).isEqualTo(1.0);
        assertThat(counter("licensor.events", "type", "seat_force_released")).isEqualTo(1.0);
    }

    @Test
    void aTimerMeasuresTheCallOnTheRegistryClock() {
        LicensorMetrics metrics = LicensorMetrics.builder().build();
        Licensor licensor = engine(metrics, CacheSettings.DISABLED);
        pool(licensor, "A", 1);
        metrics.attach(licensor).bindTo(registry);
        FloatingLicenses slow = metrics.timed(FloatingLicenses.class, new FloatingLicenses() {
            @Override
            public dev.licensor.outcome.Outcome<dev.licensor.floating.Activation> activate(DeviceRequest request) {
                registryClock.add(Duration.ofMillis(250));
                return licensor.floating().activate(request);
            }

            @Override
            public dev.licensor.outcome.Outcome<dev.licensor.floating.LicenseCheck> check(DeviceRequest request) {
                throw new LicensingException(dev.licensor.outcome.Code.STORE_FAILURE, "disk gone");
            }

            @Override
            public dev.licensor.outcome.Outcome<dev.licensor.floating.LicenseCheck> checkOrQueue(DeviceRequest request) {
                return licensor.floating().checkOrQueue(request);
            }

            @Override
            public dev.licensor.outcome.Outcome<dev.licensor.floating.LicenseCheck> awaitSeat(DeviceRequest request,
                    Duration timeout) {
                return licensor.floating().awaitSeat(request, timeout);
            }

            @Override
            public dev.licensor.outcome.Outcome<dev.licensor.floating.Lease> borrow(DeviceRequest r, Instant until) {
                return licensor.floating().borrow(r, until);
            }

            @Override
            public dev.licensor.outcome.Outcome<Void> release(DeviceRequest request) {
                return licensor.floating().release(request);
            }

            @Override
            public dev.licensor.outcome.Outcome<Void> deactivate(DeviceRequest request) {
                return licensor.floating().deactivate(request);
            }

            @Override
            public dev.licensor.outcome.Outcome<Void> returnBorrow(DeviceRequest request, String borrowToken) {
                return licensor.floating().returnBorrow(request, borrowToken);
            }

            @Override
            public dev.licensor.outcome.Outcome<dev.licensor.floating.ConsumptionBalance> addConsumption(
                    DeviceRequest request, long count, boolean allowOverage, Long maxOverage) {
                return licensor.floating().addConsumption(request, count, allowOverage, maxOverage);
            }
        });
        slow.activate(DeviceRequest.byKey("cad", "A", "hw"));
        assertThatThrownBy(() -> slow.check(DeviceRequest.byKey("cad", "A", "hw")))
                .isInstanceOf(LicensingException.class).hasMessage("disk gone");

        assertThat(registry.get("licensor.operation").tags("operation", "floating.activate", "outcome", "ok")
                .timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250.0);
        assertThat(registry.get("licensor.operation").tags("operation", "floating.check", "outcome", "store_failure")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void poolReadingsServeAScrapeAndAreRefreshedAfterTheirMaxAge() {
        LicensorMetrics metrics = LicensorMetrics.builder().readingMaxAge(Duration.ofSeconds(10)).build();
        Licensor licensor = engine(metrics, CacheSettings.DISABLED);
        long a = pool(licensor, "A", 3);
        metrics.attach(licensor).followPool(a).bindTo(registry);
        assertThat(gauge("licensor.seats.available")).isEqualTo(3.0);

        // Another engine on the same store would do this too: the gauge reads the store, not events.
        licensor.floating().activate(DeviceRequest.byKey("cad", "A", "hw"));
        licensor.floating().check(DeviceRequest.byKey("cad", "A", "hw"));
        assertThat(gauge("licensor.seats.in.use")).isEqualTo(0.0); // the reading is 0 s old
        registryClock.add(Duration.ofSeconds(10));
        assertThat(gauge("licensor.seats.in.use")).isEqualTo(1.0);
        assertThat(gauge("licensor.seats.available")).isEqualTo(2.0);
    }

    @Test
    void theLookupCacheHasHitsMissesAndSize() {
        LicensorMetrics metrics = LicensorMetrics.builder().build();
        Licensor licensor = engine(metrics, CacheSettings.singleProcess(100));
        long a = pool(licensor, "A", 1);
        metrics.attach(licensor).bindTo(registry);
        Lookups lookups = metrics.timed(Lookups.class, licensor.lookups());
        lookups.licenseByKey("cad", "A");
        lookups.licenseByKey("cad", "A");
        lookups.holdsLiveSeat(a, "hw-1");
        lookups.holdsLiveSeat(a, "hw-1");

        assertThat(counter("cache.gets", "cache", "licensor.lookups", "result", "hit")).isEqualTo(2.0);
        assertThat(counter("cache.gets", "cache", "licensor.lookups", "result", "miss")).isEqualTo(2.0);
        assertThat(counter("cache.evictions", "cache", "licensor.lookups")).isEqualTo(0.0);
        // The license is two entries (its key index and its body), the seat one.
        assertThat(gauge("cache.size", "cache", "licensor.lookups")).isEqualTo(3.0);
        assertThat(registry.get("licensor.operation").tags("operation", "lookups.licenseByKey", "outcome", "ok")
                .timer().count()).isEqualTo(2);
    }

    @Test
    void aFullLookupCacheCountsItsEvictions() {
        LicensorMetrics metrics = LicensorMetrics.builder().build();
        Licensor licensor = engine(metrics, CacheSettings.singleProcess(1));
        long a = pool(licensor, "A", 1);
        metrics.attach(licensor).bindTo(registry);
        for (int i = 0; i < 5; i++) {
            licensor.lookups().holdsLiveSeat(a, "hw-" + i);
        }

        var stats = licensor.lookups().stats();
        assertThat(stats.evictions()).isPositive();
        assertThat(counter("cache.evictions", "cache", "licensor.lookups")).isEqualTo((double) stats.evictions());
        assertThat(counter("cache.gets", "cache", "licensor.lookups", "result", "miss")).isEqualTo(5.0);
    }

    @Test
    void theEventTypeNameIsSnakeCase() {
        assertThat(LicensorMetrics.typeName(new LicensorEvent.SeatForceReleased(1, Instant.EPOCH, 1, "x")))
                .isEqualTo("seat_force_released");
    }

    @Test
    void misuseIsRefused() {
        LicensorMetrics metrics = LicensorMetrics.builder().build();
        assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LicensorMetrics.builder().poolTags(-1)).isInstanceOf(LicensingException.class);
        assertThatThrownBy(() -> metrics.followPool(0)).isInstanceOf(LicensingException.class);
        assertThatThrownBy(() -> metrics.timed(String.class, "x")).isInstanceOf(LicensingException.class);
        Licensor licensor = engine(metrics, CacheSettings.DISABLED);
        metrics.attach(licensor).bindTo(registry);
        assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theGroupCommitMetersReadTheStoresCounters(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (dev.licensor.store.sqlite.SqliteLicenseStore store = dev.licensor.store.sqlite.SqliteLicenseStore.open(dir.resolve("m.db"))) {
            LicensorMetrics metrics = LicensorMetrics.builder().build();
            Licensor licensor = Licensor.builder().store(store).clock(clock).listener(metrics).build();
            metrics.attach(licensor).bindTo(registry);
            metrics.commitBatches(store); // after bindTo: registered at once
            licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofHours(24)))
                    .orElseThrow();
            long id = pool(licensor, "A", 2);
            licensor.floating().activate(DeviceRequest.byKey("cad", "A", "hw-1")).orElseThrow();
            dev.licensor.store.CommitBatches now = store.commitBatches();
            assertThat(now.commits()).isGreaterThanOrEqualTo(3); // one thread: every unit commits alone
            assertThat(counter("licensor.store.commits")).isEqualTo(now.commits());
            assertThat(counter("licensor.store.units")).isEqualTo(now.units()).isEqualTo(now.commits());
            assertThat(gauge("licensor.store.batch.largest")).isEqualTo(1.0);
            assertThat(id).isPositive();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> metrics.commitBatches(store))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
