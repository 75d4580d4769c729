package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.clients.UsageSummary;
import dev.licensor.floating.Activation;
import dev.licensor.floating.ConsumptionBalance;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LicenseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link LicenseStore} must pass, run through the engine (and, for the
 * store-level guarantees, against the store directly). A store's test only says how to build
 * the store:
 *
 * <pre>{@code
 * class MemoryLicenseStoreTest extends LicenseStoreContract {
 *     @Override
 *     protected LicenseStore newStore() {
 *         return new MemoryLicenseStore();
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh, empty store from {@link #newStore()} and an engine from
 * {@link #engine} on a {@link MutableClock} standing at {@link #START}; the store is closed after
 * the test. The tests are grouped by area in {@code @Nested} classes (catalog, floating,
 * administration, client licenses, ledger, error paths, store, concurrency), so one concrete
 * subclass runs them all. The races use real threads (split over two engines sharing the store),
 * exact counts and time bounds, and keep their writes to a few thousand so a store that syncs
 * every commit to disk still runs them in seconds.
 *
 * <p>Every test is bounded in time ({@code @Timeout}), so a store that deadlocks fails instead of
 * hanging the build.
 *
 * <p>Not thread-safe: JUnit creates one instance per test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class LicenseStoreContract {

    /** Where every test's clock starts: whole seconds, so any store can keep instants exactly. */
    protected static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    /** The floating timeout of the suite's products. */
    protected static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** The longest borrow of the suite's products. */
    protected static final Duration MAX_BORROW = Duration.ofHours(24);

    private static final int THREADS = 8;
    private static final long RACE_TIMEOUT_SECONDS = 60;

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

    /** A fresh, empty store; called once per test. */
    protected abstract LicenseStore newStore() throws Exception;

    /**
     * The engine builder the suite uses, with the store and clock set. Override to add options
     * (e.g. to turn a cache on); do not build it.
     */
    protected Licensor.Builder engine(LicenseStore store, Clock clock) {
        return Licensor.builder().store(store).clock(clock);
    }

    @BeforeEach
    void openStore() throws Exception {
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

    private static <T> T ok(Outcome<T> outcome) {
        assertThat(outcome.isSuccess())
                .as("expected success, got %s: %s", outcome.code().key(), outcome.message())
                .isTrue();
        assertThat(outcome.code()).isEqualTo(Code.OK);
        return outcome.orElseThrow();
    }

    private static void fails(Outcome<?> outcome, Code code) {
        assertThat(outcome.code()).as("code of an outcome with message '%s'", outcome.message()).isEqualTo(code);
        assertThat(outcome).isInstanceOf(Outcome.Failure.class);
        assertThat(outcome.message()).isNotBlank();
    }

    private static boolean recordedDenial(Code code) {
        return code.number() >= 300 && code.number() < 500;
    }

    // ------------------------------------------------------------------ catalog fixtures

    private Product product(String code) {
        Product p = ok(licensor.catalog().defineProduct(new Product(code, "Product " + code, TIMEOUT, MAX_BORROW)));
        products.add(code);
        return p;
    }

    private License license(License.Builder draft) {
        License l = ok(licensor.catalog().createLicense(draft.build()));
        licenseIds.add(l.id());
        products.add(l.product());
        return l;
    }

    private License floating(String product, String key, int seats) {
        return license(License.builder(product).key(key).maxActivations(100).floatingSeats(seats));
    }

    private License fresh(License l) {
        return licensor.catalog().license(l.id()).orElseThrow();
    }

    private DeviceRequest device(License l, String hw) {
        hardwareIds.add(hw);
        return l.isKeyBased() ? DeviceRequest.byKey(l.product(), l.key(), hw)
                : DeviceRequest.byUser(l.product(), l.username(), hw);
    }

    private Activation activate(License l, String hw) {
        return ok(licensor.floating().activate(device(l, hw)));
    }

    private Outcome<LicenseCheck> tryCheck(License l, String hw) {
        return licensor.floating().check(device(l, hw));
    }

    private Lease check(License l, String hw) {
        return ok(tryCheck(l, hw)).lease();
    }

    private List<Lease> leases(License l) {
        return ok(licensor.seats().holders(l.id()));
    }

    private List<String> holders(License l) {
        return leases(l).stream().map(Lease::hardwareId).collect(Collectors.toList());
    }

    private Client client(String name) {
        Client c = ok(licensor.catalog().registerClient(name, 1, name + ".example.com"));
        clientIds.add(c.id());
        return c;
    }

    private Agent agent(Client c, int appType, String name) {
        return ok(licensor.catalog().addAgent(ClientRef.id(c.id()), appType, name));
    }

    private ClientLicense clientLicense(int platform, int licenseType, int appType, String name, int permanent) {
        return ok(licensor.catalog().defineClientLicense(
                ClientLicense.draft(platform, licenseType, appType, name, permanent, 0, null)));
    }

    private Outcome<HeldLicense> tryConsume(Client c, ClientLicense l, boolean agentLevel) {
        return licensor.clients().consume(new ConsumeRequest(ClientRef.name(c.name()), l.platformType(),
                l.licenseType(), l.appType(), agentLevel));
    }

    private HeldLicense consume(Client c, ClientLicense l, boolean agentLevel) {
        return ok(tryConsume(c, l, agentLevel));
    }

    private static LicenseSelector entry(ClientLicense l) {
        return new LicenseSelector(l.platformType(), l.licenseType(), l.appType(), l.licenseName());
    }

    private static ClientLicensesRequest request(boolean clientLevel, Client c, LicenseSelector... entries) {
        return new ClientLicensesRequest(clientLevel, ClientRef.name(c.name()), Arrays.asList(entries));
    }

    private List<HeldLicense> held(Client c) {
        return ok(licensor.clients().consumed(ClientRef.id(c.id())));
    }

    private UsageSummary usage(ClientLicense l) {
        return licensor.clients().usage().stream().filter(u -> u.clientLicenseId() == l.id()).findFirst()
                .orElseThrow(() -> new AssertionError("no usage line for client license " + l.id()));
    }

    // ------------------------------------------------------------------ ledger helpers

    private List<LedgerEntry> ledger() {
        return licensor.ledger().between(Instant.EPOCH, StateSnapshot.FAR, 100_000);
    }

    private List<LedgerEntry> ledger(LedgerEvent event) {
        return ledger().stream().filter(e -> e.event() == event).collect(Collectors.toList());
    }

    private long count(LedgerEvent event, License l) {
        return ledger().stream().filter(e -> e.event() == event && e.licenseId() == l.id()).count();
    }

    private long count(List<LedgerEntry> entries, LedgerEvent event, long licenseId, long clientLicenseId) {
        return entries.stream().filter(e -> e.event() == event && e.licenseId() == licenseId
                && e.clientLicenseId() == clientLicenseId).count();
    }

    // ------------------------------------------------------------------ the snapshot check

    private StateSnapshot snapshot() {
        assertLookupsAgreeWithTheStore();
        return StateSnapshot.take(store, licensor, products, licenseIds, hardwareIds, clientIds);
    }

    /**
     * The engine's lookups (served from its cache when {@link #engine} turns one on) answer what
     * the store holds now: every change this engine made has dropped what it touched.
     */
    private void assertLookupsAgreeWithTheStore() {
        Instant now = clock.instant();
        for (long id : licenseIds) {
            License l = store.<Optional<License>>read(tx -> tx.license(id)).orElseThrow();
            Outcome<License> looked = l.isKeyBased() ? licensor.lookups().licenseByKey(l.product(), l.key())
                    : licensor.lookups().licenseByUser(l.product(), l.username());
            assertThat(looked).as("lookup of license %d", id).isEqualTo(Outcome.success(l));
            for (String hw : hardwareIds) {
                Outcome<Boolean> holds = licensor.lookups().holdsLiveSeat(id, hw);
                if (holds.code().isBadRequest()) {
                    continue; // a malformed id a test sent on purpose
                }
                boolean live = store.<Optional<Lease>>read(tx -> tx.lease(id, hw)).map(x -> x.isLiveAt(now)).orElse(false);
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
    private void rejected(String what, Code code, Supplier<Outcome<?>> call) {
        StateSnapshot before = snapshot();
        Outcome<?> outcome = call.get();
        assertThat(outcome.code()).as("%s: code (message '%s')", what, outcome.message()).isEqualTo(code);
        assertThat(outcome.isSuccess()).as(what).isFalse();
        StateSnapshot after = snapshot();
        assertThat(after.state()).as("%s: state after the refusal", what).isEqualTo(before.state());
        if (recordedDenial(code)) {
            assertThat(after.ledger()).as("%s: ledger grows by one DENIED entry", what).hasSize(before.ledger().size() + 1);
            assertThat(after.ledger().subList(0, before.ledger().size())).as(what).isEqualTo(before.ledger());
            LedgerEntry denied = after.ledger().get(before.ledger().size());
            assertThat(denied.event()).as(what).isEqualTo(LedgerEvent.DENIED);
            assertThat(denied.code()).as(what).isEqualTo(code);
            assertThat(denied.at()).as(what).isEqualTo(clock.instant());
        } else {
            assertThat(after.ledger()).as("%s: ledger unchanged", what).isEqualTo(before.ledger());
        }
    }

    // ------------------------------------------------------------------ races

    /**
     * Runs {@code task.apply(i)} for i in 0..threads-1 on {@code threads} threads released at
     * once by a barrier; returns the results in index order. Bounded in time.
     */
    private static <T> List<T> race(ExecutorService executor, int threads, IntFunction<Callable<T>> task)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Callable<T> body = task.apply(i);
            futures.add(executor.submit(() -> {
                start.await(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return body.call();
            }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        return results;
    }

    private static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("race threads ended").isTrue();
    }

    // ================================================================== catalog

    /** Products, licenses of every kind, clients, agents and client licenses: created once, validated, read back. */
    @Nested
    @DisplayName("catalog")
    class CatalogTests {

        @Test
        void definesAProductOnceAndFindsItByCode() {
            Product defined = product("cad-pro");
            assertThat(defined).isEqualTo(new Product("cad-pro", "Product cad-pro", TIMEOUT, MAX_BORROW));
            assertThat(licensor.catalog().product("cad-pro")).contains(defined);
            assertThat(licensor.catalog().product("cad-lite")).isEmpty();

            fails(licensor.catalog().defineProduct(new Product("cad-pro", "Other", Duration.ofMinutes(1), Duration.ZERO)),
                    Code.ALREADY_EXISTS);
            assertThat(licensor.catalog().product("cad-pro")).contains(defined);
        }

        @Test
        void refusesMalformedProducts() {
            String longCode = "p".repeat(65);
            fails(licensor.catalog().defineProduct(null), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineProduct(new Product("", "n", TIMEOUT, MAX_BORROW)), Code.MISSING_PARAMETERS);
            fails(licensor.catalog().defineProduct(new Product("  ", "n", TIMEOUT, MAX_BORROW)), Code.MISSING_PARAMETERS);
            fails(licensor.catalog().defineProduct(new Product(longCode, "n", TIMEOUT, MAX_BORROW)), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineProduct(new Product("a b", "n", TIMEOUT, MAX_BORROW)), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineProduct(new Product("a\nb", "n", TIMEOUT, MAX_BORROW)), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineProduct(new Product("p", "", TIMEOUT, MAX_BORROW)), Code.MISSING_PARAMETERS);
            fails(licensor.catalog().defineProduct(new Product("p", "n\u0007", TIMEOUT, MAX_BORROW)), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineProduct(new Product("p", "n".repeat(257), TIMEOUT, MAX_BORROW)), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineProduct(new Product("p", "n", Duration.ZERO, MAX_BORROW)), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineProduct(new Product("p", "n", TIMEOUT, Duration.ofHours(-1))), Code.INVALID_REQUEST);
            assertThat(licensor.catalog().product("p")).isEmpty();
            assertThat(licensor.catalog().product(longCode)).isEmpty();
            // the longest code is accepted
            assertThat(licensor.catalog().defineProduct(new Product("p".repeat(64), "n", TIMEOUT, Duration.ZERO)).isSuccess()).isTrue();
        }

        @Test
        void createsKeyAndUserLicensesOfEveryTypeAndTheyWork() {
            product("cad");
            Instant end = START.plus(Duration.ofDays(30));
            Set<Long> ids = new TreeSet<>();
            for (LicenseType type : LicenseType.values()) {
                for (boolean byKey : new boolean[] {true, false}) {
                    License.Builder draft = License.builder("cad").type(type).maxActivations(2);
                    String name = type.name().toLowerCase() + (byKey ? "-key" : "-user");
                    draft = byKey ? draft.key(name) : draft.username(name);
                    if (type == LicenseType.TIME_LIMITED || type == LicenseType.SUBSCRIPTION) {
                        draft.validUntil(end);
                    }
                    if (type == LicenseType.CONSUMPTION) {
                        draft.maxConsumptions(100);
                    }
                    License created = license(draft);
                    assertThat(created.id()).as(name).isPositive();
                    assertThat(ids.add(created.id())).as("ids are unique").isTrue();
                    assertThat(created.isKeyBased()).isEqualTo(byKey);
                    assertThat(created.type()).isEqualTo(type);
                    assertThat(created.consumed()).isZero();
                    assertThat(licensor.catalog().license(created.id())).contains(created);
                    // it works for a device, whichever way it names the license
                    activate(created, "hw-" + name);
                    LicenseCheck checked = ok(tryCheck(created, "hw-" + name));
                    assertThat(checked.license()).isEqualTo(created);
                    assertThat(checked.lease()).isNull();
                }
            }
            assertThat(licensor.catalog().license(999_999)).isEmpty();
        }

        @Test
        void keepsEveryLicenseFieldAsCreated() {
            product("cad");
            License created = license(License.builder("cad").key("FULL-1").type(LicenseType.SUBSCRIPTION)
                    .enabled(true).active(true).validFrom(START.minusSeconds(60)).validUntil(START.plus(Duration.ofDays(365)))
                    .maxActivations(7).floatingSeats(3).floatingTimeout(Duration.ofMinutes(3)).borrowAllowed(true)
                    .maxBorrowTime(Duration.ofHours(5)).maxConsumptions(0).overage(false, 0));
            assertThat(licensor.catalog().license(created.id())).contains(created);
            assertThat(created.floatingSeats()).isEqualTo(3);
            assertThat(created.maxBorrowTime()).isEqualTo(Duration.ofHours(5));
        }

        @Test
        void refusesMalformedLicenses() {
            product("cad");
            Instant end = START.plus(Duration.ofDays(1));
            fails(licensor.catalog().createLicense(null), Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("").key("K").build()), Code.MISSING_PARAMETERS);
            fails(licensor.catalog().createLicense(License.builder("cad").build()), Code.MISSING_PARAMETERS);
            fails(licensor.catalog().createLicense(License.builder("cad").key("K").username("u").build()), Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("cad").key("  ").username("u").build()), Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("cad").key("K".repeat(257)).build()), Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("cad").key("K\t1").build()), Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("cad").username("u\u0000").build()), Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(0).build()), Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("cad").key("K").floatingSeats(-1).build()), Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("cad").key("K").floatingSeats(1)
                    .floatingTimeout(Duration.ZERO).build()), Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("cad").key("K").maxConsumptions(-1).build()), Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("cad").key("K").type(LicenseType.TIME_LIMITED).build()),
                    Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("cad").key("K").type(LicenseType.SUBSCRIPTION).build()),
                    Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("cad").key("K").validUntil(end).build()), Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("cad").key("K").type(LicenseType.TIME_LIMITED)
                    .validFrom(end).validUntil(end).build()), Code.INVALID_REQUEST);
            fails(licensor.catalog().createLicense(License.builder("nope").key("K").build()), Code.UNKNOWN_PRODUCT);
            assertThat(ledger()).isEmpty();
            // nothing was created: the key is still free
            assertThat(license(License.builder("cad").key("K")).id()).isPositive();
        }

        @Test
        void refusesDuplicateKeysAndUsersPerProduct() {
            product("cad");
            product("cam");
            License key = license(License.builder("cad").key("K-1"));
            License user = license(License.builder("cad").username("alice"));
            fails(licensor.catalog().createLicense(License.builder("cad").key("K-1").maxActivations(9).build()), Code.ALREADY_EXISTS);
            fails(licensor.catalog().createLicense(License.builder("cad").username("alice").build()), Code.ALREADY_EXISTS);
            // the same key or user on another product is another license
            License other = license(License.builder("cam").key("K-1"));
            assertThat(other.id()).isNotIn(key.id(), user.id());
            assertThat(license(License.builder("cam").username("alice")).id()).isPositive();
            // a key and a user of the same text do not collide
            assertThat(license(License.builder("cad").username("K-1")).id()).isPositive();
            assertThat(fresh(key)).isEqualTo(key);
        }

        @Test
        void registersClientsWithUniqueNames() {
            Client a = client("client001");
            Client b = client("client002");
            assertThat(a.id()).isPositive();
            assertThat(b.id()).isPositive().isNotEqualTo(a.id());
            assertThat(a).isEqualTo(new Client(a.id(), "client001", 1, "client001.example.com"));
            assertThat(licensor.catalog().client(ClientRef.id(a.id()))).contains(a);
            assertThat(licensor.catalog().client(ClientRef.name("client002"))).contains(b);
            assertThat(licensor.catalog().client(new ClientRef(a.id(), "client001"))).contains(a);
            assertThat(licensor.catalog().client(new ClientRef(a.id(), "client002"))).isEmpty();
            assertThat(licensor.catalog().client(ClientRef.name("client003"))).isEmpty();

            fails(licensor.catalog().registerClient("client001", 2, "x"), Code.ALREADY_EXISTS);
            fails(licensor.catalog().registerClient(" ", 1, "x"), Code.MISSING_PARAMETERS);
            fails(licensor.catalog().registerClient(null, 1, "x"), Code.MISSING_PARAMETERS);
            fails(licensor.catalog().registerClient("c".repeat(257), 1, "x"), Code.INVALID_REQUEST);
            fails(licensor.catalog().registerClient("bad\rname", 1, "x"), Code.INVALID_REQUEST);
            fails(licensor.catalog().registerClient("c3", 1, "host\n"), Code.INVALID_REQUEST);
            fails(licensor.catalog().registerClient("c3", -1, "x"), Code.INVALID_REQUEST);
            assertThat(licensor.catalog().client(ClientRef.name("c3"))).isEmpty();
            assertThat(licensor.catalog().client(ClientRef.id(a.id()))).contains(a);
        }

        @Test
        void addsAgentsToClients() {
            Client c = client("client001");
            Agent fs = agent(c, 33, "Windows File System");
            Agent ma = ok(licensor.catalog().addAgent(ClientRef.name("client001"), 1002, "MediaAgent Management"));
            Agent sql = agent(c, 81, null);
            assertThat(fs).isEqualTo(new Agent(c.id(), 33, "Windows File System"));
            assertThat(sql.name()).isEmpty();
            assertThat(licensor.catalog().agents(ClientRef.id(c.id()))).containsExactly(fs, sql, ma);
            assertThat(licensor.catalog().agents(ClientRef.name("client001"))).containsExactly(fs, sql, ma);

            fails(licensor.catalog().addAgent(ClientRef.id(c.id()), 33, "again"), Code.ALREADY_EXISTS);
            fails(licensor.catalog().addAgent(ClientRef.id(c.id()), 0, "zero"), Code.INVALID_REQUEST);
            fails(licensor.catalog().addAgent(ClientRef.id(c.id()), 29, "x".repeat(257)), Code.INVALID_REQUEST);
            fails(licensor.catalog().addAgent(ClientRef.name("ghost"), 29, "Linux"), Code.CLIENT_NOT_FOUND);
            fails(licensor.catalog().addAgent(null, 29, "Linux"), Code.MISSING_PARAMETERS);
            assertThat(licensor.catalog().agents(ClientRef.id(c.id()))).containsExactly(fs, sql, ma);
            assertThat(licensor.catalog().agents(ClientRef.name("ghost"))).isEmpty();
        }

        @Test
        void definesClientLicensesOncePerPlatformLicenseAndAppType() {
            ClientLicense fs = clientLicense(1, 1, 33, "Server File System - Windows File System", 10);
            ClientLicense ma = ok(licensor.catalog().defineClientLicense(ClientLicense.draft(2, 11, 1002, "MediaAgent",
                    1, 2, START.plus(Duration.ofDays(30)))));
            assertThat(fs.id()).isPositive();
            assertThat(ma.id()).isPositive().isNotEqualTo(fs.id());
            assertThat(ma.used()).isZero();
            assertThat(licensor.catalog().clientLicenses()).containsExactly(fs, ma);

            fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 1, 33, "again", 1, 0, null)), Code.ALREADY_EXISTS);
            fails(licensor.catalog().defineClientLicense(null), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineClientLicense(ClientLicense.draft(3, 1, 33, "p3", 1, 0, null)), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 0, 33, "t0", 1, 0, null)), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 2, -1, "a", 1, 0, null)), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 2, 33, "", 1, 0, null)), Code.MISSING_PARAMETERS);
            fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 2, 33, "n\u001b", 1, 0, null)), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 2, 33, "neg", -1, 0, null)), Code.INVALID_REQUEST);
            fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 2, 33, "neg", 1, -1, null)), Code.INVALID_REQUEST);
            assertThat(licensor.catalog().clientLicenses()).containsExactly(fs, ma);
            // the same license and app type on the other platform is another license
            assertThat(clientLicense(2, 1, 33, "p2", 1).id()).isPositive();
        }
    }

    // ================================================================== floating

    /**
     * The device calls: activation, seats taken and refreshed, lapses by the clock, borrowing, release,
     * deactivation, consumption, switches, validity, blacklist, every error code and the order of checks.
     */
    @Nested
    @DisplayName("floating licenses")
    class FloatingTests {

        @Test
        void activatesUpToMaxActivationsAndIsIdempotent() {
            product("cad");
            License l = license(License.builder("cad").key("K").maxActivations(2));
            Activation a = activate(l, "hw-a");
            assertThat(a).isEqualTo(new Activation(l.id(), "hw-a", START));
            clock.advance(Duration.ofMinutes(1));
            assertThat(activate(l, "hw-a")).as("activating again returns the first activation").isEqualTo(a);
            activate(l, "hw-b");
            // a bound device is still welcome at the limit
            assertThat(activate(l, "hw-b").hardwareId()).isEqualTo("hw-b");
            assertThat(count(LedgerEvent.ACTIVATED, l)).isEqualTo(2);
            // unbinding frees an activation
            ok(licensor.floating().deactivate(device(l, "hw-a")));
            assertThat(activate(l, "hw-c").activatedAt()).isEqualTo(START.plus(Duration.ofMinutes(1)));
            fails(licensor.floating().check(device(l, "hw-a")), Code.DEVICE_NOT_FOUND);
        }

        @Test
        void userBasedLicensesWorkLikeKeyBasedOnes() {
            product("cad");
            License l = license(License.builder("cad").username("alice@example.com").maxActivations(3).floatingSeats(1));
            activate(l, "hw-a");
            activate(l, "hw-b");
            assertThat(check(l, "hw-a").hardwareId()).isEqualTo("hw-a");
            fails(tryCheck(l, "hw-b"), Code.FLOATING_NOT_AVAILABLE);
            fails(licensor.floating().check(DeviceRequest.byUser("cad", "bob@example.com", "hw-a")), Code.LICENSE_NOT_FOUND);
            fails(licensor.floating().check(DeviceRequest.byKey("cad", "alice@example.com", "hw-a")), Code.LICENSE_NOT_FOUND);
        }

        @Test
        void checkOfANonFloatingLicenseTakesNoSeat() {
            product("cad");
            License l = license(License.builder("cad").key("K"));
            activate(l, "hw-a");
            LicenseCheck c = ok(tryCheck(l, "hw-a"));
            assertThat(c.license()).isEqualTo(l);
            assertThat(c.lease()).isNull();
            assertThat(holders(l)).isEmpty();
            fails(tryCheck(l, "hw-b"), Code.DEVICE_NOT_FOUND);
        }

        @Test
        void checkTakesASeatAndRefreshesTheDevicesOwnSeat() {
            product("cad");
            License l = floating("cad", "K", 2);
            activate(l, "hw-a");
            Lease first = check(l, "hw-a");
            assertThat(first).isEqualTo(new Lease(l.id(), "hw-a", START, START, START.plus(TIMEOUT), null));
            assertThat(leases(l)).containsExactly(first);

            Instant later = clock.advance(Duration.ofMinutes(7));
            Lease refreshed = check(l, "hw-a");
            assertThat(refreshed).isEqualTo(new Lease(l.id(), "hw-a", START, later, later.plus(TIMEOUT), null));
            assertThat(leases(l)).containsExactly(refreshed);
            assertThat(count(LedgerEvent.GRANTED, l)).isEqualTo(1);
            assertThat(count(LedgerEvent.REFRESHED, l)).isEqualTo(1);
        }

        @Test
        void aDeviceNeverHoldsTwoSeats() {
            product("cad");
            License l = floating("cad", "K", 3);
            activate(l, "hw-a");
            for (int i = 0; i < 5; i++) {
                check(l, "hw-a");
                clock.advance(Duration.ofMinutes(1));
            }
            assertThat(holders(l)).containsExactly("hw-a");
            activate(l, "hw-b");
            activate(l, "hw-c");
            check(l, "hw-b");
            check(l, "hw-c");
            assertThat(holders(l)).containsExactly("hw-a", "hw-b", "hw-c");
        }

        @Test
        void aFullPoolRefusesNewDevicesButNotItsHolders() {
            product("cad");
            License l = floating("cad", "K", 2);
            for (String hw : List.of("hw-a", "hw-b", "hw-c")) {
                activate(l, hw);
            }
            check(l, "hw-a");
            check(l, "hw-b");
            fails(tryCheck(l, "hw-c"), Code.FLOATING_NOT_AVAILABLE);
            check(l, "hw-a");
            assertThat(holders(l)).containsExactly("hw-a", "hw-b");
            ok(licensor.floating().release(device(l, "hw-b")));
            check(l, "hw-c");
            assertThat(holders(l)).containsExactly("hw-a", "hw-c");
        }

        @Test
        void aLeaseLapsesWhenTheClockPassesItsTimeoutWithNoThread() {
            product("cad");
            License l = floating("cad", "K", 1);
            activate(l, "hw-a");
            activate(l, "hw-b");
            check(l, "hw-a");

            clock.set(START.plus(TIMEOUT).minusSeconds(1));
            assertThat(holders(l)).containsExactly("hw-a");
            fails(tryCheck(l, "hw-b"), Code.FLOATING_NOT_AVAILABLE);

            clock.set(START.plus(TIMEOUT)); // live while now < expiresAt
            assertThat(holders(l)).isEmpty();
            Lease b = check(l, "hw-b");
            assertThat(b.grantedAt()).isEqualTo(START.plus(TIMEOUT));
            List<LedgerEntry> lapsed = ledger(LedgerEvent.LAPSED);
            assertThat(lapsed).hasSize(1);
            assertThat(lapsed.get(0).subject()).isEqualTo("hw-a");
            assertThat(lapsed.get(0).at()).as("a lapse is stamped with the expiry").isEqualTo(START.plus(TIMEOUT));
            fails(tryCheck(l, "hw-a"), Code.FLOATING_NOT_AVAILABLE);
        }

        @Test
        void aDeviceWhoseSeatLapsedGetsANewOne() {
            product("cad");
            License l = floating("cad", "K", 1);
            activate(l, "hw-a");
            check(l, "hw-a");
            Instant later = clock.advance(TIMEOUT.plusMinutes(5));
            Lease again = check(l, "hw-a");
            assertThat(again.grantedAt()).isEqualTo(later);
            assertThat(again.expiresAt()).isEqualTo(later.plus(TIMEOUT));
            assertThat(count(LedgerEvent.GRANTED, l)).isEqualTo(2);
            assertThat(count(LedgerEvent.LAPSED, l)).isEqualTo(1);
            assertThat(count(LedgerEvent.REFRESHED, l)).isZero();
        }

        @Test
        void aDeviceGetsANewSeatEvenWhenManyOlderLeasesLapsedBeforeItsOwn() {
            // More lapsed leases than one sweep takes: the device's own lapsed lease is not among
            // the oldest, and taking a seat again must still work (and count it once).
            product("cad");
            int devices = 70;
            License l = floating("cad", "K", devices);
            for (int i = 0; i < devices; i++) {
                activate(l, String.format("hw-%03d", i));
            }
            for (int i = 0; i < devices; i++) {
                check(l, String.format("hw-%03d", i));
                clock.advance(Duration.ofSeconds(1));
            }
            String last = String.format("hw-%03d", devices - 1);
            clock.advance(TIMEOUT.multipliedBy(2));
            Lease again = check(l, last);
            assertThat(again.grantedAt()).isEqualTo(clock.instant());
            assertThat(holders(l)).containsExactly(last);
            licensor.seats().purgeLapsed();
            long granted = count(LedgerEvent.GRANTED, l);
            long lapsed = count(LedgerEvent.LAPSED, l);
            assertThat(granted).isEqualTo(devices + 1);
            assertThat(lapsed).as("every old lease lapsed once").isEqualTo(devices);
            assertThat(granted - lapsed).isEqualTo(holders(l).size());
        }

        /**
         * A seeded random walk of checks, borrows, releases, force-releases and clock moves over
         * six devices and three seats, each step's answer and the holders compared with a small
         * model of the rules (a seat is live while now < expiresAt; a refresh or borrow never
         * shortens it).
         */
        @Test
        void randomStepsAgreeWithAModelOfThePool() {
            product("cad");
            int seats = 3;
            License l = license(License.builder("cad").key("K").maxActivations(10).floatingSeats(seats).borrowAllowed(true));
            List<String> devices = List.of("hw-0", "hw-1", "hw-2", "hw-3", "hw-4", "hw-5");
            for (String hw : devices) {
                activate(l, hw);
            }
            Map<String, Lease> model = new TreeMap<>();
            java.util.Random random = new java.util.Random(20_260_105L);
            Map<String, Integer> seen = new TreeMap<>(); // which answers the walk met
            for (int step = 0; step < 300; step++) {
                Instant now = clock.instant();
                model.values().removeIf(lease -> !lease.isLiveAt(now));
                String hw = devices.get(random.nextInt(devices.size()));
                Lease own = model.get(hw);
                boolean seatFree = own != null || model.size() < seats;
                int op = random.nextInt(10);
                String what = "step " + step + " op " + op + " " + hw;
                if (op < 4) { // check
                    Outcome<LicenseCheck> o = tryCheck(l, hw);
                    seen.merge("check " + o.code().key() + (own == null ? "" : " refresh"), 1, Integer::sum);
                    if (!seatFree) {
                        fails(o, Code.FLOATING_NOT_AVAILABLE);
                    } else {
                        Instant fresh = now.plus(TIMEOUT);
                        Lease expected = own == null ? new Lease(l.id(), hw, now, now, fresh, null)
                                : new Lease(l.id(), hw, own.grantedAt(), now,
                                        own.borrowedUntil() != null && own.borrowedUntil().isAfter(fresh) ? own.borrowedUntil() : fresh,
                                        own.borrowedUntil());
                        assertThat(ok(o).lease()).as(what).isEqualTo(expected);
                        model.put(hw, expected);
                    }
                } else if (op < 6) { // borrow for 0..29 hours (over 24 is refused)
                    int hours = random.nextInt(30);
                    Instant until = now.plus(Duration.ofHours(hours));
                    Outcome<Lease> o = licensor.floating().borrow(device(l, hw), until);
                    seen.merge("borrow " + o.code().key(), 1, Integer::sum);
                    if (hours == 0 || hours > 24) {
                        fails(o, Code.BORROW_UNTIL_NOT_VALID);
                    } else if (!seatFree) {
                        fails(o, Code.FLOATING_NOT_AVAILABLE);
                    } else {
                        Instant seatEnd = own == null ? now.plus(TIMEOUT)
                                : own.borrowedUntil() != null && own.borrowedUntil().isAfter(now.plus(TIMEOUT))
                                ? own.borrowedUntil() : now.plus(TIMEOUT);
                        Lease expected = new Lease(l.id(), hw, own == null ? now : own.grantedAt(), now,
                                until.isAfter(seatEnd) ? until : seatEnd, until);
                        assertThat(ok(o)).as(what).isEqualTo(expected);
                        model.put(hw, expected);
                    }
                } else if (op < 7) { // release
                    assertThat(licensor.floating().release(device(l, hw)).isSuccess()).as(what).isTrue();
                    model.remove(hw);
                } else if (op < 8) { // force-release
                    Outcome<Lease> o = licensor.seats().forceRelease(l.id(), hw);
                    seen.merge("force " + o.code().key(), 1, Integer::sum);
                    if (own == null) {
                        fails(o, Code.DEVICE_NOT_FOUND);
                    } else {
                        assertThat(ok(o)).as(what).isEqualTo(own);
                        model.remove(hw);
                    }
                } else { // time passes: 0 to 14 minutes
                    clock.advance(Duration.ofMinutes(random.nextInt(15)));
                }
                Instant after = clock.instant();
                List<Lease> expectedHolders = model.values().stream().filter(x -> x.isLiveAt(after))
                        .sorted(java.util.Comparator.comparing(Lease::grantedAt)) // stable: ties stay by hardware id
                        .collect(Collectors.toList());
                assertThat(leases(l)).as(what).isEqualTo(expectedHolders);
            }
            // every lease that ended is in the ledger once
            licensor.seats().purgeLapsed();
            long held = count(LedgerEvent.GRANTED, l) - count(LedgerEvent.RELEASED, l) - count(LedgerEvent.LAPSED, l)
                    - count(LedgerEvent.FORCE_RELEASED, l);
            assertThat(held).isEqualTo(leases(l).size());
            assertThat(count(LedgerEvent.LAPSED, l)).as("lapses met").isPositive();
            assertThat(seen.keySet()).as("answers met").contains("check ok", "check ok refresh", "check floating_not_available",
                    "borrow ok", "borrow borrow_until_not_valid", "borrow floating_not_available", "force ok",
                    "force device_not_found");
        }

        @Test
        void aLicenseCanOverrideTheProductsTimeout() {
            product("cad");
            License l = license(License.builder("cad").key("K").maxActivations(2).floatingSeats(1)
                    .floatingTimeout(Duration.ofMinutes(2)));
            activate(l, "hw-a");
            assertThat(check(l, "hw-a").expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(2)));
            clock.advance(Duration.ofMinutes(2));
            assertThat(holders(l)).isEmpty();
        }

        @Test
        void borrowDefaultsToTheMaximumBorrowTimeAndOutlivesTheTimeout() {
            product("cad");
            License l = license(License.builder("cad").key("K").maxActivations(3).floatingSeats(1).borrowAllowed(true));
            activate(l, "hw-a");
            activate(l, "hw-b");
            Lease borrowed = ok(licensor.floating().borrow(device(l, "hw-a"), null));
            Instant until = START.plus(MAX_BORROW);
            assertThat(borrowed).isEqualTo(new Lease(l.id(), "hw-a", START, START, until, until));
            assertThat(leases(l)).containsExactly(borrowed);

            clock.advance(TIMEOUT.multipliedBy(6));
            assertThat(holders(l)).as("a borrowed seat needs no refresh").containsExactly("hw-a");
            fails(tryCheck(l, "hw-b"), Code.FLOATING_NOT_AVAILABLE);
            // a check-in during the borrow keeps the borrow's end
            Lease refreshed = check(l, "hw-a");
            assertThat(refreshed.expiresAt()).isEqualTo(until);
            assertThat(refreshed.borrowedUntil()).isEqualTo(until);

            clock.set(until);
            assertThat(holders(l)).isEmpty();
            check(l, "hw-b");
            List<LedgerEntry> borrowedEntries = ledger(LedgerEvent.BORROWED);
            assertThat(borrowedEntries).hasSize(1);
            assertThat(borrowedEntries.get(0).detail()).contains(until.toString());
        }

        @Test
        void borrowOfAHeldSeatKeepsItAndALicenseMayCapTheBorrow() {
            product("cad");
            License l = license(License.builder("cad").key("K").maxActivations(3).floatingSeats(2).borrowAllowed(true)
                    .maxBorrowTime(Duration.ofHours(2)));
            activate(l, "hw-a");
            check(l, "hw-a");
            Instant t = clock.advance(Duration.ofMinutes(1));
            Lease borrowed = ok(licensor.floating().borrow(device(l, "hw-a"), t.plus(Duration.ofHours(1))));
            assertThat(borrowed.grantedAt()).isEqualTo(START);
            assertThat(borrowed.borrowedUntil()).isEqualTo(t.plus(Duration.ofHours(1)));
            assertThat(borrowed.expiresAt()).isEqualTo(t.plus(Duration.ofHours(1)));
            assertThat(ok(licensor.floating().borrow(device(l, "hw-a"), null)).borrowedUntil())
                    .isEqualTo(t.plus(Duration.ofHours(2)));
            fails(licensor.floating().borrow(device(l, "hw-a"), t.plus(Duration.ofHours(2)).plusSeconds(1)),
                    Code.BORROW_UNTIL_NOT_VALID);
            assertThat(holders(l)).containsExactly("hw-a");
            assertThat(count(LedgerEvent.GRANTED, l)).isEqualTo(1);
        }

        @Test
        void borrowIsRefusedWhenNotAllowedInThePastOrBeyondTheCap() {
            product("cad");
            License no = license(License.builder("cad").key("NO").maxActivations(2).floatingSeats(1));
            License yes = license(License.builder("cad").key("YES").maxActivations(2).floatingSeats(1).borrowAllowed(true));
            activate(no, "hw-a");
            activate(yes, "hw-a");
            fails(licensor.floating().borrow(device(no, "hw-a"), START.plus(Duration.ofHours(1))), Code.LICENSE_BORROW_NOT_ALLOWED);
            fails(licensor.floating().borrow(device(yes, "hw-a"), START.minusSeconds(1)), Code.BORROW_UNTIL_NOT_VALID);
            fails(licensor.floating().borrow(device(yes, "hw-a"), START), Code.BORROW_UNTIL_NOT_VALID);
            fails(licensor.floating().borrow(device(yes, "hw-a"), START.plus(MAX_BORROW).plusSeconds(1)),
                    Code.BORROW_UNTIL_NOT_VALID);
            assertThat(holders(yes)).isEmpty();
            assertThat(holders(no)).isEmpty();
            assertThat(ok(licensor.floating().borrow(device(yes, "hw-a"), START.plus(MAX_BORROW))).expiresAt())
                    .isEqualTo(START.plus(MAX_BORROW));
            // a borrow needs a free seat like a check does
            activate(yes, "hw-b");
            fails(licensor.floating().borrow(device(yes, "hw-b"), null), Code.FLOATING_NOT_AVAILABLE);
        }

        @Test
        void releaseFreesTheSeatAndSucceedsWithNothingToRelease() {
            product("cad");
            License l = floating("cad", "K", 1);
            activate(l, "hw-a");
            activate(l, "hw-b");
            check(l, "hw-a");
            Outcome<Void> released = licensor.floating().release(device(l, "hw-a"));
            assertThat(released).isEqualTo(Outcome.success(null));
            assertThat(holders(l)).isEmpty();
            check(l, "hw-b");
            int entries = ledger().size();
            assertThat(licensor.floating().release(device(l, "hw-a")).isSuccess()).as("release of no seat").isTrue();
            assertThat(ledger()).hasSize(entries);
            assertThat(holders(l)).containsExactly("hw-b");
            assertThat(count(LedgerEvent.RELEASED, l)).isEqualTo(1);
        }

        @Test
        void releaseOfALapsedSeatRecordsTheLapse() {
            product("cad");
            License l = floating("cad", "K", 1);
            activate(l, "hw-a");
            check(l, "hw-a");
            clock.advance(TIMEOUT.plusMinutes(1));
            ok(licensor.floating().release(device(l, "hw-a")));
            assertThat(count(LedgerEvent.RELEASED, l)).isZero();
            assertThat(ledger(LedgerEvent.LAPSED)).extracting(LedgerEntry::at).containsExactly(START.plus(TIMEOUT));
        }

        @Test
        void deactivateFreesTheDevicesSeat() {
            product("cad");
            License l = license(License.builder("cad").key("K").maxActivations(1).floatingSeats(1));
            activate(l, "hw-a");
            check(l, "hw-a");
            Outcome<Void> gone = licensor.floating().deactivate(device(l, "hw-a"));
            assertThat(gone).isEqualTo(Outcome.success(null));
            assertThat(holders(l)).isEmpty();
            assertThat(count(LedgerEvent.RELEASED, l)).isEqualTo(1);
            assertThat(count(LedgerEvent.DEACTIVATED, l)).isEqualTo(1);
            fails(tryCheck(l, "hw-a"), Code.DEVICE_NOT_FOUND);
            fails(licensor.floating().deactivate(device(l, "hw-a")), Code.DEVICE_NOT_FOUND);
            // both the activation and the seat are free for another device
            activate(l, "hw-b");
            check(l, "hw-b");
        }

        @Test
        void addsConsumptionsWithAndWithoutOverage() {
            product("cad");
            License l = license(License.builder("cad").key("M").type(LicenseType.CONSUMPTION).maxConsumptions(10)
                    .overage(true, 5));
            activate(l, "hw-a");
            assertThat(ok(licensor.floating().addConsumption(device(l, "hw-a"), 3, false)))
                    .isEqualTo(new ConsumptionBalance(l.id(), 3, 10, 0));
            assertThat(ok(licensor.floating().addConsumption(device(l, "hw-a"), 7, false)).consumed()).isEqualTo(10);
            fails(licensor.floating().addConsumption(device(l, "hw-a"), 1, false), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
            assertThat(ok(licensor.floating().addConsumption(device(l, "hw-a"), 5, true)))
                    .isEqualTo(new ConsumptionBalance(l.id(), 15, 10, 5));
            fails(licensor.floating().addConsumption(device(l, "hw-a"), 1, true), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
            assertThat(fresh(l).consumed()).isEqualTo(15);
            assertThat(ledger(LedgerEvent.CONSUMPTION_ADDED)).extracting(LedgerEntry::detail).containsExactly("+3", "+7", "+5");
            fails(licensor.floating().addConsumption(device(l, "hw-a"), 0, false), Code.INVALID_REQUEST);
            fails(licensor.floating().addConsumption(device(l, "hw-a"), -2, true), Code.INVALID_REQUEST);
            fails(licensor.floating().addConsumption(device(l, "hw-b"), 1, false), Code.DEVICE_NOT_FOUND);
        }

        @Test
        void overageNeedsTheLicenseAndMaxOverageZeroIsUnlimited() {
            product("cad");
            License strict = license(License.builder("cad").key("S").type(LicenseType.CONSUMPTION).maxConsumptions(2));
            License open = license(License.builder("cad").key("U").type(LicenseType.CONSUMPTION).maxConsumptions(2)
                    .overage(true, 0));
            License plain = license(License.builder("cad").key("P"));
            activate(strict, "hw-a");
            activate(open, "hw-a");
            activate(plain, "hw-a");
            fails(licensor.floating().addConsumption(device(strict, "hw-a"), 3, true), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
            assertThat(ok(licensor.floating().addConsumption(device(strict, "hw-a"), 2, true)).consumed()).isEqualTo(2);
            fails(licensor.floating().addConsumption(device(open, "hw-a"), 3, false), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
            assertThat(ok(licensor.floating().addConsumption(device(open, "hw-a"), 1_000, true)).overage()).isEqualTo(998);
            fails(licensor.floating().addConsumption(device(plain, "hw-a"), 1, false), Code.LICENSE_NOT_CONSUMPTION);
            assertThat(fresh(plain).consumed()).isZero();
        }

        @Test
        void aHugeOverageCapDoesNotOverflow() {
            product("cad");
            License l = license(License.builder("cad").key("M").type(LicenseType.CONSUMPTION).maxConsumptions(10)
                    .overage(true, Long.MAX_VALUE));
            activate(l, "hw-a");
            assertThat(ok(licensor.floating().addConsumption(device(l, "hw-a"), 1, true)).consumed()).isEqualTo(1);
            assertThat(ok(licensor.floating().addConsumption(device(l, "hw-a"), 1_000, true)).overage()).isEqualTo(991);
            fails(licensor.floating().addConsumption(device(l, "hw-a"), 1, false), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
        }

        @Test
        void theEnabledAndActiveSwitchesTurnTheLicenseOffAndOn() {
            product("cad");
            License l = floating("cad", "K", 1);
            activate(l, "hw-a");
            ok(licensor.seats().setEnabled(l.id(), false));
            assertThat(fresh(l).enabled()).isFalse();
            fails(tryCheck(l, "hw-a"), Code.LICENSE_NOT_ENABLED);
            fails(licensor.floating().activate(device(l, "hw-b")), Code.LICENSE_NOT_ENABLED);
            ok(licensor.seats().setEnabled(l.id(), true));
            check(l, "hw-a");
            ok(licensor.seats().setActive(l.id(), false));
            assertThat(fresh(l).active()).isFalse();
            assertThat(fresh(l).enabled()).isTrue();
            fails(tryCheck(l, "hw-a"), Code.LICENSE_NOT_ACTIVE);
            ok(licensor.seats().setActive(l.id(), true));
            check(l, "hw-a");
            // a license created off is off
            License off = license(License.builder("cad").key("OFF").enabled(false));
            fails(licensor.floating().activate(device(off, "hw-a")), Code.LICENSE_NOT_ENABLED);
            License idle = license(License.builder("cad").key("IDLE").active(false));
            fails(licensor.floating().activate(device(idle, "hw-a")), Code.LICENSE_NOT_ACTIVE);
        }

        @Test
        void aLicenseWorksOnlyWithinItsValidity() {
            product("cad");
            Instant from = START.plus(Duration.ofHours(1));
            Instant until = START.plus(Duration.ofDays(1));
            License l = license(License.builder("cad").key("K").type(LicenseType.TIME_LIMITED).validFrom(from)
                    .validUntil(until).maxActivations(2).floatingSeats(1));
            fails(licensor.floating().activate(device(l, "hw-a")), Code.LICENSE_NOT_ACTIVE);
            clock.set(from);
            activate(l, "hw-a");
            check(l, "hw-a");
            clock.set(until.minusSeconds(1));
            check(l, "hw-a");
            clock.set(until); // validUntil is exclusive
            fails(tryCheck(l, "hw-a"), Code.LICENSE_EXPIRED);
            fails(licensor.floating().activate(device(l, "hw-b")), Code.LICENSE_EXPIRED);
            fails(licensor.floating().release(device(l, "hw-a")), Code.LICENSE_EXPIRED);
        }

        @Test
        void aBlacklistedDeviceIsRefusedEverywhereUntilUnblacklisted() {
            product("cad");
            License l = license(License.builder("cad").key("K").maxActivations(3).floatingSeats(2).borrowAllowed(true)
                    .type(LicenseType.PERPETUAL));
            activate(l, "hw-a");
            activate(l, "hw-b");
            check(l, "hw-a");
            ok(licensor.seats().blacklist("cad", "hw-a"));
            fails(tryCheck(l, "hw-a"), Code.BLACKLISTED);
            fails(licensor.floating().borrow(device(l, "hw-a"), null), Code.BLACKLISTED);
            fails(licensor.floating().release(device(l, "hw-a")), Code.BLACKLISTED);
            fails(licensor.floating().deactivate(device(l, "hw-a")), Code.BLACKLISTED);
            fails(licensor.floating().addConsumption(device(l, "hw-a"), 1, false), Code.BLACKLISTED);
            assertThat(holders(l)).as("its seat is not taken away").containsExactly("hw-a");
            check(l, "hw-b");
            ok(licensor.seats().unblacklist("cad", "hw-a"));
            check(l, "hw-a");
            // the blacklist is per product
            product("cam");
            License other = floating("cam", "K", 1);
            ok(licensor.seats().blacklist("cam", "hw-x"));
            fails(licensor.floating().activate(device(other, "hw-x")), Code.BLACKLISTED);
            activate(l, "hw-x");
        }

        @Test
        void releaseAnswersEveryErrorCodeOfTheApi() {
            product("cad");
            product("cam");
            License l = license(License.builder("cad").key("K").maxActivations(5).floatingSeats(1));
            License single = license(License.builder("cad").key("SINGLE").maxActivations(5));
            activate(l, "hw-a");
            activate(single, "hw-a");
            check(l, "hw-a");

            fails(licensor.floating().release(DeviceRequest.byKey("nope", "K", "hw-a")), Code.UNKNOWN_PRODUCT);
            fails(licensor.floating().release(DeviceRequest.byKey("cad", "NOPE", "hw-a")), Code.LICENSE_NOT_FOUND);
            fails(licensor.floating().release(DeviceRequest.byKey("cam", "K", "hw-a")), Code.LICENSE_NOT_FOUND);
            fails(licensor.floating().release(new DeviceRequest("cad", "K", null, single.id(), "hw-a")), Code.LICENSE_NOT_FOUND);
            fails(licensor.floating().release(device(l, "hw-unknown")), Code.DEVICE_NOT_FOUND);
            fails(licensor.floating().release(device(single, "hw-a")), Code.FLOATING_NOT_AVAILABLE);
            ok(licensor.seats().setActive(l.id(), false));
            fails(licensor.floating().release(device(l, "hw-a")), Code.LICENSE_NOT_ACTIVE);
            ok(licensor.seats().setEnabled(l.id(), false));
            fails(licensor.floating().release(device(l, "hw-a")), Code.LICENSE_NOT_ENABLED);
            ok(licensor.seats().blacklist("cad", "hw-a"));
            fails(licensor.floating().release(device(l, "hw-a")), Code.BLACKLISTED);
            assertThat(holders(l)).containsExactly("hw-a");

            ok(licensor.seats().unblacklist("cad", "hw-a"));
            ok(licensor.seats().setEnabled(l.id(), true));
            ok(licensor.seats().setActive(l.id(), true));
            assertThat(licensor.floating().release(new DeviceRequest("cad", "K", null, l.id(), "hw-a")).isSuccess()).isTrue();
            assertThat(holders(l)).isEmpty();
        }

        @Test
        void checksRunInTheDocumentedOrder() {
            product("cad");
            License l = license(License.builder("cad").key("K").type(LicenseType.TIME_LIMITED)
                    .validUntil(START.plus(Duration.ofDays(1))).maxActivations(5).floatingSeats(1));
            activate(l, "hw-a");
            clock.set(START.plus(Duration.ofDays(2)));
            ok(licensor.seats().setActive(l.id(), false));
            ok(licensor.seats().setEnabled(l.id(), false));
            ok(licensor.seats().blacklist("cad", "hw-a"));
            ok(licensor.seats().blacklist("cad", "hw-new"));

            // product, then license, then blacklist, enabled, active, expiry, then the device
            fails(licensor.floating().check(DeviceRequest.byKey("nope", "NOPE", "hw-a")), Code.UNKNOWN_PRODUCT);
            fails(licensor.floating().check(DeviceRequest.byKey("cad", "NOPE", "hw-a")), Code.LICENSE_NOT_FOUND);
            fails(tryCheck(l, "hw-a"), Code.BLACKLISTED);
            fails(tryCheck(l, "hw-new"), Code.BLACKLISTED);
            ok(licensor.seats().unblacklist("cad", "hw-a"));
            fails(tryCheck(l, "hw-a"), Code.LICENSE_NOT_ENABLED);
            fails(tryCheck(l, "hw-unknown"), Code.LICENSE_NOT_ENABLED);
            ok(licensor.seats().setEnabled(l.id(), true));
            fails(tryCheck(l, "hw-a"), Code.LICENSE_NOT_ACTIVE);
            ok(licensor.seats().setActive(l.id(), true));
            fails(tryCheck(l, "hw-unknown"), Code.LICENSE_EXPIRED);
            clock.set(START);
            fails(tryCheck(l, "hw-unknown"), Code.DEVICE_NOT_FOUND);
            check(l, "hw-a");
            // bad input is answered before anything is looked up
            fails(licensor.floating().check(DeviceRequest.byKey("nope", "NOPE", "")), Code.MISSING_PARAMETERS);
        }

        @Test
        void refusesMalformedDeviceRequests() {
            product("cad");
            License l = floating("cad", "K", 1);
            activate(l, "hw-a");
            fails(licensor.floating().check(null), Code.MISSING_PARAMETERS);
            fails(licensor.floating().check(DeviceRequest.byKey(null, "K", "hw-a")), Code.MISSING_PARAMETERS);
            fails(licensor.floating().check(DeviceRequest.byKey("cad", "K", null)), Code.MISSING_PARAMETERS);
            fails(licensor.floating().check(DeviceRequest.byKey("cad", "K", " ")), Code.MISSING_PARAMETERS);
            fails(licensor.floating().check(new DeviceRequest("cad", null, null, null, "hw-a")), Code.MISSING_PARAMETERS);
            fails(licensor.floating().check(new DeviceRequest("cad", "K", "alice", null, "hw-a")), Code.INVALID_REQUEST);
            fails(licensor.floating().check(new DeviceRequest("cad", "K", null, 0L, "hw-a")), Code.INVALID_REQUEST);
            fails(licensor.floating().check(DeviceRequest.byKey("cad", "K", "h".repeat(257))), Code.INVALID_REQUEST);
            fails(licensor.floating().check(DeviceRequest.byKey("cad", "K\u0085", "hw-a")), Code.INVALID_REQUEST);
            fails(licensor.floating().check(DeviceRequest.byKey("c d", "K", "hw-a")), Code.INVALID_REQUEST);
            assertThat(holders(l)).isEmpty();
            assertThat(ledger()).extracting(LedgerEntry::event).containsExactly(LedgerEvent.ACTIVATED);
        }
    }

    // ================================================================== administration

    /** Who holds which seat until when, force-release, purge of lapsed leases, blacklist, switches. */
    @Nested
    @DisplayName("seat administration")
    class AdministrationTests {

        @Test
        void holdersSayWhoHoldsWhichSeatUntilWhen() {
            product("cad");
            License l = license(License.builder("cad").key("K").maxActivations(5).floatingSeats(3).borrowAllowed(true));
            activate(l, "hw-b");
            activate(l, "hw-a");
            activate(l, "hw-c");
            Lease b = check(l, "hw-b");
            Instant t1 = clock.advance(Duration.ofMinutes(2));
            Lease a = check(l, "hw-a");
            Lease c = ok(licensor.floating().borrow(device(l, "hw-c"), t1.plus(Duration.ofHours(3))));
            assertThat(leases(l)).as("by grant time, then hardware id").containsExactly(b, a, c);
            assertThat(a.expiresAt()).isEqualTo(t1.plus(TIMEOUT));
            assertThat(b.expiresAt()).isEqualTo(START.plus(TIMEOUT));
            assertThat(c.expiresAt()).isEqualTo(t1.plus(Duration.ofHours(3)));
            assertThat(c.borrowedUntil()).isEqualTo(t1.plus(Duration.ofHours(3)));

            clock.set(START.plus(TIMEOUT));
            assertThat(holders(l)).containsExactly("hw-a", "hw-c");
            fails(licensor.seats().holders(999_999), Code.LICENSE_NOT_FOUND);
            fails(licensor.seats().holders(0), Code.INVALID_REQUEST);
            assertThat(ok(licensor.seats().holders(license(License.builder("cad").key("EMPTY")).id()))).isEmpty();
        }

        @Test
        void forceReleaseFreesALiveSeat() {
            product("cad");
            License l = floating("cad", "K", 1);
            activate(l, "hw-a");
            activate(l, "hw-b");
            Lease a = check(l, "hw-a");
            Instant t = clock.advance(Duration.ofMinutes(1));
            assertThat(ok(licensor.seats().forceRelease(l.id(), "hw-a"))).isEqualTo(a);
            assertThat(holders(l)).isEmpty();
            List<LedgerEntry> forced = ledger(LedgerEvent.FORCE_RELEASED);
            assertThat(forced).hasSize(1);
            assertThat(forced.get(0).at()).isEqualTo(t);
            assertThat(forced.get(0).subject()).isEqualTo("hw-a");
            assertThat(forced.get(0).licenseId()).isEqualTo(l.id());
            check(l, "hw-b");

            fails(licensor.seats().forceRelease(l.id(), "hw-a"), Code.DEVICE_NOT_FOUND);
            fails(licensor.seats().forceRelease(999_999, "hw-b"), Code.LICENSE_NOT_FOUND);
            fails(licensor.seats().forceRelease(l.id(), ""), Code.MISSING_PARAMETERS);
            fails(licensor.seats().forceRelease(-1, "hw-b"), Code.INVALID_REQUEST);
            clock.advance(TIMEOUT);
            fails(licensor.seats().forceRelease(l.id(), "hw-b"), Code.DEVICE_NOT_FOUND);
            // the device itself was not touched: it can check in again
            check(l, "hw-a");
        }

        @Test
        void purgeLapsedDeletesLapsedLeasesAndRecordsEachLapseAtItsExpiry() {
            product("cad");
            License one = floating("cad", "ONE", 3);
            License two = floating("cad", "TWO", 3);
            for (String hw : List.of("hw-a", "hw-b", "hw-c")) {
                activate(one, hw);
                activate(two, hw);
            }
            check(one, "hw-a");
            check(two, "hw-a");
            clock.advance(Duration.ofMinutes(5));
            check(one, "hw-b");
            check(two, "hw-c");
            clock.advance(Duration.ofMinutes(5)); // the first two lapse now
            assertThat(licensor.seats().purgeLapsed()).isEqualTo(2);
            List<LedgerEntry> lapsed = ledger(LedgerEvent.LAPSED);
            assertThat(lapsed).extracting(LedgerEntry::licenseId).containsExactlyInAnyOrder(one.id(), two.id());
            assertThat(lapsed).extracting(LedgerEntry::at).containsOnly(START.plus(TIMEOUT));
            assertThat(lapsed).extracting(LedgerEntry::subject).containsOnly("hw-a");
            assertThat(holders(one)).containsExactly("hw-b");
            assertThat(holders(two)).containsExactly("hw-c");
            assertThat(licensor.seats().purgeLapsed()).isZero();
            clock.advance(Duration.ofHours(1));
            assertThat(licensor.seats().purgeLapsed()).isEqualTo(2);
            assertThat(ledger(LedgerEvent.LAPSED)).hasSize(4);
            // a purged lease is not swept again
            check(one, "hw-a");
            assertThat(ledger(LedgerEvent.LAPSED)).hasSize(4);
        }

        @Test
        void blacklistAndUnblacklistAreIdempotentPerProduct() {
            product("cad");
            License l = floating("cad", "K", 1);
            activate(l, "hw-a");
            ok(licensor.seats().blacklist("cad", "hw-a"));
            ok(licensor.seats().blacklist("cad", "hw-a"));
            fails(tryCheck(l, "hw-a"), Code.BLACKLISTED);
            ok(licensor.seats().unblacklist("cad", "hw-a"));
            check(l, "hw-a");
            ok(licensor.seats().unblacklist("cad", "hw-a"));
            ok(licensor.seats().unblacklist("cad", "never-listed"));
            check(l, "hw-a");
            fails(licensor.seats().blacklist("nope", "hw-a"), Code.UNKNOWN_PRODUCT);
            fails(licensor.seats().unblacklist("nope", "hw-a"), Code.UNKNOWN_PRODUCT);
            fails(licensor.seats().blacklist("cad", null), Code.MISSING_PARAMETERS);
            fails(licensor.seats().blacklist("", "hw-a"), Code.MISSING_PARAMETERS);
            fails(licensor.seats().blacklist("cad", "hw\u0001"), Code.INVALID_REQUEST);
        }

        @Test
        void switchesChangeOnlyTheirSwitchAndKeepSeats() {
            product("cad");
            License l = floating("cad", "K", 1);
            activate(l, "hw-a");
            check(l, "hw-a");
            ok(licensor.seats().setEnabled(l.id(), false));
            ok(licensor.seats().setActive(l.id(), false));
            License off = fresh(l);
            assertThat(off.enabled()).isFalse();
            assertThat(off.active()).isFalse();
            assertThat(off.withSwitches(true, true)).isEqualTo(l);
            assertThat(holders(l)).as("switching off frees no seat").containsExactly("hw-a");
            ok(licensor.seats().setEnabled(l.id(), true));
            assertThat(fresh(l).enabled()).isTrue();
            assertThat(fresh(l).active()).isFalse();
            ok(licensor.seats().setActive(l.id(), true));
            assertThat(fresh(l)).isEqualTo(l);
            fails(licensor.seats().setEnabled(999_999, false), Code.LICENSE_NOT_FOUND);
            fails(licensor.seats().setActive(0, false), Code.INVALID_REQUEST);
        }
    }

    // ================================================================== client and agent licenses

    /**
     * Consume, list, release (by id or name, client- or agent-level, wildcard, MediaAgent first,
     * all-or-nothing), reconfigure, evaluation counts and the usage summary.
     */
    @Nested
    @DisplayName("client and agent licenses")
    class ClientLicenseTests {
        static final String FS_NAME = "Server File System - Windows File System";

        Client c1;
        Client c2;
        Client c3;
        ClientLicense fs;
        ClientLicense sql;
        ClientLicense access;
        ClientLicense ma;
        ClientLicense disk;

        @BeforeEach
        void catalog() {
            c1 = client("client001");
            c2 = client("client002");
            c3 = client("client003");
            agent(c1, 33, "Windows File System");
            agent(c1, 1002, "MediaAgent Management");
            agent(c2, 33, "Windows File System");
            fs = clientLicense(1, 1, 33, FS_NAME, 3);
            sql = clientLicense(1, 5, 81, "SQL Server", 2);
            access = clientLicense(1, 2, 0, "Client Access", 5);
            ma = clientLicense(2, 11, 1002, "MediaAgent", 2);
            disk = clientLicense(2, 84, 1020, "Disk Library", 1);
        }

        private HeldLicense line(ClientLicense l, boolean agentLevel, Instant at) {
            return new HeldLicense(l.platformType(), l.licenseType(), l.appType(), l.licenseName(), agentLevel, at);
        }

        @Test
        void consumesAtClientAndAgentLevelIdempotently() {
            assertThat(consume(c1, fs, false)).isEqualTo(line(fs, false, START));
            clock.advance(Duration.ofMinutes(1));
            assertThat(consume(c1, fs, false)).as("consuming again returns the held line").isEqualTo(line(fs, false, START));
            assertThat(usage(fs).used()).isEqualTo(1);
            assertThat(consume(c1, fs, true)).isEqualTo(line(fs, true, START.plusSeconds(60)));
            assertThat(usage(fs).used()).as("client- and agent-level are two consumptions").isEqualTo(2);
            assertThat(held(c1)).containsExactly(line(fs, false, START), line(fs, true, START.plusSeconds(60)));
            assertThat(ledger(LedgerEvent.CONSUMED)).hasSize(2);
            assertThat(ledger(LedgerEvent.CONSUMED)).extracting(LedgerEntry::subject).containsOnly("client001");
            assertThat(ledger(LedgerEvent.CONSUMED)).extracting(LedgerEntry::clientLicenseId).containsOnly(fs.id());
            // a client-level-only license is consumed by the client
            consume(c2, access, false);
            assertThat(held(c2)).containsExactly(line(access, false, START.plusSeconds(60)));
        }

        @Test
        void agentLevelConsumptionNeedsTheAgent() {
            fails(tryConsume(c2, sql, true), Code.AGENT_NOT_FOUND);
            fails(tryConsume(c3, fs, true), Code.AGENT_NOT_FOUND);
            fails(tryConsume(c1, access, true), Code.MISSING_PARAMETERS);
            assertThat(consume(c2, fs, true).agentLevel()).isTrue();
            assertThat(consume(c2, sql, false).agentLevel()).as("the client itself needs no agent").isFalse();
            agent(c2, 81, "SQL Server");
            assertThat(consume(c2, sql, true).agentLevel()).isTrue();
        }

        @Test
        void consumeRefusesUnknownsAndBadInput() {
            fails(licensor.clients().consume(null), Code.MISSING_PARAMETERS);
            fails(licensor.clients().consume(new ConsumeRequest(null, 1, 1, 33, false)), Code.MISSING_PARAMETERS);
            fails(licensor.clients().consume(new ConsumeRequest(ClientRef.name("ghost"), 1, 1, 33, false)), Code.CLIENT_NOT_FOUND);
            fails(licensor.clients().consume(new ConsumeRequest(ClientRef.id(999_999), 1, 1, 33, false)), Code.CLIENT_NOT_FOUND);
            fails(licensor.clients().consume(new ConsumeRequest(ClientRef.id(c1.id()), 1, 99, 33, false)),
                    Code.CLIENT_LICENSE_NOT_FOUND);
            fails(licensor.clients().consume(new ConsumeRequest(ClientRef.id(c1.id()), 3, 1, 33, false)), Code.INVALID_REQUEST);
            fails(licensor.clients().consume(new ConsumeRequest(ClientRef.id(c1.id()), 1, 0, 33, false)), Code.INVALID_REQUEST);
            fails(licensor.clients().consume(new ConsumeRequest(ClientRef.id(c1.id()), 1, 1, -33, false)), Code.INVALID_REQUEST);
            fails(licensor.clients().consume(new ConsumeRequest(ClientRef.id(0), 1, 1, 33, false)), Code.INVALID_REQUEST);
            fails(licensor.clients().consume(new ConsumeRequest(ClientRef.name("x\u0000"), 1, 1, 33, false)), Code.INVALID_REQUEST);
            assertThat(usage(fs).used()).isZero();
            assertThat(ledger()).isEmpty();
        }

        @Test
        void consumeStopsAtCapacityAndRecordsTheDenial() {
            consume(c1, disk, false);
            Outcome<HeldLicense> refused = tryConsume(c2, disk, false);
            fails(refused, Code.NOT_ENOUGH_LICENSES);
            List<LedgerEntry> denied = ledger(LedgerEvent.DENIED);
            assertThat(denied).hasSize(1);
            assertThat(denied.get(0).code()).isEqualTo(Code.NOT_ENOUGH_LICENSES);
            assertThat(denied.get(0).clientLicenseId()).isEqualTo(disk.id());
            assertThat(denied.get(0).subject()).isEqualTo("client002");
            assertThat(usage(disk).used()).isEqualTo(1);
            assertThat(held(c2)).isEmpty();
        }

        @Test
        void listsWhatAClientHoldsByIdOrName() {
            consume(c1, ma, true);
            consume(c1, sql, false);
            consume(c1, fs, true);
            consume(c1, fs, false);
            consume(c1, access, false);
            List<HeldLicense> lines = held(c1);
            assertThat(lines).containsExactly(line(fs, false, START), line(fs, true, START), line(access, false, START),
                    line(sql, false, START), line(ma, true, START));
            assertThat(ok(licensor.clients().consumed(ClientRef.name("client001")))).isEqualTo(lines);
            assertThat(held(c2)).isEmpty();
            fails(licensor.clients().consumed(ClientRef.name("ghost")), Code.CLIENT_NOT_FOUND);
            fails(licensor.clients().consumed(new ClientRef(c1.id(), "client002")), Code.CLIENT_NOT_FOUND);
            fails(licensor.clients().consumed(null), Code.MISSING_PARAMETERS);
        }

        @Test
        void releasesByIdOrByNameButNotByAMismatch() {
            consume(c1, fs, false);
            rejected("id and name of two clients", Code.CLIENT_NOT_FOUND, () -> licensor.clients().release(
                    new ClientLicensesRequest(true, new ClientRef(c1.id(), "client002"), List.of(entry(fs)))));
            rejected("unknown name", Code.CLIENT_NOT_FOUND, () -> licensor.clients().release(
                    new ClientLicensesRequest(true, ClientRef.name("ghost"), List.of(entry(fs)))));
            Instant t = clock.advance(Duration.ofMinutes(1));
            assertThat(ok(licensor.clients().release(
                    new ClientLicensesRequest(true, ClientRef.id(c1.id()), List.of(entry(fs))))))
                    .containsExactly(line(fs, false, START));
            assertThat(held(c1)).isEmpty();
            assertThat(usage(fs).used()).isZero();
            assertThat(ledger(LedgerEvent.CLIENT_RELEASED)).extracting(LedgerEntry::at).containsExactly(t);

            consume(c1, fs, false);
            ok(licensor.clients().release(new ClientLicensesRequest(true, ClientRef.name("client001"), List.of(entry(fs)))));
            consume(c1, fs, false);
            ok(licensor.clients().release(new ClientLicensesRequest(true, new ClientRef(c1.id(), "client001"), List.of(entry(fs)))));
            assertThat(held(c1)).isEmpty();
            assertThat(ledger(LedgerEvent.CLIENT_RELEASED)).hasSize(3);
        }

        @Test
        void clientLevelReleaseCoversAgentLevelConsumptions() {
            consume(c1, fs, false);
            consume(c1, fs, true);
            consume(c1, sql, false);
            List<HeldLicense> released = ok(licensor.clients().release(request(true, c1, entry(fs))));
            assertThat(released).containsExactlyInAnyOrder(line(fs, false, START), line(fs, true, START));
            assertThat(held(c1)).containsExactly(line(sql, false, START));
            assertThat(usage(fs).used()).isZero();
        }

        @Test
        void agentLevelReleaseCoversOnlyTheAgent() {
            consume(c1, fs, false);
            consume(c1, fs, true);
            consume(c2, fs, true);
            List<HeldLicense> released = ok(licensor.clients().release(
                    request(false, c1, new LicenseSelector(1, 1, 33, null))));
            assertThat(released).containsExactly(line(fs, true, START));
            assertThat(held(c1)).containsExactly(line(fs, false, START));
            assertThat(held(c2)).containsExactly(line(fs, true, START));
            assertThat(usage(fs).used()).isEqualTo(2);
            rejected("agent-level with appType 0", Code.MISSING_PARAMETERS,
                    () -> licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 0, null))));
            rejected("agent-level for a missing agent", Code.AGENT_NOT_FOUND,
                    () -> licensor.clients().release(request(false, c1, new LicenseSelector(1, 5, 81, null))));
            rejected("agent-level for a client-level consumption", Code.LICENSE_NOT_CONSUMED,
                    () -> licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 33, null))));
        }

        @Test
        void theAllZeroEntryReleasesEveryLicenseOnItsPlatform() {
            consume(c1, fs, false);
            consume(c1, fs, true);
            consume(c1, sql, false);
            consume(c1, access, false);
            consume(c2, fs, false);
            List<HeldLicense> released = ok(licensor.clients().release(request(true, c1, LicenseSelector.everyLicense(1))));
            assertThat(released).hasSize(4);
            assertThat(held(c1)).isEmpty();
            assertThat(held(c2)).hasSize(1);
            assertThat(usage(fs).used()).isEqualTo(1);
            rejected("wildcard with nothing held", Code.LICENSE_NOT_CONSUMED,
                    () -> licensor.clients().release(request(true, c1, LicenseSelector.everyLicense(1))));
            rejected("wildcard of the other platform", Code.LICENSE_NOT_CONSUMED,
                    () -> licensor.clients().release(request(true, c2, LicenseSelector.everyLicense(2))));
        }

        @Test
        void entriesMatchByLicenseTypeAppTypeOrName() {
            consume(c1, fs, false);
            consume(c1, sql, false);
            consume(c1, access, false);
            assertThat(ok(licensor.clients().release(request(true, c1, new LicenseSelector(1, 0, 0, "sql server")))))
                    .containsExactly(line(sql, false, START));
            assertThat(ok(licensor.clients().release(request(true, c1, new LicenseSelector(1, 2, 0, "")))))
                    .containsExactly(line(access, false, START));
            rejected("wrong name", Code.LICENSE_NOT_CONSUMED,
                    () -> licensor.clients().release(request(true, c1, new LicenseSelector(1, 1, 33, "Linux File System"))));
            rejected("wrong app type", Code.LICENSE_NOT_CONSUMED,
                    () -> licensor.clients().release(request(true, c1, new LicenseSelector(1, 1, 29, null))));
            assertThat(ok(licensor.clients().release(request(true, c1, new LicenseSelector(1, 0, 33, null)))))
                    .containsExactly(line(fs, false, START));
        }

        @Test
        void entriesSelectingTheSameLicenseReleaseItOnce() {
            consume(c1, fs, false);
            consume(c1, fs, true);
            consume(c1, sql, false);
            consume(c2, fs, false);
            List<HeldLicense> released = ok(licensor.clients().release(
                    request(true, c1, LicenseSelector.everyLicense(1), entry(fs), entry(fs), new LicenseSelector(1, 0, 33, null))));
            assertThat(released).containsExactlyInAnyOrder(line(fs, false, START), line(fs, true, START),
                    line(sql, false, START));
            assertThat(usage(fs).used()).isEqualTo(1);
            assertThat(usage(sql).used()).isZero();
            assertThat(ledger(LedgerEvent.CLIENT_RELEASED)).hasSize(3);
            List<HeldLicense> again = ok(licensor.clients().reconfigure(
                    request(true, c1, entry(fs), LicenseSelector.everyLicense(1))));
            assertThat(again).hasSize(3);
            assertThat(usage(fs).used()).isEqualTo(3);
            assertThat(usage(sql).used()).isEqualTo(1);
            assertThat(ledger(LedgerEvent.RECONFIGURED)).hasSize(3);
        }

        @Test
        void platformOneLicensesGoOnlyAfterTheMediaAgentLicenses() {
            consume(c1, fs, false);
            consume(c1, ma, true);
            rejected("platform 1 while platform 2 is kept", Code.MEDIA_AGENT_LICENSES_HELD,
                    () -> licensor.clients().release(request(true, c1, entry(fs))));
            rejected("wildcard of platform 1 while platform 2 is kept", Code.MEDIA_AGENT_LICENSES_HELD,
                    () -> licensor.clients().release(request(true, c1, LicenseSelector.everyLicense(1))));
            consume(c1, fs, true);
            rejected("agent-level platform 1 while platform 2 is kept", Code.MEDIA_AGENT_LICENSES_HELD,
                    () -> licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 33, null))));
            ok(licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 33, null),
                    new LicenseSelector(2, 11, 1002, null))));
            assertThat(ledger(LedgerEvent.DENIED)).extracting(LedgerEntry::subject).containsOnly("client001");
            consume(c1, ma, true);
            // both in one request: allowed, MediaAgent first
            List<HeldLicense> both = ok(licensor.clients().release(request(true, c1, entry(fs), entry(ma))));
            assertThat(both).containsExactlyInAnyOrder(line(fs, false, START), line(ma, true, START));
            assertThat(held(c1)).isEmpty();
            // or the MediaAgent license before, in its own request
            consume(c1, fs, false);
            consume(c1, ma, false);
            ok(licensor.clients().release(request(true, c1, entry(ma))));
            assertThat(held(c1)).containsExactly(line(fs, false, START));
            ok(licensor.clients().release(request(true, c1, entry(fs))));
            assertThat(held(c1)).isEmpty();
            // another client's MediaAgent license does not hold this one back
            consume(c2, ma, false);
            consume(c1, fs, false);
            ok(licensor.clients().release(request(true, c1, entry(fs))));
        }

        @Test
        void aRequestIsAllOrNothing() {
            consume(c1, fs, false);
            consume(c1, fs, true);
            consume(c1, sql, false);
            rejected("one entry matches nothing", Code.LICENSE_NOT_CONSUMED,
                    () -> licensor.clients().release(request(true, c1, entry(fs), entry(disk), entry(sql))));
            rejected("an agent-level entry names a missing agent", Code.AGENT_NOT_FOUND,
                    () -> licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 33, null),
                            new LicenseSelector(1, 5, 81, null))));
            rejected("a bad entry among good ones", Code.INVALID_REQUEST,
                    () -> licensor.clients().release(request(true, c1, entry(fs), new LicenseSelector(3, 0, 0, null))));
            assertThat(held(c1)).hasSize(3);
            assertThat(ok(licensor.clients().release(request(true, c1, entry(fs), entry(sql))))).hasSize(3);
        }

        @Test
        void releaseChecksTheClientThenEveryAgentThenEveryEntry() {
            consume(c1, fs, false);
            // the first entry matches nothing, the second names a missing agent: the agent is reported
            rejected("missing agent before unmatched entry", Code.AGENT_NOT_FOUND,
                    () -> licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 33, null),
                            new LicenseSelector(1, 5, 81, null))));
            rejected("missing client before anything else", Code.CLIENT_NOT_FOUND,
                    () -> licensor.clients().release(new ClientLicensesRequest(false, ClientRef.name("ghost"),
                            List.of(new LicenseSelector(1, 5, 81, null)))));
            rejected("bad input before the client", Code.INVALID_REQUEST,
                    () -> licensor.clients().release(new ClientLicensesRequest(false, ClientRef.name("ghost"),
                            List.of(new LicenseSelector(7, 5, 81, null)))));
            consume(c1, ma, true);
            rejected("unmatched before MediaAgent-first", Code.LICENSE_NOT_CONSUMED,
                    () -> licensor.clients().release(request(true, c1, entry(fs), entry(disk))));
        }

        @Test
        void refusesMalformedReleaseRequests() {
            consume(c1, fs, false);
            rejected("no request", Code.MISSING_PARAMETERS, () -> licensor.clients().release(null));
            rejected("no client", Code.MISSING_PARAMETERS,
                    () -> licensor.clients().release(new ClientLicensesRequest(true, null, List.of(entry(fs)))));
            rejected("empty client", Code.MISSING_PARAMETERS,
                    () -> licensor.clients().release(new ClientLicensesRequest(true, new ClientRef(null, " "), List.of(entry(fs)))));
            rejected("no entries", Code.MISSING_PARAMETERS,
                    () -> licensor.clients().release(new ClientLicensesRequest(true, ClientRef.id(c1.id()), List.of())));
            rejected("null entries", Code.MISSING_PARAMETERS,
                    () -> licensor.clients().release(new ClientLicensesRequest(true, ClientRef.id(c1.id()), null)));
            rejected("platform 0", Code.INVALID_REQUEST,
                    () -> licensor.clients().release(request(true, c1, new LicenseSelector(0, 1, 33, null))));
            rejected("negative license type", Code.INVALID_REQUEST,
                    () -> licensor.clients().release(request(true, c1, new LicenseSelector(1, -1, 33, null))));
            rejected("oversize name", Code.INVALID_REQUEST,
                    () -> licensor.clients().release(request(true, c1, new LicenseSelector(1, 1, 33, "n".repeat(257)))));
            LicenseSelector[] many = new LicenseSelector[1001];
            Arrays.fill(many, entry(fs));
            rejected("too many entries", Code.INVALID_REQUEST, () -> licensor.clients().release(request(true, c1, many)));
            assertThat(held(c1)).hasSize(1);
        }

        @Test
        void reconfigureConsumesAgainWhatWasReleased() {
            consume(c1, fs, false);
            consume(c1, fs, true);
            ok(licensor.clients().release(request(true, c1, entry(fs))));
            rejected("nothing released of that kind", Code.LICENSE_NOT_RELEASED,
                    () -> licensor.clients().reconfigure(request(true, c1, entry(sql))));
            Instant t = clock.advance(Duration.ofMinutes(3));
            List<HeldLicense> again = ok(licensor.clients().reconfigure(request(true, c1, entry(fs))));
            assertThat(again).containsExactlyInAnyOrder(line(fs, false, t), line(fs, true, t));
            assertThat(held(c1)).containsExactly(line(fs, false, t), line(fs, true, t));
            assertThat(usage(fs).used()).isEqualTo(2);
            assertThat(ledger(LedgerEvent.RECONFIGURED)).hasSize(2);
            rejected("reconfigure of held licenses", Code.LICENSE_NOT_RELEASED,
                    () -> licensor.clients().reconfigure(request(true, c1, entry(fs))));
            // agent-level: only the agent's consumption comes back
            ok(licensor.clients().release(request(true, c1, entry(fs))));
            ok(licensor.clients().reconfigure(request(false, c1, new LicenseSelector(1, 1, 33, null))));
            assertThat(held(c1)).extracting(HeldLicense::agentLevel).containsExactly(true);
            assertThat(usage(fs).used()).isEqualTo(1);
        }

        @Test
        void reconfigureIsCheckedAgainstCapacity() {
            consume(c1, fs, false);
            consume(c1, fs, true);
            ok(licensor.clients().release(request(true, c1, entry(fs))));
            consume(c2, fs, false);
            consume(c2, fs, true);
            consume(c3, fs, false);
            assertThat(usage(fs).used()).isEqualTo(3);
            rejected("no license left", Code.NOT_ENOUGH_LICENSES,
                    () -> licensor.clients().reconfigure(request(true, c1, entry(fs))));
            ok(licensor.clients().release(request(true, c3, entry(fs))));
            rejected("one left for two", Code.NOT_ENOUGH_LICENSES,
                    () -> licensor.clients().reconfigure(request(true, c1, entry(fs))));
            ok(licensor.clients().release(request(false, c2, new LicenseSelector(1, 1, 33, null))));
            assertThat(ok(licensor.clients().reconfigure(request(true, c1, entry(fs))))).hasSize(2);
            assertThat(usage(fs).used()).isEqualTo(3);
            assertThat(usage(fs).available()).isZero();
        }

        @Test
        void evaluationLicensesCountUntilTheirExpiry() {
            Instant expiry = START.plus(Duration.ofDays(1));
            ClientLicense eval = ok(licensor.catalog().defineClientLicense(
                    ClientLicense.draft(1, 7, 29, "Linux File System", 1, 2, expiry)));
            Client c4 = client("client004");
            consume(c1, eval, false);
            consume(c2, eval, false);
            consume(c3, eval, false);
            fails(tryConsume(c4, eval, false), Code.NOT_ENOUGH_LICENSES);
            UsageSummary u = usage(eval);
            assertThat(u.permanent()).isEqualTo(1);
            assertThat(u.evaluation()).isEqualTo(2);
            assertThat(u.evaluationExpiry()).isEqualTo(expiry);
            assertThat(u.used()).isEqualTo(3);
            assertThat(u.available()).isZero();
            ok(licensor.clients().release(request(true, c1, entry(eval))));
            clock.set(expiry.minusSeconds(1));
            assertThat(usage(eval).available()).isEqualTo(1);

            clock.set(expiry);
            assertThat(usage(eval).used()).isEqualTo(2);
            assertThat(usage(eval).available()).as("never negative").isZero();
            fails(tryConsume(c1, eval, false), Code.NOT_ENOUGH_LICENSES);
            ok(licensor.clients().release(request(true, c2, entry(eval))));
            fails(tryConsume(c4, eval, false), Code.NOT_ENOUGH_LICENSES);
            ok(licensor.clients().release(request(true, c3, entry(eval))));
            consume(c4, eval, false);
            assertThat(usage(eval).used()).isEqualTo(1);
            assertThat(usage(eval).available()).isZero();
        }

        /**
         * A seeded random walk of consumes, releases and reconfigures by three clients over a
         * platform-1 and a platform-2 license, each answer and every client's holdings compared
         * with a small model (capacity, MediaAgent first, all-or-nothing).
         */
        @Test
        void randomStepsAgreeWithAModelOfClientLicenses() {
            List<Client> clients = List.of(c1, c2, c3);
            agent(c3, 33, "Windows File System");
            agent(c2, 1002, "MediaAgent Management");
            agent(c3, 1002, "MediaAgent Management");
            List<ClientLicense> licenses = List.of(fs, ma); // capacities 3 and 2
            // model: "client/license/level" -> held (true) or released (false)
            Map<String, Boolean> model = new TreeMap<>();
            java.util.Random random = new java.util.Random(1_002L);
            Map<String, Integer> seen = new TreeMap<>();
            for (int step = 0; step < 250; step++) {
                Client c = clients.get(random.nextInt(clients.size()));
                ClientLicense l = licenses.get(random.nextInt(licenses.size()));
                boolean agentLevel = random.nextBoolean();
                String key = c.name() + "/" + l.id() + "/" + agentLevel;
                String prefix = c.name() + "/" + l.id() + "/";
                long used = model.entrySet().stream().filter(e -> e.getValue() && e.getKey().contains("/" + l.id() + "/")).count();
                int op = random.nextInt(3);
                String what = "step " + step + " op " + op + " " + key;
                Outcome<?> o;
                Code expected;
                if (op == 0) {
                    o = tryConsume(c, l, agentLevel);
                    expected = Boolean.TRUE.equals(model.get(key)) || used < l.permanent() ? Code.OK : Code.NOT_ENOUGH_LICENSES;
                    if (expected == Code.OK) {
                        model.put(key, true);
                    }
                } else if (op == 1) {
                    o = licensor.clients().release(request(true, c, entry(l)));
                    List<String> selected = model.entrySet().stream()
                            .filter(e -> e.getValue() && e.getKey().startsWith(prefix)).map(Map.Entry::getKey)
                            .collect(Collectors.toList());
                    boolean keepsMediaAgent = model.entrySet().stream().anyMatch(e -> e.getValue()
                            && e.getKey().startsWith(c.name() + "/" + ma.id() + "/") && !selected.contains(e.getKey()));
                    expected = selected.isEmpty() ? Code.LICENSE_NOT_CONSUMED
                            : l.platformType() == 1 && keepsMediaAgent ? Code.MEDIA_AGENT_LICENSES_HELD : Code.OK;
                    if (expected == Code.OK) {
                        selected.forEach(k -> model.put(k, false));
                    }
                } else {
                    o = licensor.clients().reconfigure(request(true, c, entry(l)));
                    List<String> selected = model.entrySet().stream()
                            .filter(e -> !e.getValue() && e.getKey().startsWith(prefix)).map(Map.Entry::getKey)
                            .collect(Collectors.toList());
                    expected = selected.isEmpty() ? Code.LICENSE_NOT_RELEASED
                            : used + selected.size() > l.permanent() ? Code.NOT_ENOUGH_LICENSES : Code.OK;
                    if (expected == Code.OK) {
                        selected.forEach(k -> model.put(k, true));
                    }
                }
                seen.merge(op + " " + o.code().key(), 1, Integer::sum);
                assertThat(o.code()).as("%s (%s)", what, o.message()).isEqualTo(expected);
                for (ClientLicense each : licenses) {
                    long modelUsed = model.entrySet().stream()
                            .filter(e -> e.getValue() && e.getKey().contains("/" + each.id() + "/")).count();
                    assertThat(usage(each).used()).as("%s: used of %s", what, each.licenseName()).isEqualTo(modelUsed);
                }
                for (Client each : clients) {
                    List<String> modelHeld = model.entrySet().stream()
                            .filter(e -> e.getValue() && e.getKey().startsWith(each.name() + "/"))
                            .map(e -> e.getKey().substring(each.name().length() + 1)).sorted().collect(Collectors.toList());
                    List<String> held = held(each).stream()
                            .map(h -> (h.platformType() == 1 ? fs.id() : ma.id()) + "/" + h.agentLevel()).sorted()
                            .collect(Collectors.toList());
                    assertThat(held).as("%s: held by %s", what, each.name()).isEqualTo(modelHeld);
                }
            }
            assertThat(seen.keySet()).as("answers met").contains("0 ok", "0 not_enough_licenses", "1 ok",
                    "1 license_not_consumed", "1 media_agent_licenses_held", "2 ok", "2 license_not_released",
                    "2 not_enough_licenses");
            List<LedgerEntry> entries = ledger();
            for (ClientLicense each : licenses) {
                assertThat(count(entries, LedgerEvent.CONSUMED, 0, each.id()) + count(entries, LedgerEvent.RECONFIGURED, 0, each.id())
                        - count(entries, LedgerEvent.CLIENT_RELEASED, 0, each.id())).isEqualTo(usage(each).used());
            }
        }

        @Test
        void theUsageSummaryShowsPurchasedUsedAvailableByClientAndByAgent() {
            consume(c1, fs, false);
            consume(c1, fs, true);
            consume(c2, fs, true);
            consume(c1, ma, true);
            consume(c2, sql, false);
            List<UsageSummary> all = licensor.clients().usage();
            assertThat(all).extracting(UsageSummary::clientLicenseId)
                    .containsExactly(fs.id(), sql.id(), access.id(), ma.id(), disk.id());
            assertThat(usage(fs)).isEqualTo(new UsageSummary(fs.id(), 1, 1, 33, FS_NAME, 3, 0, null, 3, 0,
                    Map.of("client001", 2, "client002", 1), Map.of("client001", 1, "client002", 1)));
            assertThat(usage(ma)).isEqualTo(new UsageSummary(ma.id(), 2, 11, 1002, "MediaAgent", 2, 0, null, 1, 1,
                    Map.of("client001", 1), Map.of("client001", 1)));
            assertThat(usage(sql)).isEqualTo(new UsageSummary(sql.id(), 1, 5, 81, "SQL Server", 2, 0, null, 1, 1,
                    Map.of("client002", 1), Map.of()));
            assertThat(usage(disk)).isEqualTo(new UsageSummary(disk.id(), 2, 84, 1020, "Disk Library", 1, 0, null, 0, 1,
                    Map.of(), Map.of()));
            ok(licensor.clients().release(request(true, c1, LicenseSelector.everyLicense(2))));
            ok(licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 33, FS_NAME))));
            assertThat(usage(fs).byClient()).isEqualTo(Map.of("client001", 1, "client002", 1));
            assertThat(usage(fs).byAgent()).isEqualTo(Map.of("client002", 1));
            assertThat(usage(ma).byClient()).isEmpty();
            assertThat(licensor.catalog().clientLicenses()).extracting(ClientLicense::used).containsExactly(2, 1, 0, 0, 0);
        }
    }

    // ================================================================== ledger

    /** Every event at its time, range reads, denials with their codes, pruning in batches. */
    @Nested
    @DisplayName("ledger")
    class LedgerTests {

        private Instant at(int minutes) {
            Instant t = START.plus(Duration.ofMinutes(minutes));
            clock.set(t);
            return t;
        }

        /** One of every event, each at its own minute; returns the lease license. */
        private License everyEvent() {
            product("cad");
            License l = license(License.builder("cad").key("K").maxActivations(5).floatingSeats(2).borrowAllowed(true));
            License metered = license(License.builder("cad").key("M").type(LicenseType.CONSUMPTION).maxConsumptions(9));
            Client c = client("client001");
            ClientLicense fs = clientLicense(1, 1, 33, "Windows File System", 1);
            at(0);
            activate(l, "hw-a");
            at(1);
            check(l, "hw-a");
            at(2);
            check(l, "hw-a");
            at(3);
            ok(licensor.floating().borrow(device(l, "hw-a"), START.plus(Duration.ofHours(1))));
            at(4);
            ok(licensor.floating().release(device(l, "hw-a")));
            at(5);
            activate(l, "hw-b");
            check(l, "hw-b");
            at(6);
            ok(licensor.seats().forceRelease(l.id(), "hw-b"));
            at(7);
            check(l, "hw-b"); // lapses at minute 17
            at(30);
            assertThat(licensor.seats().purgeLapsed()).isEqualTo(1);
            at(31);
            ok(licensor.floating().deactivate(device(l, "hw-b")));
            at(32);
            activate(metered, "hw-c");
            at(33);
            ok(licensor.floating().addConsumption(device(metered, "hw-c"), 2, false));
            at(34);
            consume(c, fs, false);
            at(35);
            ok(licensor.clients().release(request(true, c, entry(fs))));
            at(36);
            ok(licensor.clients().reconfigure(request(true, c, entry(fs))));
            at(37);
            ok(licensor.seats().setEnabled(l.id(), false));
            fails(tryCheck(l, "hw-a"), Code.LICENSE_NOT_ENABLED);
            return l;
        }

        @Test
        void recordsEveryEventAtTheTimeItHappened() {
            License l = everyEvent();
            List<LedgerEntry> all = ledger();
            // QUEUED needs a pool with a queue: SeatQueueContract checks it
            assertThat(all).extracting(LedgerEntry::event).containsAll(EnumSet.complementOf(EnumSet.of(LedgerEvent.QUEUED)));
            assertThat(all).extracting(e -> e.event() + "@" + Duration.between(START, e.at()).toMinutes() + " " + e.subject())
                    .containsExactly(
                            "ACTIVATED@0 hw-a", "GRANTED@1 hw-a", "REFRESHED@2 hw-a",
                            "REFRESHED@3 hw-a", "BORROWED@3 hw-a", "RELEASED@4 hw-a",
                            "ACTIVATED@5 hw-b", "GRANTED@5 hw-b", "FORCE_RELEASED@6 hw-b", "GRANTED@7 hw-b",
                            "LAPSED@17 hw-b", "DEACTIVATED@31 hw-b", "ACTIVATED@32 hw-c", "CONSUMPTION_ADDED@33 hw-c",
                            "CONSUMED@34 client001", "CLIENT_RELEASED@35 client001", "RECONFIGURED@36 client001",
                            "DENIED@37 hw-a");
            assertThat(all).allSatisfy(e -> assertThat(e.seq()).isPositive());
            assertThat(all).extracting(LedgerEntry::seq).doesNotHaveDuplicates();
            LedgerEntry denied = all.get(all.size() - 1);
            assertThat(denied.code()).isEqualTo(Code.LICENSE_NOT_ENABLED);
            assertThat(denied.licenseId()).isEqualTo(l.id());
            assertThat(all.subList(0, all.size() - 1)).extracting(LedgerEntry::code).containsOnly(Code.OK);
            assertThat(all.stream().filter(e -> e.event() == LedgerEvent.CONSUMED).findFirst().orElseThrow().licenseId()).isZero();
        }

        @Test
        void readsByTimeRangeHalfOpenInTimeThenSequenceOrder() {
            everyEvent();
            assertThat(licensor.ledger().between(START.plus(Duration.ofMinutes(2)), START.plus(Duration.ofMinutes(5)), 100))
                    .extracting(LedgerEntry::event)
                    .containsExactly(LedgerEvent.REFRESHED, LedgerEvent.REFRESHED, LedgerEvent.BORROWED, LedgerEvent.RELEASED);
            assertThat(licensor.ledger().between(START.plus(Duration.ofMinutes(2)), START.plus(Duration.ofMinutes(5)), 2))
                    .extracting(LedgerEntry::event).containsExactly(LedgerEvent.REFRESHED, LedgerEvent.REFRESHED);
            assertThat(licensor.ledger().between(START.plus(Duration.ofMinutes(17)), START.plus(Duration.ofMinutes(18)), 10))
                    .extracting(LedgerEntry::event).containsExactly(LedgerEvent.LAPSED);
            assertThat(licensor.ledger().between(START.plus(Duration.ofMinutes(8)), START.plus(Duration.ofMinutes(17)), 10))
                    .isEmpty();
            assertThat(licensor.ledger().between(START, START, 10)).isEmpty();
            List<LedgerEntry> all = ledger();
            for (int i = 1; i < all.size(); i++) {
                LedgerEntry a = all.get(i - 1);
                LedgerEntry b = all.get(i);
                assertThat(a.at().isBefore(b.at()) || (a.at().equals(b.at()) && a.seq() < b.seq()))
                        .as("%s before %s", a, b).isTrue();
            }
            assertThatThrownBy(() -> licensor.ledger().between(START, START.plusSeconds(1), 0))
                    .isInstanceOf(LicensingException.class)
                    .satisfies(e -> assertThat(((LicensingException) e).code()).isEqualTo(Code.INVALID_REQUEST));
        }

        @Test
        void deniedEntriesCarryTheirCodeAndWhatWasDenied() {
            product("cad");
            License l = floating("cad", "K", 1);
            activate(l, "hw-a");
            activate(l, "hw-b");
            check(l, "hw-a");
            Client c = client("client001");
            ClientLicense one = clientLicense(1, 1, 33, "FS", 0);
            fails(tryCheck(l, "hw-b"), Code.FLOATING_NOT_AVAILABLE);
            clock.advance(Duration.ofSeconds(1));
            fails(tryConsume(c, one, false), Code.NOT_ENOUGH_LICENSES);
            fails(tryCheck(l, "hw-unknown"), Code.DEVICE_NOT_FOUND);
            fails(licensor.floating().check(DeviceRequest.byKey("cad", "K", "")), Code.MISSING_PARAMETERS);
            List<LedgerEntry> denied = ledger(LedgerEvent.DENIED);
            assertThat(denied).hasSize(2);
            assertThat(denied.get(0)).usingRecursiveComparison().ignoringFields("seq", "detail")
                    .isEqualTo(new LedgerEntry(0, START, LedgerEvent.DENIED, l.id(), 0, "hw-b", Code.FLOATING_NOT_AVAILABLE, ""));
            assertThat(denied.get(1)).usingRecursiveComparison().ignoringFields("seq", "detail")
                    .isEqualTo(new LedgerEntry(0, START.plusSeconds(1), LedgerEvent.DENIED, 0, one.id(), "client001",
                            Code.NOT_ENOUGH_LICENSES, ""));
        }

        @Test
        void prunesOldEntriesInBatches() {
            everyEvent();
            List<LedgerEntry> all = ledger();
            Instant before = START.plus(Duration.ofMinutes(5));
            List<LedgerEntry> kept = all.stream().filter(e -> !e.at().isBefore(before)).collect(Collectors.toList());
            // through an engine that counts its write units: 6 entries in batches of 2 take 3 units (and
            // perhaps one more that finds nothing left)
            CountingStore counting = new CountingStore(store); // not closed here: the suite closes the store
            Licensor counted = engine(counting, clock).build();
            assertThat(counted.ledger().pruneBefore(before, 2)).isEqualTo(all.size() - kept.size()).isEqualTo(6);
            assertThat(counting.writes()).as("write units of the prune").isBetween(3L, 4L);
            assertThat(ledger()).isEqualTo(kept);
            assertThat(licensor.ledger().pruneBefore(before, 2)).isZero();
            // a batch size that divides the count exactly
            Instant later = START.plus(Duration.ofMinutes(32));
            long older = kept.stream().filter(e -> e.at().isBefore(later)).count();
            assertThat(older).isEqualTo(6);
            assertThat(licensor.ledger().pruneBefore(later, 3)).isEqualTo(older);
            assertThat(ledger()).isEqualTo(kept.subList((int) older, kept.size()));
            assertThat(licensor.ledger().pruneBefore(StateSnapshot.FAR, 1)).isEqualTo(kept.size() - older);
            assertThat(ledger()).isEmpty();
            assertThatThrownBy(() -> licensor.ledger().pruneBefore(before, 0)).isInstanceOf(LicensingException.class);
        }
    }

    // ================================================================== error paths

    /**
     * Every refused call (bad input, not found, denial) leaves rows and views as they were; the ledger
     * too, but for one DENIED entry when the code is a licensing denial (3xx, 4xx).
     */
    @Nested
    @DisplayName("refused calls change nothing")
    class ErrorPathTests {
        License pool;
        License single;
        License metered;
        License borrowable;
        Client c1;
        Client c2;
        ClientLicense fs;
        ClientLicense ma;

        /** A world with something in every table, so a stray write anywhere would show. */
        @BeforeEach
        void world() {
            product("cad");
            product("cam");
            pool = license(License.builder("cad").key("POOL").maxActivations(3).floatingSeats(2));
            single = license(License.builder("cad").username("alice").maxActivations(1));
            metered = license(License.builder("cad").key("METER").type(LicenseType.CONSUMPTION).maxConsumptions(5)
                    .overage(true, 2));
            borrowable = license(License.builder("cam").key("BORROW").maxActivations(3).floatingSeats(1).borrowAllowed(true)
                    .type(LicenseType.TIME_LIMITED).validUntil(START.plus(Duration.ofDays(10))));
            activate(pool, "hw-a");
            activate(pool, "hw-b");
            activate(pool, "hw-c");
            activate(single, "hw-a");
            activate(metered, "hw-a");
            activate(borrowable, "hw-a");
            activate(borrowable, "hw-b");
            check(pool, "hw-a");
            check(pool, "hw-b");
            ok(licensor.floating().borrow(device(borrowable, "hw-a"), null));
            ok(licensor.floating().addConsumption(device(metered, "hw-a"), 4, false));
            ok(licensor.seats().blacklist("cad", "hw-x"));
            device(pool, "hw-x");
            device(pool, "hw-ghost");
            c1 = client("client001");
            c2 = client("client002");
            agent(c1, 33, "Windows File System");
            agent(c1, 1002, "MediaAgent Management");
            fs = clientLicense(1, 1, 33, "Windows File System", 2);
            ma = clientLicense(2, 11, 1002, "MediaAgent", 2);
            consume(c1, fs, false);
            consume(c1, fs, true);
            consume(c1, ma, true);
            ok(licensor.clients().release(request(true, c1, entry(ma))));
            consume(c2, ma, false);
            clock.advance(Duration.ofMinutes(1));
        }

        /** The snapshot must see every kind of change, or "nothing changed" would prove nothing. */
        @Test
        void theSnapshotSeesEveryKindOfChange() {
            Map<String, Runnable> changes = new LinkedHashMap<>();
            changes.put("activation", () -> activate(borrowable, "hw-ghost"));
            changes.put("force-release", () -> ok(licensor.seats().forceRelease(pool.id(), "hw-b")));
            changes.put("seat", () -> check(pool, "hw-c"));
            changes.put("seat refresh", () -> check(pool, "hw-a"));
            changes.put("borrow", () -> ok(licensor.floating().borrow(device(borrowable, "hw-a"),
                    clock.instant().plus(Duration.ofHours(2)))));
            changes.put("release", () -> ok(licensor.floating().release(device(pool, "hw-c"))));
            changes.put("deactivation", () -> ok(licensor.floating().deactivate(device(pool, "hw-c"))));
            changes.put("consumption", () -> ok(licensor.floating().addConsumption(device(metered, "hw-a"), 1, false)));
            changes.put("blacklist", () -> ok(licensor.seats().blacklist("cam", "hw-a")));
            changes.put("switch", () -> ok(licensor.seats().setEnabled(single.id(), false)));
            LicenseSelector agentFs = new LicenseSelector(1, 1, 33, null);
            changes.put("client release", () -> ok(licensor.clients().release(request(false, c1, agentFs))));
            changes.put("reconfigure", () -> ok(licensor.clients().reconfigure(request(false, c1, agentFs))));
            changes.put("client release again", () -> ok(licensor.clients().release(request(false, c1, agentFs))));
            changes.put("client consume", () -> consume(c2, fs, false));
            changes.put("agent", () -> agent(c2, 29, "Linux File System"));
            changes.put("client", () -> client("client003"));
            changes.put("client license", () -> clientLicense(1, 9, 0, "Extra", 1));
            changes.put("product", () -> product("cap"));
            changes.put("license", () -> license(License.builder("cap").key("NEW")));
            for (Map.Entry<String, Runnable> change : changes.entrySet()) {
                StateSnapshot before = snapshot();
                clock.advance(Duration.ofSeconds(1));
                change.getValue().run();
                assertThat(snapshot().state()).as(change.getKey()).isNotEqualTo(before.state());
            }
            // and a refused call is told apart from a successful one by the ledger alone
            StateSnapshot before = snapshot();
            fails(licensor.floating().check(device(borrowable, "hw-ghost")), Code.FLOATING_NOT_AVAILABLE);
            assertThat(snapshot().ledger()).isNotEqualTo(before.ledger());
        }

        @Test
        void badInputChangesNothing() {
            rejected("check without request", Code.MISSING_PARAMETERS, () -> licensor.floating().check(null));
            rejected("check without hardware id", Code.MISSING_PARAMETERS,
                    () -> licensor.floating().check(DeviceRequest.byKey("cad", "POOL", null)));
            rejected("activate with key and user", Code.INVALID_REQUEST,
                    () -> licensor.floating().activate(new DeviceRequest("cad", "POOL", "alice", null, "hw-ghost")));
            rejected("borrow with an oversize key", Code.INVALID_REQUEST,
                    () -> licensor.floating().borrow(DeviceRequest.byKey("cam", "B".repeat(300), "hw-a"), null));
            rejected("release with a control character", Code.INVALID_REQUEST,
                    () -> licensor.floating().release(DeviceRequest.byKey("cad", "POOL", "hw-a\n")));
            rejected("deactivate with license id 0", Code.INVALID_REQUEST,
                    () -> licensor.floating().deactivate(new DeviceRequest("cad", "POOL", null, 0L, "hw-a")));
            rejected("consumption of 0", Code.INVALID_REQUEST,
                    () -> licensor.floating().addConsumption(device(metered, "hw-a"), 0, true));
            rejected("consumption too large", Code.INVALID_REQUEST,
                    () -> licensor.floating().addConsumption(device(metered, "hw-a"), Long.MAX_VALUE, true));
            rejected("force-release without hardware id", Code.MISSING_PARAMETERS,
                    () -> licensor.seats().forceRelease(pool.id(), " "));
            rejected("blacklist a bad product code", Code.INVALID_REQUEST,
                    () -> licensor.seats().blacklist("c a d", "hw-a"));
            rejected("switch license 0", Code.INVALID_REQUEST, () -> licensor.seats().setEnabled(0, false));
            rejected("consume on platform 9", Code.INVALID_REQUEST, () -> licensor.clients().consume(
                    new ConsumeRequest(ClientRef.id(c1.id()), 9, 1, 33, false)));
            rejected("release without entries", Code.MISSING_PARAMETERS, () -> licensor.clients().release(
                    new ClientLicensesRequest(true, ClientRef.id(c1.id()), List.of())));
            rejected("reconfigure agent-level without appType", Code.MISSING_PARAMETERS, () -> licensor.clients().reconfigure(
                    request(false, c1, LicenseSelector.everyLicense(1))));
            rejected("list with id 0", Code.INVALID_REQUEST, () -> licensor.clients().consumed(ClientRef.id(0)));
            rejected("duplicate product", Code.ALREADY_EXISTS, () -> licensor.catalog().defineProduct(
                    new Product("cad", "again", TIMEOUT, MAX_BORROW)));
            rejected("duplicate license key", Code.ALREADY_EXISTS, () -> licensor.catalog().createLicense(
                    License.builder("cad").key("POOL").build()));
            rejected("time-limited license without end", Code.INVALID_REQUEST, () -> licensor.catalog().createLicense(
                    License.builder("cad").key("NEW").type(LicenseType.TIME_LIMITED).build()));
            rejected("duplicate client", Code.ALREADY_EXISTS, () -> licensor.catalog().registerClient("client001", 1, ""));
            rejected("duplicate agent", Code.ALREADY_EXISTS, () -> licensor.catalog().addAgent(ClientRef.id(c1.id()), 33, ""));
            rejected("duplicate client license", Code.ALREADY_EXISTS, () -> licensor.catalog().defineClientLicense(
                    ClientLicense.draft(1, 1, 33, "again", 1, 0, null)));
        }

        @Test
        void notFoundChangesNothing() {
            rejected("unknown product", Code.UNKNOWN_PRODUCT,
                    () -> licensor.floating().activate(DeviceRequest.byKey("nope", "POOL", "hw-ghost")));
            rejected("unknown key", Code.LICENSE_NOT_FOUND,
                    () -> licensor.floating().activate(DeviceRequest.byKey("cad", "NOPE", "hw-ghost")));
            rejected("key of another product", Code.LICENSE_NOT_FOUND,
                    () -> licensor.floating().check(DeviceRequest.byKey("cam", "POOL", "hw-a")));
            rejected("license id of another license", Code.LICENSE_NOT_FOUND,
                    () -> licensor.floating().check(new DeviceRequest("cad", "POOL", null, single.id(), "hw-a")));
            rejected("check of a device never activated", Code.DEVICE_NOT_FOUND,
                    () -> licensor.floating().check(device(pool, "hw-ghost")));
            rejected("borrow of a device never activated", Code.DEVICE_NOT_FOUND,
                    () -> licensor.floating().borrow(device(borrowable, "hw-ghost"), null));
            rejected("deactivate of a device never activated", Code.DEVICE_NOT_FOUND,
                    () -> licensor.floating().deactivate(device(pool, "hw-ghost")));
            rejected("consumption by a device never activated", Code.DEVICE_NOT_FOUND,
                    () -> licensor.floating().addConsumption(device(metered, "hw-ghost"), 1, false));
            rejected("force-release of no seat", Code.DEVICE_NOT_FOUND, () -> licensor.seats().forceRelease(pool.id(), "hw-c"));
            rejected("force-release on an unknown license", Code.LICENSE_NOT_FOUND,
                    () -> licensor.seats().forceRelease(999_999, "hw-a"));
            rejected("holders of an unknown license", Code.LICENSE_NOT_FOUND, () -> licensor.seats().holders(999_999));
            rejected("switch of an unknown license", Code.LICENSE_NOT_FOUND, () -> licensor.seats().setActive(999_999, false));
            rejected("blacklist on an unknown product", Code.UNKNOWN_PRODUCT, () -> licensor.seats().blacklist("nope", "hw-a"));
            rejected("license for an unknown product", Code.UNKNOWN_PRODUCT,
                    () -> licensor.catalog().createLicense(License.builder("nope").key("K").build()));
            rejected("agent of an unknown client", Code.CLIENT_NOT_FOUND,
                    () -> licensor.catalog().addAgent(ClientRef.name("ghost"), 33, ""));
            rejected("consume by an unknown client", Code.CLIENT_NOT_FOUND, () -> licensor.clients().consume(
                    new ConsumeRequest(ClientRef.name("ghost"), 1, 1, 33, false)));
            rejected("consume of an unknown client license", Code.CLIENT_LICENSE_NOT_FOUND, () -> licensor.clients().consume(
                    new ConsumeRequest(ClientRef.id(c1.id()), 1, 1, 34, false)));
            rejected("consume for a missing agent", Code.AGENT_NOT_FOUND, () -> licensor.clients().consume(
                    new ConsumeRequest(ClientRef.id(c2.id()), 1, 1, 33, true)));
            rejected("release of an unheld license", Code.LICENSE_NOT_CONSUMED,
                    () -> licensor.clients().release(request(true, c2, entry(fs))));
            rejected("release by mismatched id and name", Code.CLIENT_NOT_FOUND, () -> licensor.clients().release(
                    new ClientLicensesRequest(true, new ClientRef(c1.id(), "client002"), List.of(entry(fs)))));
            rejected("reconfigure of nothing released", Code.LICENSE_NOT_RELEASED,
                    () -> licensor.clients().reconfigure(request(true, c1, entry(fs))));
            rejected("agent-level release for a missing agent", Code.AGENT_NOT_FOUND,
                    () -> licensor.clients().release(request(false, c2, new LicenseSelector(2, 11, 1002, null))));
        }

        @Test
        void denialsChangeNothingButTheLedger() {
            rejected("pool full", Code.FLOATING_NOT_AVAILABLE, () -> licensor.floating().check(device(pool, "hw-c")));
            rejected("borrow from a full pool", Code.FLOATING_NOT_AVAILABLE,
                    () -> licensor.floating().borrow(device(borrowable, "hw-b"), null));
            rejected("release of a non-floating license", Code.FLOATING_NOT_AVAILABLE,
                    () -> licensor.floating().release(device(single, "hw-a")));
            rejected("activation limit", Code.LICENSE_ACTIVATED_MAX_TIMES,
                    () -> licensor.floating().activate(device(single, "hw-b")));
            rejected("blacklisted device", Code.BLACKLISTED, () -> licensor.floating().activate(device(pool, "hw-x")));
            rejected("borrow not allowed", Code.LICENSE_BORROW_NOT_ALLOWED,
                    () -> licensor.floating().borrow(device(pool, "hw-a"), null));
            rejected("borrow in the past", Code.BORROW_UNTIL_NOT_VALID,
                    () -> licensor.floating().borrow(device(borrowable, "hw-a"), START));
            rejected("borrow beyond the cap", Code.BORROW_UNTIL_NOT_VALID,
                    () -> licensor.floating().borrow(device(borrowable, "hw-a"), clock.instant().plus(MAX_BORROW).plusSeconds(1)));
            rejected("not a consumption license", Code.LICENSE_NOT_CONSUMPTION,
                    () -> licensor.floating().addConsumption(device(pool, "hw-a"), 1, true));
            rejected("not enough consumptions", Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS,
                    () -> licensor.floating().addConsumption(device(metered, "hw-a"), 2, false));
            rejected("not enough consumptions even with overage", Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS,
                    () -> licensor.floating().addConsumption(device(metered, "hw-a"), 4, true));
            rejected("not enough client licenses", Code.NOT_ENOUGH_LICENSES,
                    () -> licensor.clients().consume(new ConsumeRequest(ClientRef.id(c2.id()), 1, 1, 33, false)));
            consume(c1, ma, true);
            rejected("MediaAgent license held", Code.MEDIA_AGENT_LICENSES_HELD,
                    () -> licensor.clients().release(request(true, c1, entry(fs))));
            ok(licensor.clients().release(request(true, c1, entry(fs), entry(ma))));
            consume(c2, fs, false);
            rejected("reconfigure beyond capacity", Code.NOT_ENOUGH_LICENSES,
                    () -> licensor.clients().reconfigure(request(true, c1, entry(fs))));
            ok(licensor.seats().setEnabled(pool.id(), false));
            rejected("disabled license", Code.LICENSE_NOT_ENABLED, () -> licensor.floating().check(device(pool, "hw-a")));
            rejected("blacklisted beats disabled", Code.BLACKLISTED, () -> licensor.floating().check(device(pool, "hw-x")));
            ok(licensor.seats().setEnabled(pool.id(), true));
            ok(licensor.seats().setActive(pool.id(), false));
            rejected("inactive license", Code.LICENSE_NOT_ACTIVE, () -> licensor.floating().release(device(pool, "hw-a")));
            clock.set(START.plus(Duration.ofDays(10)));
            rejected("expired license", Code.LICENSE_EXPIRED, () -> licensor.floating().check(device(borrowable, "hw-a")));
        }
    }

    // ================================================================== the store itself

    /** The store on its own, without the engine: atomic units, read-only reads, faithful rows, ranges. */
    @Nested
    @DisplayName("store guarantees")
    class StoreTests {
        final Product cad = new Product("cad", "CAD", TIMEOUT, MAX_BORROW);
        final License draft = License.builder("cad").key("K").type(LicenseType.SUBSCRIPTION)
                .validFrom(START).validUntil(START.plus(Duration.ofDays(30))).maxActivations(4).floatingSeats(2)
                .floatingTimeout(Duration.ofMinutes(3)).borrowAllowed(true).maxBorrowTime(Duration.ofHours(7))
                .maxConsumptions(12).overage(true, 3).build();

        /** Ids of the rows {@link #fill} wrote: license, client, client license. */
        private long[] fill(LicenseStore s) {
            return s.write(tx -> {
                tx.putProduct(cad);
                long license = tx.insertLicense(draft);
                tx.putActivation(new Activation(license, "hw-a", START));
                tx.putActivation(new Activation(license, "hw-b", START));
                tx.putLease(new Lease(license, "hw-a", START, START, START.plus(TIMEOUT), null));
                tx.putLease(new Lease(license, "hw-b", START, START, START.plus(Duration.ofHours(2)),
                        START.plus(Duration.ofHours(2))));
                tx.putBlacklist("cad", "hw-z", START);
                long client = tx.insertClient(new Client(0, "client001", 1, "host001"));
                tx.putAgent(new Agent(client, 33, "Windows File System"));
                long cl = tx.insertClientLicense(ClientLicense.draft(1, 1, 33, "FS", 2, 1, START.plus(Duration.ofDays(3))));
                tx.putConsumption(new ConsumedLicense(client, cl, false, false, START));
                tx.putClientLicense(tx.clientLicense(cl).orElseThrow().withUsed(1));
                tx.appendLedger(new LedgerEntry(0, START, LedgerEvent.GRANTED, license, 0, "hw-a", Code.OK, ""));
                tx.appendLedger(new LedgerEntry(0, START.plusSeconds(1), LedgerEvent.CONSUMED, 0, cl, "client001",
                        Code.OK, "client"));
                tx.appendLedger(new LedgerEntry(0, START.plusSeconds(2), LedgerEvent.DENIED, license, 0, "hw-c",
                        Code.FLOATING_NOT_AVAILABLE, "full"));
                return new long[] {license, client, cl};
            });
        }

        /** Everything {@link #fill} can have written, read in one unit. */
        private Map<String, Object> rows(long license, long client, long cl) {
            return store.read(tx -> {
                Map<String, Object> m = new TreeMap<>();
                m.put("product", tx.product("cad"));
                m.put("license", tx.license(license));
                m.put("licenseByKey", tx.licenseByKey("cad", "K"));
                m.put("activations", tx.countActivations(license));
                m.put("activation a", tx.activation(license, "hw-a"));
                m.put("activation b", tx.activation(license, "hw-b"));
                m.put("lease a", tx.lease(license, "hw-a"));
                m.put("lease b", tx.lease(license, "hw-b"));
                m.put("live leases", tx.leasesLiveAfter(license, START));
                m.put("lapsed leases", tx.leasesLapsedBy(StateSnapshot.FAR, 10));
                m.put("blacklisted", tx.isBlacklisted("cad", "hw-z"));
                m.put("client", tx.client(client));
                m.put("clientByName", tx.clientByName("client001"));
                m.put("agents", tx.agents(client));
                m.put("client license", tx.clientLicense(cl));
                m.put("client license by key", tx.clientLicenseByType(1, 1, 33));
                m.put("client licenses", tx.clientLicenses());
                m.put("consumption", tx.consumption(client, cl, false));
                m.put("consumptions", tx.consumptionsOfClient(client));
                m.put("held", tx.heldConsumptionsOf(cl));
                m.put("ledger", tx.ledger(Instant.EPOCH, StateSnapshot.FAR, 100));
                return m;
            });
        }

        @Test
        void aUnitThatThrowsAfterWritingLeavesNothingBehind() {
            RuntimeException boom = new IllegalArgumentException("boom");
            long[][] ids = new long[1][];
            assertThatThrownBy(() -> store.write(tx -> {
                tx.putProduct(cad);
                ids[0] = new long[] {tx.insertLicense(draft), tx.insertClient(new Client(0, "c", 1, "")),
                    tx.insertClientLicense(ClientLicense.draft(1, 1, 33, "FS", 2, 0, null))};
                tx.putActivation(new Activation(ids[0][0], "hw-a", START));
                tx.putLease(new Lease(ids[0][0], "hw-a", START, START, START.plus(TIMEOUT), null));
                tx.putBlacklist("cad", "hw-z", START);
                tx.putAgent(new Agent(ids[0][1], 33, "FS"));
                tx.putConsumption(new ConsumedLicense(ids[0][1], ids[0][2], true, false, START));
                tx.putClientLicense(tx.clientLicense(ids[0][2]).orElseThrow().withUsed(1));
                tx.appendLedger(new LedgerEntry(0, START, LedgerEvent.GRANTED, ids[0][0], 0, "hw-a", Code.OK, ""));
                throw boom;
            })).as("the unit's exception, unchanged").isSameAs(boom);
            long license = ids[0][0];
            long client = ids[0][1];
            long cl = ids[0][2];
            store.read(tx -> {
                assertThat(tx.product("cad")).isEmpty();
                assertThat(tx.license(license)).isEmpty();
                assertThat(tx.licenseByKey("cad", "K")).isEmpty();
                assertThat(tx.activation(license, "hw-a")).isEmpty();
                assertThat(tx.countActivations(license)).isZero();
                assertThat(tx.lease(license, "hw-a")).isEmpty();
                assertThat(tx.countLeasesLiveAfter(license, START)).isZero();
                assertThat(tx.leasesLapsedBy(StateSnapshot.FAR, 10)).isEmpty();
                assertThat(tx.isBlacklisted("cad", "hw-z")).isFalse();
                assertThat(tx.client(client)).isEmpty();
                assertThat(tx.clientByName("c")).isEmpty();
                assertThat(tx.agents(client)).isEmpty();
                assertThat(tx.clientLicense(cl)).isEmpty();
                assertThat(tx.clientLicenseByType(1, 1, 33)).isEmpty();
                assertThat(tx.clientLicenses()).isEmpty();
                assertThat(tx.consumptionsOfClient(client)).isEmpty();
                assertThat(tx.heldConsumptionsOf(cl)).isEmpty();
                assertThat(tx.ledger(Instant.EPOCH, StateSnapshot.FAR, 10)).isEmpty();
                return null;
            });
            // no unique key was left behind: the same rows can be written now
            long[] again = fill(store);
            assertThat(rows(again[0], again[1], again[2]).get("product")).isEqualTo(Optional.of(cad));
        }

        @Test
        void aUnitThatThrowsAfterChangingRowsLeavesThemAsTheyWere() {
            long[] ids = fill(store);
            long license = ids[0];
            long client = ids[1];
            long cl = ids[2];
            Map<String, Object> before = rows(license, client, cl);
            IllegalStateException boom = new IllegalStateException("boom");
            assertThatThrownBy(() -> store.write(tx -> {
                tx.putLicense(tx.license(license).orElseThrow().withSwitches(false, false).withConsumed(7));
                assertThat(tx.deleteActivation(license, "hw-b")).isTrue();
                tx.putLease(new Lease(license, "hw-a", START, START.plusSeconds(5), START.plus(Duration.ofDays(1)), null));
                assertThat(tx.deleteLease(license, "hw-b")).isTrue();
                assertThat(tx.deleteBlacklist("cad", "hw-z")).isTrue();
                tx.putBlacklist("cad", "hw-y", START);
                tx.putClientLicense(tx.clientLicense(cl).orElseThrow().withUsed(2));
                tx.putConsumption(new ConsumedLicense(client, cl, false, true, START.plusSeconds(9)));
                tx.putConsumption(new ConsumedLicense(client, cl, true, false, START.plusSeconds(9)));
                assertThat(tx.pruneLedger(StateSnapshot.FAR, 2)).isEqualTo(2);
                tx.appendLedger(new LedgerEntry(0, START, LedgerEvent.RELEASED, license, 0, "hw-a", Code.OK, ""));
                throw boom;
            })).isSameAs(boom);
            assertThat(rows(license, client, cl)).isEqualTo(before);
            assertThat(store.<Boolean>read(tx -> tx.isBlacklisted("cad", "hw-y"))).isFalse();
        }

        @Test
        void aWriteInsideAReadUnitThrowsIllegalStateException() {
            assertThatThrownBy(() -> store.read(tx -> {
                tx.putProduct(cad);
                return null;
            })).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.read(tx -> tx.appendLedger(
                    new LedgerEntry(0, START, LedgerEvent.DENIED, 0, 0, "x", Code.BLACKLISTED, ""))))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(store.<Optional<Product>>read(tx -> tx.product("cad"))).isEmpty();
            assertThat(store.<List<LedgerEntry>>read(tx -> tx.ledger(Instant.EPOCH, StateSnapshot.FAR, 10))).isEmpty();
            // and through the engine's eyes, nothing is there
            assertThat(licensor.catalog().product("cad")).isEmpty();
        }

        @Test
        void keepsEveryFieldOfEveryRowAndAssignsFreshIds() {
            long[] ids = fill(store);
            long license = ids[0];
            long client = ids[1];
            long cl = ids[2];
            assertThat(Arrays.stream(ids).boxed().collect(Collectors.toList())).allSatisfy(id -> assertThat(id).isPositive());
            Map<String, Object> rows = rows(license, client, cl);
            assertThat(rows.get("product")).isEqualTo(Optional.of(cad));
            assertThat(rows.get("license")).isEqualTo(Optional.of(draft.withId(license)));
            assertThat(rows.get("licenseByKey")).isEqualTo(Optional.of(draft.withId(license)));
            assertThat(rows.get("activation a")).isEqualTo(Optional.of(new Activation(license, "hw-a", START)));
            assertThat(rows.get("activations")).isEqualTo(2);
            assertThat(rows.get("lease b")).isEqualTo(Optional.of(new Lease(license, "hw-b", START, START,
                    START.plus(Duration.ofHours(2)), START.plus(Duration.ofHours(2)))));
            assertThat(rows.get("client")).isEqualTo(Optional.of(new Client(client, "client001", 1, "host001")));
            assertThat(rows.get("agents")).isEqualTo(List.of(new Agent(client, 33, "Windows File System")));
            ClientLicense expected = new ClientLicense(cl, 1, 1, 33, "FS", 2, 1, START.plus(Duration.ofDays(3)), 1);
            assertThat(rows.get("client license")).isEqualTo(Optional.of(expected));
            assertThat(rows.get("client license by key")).isEqualTo(Optional.of(expected));
            assertThat(rows.get("consumption")).isEqualTo(Optional.of(new ConsumedLicense(client, cl, false, false, START)));
            @SuppressWarnings("unchecked")
            List<LedgerEntry> entries = (List<LedgerEntry>) rows.get("ledger");
            assertThat(entries).hasSize(3);
            assertThat(entries.get(2)).isEqualTo(new LedgerEntry(entries.get(2).seq(), START.plusSeconds(2),
                    LedgerEvent.DENIED, license, 0, "hw-c", Code.FLOATING_NOT_AVAILABLE, "full"));
            assertThat(entries).extracting(LedgerEntry::seq).isSorted().doesNotHaveDuplicates();

            long[] more = store.write(tx -> new long[] {
                tx.insertLicense(License.builder("cad").key("K2").build()),
                tx.insertClient(new Client(0, "client002", 1, "")),
                tx.insertClientLicense(ClientLicense.draft(2, 11, 1002, "MA", 1, 0, null))});
            assertThat(more[0]).isPositive().isNotEqualTo(license);
            assertThat(more[1]).isPositive().isNotEqualTo(client);
            assertThat(more[2]).isPositive().isNotEqualTo(cl);
        }

        @Test
        void leaseRangesTreatTheExpiryAsTheEndOfLife() {
            long[] ids = store.write(tx -> {
                tx.putProduct(cad);
                return new long[] {tx.insertLicense(draft), tx.insertLicense(License.builder("cad").key("K2").build())};
            });
            long a = ids[0];
            long b = ids[1];
            Instant t1 = START.plusSeconds(10);
            Instant t2 = START.plusSeconds(20);
            Instant t3 = START.plusSeconds(30);
            Lease a1 = new Lease(a, "hw-3", START, START, t1, null);
            Lease a2 = new Lease(a, "hw-1", START, START, t2, null);
            Lease a3 = new Lease(a, "hw-2", START, START, t3, t3);
            Lease b1 = new Lease(b, "hw-1", START, START, t1.plusSeconds(5), null);
            store.write(tx -> {
                tx.putLease(a3);
                tx.putLease(a1);
                tx.putLease(b1);
                tx.putLease(a2);
                return null;
            });
            store.read(tx -> {
                assertThat(tx.countLeasesLiveAfter(a, t2)).isEqualTo(1);
                assertThat(tx.countLeasesLiveAfter(a, t2.minusMillis(1))).isEqualTo(2);
                assertThat(tx.countLeasesLiveAfter(b, t2)).isZero();
                assertThat(tx.leasesLiveAfter(a, START)).containsExactly(a2, a3, a1);
                assertThat(tx.leasesLiveAfter(a, t2)).containsExactly(a3);
                assertThat(tx.leasesLapsedBy(a, t2, 10)).containsExactly(a1, a2);
                assertThat(tx.leasesLapsedBy(a, t2, 1)).containsExactly(a1);
                assertThat(tx.leasesLapsedBy(a, t1.minusMillis(1), 10)).isEmpty();
                assertThat(tx.leasesLapsedBy(t2, 10)).containsExactly(a1, b1, a2);
                assertThat(tx.leasesLapsedBy(t2, 2)).containsExactly(a1, b1);
                assertThat(tx.leasesLapsedBy(StateSnapshot.FAR, 10)).containsExactly(a1, b1, a2, a3);
                return null;
            });
            Lease moved = new Lease(a, "hw-3", START, t2, t3.plusSeconds(1), null);
            store.write(tx -> {
                tx.putLease(moved);
                assertThat(tx.deleteLease(a, "hw-1")).isTrue();
                assertThat(tx.deleteLease(a, "hw-1")).isFalse();
                return null;
            });
            store.read(tx -> {
                assertThat(tx.lease(a, "hw-3")).contains(moved);
                assertThat(tx.leasesLapsedBy(t3, 10)).containsExactly(b1, a3);
                assertThat(tx.leasesLiveAfter(a, t3)).containsExactly(moved);
                return null;
            });
        }

        @Test
        void theLedgerIsOrderedByTimeThenSequenceAndPrunedUpToTheLimit() {
            List<Long> seqs = store.write(tx -> {
                List<Long> s = new ArrayList<>();
                for (int i : new int[] {5, 1, 3, 1, 4}) {
                    s.add(tx.appendLedger(new LedgerEntry(0, START.plusSeconds(i), LedgerEvent.REFRESHED, 1, 0,
                            "hw-" + i, Code.OK, "")));
                }
                return s;
            });
            assertThat(seqs).isSorted().doesNotHaveDuplicates();
            List<LedgerEntry> all = store.read(tx -> tx.ledger(Instant.EPOCH, StateSnapshot.FAR, 100));
            assertThat(all).extracting(e -> e.at().getEpochSecond() - START.getEpochSecond()).containsExactly(1L, 1L, 3L, 4L, 5L);
            assertThat(all).extracting(LedgerEntry::seq).containsExactly(seqs.get(1), seqs.get(3), seqs.get(2), seqs.get(4), seqs.get(0));
            assertThat(store.<List<LedgerEntry>>read(tx -> tx.ledger(START.plusSeconds(1), START.plusSeconds(4), 100))).extracting(LedgerEntry::seq)
                    .containsExactly(seqs.get(1), seqs.get(3), seqs.get(2));
            assertThat(store.<List<LedgerEntry>>read(tx -> tx.ledger(START.plusSeconds(1), START.plusSeconds(4), 1))).hasSize(1);
            assertThat(store.<Integer>write(tx -> tx.pruneLedger(START.plusSeconds(4), 2))).isEqualTo(2);
            assertThat(store.<Integer>write(tx -> tx.pruneLedger(START.plusSeconds(4), 2))).isEqualTo(1);
            assertThat(store.<Integer>write(tx -> tx.pruneLedger(START.plusSeconds(4), 2))).isZero();
            assertThat(store.<List<LedgerEntry>>read(tx -> tx.ledger(Instant.EPOCH, StateSnapshot.FAR, 100))).isEqualTo(all.subList(3, 5));
            long next = store.write(tx -> tx.appendLedger(new LedgerEntry(0, START, LedgerEvent.DENIED, 0, 0, "x",
                    Code.BLACKLISTED, "")));
            assertThat(next).as("sequence numbers are never reused").isGreaterThan(seqs.get(4));
        }

        @Test
        void setLikeWritesReportWhetherTheyChangedSomething() {
            store.write(tx -> {
                tx.putProduct(cad);
                assertThat(tx.putBlacklist("cad", "hw-a", START)).isTrue();
                assertThat(tx.putBlacklist("cad", "hw-a", START)).isFalse();
                assertThat(tx.isBlacklisted("cad", "hw-a")).isTrue();
                assertThat(tx.isBlacklisted("cad", "hw-b")).isFalse();
                assertThat(tx.deleteBlacklist("cad", "hw-a")).isTrue();
                assertThat(tx.deleteBlacklist("cad", "hw-a")).isFalse();
                long id = tx.insertLicense(draft);
                tx.putActivation(new Activation(id, "hw-a", START));
                assertThat(tx.deleteActivation(id, "hw-a")).isTrue();
                assertThat(tx.deleteActivation(id, "hw-a")).isFalse();
                assertThat(tx.deleteLease(id, "hw-a")).isFalse();
                return null;
            });
        }

        @Test
        void closeIsIdempotent() {
            store.close();
            store.close(); // and once more after the test
        }
    }

    // ================================================================== concurrency

    /** Real threads racing for fewer seats and licenses than they want: exact counts, balanced ledger. */
    @Nested
    @DisplayName("races")
    class ConcurrencyTests {
        static final int ROUNDS = 50;

        ExecutorService executor;
        /** A second engine over the same store: seat decisions must hold across engines too. */
        Licensor other;

        @BeforeEach
        void threads() {
            executor = Executors.newFixedThreadPool(THREADS);
            other = engine(store, clock).build();
        }

        /** Even threads use the suite's engine, odd ones the second engine. */
        private Licensor engineOf(int thread) {
            return thread % 2 == 0 ? licensor : other;
        }

        @AfterEach
        void stopThreads() throws InterruptedException {
            shutdown(executor);
        }

        @Test
        @Timeout(value = 300, unit = TimeUnit.SECONDS)
        void threadsRacingForFewerSeatsNeverOversubscribeAndTheLedgerBalances() throws Exception {
            product("cad");
            License[] pools = {floating("cad", "POOL-3", 3), floating("cad", "POOL-2", 2)};
            for (License pool : pools) {
                for (int t = 0; t < THREADS; t++) {
                    activate(pool, "hw-" + t);
                }
            }
            long[] expectedDenials = new long[pools.length];
            for (int round = 0; round < ROUNDS; round++) {
                int p = round % pools.length;
                License pool = pools[p];
                List<Outcome<LicenseCheck>> outcomes = race(executor, THREADS,
                        t -> () -> engineOf(t).floating().check(device(pool, "hw-" + t)));
                Set<String> winners = new TreeSet<>();
                for (int t = 0; t < THREADS; t++) {
                    Outcome<LicenseCheck> o = outcomes.get(t);
                    if (o.isSuccess()) {
                        winners.add("hw-" + t);
                    } else {
                        assertThat(o.code()).as("round %d, thread %d", round, t).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
                    }
                }
                assertThat(winners).as("round %d: exactly the pool's seats are granted", round).hasSize(pool.floatingSeats());
                assertThat(holders(pool)).as("round %d", round).containsExactlyElementsOf(winners);
                expectedDenials[p] += THREADS - pool.floatingSeats();
                if (round == ROUNDS - 1) {
                    break; // the last winners keep their seats
                }
                // free the seats three ways in turn: release, force-release, lapse
                switch (round % 3) {
                    case 0:
                        for (String hw : winners) {
                            ok(licensor.floating().release(device(pool, hw)));
                        }
                        break;
                    case 1:
                        for (String hw : winners) {
                            ok(licensor.seats().forceRelease(pool.id(), hw));
                        }
                        break;
                    default:
                        clock.advance(TIMEOUT);
                        break;
                }
                assertThat(holders(pool)).as("round %d freed", round).isEmpty();
            }
            licensor.seats().purgeLapsed();
            List<LedgerEntry> entries = ledger();
            for (int p = 0; p < pools.length; p++) {
                long id = pools[p].id();
                long held = count(entries, LedgerEvent.GRANTED, id, 0) - count(entries, LedgerEvent.RELEASED, id, 0)
                        - count(entries, LedgerEvent.LAPSED, id, 0) - count(entries, LedgerEvent.FORCE_RELEASED, id, 0);
                assertThat(held).as("ledger balance of pool %d", p).isEqualTo(holders(pools[p]).size());
                assertThat(count(entries, LedgerEvent.GRANTED, id, 0)).isEqualTo(ROUNDS / pools.length * pools[p].floatingSeats());
                long denials = entries.stream().filter(e -> e.event() == LedgerEvent.DENIED && e.licenseId() == id
                        && e.code() == Code.FLOATING_NOT_AVAILABLE).count();
                assertThat(denials).isEqualTo(expectedDenials[p]);
            }
            assertThat(holders(pools[(ROUNDS - 1) % pools.length])).hasSize(pools[(ROUNDS - 1) % pools.length].floatingSeats());
        }

        @Test
        @Timeout(value = 300, unit = TimeUnit.SECONDS)
        void theSameDeviceFromManyThreadsHoldsExactlyOneSeat() throws Exception {
            product("cad");
            License pool = floating("cad", "K", 3);
            activate(pool, "hw-shared");
            int rounds = 10;
            for (int round = 0; round < rounds; round++) {
                List<Outcome<LicenseCheck>> outcomes = race(executor, THREADS,
                        t -> () -> engineOf(t).floating().check(device(pool, "hw-shared")));
                for (Outcome<LicenseCheck> o : outcomes) {
                    assertThat(o.isSuccess()).as("round %d: %s %s", round, o.code(), o.message()).isTrue();
                }
                assertThat(holders(pool)).as("round %d", round).containsExactly("hw-shared");
                ok(licensor.floating().release(device(pool, "hw-shared")));
            }
            assertThat(count(LedgerEvent.GRANTED, pool)).isEqualTo(rounds);
            assertThat(count(LedgerEvent.REFRESHED, pool)).isEqualTo((long) rounds * (THREADS - 1));
            assertThat(count(LedgerEvent.RELEASED, pool)).isEqualTo(rounds);
        }

        @Test
        @Timeout(value = 300, unit = TimeUnit.SECONDS)
        void aSeatEndsExactlyOnceWhenDevicesAndAdministratorsRace() throws Exception {
            product("cad");
            int devices = THREADS / 2;
            License pool = floating("cad", "K", devices);
            for (int d = 0; d < devices; d++) {
                activate(pool, "hw-" + d);
            }
            int rounds = 20;
            for (int round = 0; round < rounds; round++) {
                for (int d = 0; d < devices; d++) {
                    check(pool, "hw-" + d);
                }
                boolean lapse = round % 2 == 1;
                if (lapse) {
                    clock.advance(TIMEOUT);
                }
                // half the threads release their device's seat; the other half force-release the same
                // seat, or (once the seats lapsed) purge the lapsed leases
                List<Outcome<?>> outcomes = race(executor, THREADS, t -> () -> {
                    Licensor engine = engineOf(t);
                    if (t < devices) {
                        return engine.floating().release(device(pool, "hw-" + t));
                    }
                    if (lapse) {
                        engine.seats().purgeLapsed();
                        return Outcome.success(null);
                    }
                    return engine.seats().forceRelease(pool.id(), "hw-" + (t - devices));
                });
                for (int t = 0; t < THREADS; t++) {
                    Outcome<?> o = outcomes.get(t);
                    assertThat(o.isSuccess() || o.code() == Code.DEVICE_NOT_FOUND)
                            .as("round %d thread %d: %s", round, t, o.code()).isTrue();
                }
                assertThat(holders(pool)).as("round %d", round).isEmpty();
            }
            List<LedgerEntry> entries = ledger();
            for (int d = 0; d < devices; d++) {
                String hw = "hw-" + d;
                long granted = entries.stream().filter(e -> e.event() == LedgerEvent.GRANTED && hw.equals(e.subject())).count();
                long ended = entries.stream().filter(e -> hw.equals(e.subject()) && EnumSet.of(LedgerEvent.RELEASED,
                        LedgerEvent.LAPSED, LedgerEvent.FORCE_RELEASED).contains(e.event())).count();
                assertThat(granted).isEqualTo(rounds);
                assertThat(ended).as("every seat of %s ended exactly once", hw).isEqualTo(granted);
            }
            assertThat(count(LedgerEvent.LAPSED, pool)).isEqualTo((long) devices * rounds / 2);
            assertThat(store.<List<Lease>>read(tx -> tx.leasesLapsedBy(StateSnapshot.FAR, 100))).isEmpty();
        }

        @Test
        @Timeout(value = 300, unit = TimeUnit.SECONDS)
        void threadsRacingToActivateNeverExceedMaxActivations() throws Exception {
            product("cad");
            License l = license(License.builder("cad").key("K").maxActivations(3));
            int rounds = 10;
            for (int round = 0; round < rounds; round++) {
                List<Outcome<Activation>> outcomes = race(executor, THREADS,
                        t -> () -> engineOf(t).floating().activate(device(l, "hw-" + t)));
                List<String> winners = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    if (outcomes.get(t).isSuccess()) {
                        winners.add("hw-" + t);
                    } else {
                        assertThat(outcomes.get(t).code()).isEqualTo(Code.LICENSE_ACTIVATED_MAX_TIMES);
                    }
                }
                assertThat(winners).as("round %d", round).hasSize(3);
                assertThat(store.<Integer>read(tx -> tx.countActivations(l.id()))).isEqualTo(3);
                for (String hw : winners) {
                    ok(licensor.floating().deactivate(device(l, hw)));
                }
            }
            assertThat(count(LedgerEvent.ACTIVATED, l)).isEqualTo(3L * rounds);
            assertThat(count(LedgerEvent.DENIED, l)).isEqualTo((long) (THREADS - 3) * rounds);
        }

        @Test
        @Timeout(value = 300, unit = TimeUnit.SECONDS)
        void clientsRacingForFewerLicensesNeverExceedCapacityAndTheLedgerBalances() throws Exception {
            int capacity = 3;
            int iterations = 25;
            ClientLicense fs = clientLicense(1, 1, 33, "Windows File System", capacity);
            List<Client> clients = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                clients.add(client(String.format("client%03d", t)));
            }
            AtomicInteger holding = new AtomicInteger();
            AtomicInteger mostHolding = new AtomicInteger();
            AtomicInteger overUsed = new AtomicInteger();
            List<Integer> wins = race(executor, THREADS, t -> () -> {
                Client c = clients.get(t);
                boolean released = false;
                int won = 0;
                for (int i = 0; i < iterations; i++) {
                    Licensor engine = engineOf(t);
                    Outcome<?> got = released && i % 2 == 1
                            ? engine.clients().reconfigure(request(true, c, entry(fs)))
                            : engine.clients().consume(new ConsumeRequest(ClientRef.id(c.id()), 1, 1, 33, false));
                    if (!got.isSuccess()) {
                        if (got.code() != Code.NOT_ENOUGH_LICENSES) {
                            throw new AssertionError("unexpected " + got.code() + ": " + got.message());
                        }
                        continue;
                    }
                    won++;
                    mostHolding.accumulateAndGet(holding.incrementAndGet(), Math::max);
                    if (usage(fs).used() > capacity) {
                        overUsed.incrementAndGet();
                    }
                    holding.decrementAndGet();
                    ClientLicensesRequest release = i % 2 == 0
                            ? new ClientLicensesRequest(true, ClientRef.id(c.id()), List.of(entry(fs)))
                            : new ClientLicensesRequest(true, ClientRef.name(c.name()), List.of(LicenseSelector.everyLicense(1)));
                    Outcome<List<HeldLicense>> gone = engine.clients().release(release);
                    if (!gone.isSuccess()) {
                        throw new AssertionError("release failed: " + gone.code() + ": " + gone.message());
                    }
                    released = true;
                }
                return won;
            });
            assertThat(mostHolding.get()).as("clients holding at once").isLessThanOrEqualTo(capacity);
            assertThat(overUsed.get()).as("times used exceeded capacity").isZero();
            assertThat(wins.stream().mapToInt(Integer::intValue).sum()).as("some consumptions won").isPositive();
            assertThat(usage(fs).used()).isZero();

            // a last race, with nobody releasing: exactly the capacity is consumed
            List<Outcome<HeldLicense>> last = race(executor, THREADS, t -> () -> tryConsume(clients.get(t), fs, false));
            assertThat(last.stream().filter(Outcome::isSuccess).count()).isEqualTo(capacity);
            assertThat(last.stream().filter(o -> !o.isSuccess()).map(Outcome::code)).containsOnly(Code.NOT_ENOUGH_LICENSES);
            UsageSummary u = usage(fs);
            assertThat(u.used()).isEqualTo(capacity);
            assertThat(u.available()).isZero();
            assertThat(u.byClient().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(capacity);

            List<LedgerEntry> entries = ledger();
            long consumed = count(entries, LedgerEvent.CONSUMED, 0, fs.id());
            long reconfigured = count(entries, LedgerEvent.RECONFIGURED, 0, fs.id());
            long released = count(entries, LedgerEvent.CLIENT_RELEASED, 0, fs.id());
            assertThat(consumed + reconfigured - released).as("ledger balance").isEqualTo(u.used());
            assertThat(consumed + reconfigured).isEqualTo(wins.stream().mapToInt(Integer::intValue).sum() + capacity);
        }
    }

    // ------------------------------------------------------------------ lookups and their cache

    /**
     * The host lookups ({@code licensor.lookups()}) on this store, with the engine this suite
     * builds: cache on or off as {@link #engine} says, identical answers either way.
     */
    @Nested
    @DisplayName("lookups")
    class LookupTests extends LookupContract {
        @Override
        protected LicenseStore newLookupStore() {
            return LicenseStoreContract.this.store; // the outer test's fresh store; closing twice is allowed
        }

        @Override
        protected Licensor.Builder lookupEngine(LicenseStore lookupStore, Clock lookupClock) {
            return engine(lookupStore, lookupClock);
        }
    }

    /** The store SPI's own guarantees (nesting, lock order, list orders, retry) on this store. */
    @Nested
    @DisplayName("store SPI")
    class SpiTests extends StoreSpiContract {
        @Override
        protected LicenseStore newSpiStore() {
            return LicenseStoreContract.this.store; // the outer test's fresh store; closing twice is allowed
        }
    }
}
