package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LicenseStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Property-based tests (jqwik) that feed every engine call hostile values: text that is not
 * well-formed UTF-16, blank, oversize or full of control characters; huge and negative counts and
 * ids; durations and instants at the ends of {@code java.time} ({@code ChronoUnit.FOREVER},
 * {@code Long.MAX_VALUE} seconds, {@code Instant.MIN}/{@code MAX}); nulls everywhere a reference
 * goes, null list entries; reversed ranges; a clock that moves both ways. Each property asserts
 * that the call answers with an {@link Outcome} (or, for the ledger, a typed
 * {@link LicensingException}), never another exception, and that a refused call changes nothing
 * (but for the one {@code DENIED} ledger entry of a licensing denial). The engine runs with its
 * lookup cache on, and after each device call its lookups must agree with the store.
 *
 * <p>A store's test extends this class and says how to build the store (jqwik runs the
 * inherited properties); each property gets a fresh store with a small fixture. The number of
 * tries is jqwik's {@code jqwik.tries.default}, set per store module in its
 * {@code junit-platform.properties}, so a store that syncs to disk can run fewer.
 * Not thread-safe: jqwik runs the tries of a property one after another.
 */
public abstract class HostileInputProperties {
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final List<String> DEVICES = List.of("hw-1", "hw-2", "hw-3");

    /** A new, empty store; closed after the property. */
    protected abstract LicenseStore newPropertyStore() throws Exception;

    private LicenseStore store;
    private MutableClock clock;
    private Licensor licensor;
    private long floatingId;
    private long consumptionId;
    private long clientId;

