package dev.licensor.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.lookup.Lookups;
import dev.licensor.storetests.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines on one SQLite file, each with its own store, stand for two processes. Engine A
 * caches lookups with a time-to-live; engine B changes seats, switches and client licenses. A sees
 * B's changes no later than the time-to-live after it loaded the entry, and its own at once.
 */
class SqliteCacheStalenessTest {
    private static final Duration TTL = Duration.ofSeconds(5);
    private static final Duration JUST_BEFORE = TTL.minusMillis(1);

    @TempDir
    Path dir;

    @Test
    void anotherEnginesChangesAreSeenWithinTheTimeToLive() {
        Path file = dir.resolve("shared.db");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
        try (SqliteLicenseStore storeA = SqliteLicenseStore.open(file);
             SqliteLicenseStore storeB = SqliteLicenseStore.open(file)) {
            Licensor a = Licensor.builder().store(storeA).clock(clock).cache(CacheSettings.of(1000, TTL)).build();
            Licensor b = Licensor.builder().store(storeB).clock(clock).build();
            Lookups lookups = a.lookups();

            a.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofDays(1))).orElseThrow();
            License license = a.catalog().createLicense(License.builder("cad").key("K").maxActivations(3)
                    .floatingSeats(1).build()).orElseThrow();
            a.catalog().defineClientLicense(ClientLicense.draft(1, 1, 33, "File System", 5, 0, null)).orElseThrow();
            Client client = a.catalog().registerClient("client001", 1, "host").orElseThrow();
            DeviceRequest device = DeviceRequest.byKey("cad", "K", "hw-1");
            a.floating().activate(device).orElseThrow();

            // A loads (and caches) three answers.
            assertThat(lookups.holdsLiveSeat(license.id(), "hw-1").orElseThrow()).isFalse();
            assertThat(lookups.licenseByKey("cad", "K").orElseThrow().enabled()).isTrue();
            assertThat(lookups.consumedLicenses(client.id()).orElseThrow()).isEmpty();

            // B changes all three in the file.
            b.floating().check(device).orElseThrow();
            b.seats().setEnabled(license.id(), false).orElseThrow();
            b.clients().consume(new ConsumeRequest(ClientRef.id(client.id()), 1, 1, 33, false)).orElseThrow();

            clock.advance(JUST_BEFORE);
            assertThat(lookups.holdsLiveSeat(license.id(), "hw-1").orElseThrow()).as("seat, stale").isFalse();
            assertThat(lookups.licenseByKey("cad", "K").orElseThrow().enabled()).as("switch, stale").isTrue();
            assertThat(lookups.consumedLicenses(client.id()).orElseThrow()).as("client, stale").isEmpty();
            long hits = lookups.stats().hits();
            assertThat(hits).isEqualTo(3);

            clock.advance(TTL.minus(JUST_BEFORE));
            assertThat(lookups.holdsLiveSeat(license.id(), "hw-1").orElseThrow()).as("seat, fresh").isTrue();
            assertThat(lookups.licenseByKey("cad", "K").orElseThrow().enabled()).as("switch, fresh").isFalse();
            assertThat(lookups.consumedLicenses(client.id()).orElseThrow()).as("client, fresh").hasSize(1);
            assertThat(lookups.stats().hits()).isEqualTo(hits);

            // A's own change is seen at once, without waiting for the time-to-live.
            a.seats().setEnabled(license.id(), true).orElseThrow();
            a.floating().release(device).orElseThrow();
            assertThat(lookups.licenseByKey("cad", "K").orElseThrow().enabled()).isTrue();
            assertThat(lookups.holdsLiveSeat(license.id(), "hw-1").orElseThrow()).isFalse();
        }
    }

    @Test
    void aSeatCachedByOneEngineLapsesOnTimeWhateverTheOtherDoes() {
        Path file = dir.resolve("lapse.db");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
        try (SqliteLicenseStore storeA = SqliteLicenseStore.open(file);
             SqliteLicenseStore storeB = SqliteLicenseStore.open(file)) {
            Licensor a = Licensor.builder().store(storeA).clock(clock)
                    .cache(CacheSettings.of(1000, Duration.ofHours(1))).build();
            Licensor b = Licensor.builder().store(storeB).clock(clock).build();
            a.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofDays(1))).orElseThrow();
            License license = a.catalog().createLicense(License.builder("cad").key("K").floatingSeats(1).build())
                    .orElseThrow();
            DeviceRequest device = DeviceRequest.byKey("cad", "K", "hw-1");
            b.floating().activate(device).orElseThrow();
            b.floating().check(device).orElseThrow();

            assertThat(a.lookups().holdsLiveSeat(license.id(), "hw-1").orElseThrow()).isTrue();
            clock.advance(Duration.ofMinutes(10));
            // The entry is well within its hour-long time-to-live, but the lease it holds has expired.
            assertThat(a.lookups().holdsLiveSeat(license.id(), "hw-1").orElseThrow()).isFalse();
        }
    }
}
