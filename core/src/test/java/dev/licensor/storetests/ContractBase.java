package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.clients.UsageSummary;
import dev.licensor.floating.Activation;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.Key;
import dev.licensor.store.LicenseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every area of the contract suite shares: a fresh store per test from the enclosing
 * {@link StoreUnderTest}, an engine on a {@link MutableClock} standing at {@link #START}, fixtures
 * that create products, licenses, clients and client licenses (and remember them), and the
 * "a refused call changes nothing" check ({@link #rejected}). The store is closed after the test.
 *
 * <p>An area is a subclass of this class (see {@link StoreUnderTest#AREAS}); a store's test runs it
 * as a one-line {@code @Nested} subclass. Every test is bounded in time ({@code @Timeout}), so a
 * store that deadlocks fails instead of hanging the build.
 *
 * <p>Not thread-safe, except the fixtures' bookkeeping, which race threads may add to: JUnit
 * creates one instance per test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(StoreUnderTest.Finder.class)
public abstract class ContractBase {

    /** Where every test's clock starts: whole seconds, so any store can keep instants exactly. */
    protected static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    /** The floating timeout of the suite's products. */
    protected static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** The longest borrow of the suite's products. */
    protected static final Duration MAX_BORROW = Duration.ofHours(24);

    /** The store's test: builds the store and the engine. */
    protected StoreUnderTest under;
    /** The store under test, fresh for each test. */
    protected LicenseStore store;
    /** The engine's clock, at {@link #START} when a test begins. */
    protected MutableClock clock;
    /** The engine over {@link #store} and {@link #clock}. */
    protected Licensor licensor;

    // What the test created, so a snapshot can read all of it (race threads add hardware ids).
    private final Set<String> products = new ConcurrentSkipListSet<>();
    private final Set<Long> licenseIds = new ConcurrentSkipListSet<>();
    private final Set<String> hardwareIds = new ConcurrentSkipListSet<>();
    private final Set<Long> clientIds = new ConcurrentSkipListSet<>();

    /** A fresh, empty store, as the store's test builds it. */
    protected LicenseStore newStore() throws Exception {
        return under.newStore();
    }

    /** The engine builder the store's test asks for, with the store and clock set; not built. */
    protected Licensor.Builder engine(LicenseStore store, Clock clock) {
        return under.engine(store, clock);
    }

    @BeforeEach
    void openStore(StoreUnderTest storeUnderTest) throws Exception {
        under = storeUnderTest;
        store = newStore();
        assertThat(store).as("newStore()").isNotNull();
        clock = new MutableClock(START);
        licensor = engine(store, clock).build();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ------------------------------------------------------------------ outcome helpers

    static <T> T ok(Outcome<T> outcome) {
        assertThat(outcome.isSuccess())
                .as("expected success, got %s: %s", outcome.code().key(), outcome.message())
                .isTrue();
        assertThat(outcome.code()).isEqualTo(Code.OK);
        return outcome.orElseThrow();
    }

    static void fails(Outcome<?> outcome, Code code) {
        assertThat(outcome.code()).as("code of an outcome with message '%s'", outcome.message()).isEqualTo(code);
        assertThat(outcome).isInstanceOf(Outcome.Failure.class);
        assertThat(outcome.message()).isNotBlank();
    }

    static boolean recordedDenial(Code code) {
        return code.number() >= 300 && code.number() < 500;
    }

    // ------------------------------------------------------------------ catalog fixtures

    Product product(String code) {
        Product p = ok(licensor.catalog().defineProduct(new Product(code, "Product " + code, TIMEOUT, MAX_BORROW)));
        products.add(code);
        return p;
    }

    License license(License.Builder draft) {
        License l = ok(licensor.catalog().createLicense(draft.build()));
        licenseIds.add(l.id());
        products.add(l.product());
        return l;
    }

    /** Stops checking a license the test deleted in snapshots. */
    void forget(License l) {
        licenseIds.remove(l.id());
    }

    License floating(String product, String key, int seats) {
        return license(License.builder(product).key(key).maxActivations(100).floatingSeats(seats));
    }

    License fresh(License l) {
        return licensor.catalog().license(l.id()).orElseThrow();
    }

    DeviceRequest device(License l, String hw) {
        hardwareIds.add(hw);
        return l.isKeyBased() ? DeviceRequest.byKey(l.product(), l.key(), hw)
                : DeviceRequest.byUser(l.product(), l.username(), hw);
    }

    Activation activate(License l, String hw) {
        return ok(licensor.floating().activate(device(l, hw)));
    }

    Outcome<LicenseCheck> tryCheck(License l, String hw) {
        return licensor.floating().check(device(l, hw));
    }

    Lease check(License l, String hw) {
        return ok(tryCheck(l, hw)).lease();
    }

    List<Lease> leases(License l) {
        return ok(licensor.seats().holders(l.id()));
    }

    List<String> holders(License l) {
        return leases(l).stream().map(Lease::hardwareId).collect(Collectors.toList());
    }

    Client client(String name) {
        Client c = ok(licensor.catalog().registerClient(name, 1, name + ".example.com"));
        clientIds.add(c.id());
        return c;
    }

    Agent agent(Client c, int appType, String name) {
        return ok(licensor.catalog().addAgent(ClientRef.id(c.id()), appType, name));
    }

    ClientLicense clientLicense(int platform, int licenseType, int appType, String name, int permanent) {
        return ok(licensor.catalog().defineClientLicense(
                ClientLicense.draft(platform, licenseType, appType, name, permanent, 0, null)));
    }

    Outcome<HeldLicense> tryConsume(Client c, ClientLicense l, boolean agentLevel) {
        return licensor.clients().consume(new ConsumeRequest(ClientRef.name(c.name()), l.platformType(),
                l.licenseType(), l.appType(), agentLevel));
    }

    HeldLicense consume(Client c, ClientLicense l, boolean agentLevel) {
        return ok(tryConsume(c, l, agentLevel));
    }

    static LicenseSelector entry(ClientLicense l) {
        return new LicenseSelector(l.platformType(), l.licenseType(), l.appType(), l.licenseName());
    }

    static ClientLicensesRequest request(boolean clientLevel, Client c, LicenseSelector... entries) {
        return new ClientLicensesRequest(clientLevel, ClientRef.name(c.name()), Arrays.asList(entries));
    }

    List<HeldLicense> held(Client c) {
        return ok(licensor.clients().consumed(ClientRef.id(c.id())));
    }

    UsageSummary usage(ClientLicense l) {
        return licensor.clients().usage().stream().filter(u -> u.clientLicenseId() == l.id()).findFirst()
                .orElseThrow(() -> new AssertionError("no usage line for client license " + l.id()));
    }

    // ------------------------------------------------------------------ ledger helpers

    List<LedgerEntry> ledger() {
        return licensor.ledger().between(Instant.EPOCH, StateSnapshot.FAR, 100_000);
    }

    /** The events that record a definition (a creation), which every fixture now writes. */
    static final Set<LedgerEvent> DEFINITIONS = java.util.EnumSet.of(LedgerEvent.PRODUCT_DEFINED,
            LedgerEvent.LICENSE_CREATED, LedgerEvent.CLIENT_REGISTERED, LedgerEvent.AGENT_ADDED,
            LedgerEvent.CLIENT_LICENSE_DEFINED, LedgerEvent.GROUP_DEFINED, LedgerEvent.POLICY_SET);

    /** The ledger without the definitions the fixtures wrote. */
    List<LedgerEntry> ledgerWithoutDefinitions() {
        return ledger().stream().filter(e -> !DEFINITIONS.contains(e.event())).collect(Collectors.toList());
    }

    List<LedgerEntry> ledger(LedgerEvent event) {
        return ledger().stream().filter(e -> e.event() == event).collect(Collectors.toList());
    }

    long count(LedgerEvent event, License l) {
        return ledger().stream().filter(e -> e.event() == event && e.licenseId() == l.id()).count();
    }

    long count(List<LedgerEntry> entries, LedgerEvent event, long licenseId, long clientLicenseId) {
        return entries.stream().filter(e -> e.event() == event && e.licenseId() == licenseId
                && e.clientLicenseId() == clientLicenseId).count();
    }

    // ------------------------------------------------------------------ the snapshot check

    StateSnapshot snapshot() {
        assertLookupsAgreeWithTheStore();
        return StateSnapshot.take(store, licensor, products, licenseIds, hardwareIds, clientIds);
    }

    /**
     * The engine's lookups (served from its cache when {@link #engine} turns one on) answer what
     * the store holds now: every change this engine made has dropped what it touched.
     */
    void assertLookupsAgreeWithTheStore() {
        Instant now = clock.instant();
        for (long id : licenseIds) {
            License l = store.<Optional<License>>read(tx -> tx.find(Key.license(id))).orElseThrow();
            Outcome<License> looked = l.isKeyBased() ? licensor.lookups().licenseByKey(l.product(), l.key())
                    : licensor.lookups().licenseByUser(l.product(), l.username());
            assertThat(looked).as("lookup of license %d", id).isEqualTo(Outcome.success(l));
            for (String hw : hardwareIds) {
                Outcome<Boolean> holds = licensor.lookups().holdsLiveSeat(id, hw);
                if (holds.code().isBadRequest()) {
                    continue; // a malformed id a test sent on purpose
                }
                boolean live = store.<Optional<Lease>>read(tx -> tx.find(Key.lease(id, hw))).map(x -> x.isLiveAt(now)).orElse(false);
                assertThat(holds).as("lookup of the seat of %s on license %d", hw, id).isEqualTo(Outcome.success(live));
            }
        }
        for (long id : clientIds) {
            assertThat(licensor.lookups().consumedLicenses(id)).as("lookup of client %d", id)
                    .isEqualTo(licensor.clients().consumed(ClientRef.id(id)));
        }
    }

    /**
     * Runs a call that must be refused with {@code code} and asserts it changed nothing: every row
     * and view the test created is as before, and the ledger is too, except for one {@code DENIED}
     * entry (stamped now, carrying the code) when the code is a licensing denial (3xx, 4xx).
     */
    void rejected(String what, Code code, Supplier<Outcome<?>> call) {
        StateSnapshot before = snapshot();
        Outcome<?> outcome = call.get();
        assertThat(outcome.code()).as("%s: code (message '%s')", what, outcome.message()).isEqualTo(code);
        refusalChangedNothing(what, before, outcome);
    }

    /**
     * Asserts that {@code outcome}, a refusal, left everything as {@code before} shows it, but for
     * one {@code DENIED} entry in the ledger when its code is a licensing denial (3xx, 4xx).
     */
    void refusalChangedNothing(String what, StateSnapshot before, Outcome<?> outcome) {
        Code code = outcome.code();
        assertThat(outcome.isSuccess()).as(what).isFalse();
        StateSnapshot after = snapshot();
        assertThat(after.state()).as("%s: state after the refusal", what).isEqualTo(before.state());
        if (recordedDenial(code)) {
            assertThat(after.ledger()).as("%s: ledger grows by one DENIED entry", what).hasSize(before.ledger().size() + 1);
            // The new entry by sequence number: a clock moved back files it before older entries.
            Set<Long> old = before.ledger().stream().map(LedgerEntry::seq).collect(Collectors.toSet());
            List<LedgerEntry> kept = after.ledger().stream().filter(e -> old.contains(e.seq())).collect(Collectors.toList());
            assertThat(kept).as(what).isEqualTo(before.ledger());
            LedgerEntry denied = after.ledger().stream().filter(e -> !old.contains(e.seq())).findFirst().orElseThrow();
            assertThat(denied.event()).as(what).isEqualTo(LedgerEvent.DENIED);
            assertThat(denied.code()).as(what).isEqualTo(code);
            assertThat(denied.at()).as(what).isEqualTo(clock.instant());
        } else {
            assertThat(after.ledger()).as("%s: ledger unchanged", what).isEqualTo(before.ledger());
        }
    }

}