    @BeforeProperty
    void openPropertyStore() throws Exception {
        store = newPropertyStore();
        clock = new MutableClock(START);
        licensor = Licensor.builder().store(store).clock(clock).cache(CacheSettings.singleProcess(1_000)).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", TIMEOUT, Duration.ofDays(30))).orElseThrow();
        floatingId = licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(100)
                .floatingSeats(2).borrowAllowed(true).build()).orElseThrow().id();
        consumptionId = licensor.catalog().createLicense(License.builder("cad").key("C").maxActivations(100)
                .type(LicenseType.CONSUMPTION).maxConsumptions(10).overage(true, 5).build()).orElseThrow().id();
        for (String hw : DEVICES) {
            licensor.floating().activate(DeviceRequest.byKey("cad", "K", hw)).orElseThrow();
            licensor.floating().activate(DeviceRequest.byKey("cad", "C", hw)).orElseThrow();
        }
        licensor.floating().check(DeviceRequest.byKey("cad", "K", "hw-1")).orElseThrow();
        licensor.catalog().defineClientLicense(ClientLicense.draft(1, 1, 33, "FS", 3, 1, START.plus(Duration.ofDays(1))))
                .orElseThrow();
        licensor.catalog().defineClientLicense(ClientLicense.draft(2, 11, 0, "MA", 1, 0, null)).orElseThrow();
        clientId = licensor.catalog().registerClient("c", 1, "host").orElseThrow().id();
        licensor.catalog().addAgent(ClientRef.id(clientId), 33, "fs").orElseThrow();
        licensor.clients().consume(new ConsumeRequest(ClientRef.id(clientId), 1, 1, 33, false)).orElseThrow();
    }

    @AfterProperty
    void closePropertyStore() {
        if (store != null) {
            store.close();
        }
    }

    // ------------------------------------------------------------------ properties

    @Property
    void deviceCallsAnswerAndRefusalsChangeNothing(@ForAll("deviceRequests") DeviceRequest request,
                                                   @ForAll("deviceOps") int op,
                                                   @ForAll("instants") Instant until,
                                                   @ForAll("longs") long count,
                                                   @ForAll boolean overage,
                                                   @ForAll("clockMoves") Duration move) {
        clock.advance(move);
        List<String> hardwareIds = withText(DEVICES, request == null ? null : request.hardwareId());
        StateSnapshot before = snapshot(hardwareIds);
        Outcome<?> outcome = answerAny("device op " + op, () -> switch (op) {
            case 0 -> licensor.floating().activate(request);
            case 1 -> licensor.floating().check(request);
            case 2 -> licensor.floating().borrow(request, until);
            case 3 -> licensor.floating().release(request);
            case 4 -> licensor.floating().deactivate(request);
            default -> licensor.floating().addConsumption(request, count, overage);
        });
        assertRefusalChangedNothing(outcome, before, snapshot(hardwareIds));
        assertLookupsAgreeWithTheStore();
    }

    @Property
    void productDefinitionsAnswerAndRefusalsChangeNothing(@ForAll("texts") String code, @ForAll("texts") String name,
                                                          @ForAll("durations") Duration timeout,
                                                          @ForAll("durations") Duration maxBorrow) {
        StateSnapshot before = snapshot(DEVICES);
        Object existing = licensor.catalog().product(code);
        Outcome<Product> outcome = answer("defineProduct",
                () -> licensor.catalog().defineProduct(new Product(code, name, timeout, maxBorrow)));
        if (outcome.isSuccess()) {
            exerciseLicenseOf(code, Duration.ofDays(1));
        } else {
            assertRefusalChangedNothing(outcome, before, snapshot(DEVICES));
            assertThat(licensor.catalog().product(code)).as("product %s after a refusal", code).isEqualTo(existing);
        }
    }

    @Property
    void licenseDefinitionsAnswerAndLaterCallsStillAnswer(@ForAll("productCodes") String product,
                                                          @ForAll("texts") String key,
                                                          @ForAll("texts") String username,
                                                          @ForAll("types") LicenseType type,
                                                          @ForAll("instants") Instant validFrom,
                                                          @ForAll("instants") Instant validUntil,
                                                          @ForAll("ints") int maxActivations,
                                                          @ForAll("ints") int seats,
                                                          @ForAll("durations") Duration timeout,
                                                          @ForAll("durations") Duration maxBorrow,
                                                          @ForAll("longs") long maxConsumptions,
                                                          @ForAll("longs") long maxOverage) {
        License draft = License.builder(product).key(key).username(username).type(type).validFrom(validFrom)
                .validUntil(validUntil).maxActivations(maxActivations).floatingSeats(seats).floatingTimeout(timeout)
                .borrowAllowed(true).maxBorrowTime(maxBorrow).maxConsumptions(maxConsumptions)
                .overage(true, maxOverage).build();
        StateSnapshot before = snapshot(DEVICES);
        Outcome<License> outcome = answer("createLicense", () -> licensor.catalog().createLicense(draft));
        if (outcome.isSuccess()) {
            License license = outcome.orElseThrow();
            DeviceRequest device = license.isKeyBased() ? DeviceRequest.byKey(product, key, "hw-new")
                    : DeviceRequest.byUser(product, username, "hw-new");
            answer("activate", () -> licensor.floating().activate(device));
            answer("check", () -> licensor.floating().check(device));
            answer("borrow", () -> licensor.floating().borrow(device, null));
            answer("borrow max", () -> licensor.floating().borrow(device, Instant.MAX));
            answer("consume", () -> licensor.floating().addConsumption(device, 1, true));
            answer("holders", () -> licensor.seats().holders(license.id()));
        } else {
            assertRefusalChangedNothing(outcome, before, snapshot(DEVICES));
        }
    }

    @Property
    void clientLicenseDefinitionsAnswerAndRefusalsChangeNothing(@ForAll("ints") int platformType,
                                                                @ForAll("ints") int licenseType,
                                                                @ForAll("ints") int appType,
                                                                @ForAll("texts") String name,
                                                                @ForAll("ints") int permanent,
                                                                @ForAll("ints") int evaluation,
                                                                @ForAll("instants") Instant expiry) {
        StateSnapshot before = snapshot(DEVICES);
        Outcome<ClientLicense> outcome = answer("defineClientLicense", () -> licensor.catalog().defineClientLicense(
                ClientLicense.draft(platformType, licenseType, appType, name, permanent, evaluation, expiry)));
        if (outcome.isSuccess()) {
            ClientLicense defined = outcome.orElseThrow();
            answer("consume", () -> licensor.clients().consume(new ConsumeRequest(ClientRef.id(clientId),
                    defined.platformType(), defined.licenseType(), defined.appType(), false)));
            assertThat(licensor.clients().usage()).allSatisfy(u -> assertThat(u.available()).isNotNegative());
        } else {
            assertRefusalChangedNothing(outcome, before, snapshot(DEVICES));
        }
    }

    @Property
    void clientCallsAnswerAndRefusalsChangeNothing(@ForAll("clientRefs") ClientRef client,
                                                   @ForAll("ints") int platformType,
                                                   @ForAll("ints") int licenseType,
                                                   @ForAll("ints") int appType,
                                                   @ForAll boolean level,
                                                   @ForAll("selectors") List<LicenseSelector> entries,
                                                   @ForAll("clientOps") int op) {
        StateSnapshot before = snapshot(DEVICES);
        Outcome<?> outcome = answerAny("client op " + op, () -> switch (op) {
            case 0 -> licensor.clients().consume(new ConsumeRequest(client, platformType, licenseType, appType, level));
            case 1 -> licensor.clients().release(new ClientLicensesRequest(level, client, entries));
            case 2 -> licensor.clients().reconfigure(new ClientLicensesRequest(level, client, entries));
            case 3 -> licensor.clients().consumed(client);
            default -> licensor.catalog().addAgent(client, appType, null);
        });
        assertRefusalChangedNothing(outcome, before, snapshot(DEVICES));
    }

    @Property
    void administrationAndLookupsAnswerAndRefusalsChangeNothing(@ForAll("ids") long id,
                                                                @ForAll("productCodes") String product,
                                                                @ForAll("texts") String text,
                                                                @ForAll("adminOps") int op) {
        List<String> hardwareIds = withText(DEVICES, text);
        StateSnapshot before = snapshot(hardwareIds);
        Outcome<?> outcome = answerAny("admin op " + op, () -> switch (op) {
            case 0 -> licensor.seats().holders(id);
            case 1 -> licensor.seats().forceRelease(id, text);
            case 2 -> licensor.seats().blacklist(product, text);
            case 3 -> licensor.seats().unblacklist(product, text);
            case 4 -> licensor.lookups().holdsLiveSeat(id, text);
            case 5 -> licensor.lookups().licenseByKey(product, text);
            case 6 -> licensor.lookups().licenseByUser(product, text);
            case 7 -> licensor.lookups().consumedLicenses(id);
            case 8 -> licensor.catalog().registerClient(text, (int) id, text);
            default -> id > 2 || id < 1 ? licensor.seats().setEnabled(id, false) : licensor.seats().holders(id);
        });
        assertRefusalChangedNothing(outcome, before, snapshot(hardwareIds));
        // the plain lookups answer (empty for bad input) rather than throw
        licensor.catalog().product(product);
        licensor.catalog().licenseByKey(product, text);
        licensor.catalog().licenseByUser(product, text);
        licensor.catalog().license(id);
        licensor.catalog().client(new ClientRef(id, text));
        licensor.catalog().agents(new ClientRef(id, text));
    }

    @Property
    void ledgerReadsAnswerOrThrowATypedException(@ForAll("instants") Instant from, @ForAll("instants") Instant to,
                                                 @ForAll("ints") int limit) {
        List<LedgerEntry> entries;
        try {
            entries = licensor.ledger().between(from, to, limit);
        } catch (LicensingException e) {
            assertThat(e.code()).isEqualTo(Code.INVALID_REQUEST);
            assertThat(from == null || to == null || from.isAfter(to) || limit <= 0 || limit > 100_000)
                    .as("refused only bad arguments: %s %s %s", from, to, limit).isTrue();
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("ledger().between(" + from + ", " + to + ", " + limit + ") threw " + e, e);
        }
        assertThat(entries.size()).isLessThanOrEqualTo(limit);
        assertThat(entries).allSatisfy(e -> assertThat(e.at()).isBetween(from, to).isNotEqualTo(to));
        try {
            long pruned = licensor.ledger().pruneBefore(from.isAfter(START) ? START.minusSeconds(1) : from,
                    limit == 0 ? -1 : limit);
            assertThat(pruned).isZero(); // nothing in the fixture is that old
        } catch (LicensingException e) {
            assertThat(e.code()).isEqualTo(Code.INVALID_REQUEST);
        }
    }

    // ------------------------------------------------------------------ checks

    /** Runs an engine call, failing the property if it throws instead of answering. */
    private static <T> Outcome<T> answer(String what, Supplier<Outcome<T>> call) {
        try {
            Outcome<T> outcome = call.get();
            assertThat(outcome).as(what).isNotNull();
            return outcome;
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable e) {
            return fail(what + " threw instead of answering: " + e, e);
        }
    }

    /** {@link #answer} for a call chosen by a switch, whose outcomes differ in type. */
    private static Outcome<?> answerAny(String what, Supplier<Outcome<?>> call) {
        try {
            Outcome<?> outcome = call.get();
            assertThat(outcome).as(what).isNotNull();
            return outcome;
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable e) {
            return fail(what + " threw instead of answering: " + e, e);
        }
    }

    private StateSnapshot snapshot(List<String> hardwareIds) {
        return StateSnapshot.take(store, licensor, Set.of("cad"), List.of(floatingId, consumptionId), hardwareIds,
                List.of(clientId));
    }

    /** A refused call changed nothing but, for a licensing denial (3xx, 4xx), one DENIED ledger entry. */
    private static void assertRefusalChangedNothing(Outcome<?> outcome, StateSnapshot before, StateSnapshot after) {
        if (outcome.isSuccess()) {
            return;
        }
        assertThat(after.state()).as("refused with %s: %s", outcome.code(), outcome.message()).isEqualTo(before.state());
        List<LedgerEntry> added = new ArrayList<>(after.ledger());
        added.removeAll(before.ledger());
        boolean recorded = outcome.code().number() >= 300 && outcome.code().number() < 500;
        assertThat(added).as("ledger after a refusal with %s", outcome.code()).hasSizeLessThanOrEqualTo(recorded ? 1 : 0)
                .allSatisfy(e -> assertThat(e.event()).isEqualTo(LedgerEvent.DENIED));
        assertThat(after.ledger()).containsAll(before.ledger());
    }

    /** With the cache on, a live seat according to the lookups is one the store lists, and back. */
    private void assertLookupsAgreeWithTheStore() {
        List<String> holders = licensor.seats().holders(floatingId).orElseThrow().stream()
                .map(Lease::hardwareId).toList();
        for (String hw : DEVICES) {
            assertThat(licensor.lookups().holdsLiveSeat(floatingId, hw).orElseThrow())
                    .as("lookup of %s at %s, holders %s", hw, clock.instant(), holders).isEqualTo(holders.contains(hw));
        }
    }

    /** After a product was defined: a license of it works end to end with the product's durations. */
    private void exerciseLicenseOf(String code, Duration borrow) {
        Outcome<License> license = answer("createLicense", () -> licensor.catalog().createLicense(
                License.builder(code).key("P").floatingSeats(1).borrowAllowed(true).build()));
        if (license.isSuccess()) {
            DeviceRequest device = DeviceRequest.byKey(code, "P", "hw-p");
            answer("activate", () -> licensor.floating().activate(device));
            answer("check", () -> licensor.floating().check(device));
            answer("borrow", () -> licensor.floating().borrow(device, null));
            answer("borrow", () -> licensor.floating().borrow(device, clock.instant().plus(borrow)));
        }
    }

    private static List<String> withText(List<String> base, String text) {
        List<String> all = new ArrayList<>(base);
        if (text != null && !all.contains(text)) {
            all.add(text);
        }
        return all;
    }

    // ------------------------------------------------------------------ generators

    /** Hostile text: nulls, blanks, unpaired surrogates, control characters, oversize; and sane values. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> anyUtf16 = Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(12);
        Arbitrary<String> surrogates = Arbitraries.strings().withCharRange('\ud800', '\udfff').ofMinLength(1).ofMaxLength(3)
                .map(s -> "dev" + s);
        Arbitrary<String> oversize = Arbitraries.integers().between(255, 300).map("x"::repeat);
        Arbitrary<String> edge = Arbitraries.of("", " ", "\t", "dev\ud800", "dev\udbff", "\udc00", "dev?", "\ud83d\ude00",
                "\uff21", "a\u0000b", "K", "C", "hw-1", "c", "FS", "\u202e", "null");
        Arbitrary<String> sane = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8);
        return Arbitraries.frequencyOf(Tuple.of(3, anyUtf16), Tuple.of(2, surrogates), Tuple.of(1, oversize),
                Tuple.of(3, edge), Tuple.of(3, sane)).injectNull(0.1);
    }

    /** Product codes: mostly the fixture's or well-formed, else hostile text. */
    @Provide
    Arbitrary<String> productCodes() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("cad")),
                Tuple.of(2, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)),
                Tuple.of(3, texts()));
    }

    @Provide
    Arbitrary<DeviceRequest> deviceRequests() {
        Arbitrary<String> keys = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("K", "C")), Tuple.of(2, texts()));
        Arbitrary<String> users = texts().injectNull(0.8);
        Arbitrary<Long> licenseIds = ids().injectNull(0.8);
        Arbitrary<String> devices = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(DEVICES)), Tuple.of(2, texts()));
        return net.jqwik.api.Combinators.combine(productCodes(), keys, users, licenseIds, devices)
                .as(DeviceRequest::new).withoutEdgeCases().injectNull(0.03);
    }

    @Provide
    Arbitrary<Integer> deviceOps() {
        return Arbitraries.integers().between(0, 5);
    }

    @Provide
    Arbitrary<Integer> clientOps() {
        return Arbitraries.integers().between(0, 4);
    }

    @Provide
    Arbitrary<Integer> adminOps() {
        return Arbitraries.integers().between(0, 9);
    }

    /** Ids: the fixture's, non-positive, and the ends of long. */
    @Provide
    Arbitrary<Long> ids() {
        return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of(1L, 2L, 3L)),
                Tuple.of(2, Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, (long) Integer.MAX_VALUE + 1)),
                Tuple.of(1, Arbitraries.longs()));
    }

    /** Counts: the ends of int, negatives, small sane values. */
    @Provide
    Arbitrary<Integer> ints() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(0, 40)),
                Tuple.of(2, Arbitraries.of(Integer.MIN_VALUE, -1, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 1, 2, 11, 33)),
                Tuple.of(1, Arbitraries.integers()));
    }

    @Provide
    Arbitrary<Long> longs() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().between(0, 20)),
                Tuple.of(2, Arbitraries.of(Long.MIN_VALUE, -1L, Long.MAX_VALUE, 1_000_000_001L, (long) Integer.MAX_VALUE)),
                Tuple.of(1, Arbitraries.longs()));
    }

    /** Durations at the ends of java.time, negative, zero, and sane. */
    @Provide
    Arbitrary<Duration> durations() {
        Arbitrary<Duration> extreme = Arbitraries.of(ChronoUnit.FOREVER.getDuration(), Duration.ofSeconds(Long.MAX_VALUE),
                Duration.ofSeconds(Long.MIN_VALUE), ChronoUnit.MILLENNIA.getDuration().multipliedBy(1_000_000),
                Duration.ofDays(36_525), Duration.ofDays(36_525).plusNanos(1), Duration.ZERO, Duration.ofNanos(1),
                Duration.ofNanos(-1));
        Arbitrary<Duration> any = Arbitraries.longs().map(Duration::ofSeconds);
        Arbitrary<Duration> sane = Arbitraries.longs().between(1, 100_000).map(Duration::ofSeconds);
        return Arbitraries.frequencyOf(Tuple.of(2, extreme), Tuple.of(1, any), Tuple.of(3, sane)).injectNull(0.15);
    }

    /** Instants at the ends of java.time and of the accepted range, and near the clock. */
    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Instant> extreme = Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH,
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("0000-12-31T23:59:59.999999999Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"));
        Arbitrary<Instant> any = Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
                .map(Instant::ofEpochSecond);
        Arbitrary<Instant> near = Arbitraries.longs().between(-3 * 86_400, 40 * 86_400).map(START::plusSeconds);
        return Arbitraries.frequencyOf(Tuple.of(2, extreme), Tuple.of(1, any), Tuple.of(3, near)).injectNull(0.15);
    }

    /** The clock moves both ways, mostly by minutes. */
    @Provide
    Arbitrary<Duration> clockMoves() {
        return Arbitraries.longs().between(-15, 15).map(Duration::ofMinutes);
    }

    @Provide
    Arbitrary<LicenseType> types() {
        return Arbitraries.of(LicenseType.class).injectNull(0.1);
    }

    @Provide
    Arbitrary<ClientRef> clientRefs() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(ClientRef.name("c"), ClientRef.id(1))),
                Tuple.of(2, net.jqwik.api.Combinators.combine(ids().injectNull(0.4), texts()).as(ClientRef::new)
                        .withoutEdgeCases())).injectNull(0.05);
    }

    /** Release/reconfigure entries, with null entries and hostile fields. */
    @Provide
    Arbitrary<List<LicenseSelector>> selectors() {
        Arbitrary<LicenseSelector> sane = Arbitraries.of(LicenseSelector.everyLicense(1), LicenseSelector.everyLicense(2),
                new LicenseSelector(1, 1, 33, "FS"), new LicenseSelector(1, 1, 33, null));
        // no edge cases of the combination: jqwik would build their cross product, slowly
        Arbitrary<LicenseSelector> hostile = net.jqwik.api.Combinators.combine(ints(), ints(), ints(), texts())
                .as(LicenseSelector::new).withoutEdgeCases();
        return Arbitraries.frequencyOf(Tuple.of(2, sane), Tuple.of(1, hostile)).injectNull(0.1)
                .list().ofMaxSize(4).withoutEdgeCases().injectNull(0.05);
    }
}
