package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LicenseStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile input every store must answer the same way, through the engine (with its lookup cache
 * on, so a missed invalidation shows): malformed UTF-16, counts that overflow {@code int},
 * durations and instants {@code java.time} cannot add, reversed ranges, nulls. Each answer is an
 * {@link Outcome} or a typed {@link LicensingException}, and a refused call changes nothing.
 * The regression tests of issue 11 live here; the property-based tests that generate such values
 * are in {@link HostileInputProperties}.
 *
 * <p>A store's test runs it as a one-line {@code @Nested} class (see {@link StoreUnderTest}). The
 * engine is the one {@link StoreUnderTest#engine} builds; the cache tests build one with the
 * lookup cache on.
 * Not thread-safe: JUnit creates one instance per test.
 */
@Timeout(60)
@ExtendWith(StoreUnderTest.Finder.class)
public abstract class HostileInputContract {
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private LicenseStore store;
    private MutableClock clock;
    private Licensor licensor;

    @BeforeEach
    void openHostileStore(StoreUnderTest under) throws Exception {
        store = under.newStore();
        clock = new MutableClock(START);
        licensor = under.engine(store, clock).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", TIMEOUT, Duration.ofDays(30))).orElseThrow();
    }

    @AfterEach
    void closeHostileStore() {
        if (store != null) {
            store.close();
        }
    }

    /** An engine on the same store and clock with the lookup cache on and no time-to-live. */
    private Licensor cachedEngine() {
        return Licensor.builder().store(store).clock(clock).cache(CacheSettings.singleProcess(1_000)).build();
    }

    private License floating(String key, int seats) {
        return licensor.catalog().createLicense(License.builder("cad").key(key).maxActivations(100)
                .floatingSeats(seats).borrowAllowed(true).build()).orElseThrow();
    }

    private StateSnapshot snapshot(List<Long> licenseIds, List<String> hardwareIds) {
        return StateSnapshot.take(store, licensor, Set.of("cad"), licenseIds, hardwareIds, List.of());
    }

    private static void assertRefused(Outcome<?> outcome, Code code) {
        assertThat(outcome.isSuccess()).as("%s", outcome).isFalse();
        assertThat(outcome.code()).as("%s", outcome).isEqualTo(code);
    }

    // ---- item 2: text that is not well-formed UTF-16

    @Test
    void unpairedSurrogatesAreRefusedInEveryTextFieldSoTwoDevicesNeverCollide() {
        License license = floating("K", 1);
        StateSnapshot before = snapshot(List.of(license.id()), List.of("dev\uD800", "dev\uDBFF", "dev?"));
        for (String hw : List.of("dev\uD800", "dev\uDBFF", "\uDC00dev", "a\uDC00\uD800b")) {
            DeviceRequest device = DeviceRequest.byKey("cad", "K", hw);
            assertRefused(licensor.floating().activate(device), Code.INVALID_REQUEST);
            assertRefused(licensor.floating().check(device), Code.INVALID_REQUEST);
            assertRefused(licensor.seats().blacklist("cad", hw), Code.INVALID_REQUEST);
            assertRefused(licensor.seats().forceRelease(license.id(), hw), Code.INVALID_REQUEST);
            assertRefused(licensor.lookups().holdsLiveSeat(license.id(), hw), Code.INVALID_REQUEST);
        }
        assertRefused(licensor.catalog().createLicense(License.builder("cad").key("K\uD800").build()),
                Code.INVALID_REQUEST);
        assertRefused(licensor.catalog().createLicense(License.builder("cad").username("u\uDFFF").build()),
                Code.INVALID_REQUEST);
        assertRefused(licensor.catalog().defineProduct(new Product("cad2", "CAD \uD83D", TIMEOUT, TIMEOUT)),
                Code.INVALID_REQUEST);
        assertRefused(licensor.catalog().registerClient("client\uD800", 1, "host"), Code.INVALID_REQUEST);
        assertRefused(licensor.catalog().registerClient("client", 1, "host\uDC00"), Code.INVALID_REQUEST);
        assertRefused(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 1, 0, "FS\uD800", 1, 0, null)),
                Code.INVALID_REQUEST);
        assertRefused(licensor.lookups().licenseByKey("cad", "K\uD800"), Code.INVALID_REQUEST);
        assertThat(snapshot(List.of(license.id()), List.of("dev\uD800", "dev\uDBFF", "dev?"))).isEqualTo(before);
        assertThat(licensor.catalog().client(ClientRef.name("client"))).isEmpty();

        // well-formed pairs (an emoji) are fine and stay distinct
        DeviceRequest emoji = DeviceRequest.byKey("cad", "K", "dev\uD83D\uDE00");
        assertThat(licensor.floating().activate(emoji).isSuccess()).isTrue();
        assertRefused(licensor.floating().check(DeviceRequest.byKey("cad", "K", "dev\uD83D\uDE01")),
                Code.DEVICE_NOT_FOUND);
    }

    // ---- item 3: borrowing again with an earlier end

    @Test
    void aLaterBorrowExtendsTheEndNeverShortensItAndExpiryFollowsIt() {
        License license = floating("K", 1);
        DeviceRequest device = DeviceRequest.byKey("cad", "K", "hw");
        licensor.floating().activate(device).orElseThrow();
        licensor.floating().borrow(device, START.plus(Duration.ofDays(1))).orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        Instant now = clock.instant();
        // a shorter end would free the seat while the token of the longer one is still out
        assertThat(licensor.floating().borrow(device, now.plus(Duration.ofHours(1))).code())
                .isEqualTo(Code.BORROW_UNTIL_NOT_VALID);
        Lease longer = licensor.floating().borrow(device, now.plus(Duration.ofDays(1))).orElseThrow();
        assertThat(longer.borrowedUntil()).isEqualTo(now.plus(Duration.ofDays(1)));
        assertThat(longer.expiresAt()).isEqualTo(expected(longer, TIMEOUT));
        assertThat(licensor.seats().holders(license.id()).orElseThrow()).containsExactly(longer);

        clock.advance(Duration.ofMinutes(1));
        Lease checked = licensor.floating().check(device).orElseThrow().lease();
        assertThat(checked.expiresAt()).isEqualTo(expected(checked, TIMEOUT));

        // after the borrow ends, a borrow shorter than the timeout: the seat lives a full timeout
        clock.set(longer.borrowedUntil());
        Instant later = clock.instant();
        Lease brief = licensor.floating().borrow(device, later.plusSeconds(30)).orElseThrow();
        assertThat(brief.expiresAt()).isEqualTo(expected(brief, TIMEOUT)).isEqualTo(later.plus(TIMEOUT));
    }

    private static Instant expected(Lease lease, Duration timeout) {
        Instant fresh = lease.refreshedAt().plus(timeout);
        return lease.borrowedUntil() != null && lease.borrowedUntil().isAfter(fresh) ? lease.borrowedUntil() : fresh;
    }

    // ---- item 4: counts that overflow int

    @Test
    void clientLicenseCountsWhoseSumOverflowsIntAreRefused() {
        assertRefused(licensor.catalog().defineClientLicense(
                ClientLicense.draft(1, 1, 0, "FS", Integer.MAX_VALUE, 1, null)), Code.INVALID_REQUEST);
        assertRefused(licensor.catalog().defineClientLicense(
                ClientLicense.draft(1, 1, 0, "FS", Integer.MAX_VALUE, Integer.MAX_VALUE, null)), Code.INVALID_REQUEST);
        assertThat(licensor.catalog().clientLicenses()).isEmpty();

        // the largest capacity that fits is accepted and counts right
        licensor.catalog().defineClientLicense(
                ClientLicense.draft(1, 1, 0, "FS", Integer.MAX_VALUE - 1, 1, null)).orElseThrow();
        licensor.catalog().registerClient("c", 1, "h").orElseThrow();
        licensor.clients().consume(new ConsumeRequest(ClientRef.name("c"), 1, 1, 0, false)).orElseThrow();
        assertThat(licensor.clients().usage().get(0).available()).isEqualTo(Integer.MAX_VALUE - 1);
    }

    // ---- item 5: durations and instants java.time cannot add

    @Test
    void durationsAndInstantsOutsideTheBoundsAreRefusedWhenDefined() {
        List<Duration> hostile = List.of(ChronoUnit.FOREVER.getDuration(), Duration.ofSeconds(Long.MAX_VALUE),
                ChronoUnit.MILLENNIA.getDuration().multipliedBy(1_000_000), Duration.ofDays(36_525).plusSeconds(1));
        for (Duration d : hostile) {
            assertRefused(licensor.catalog().defineProduct(new Product("p", "P", d, TIMEOUT)), Code.INVALID_REQUEST);
            assertRefused(licensor.catalog().defineProduct(new Product("p", "P", TIMEOUT, d)), Code.INVALID_REQUEST);
            assertRefused(licensor.catalog().createLicense(License.builder("cad").key("K").floatingSeats(1)
                    .floatingTimeout(d).build()), Code.INVALID_REQUEST);
            assertRefused(licensor.catalog().createLicense(License.builder("cad").key("K").floatingSeats(1)
                    .borrowAllowed(true).maxBorrowTime(d).build()), Code.INVALID_REQUEST);
        }
        for (Instant t : List.of(Instant.MAX, Instant.MIN, Instant.parse("+10000-01-01T00:00:00Z"))) {
            assertRefused(licensor.catalog().createLicense(License.builder("cad").key("K")
                    .type(LicenseType.SUBSCRIPTION).validUntil(t).build()), Code.INVALID_REQUEST);
            assertRefused(licensor.catalog().createLicense(License.builder("cad").key("K").validFrom(t).build()),
                    Code.INVALID_REQUEST);
            assertRefused(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 1, 0, "FS", 1, 1, t)),
                    Code.INVALID_REQUEST);
        }
        assertThat(licensor.catalog().product("p")).isEmpty();
        assertThat(licensor.catalog().licenseByKey("cad", "K").code()).isEqualTo(Code.LICENSE_NOT_FOUND);
        assertThat(licensor.catalog().clientLicenses()).isEmpty();

        // the longest accepted durations and the last accepted instant work in every later call
        Duration longest = Duration.ofDays(36_525);
        licensor.catalog().defineProduct(new Product("p", "P", longest, longest)).orElseThrow();
        licensor.catalog().createLicense(License.builder("p").key("K").type(LicenseType.SUBSCRIPTION)
                .validUntil(Instant.parse("9999-12-31T23:59:59.999999999Z")).floatingSeats(1)
                .borrowAllowed(true).build()).orElseThrow();
        DeviceRequest device = DeviceRequest.byKey("p", "K", "hw");
        licensor.floating().activate(device).orElseThrow();
        assertThat(licensor.floating().check(device).isSuccess()).isTrue();
        assertThat(licensor.floating().borrow(device, null).isSuccess()).isTrue();
        for (Instant until : List.of(Instant.MAX, Instant.MIN, Instant.EPOCH)) {
            assertRefused(licensor.floating().borrow(device, until), Code.BORROW_UNTIL_NOT_VALID);
        }
    }

    // ---- item 6: a reversed ledger range

    @Test
    void aReversedLedgerRangeIsRefusedOnEveryStore() {
        floating("K", 1);
        assertThatThrownBy(() -> licensor.ledger().between(START.plusSeconds(1), START, 10))
                .isInstanceOfSatisfying(LicensingException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.INVALID_REQUEST));
        assertThatThrownBy(() -> licensor.ledger().between(Instant.MAX, Instant.MIN, 10))
                .isInstanceOfSatisfying(LicensingException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.INVALID_REQUEST));
        assertThat(licensor.ledger().between(START, START, 10)).isEmpty();
        assertThat(licensor.ledger().between(Instant.MIN, Instant.MAX, 10)).isNotNull();
    }

    // ---- item 7: a null entry in a release or reconfigure request

    @Test
    void aNullEntryInAReleaseOrReconfigureRequestIsInvalidRequest() {
        licensor.catalog().defineClientLicense(ClientLicense.draft(1, 1, 0, "FS", 5, 0, null)).orElseThrow();
        licensor.catalog().registerClient("c", 1, "h").orElseThrow();
        licensor.clients().consume(new ConsumeRequest(ClientRef.name("c"), 1, 1, 0, false)).orElseThrow();
        List<LicenseSelector> entries = Arrays.asList(LicenseSelector.everyLicense(1), null);
        Supplier<ClientLicensesRequest> request = () -> new ClientLicensesRequest(true, ClientRef.name("c"), entries);
        assertRefused(licensor.clients().release(request.get()), Code.INVALID_REQUEST);
        assertRefused(licensor.clients().reconfigure(request.get()), Code.INVALID_REQUEST);
        assertThat(licensor.clients().consumed(ClientRef.name("c")).orElseThrow()).hasSize(1);
    }

    // ---- item 8: nulls in public value types reach the engine's missing_parameters

    @Test
    void nullFieldsOfValueTypesAreAnsweredByTheEngineNotByANullPointerException() {
        assertRefused(licensor.catalog().defineProduct(new Product(null, "P", TIMEOUT, TIMEOUT)),
                Code.MISSING_PARAMETERS);
        assertRefused(licensor.catalog().defineProduct(new Product("p", null, TIMEOUT, TIMEOUT)),
                Code.MISSING_PARAMETERS);
        assertRefused(licensor.catalog().defineProduct(new Product("p", "P", null, TIMEOUT)),
                Code.MISSING_PARAMETERS);
        assertRefused(licensor.catalog().defineProduct(new Product("p", "P", TIMEOUT, null)),
                Code.MISSING_PARAMETERS);
        assertRefused(licensor.catalog().createLicense(License.builder(null).key("K").build()),
                Code.MISSING_PARAMETERS);
        assertRefused(licensor.catalog().createLicense(License.builder("cad").key("K").type(null).build()),
                Code.MISSING_PARAMETERS);
        assertRefused(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 1, 0, null, 1, 0, null)),
                Code.MISSING_PARAMETERS);
        assertRefused(licensor.catalog().defineProduct(null), Code.MISSING_PARAMETERS);
        assertRefused(licensor.catalog().createLicense(null), Code.MISSING_PARAMETERS);
        assertRefused(licensor.catalog().defineClientLicense(null), Code.MISSING_PARAMETERS);
        assertRefused(licensor.catalog().registerClient(null, 1, null), Code.MISSING_PARAMETERS);
        assertThat(licensor.catalog().product("p")).isEmpty();
        assertThat(licensor.catalog().clientLicenses()).isEmpty();
    }

    // ---- item 9: the lookup cache and seats deleted by a sweep or a purge

    @Test
    void aSeatSweptByAnotherDevicesCheckIsDroppedFromTheLookupCache() {
        Licensor licensor = cachedEngine();
        License license = floating("K", 1);
        DeviceRequest a = DeviceRequest.byKey("cad", "K", "hw-a");
        DeviceRequest b = DeviceRequest.byKey("cad", "K", "hw-b");
        licensor.floating().activate(a).orElseThrow();
        licensor.floating().activate(b).orElseThrow();
        licensor.floating().check(a).orElseThrow();
        assertThat(licensor.lookups().holdsLiveSeat(license.id(), "hw-a").orElseThrow()).isTrue(); // now cached

        clock.advance(TIMEOUT.plusSeconds(1));
        licensor.floating().check(b).orElseThrow(); // sweeps hw-a's lapsed lease
        clock.advance(TIMEOUT.negated()); // the clock goes back before hw-a's old expiry
        assertThat(licensor.seats().holders(license.id()).orElseThrow()).extracting(Lease::hardwareId)
                .containsExactly("hw-b");
        assertThat(licensor.lookups().holdsLiveSeat(license.id(), "hw-a").orElseThrow()).isFalse();
    }

    @Test
    void aSeatPurgedByPurgeLapsedIsDroppedFromTheLookupCache() {
        Licensor licensor = cachedEngine();
        License license = floating("K", 1);
        DeviceRequest a = DeviceRequest.byKey("cad", "K", "hw-a");
        licensor.floating().activate(a).orElseThrow();
        licensor.floating().check(a).orElseThrow();
        assertThat(licensor.lookups().holdsLiveSeat(license.id(), "hw-a").orElseThrow()).isTrue();

        clock.advance(TIMEOUT.plusSeconds(1));
        assertThat(licensor.seats().purgeLapsed()).isEqualTo(1);
        clock.advance(TIMEOUT.negated());
        assertThat(licensor.seats().holders(license.id()).orElseThrow()).isEmpty();
        assertThat(licensor.lookups().holdsLiveSeat(license.id(), "hw-a").orElseThrow()).isFalse();
    }

    // ---- item 10: the order of holders()

    @Test
    void holdersAreOrderedByGrantTimeThenHardwareIdByCodePoint() {
        License license = floating("K", 10);
        // UTF-16 order puts U+FF21 (Ａ) after the surrogates of U+1F600 (😀); code point order puts it before
        List<String> sameInstant = List.of("\uD83D\uDE00", "\uFF21", "b", "B", "\u00E9");
        for (String hw : sameInstant) {
            licensor.floating().activate(DeviceRequest.byKey("cad", "K", hw)).orElseThrow();
            licensor.floating().check(DeviceRequest.byKey("cad", "K", hw)).orElseThrow();
        }
        clock.advance(Duration.ofSeconds(1));
        licensor.floating().activate(DeviceRequest.byKey("cad", "K", "A")).orElseThrow();
        licensor.floating().check(DeviceRequest.byKey("cad", "K", "A")).orElseThrow();

        List<String> expected = new ArrayList<>(List.of("B", "b", "\u00E9", "\uFF21", "\uD83D\uDE00", "A"));
        assertThat(licensor.seats().holders(license.id()).orElseThrow()).extracting(Lease::hardwareId)
                .containsExactlyElementsOf(expected);
    }
}
