package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.floating.PoolSeats;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.LicenseStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seat policies (issue 13), the same on every store: lease identity, leasing strategies, the
 * precedence table of {@code docs/policies.md} run row by row, overage, borrowing limits, the
 * pool view, and real-thread races with reservations, caps, lists and the overdraft. A store's
 * test registers it with one nested class that says how to build the store.
 *
 * <p>Not thread-safe: JUnit creates one instance per test.
 */
@Timeout(120)
@ExtendWith(StoreUnderTest.Finder.class)
public abstract class PolicyContract {
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String PRODUCT = "cad";
    /** docs/policies.md, from a store module's directory (surefire's working directory). */
    private static final Path DOC = Path.of("..", "docs", "policies.md");

    /** The store under test, fresh for each test. */
    protected LicenseStore policyStore;
    /** The engine's clock. */
    protected MutableClock clock;
    /** The engine over {@link #policyStore}. */
    protected Licensor licensor;
    private int licenses;

    /** The enclosing store test: how to build the store and the engine. */
    private StoreUnderTest under;

    /** A fresh, empty store, from the enclosing {@link StoreUnderTest}. */
    protected LicenseStore newPolicyStore() throws Exception {
        return under.newStore();
    }

    /** The engine builder over {@code store}, from the enclosing {@link StoreUnderTest}. */
    protected Licensor.Builder policyEngine(LicenseStore store, Clock engineClock) {
        return under.engine(store, engineClock);
    }

    @BeforeEach
    void openPolicyStore(StoreUnderTest storeUnderTest) throws Exception {
        under = storeUnderTest;
        policyStore = newPolicyStore();
        clock = new MutableClock(START);
        licensor = policyEngine(policyStore, clock).build();
        licensor.catalog().defineProduct(new Product(PRODUCT, "CAD", TIMEOUT, Duration.ofDays(7))).orElseThrow();
    }

    @AfterEach
    void closePolicyStore() {
        policyStore.close();
    }

    // ---- helpers

    /** A new floating license of {@code seats} seats with room for many devices. */
    protected License pool(int seats) {
        return licensor.catalog().createLicense(License.builder(PRODUCT).key("P-" + (++licenses))
                .maxActivations(10_000).floatingSeats(seats).borrowAllowed(true).build()).orElseThrow();
    }

    protected static DeviceRequest device(License pool, String hw, Holder holder) {
        return DeviceRequest.byKey(PRODUCT, pool.key(), hw).withHolder(holder);
    }

    /** Activates {@code hw} and checks a seat out for {@code holder}. */
    protected Outcome<LicenseCheck> checkout(Licensor engine, License pool, String hw, Holder holder) {
        engine.floating().activate(device(pool, hw, holder)).orElseThrow();
        return engine.floating().check(device(pool, hw, holder));
    }

    protected void policy(License pool, String text) {
        licensor.catalog().setPolicy(pool.id(), PoolPolicy.parse(text)).orElseThrow();
    }

    protected void group(GroupKind kind, String name, String... members) {
        licensor.catalog().defineGroup(new SeatGroup(kind, name, List.of(members))).orElseThrow();
    }

    protected List<Lease> holders(License pool) {
        return licensor.seats().holders(pool.id()).orElseThrow();
    }

    protected List<LedgerEntry> ledger() {
        return licensor.ledger().between(START.minusSeconds(1), Instant.parse("9999-01-01T00:00:00Z"), 100_000);
    }

    /** "alice@h1" is user alice on host h1; "alice" has no host, "@h1" no user, "-" neither. */
    protected static Holder who(String spec) {
        String s = spec.strip();
        if (s.equals("-") || s.isEmpty()) {
            return Holder.NONE;
        }
        int at = s.indexOf('@');
        String user = at < 0 ? s : s.substring(0, at);
        String host = at < 0 ? null : s.substring(at + 1);
        return Holder.of(user.isEmpty() ? null : user, host == null || host.isEmpty() ? null : host);
    }

    // ---- who holds a seat

    @Test
    void theHolderIsStoredWithTheLeaseAndWrittenToTheLedger() {
        License pool = pool(2);
        Holder alice = new Holder("alice", "ws-1.example", "pid-42", Map.of("app", "cad 9.1", "os", "linux; 6.1"));
        Lease lease = checkout(licensor, pool, "hw-1", alice).orElseThrow().lease();
        assertThat(lease.holder()).isEqualTo(alice);
        assertThat(lease.device()).isEqualTo("hw-1");
        assertThat(holders(pool)).singleElement().satisfies(l -> {
            assertThat(l.holder()).isEqualTo(alice);
            assertThat(l.overLimit()).isFalse();
        });
        assertThat(ledger()).filteredOn(e -> e.event() == LedgerEvent.GRANTED).singleElement()
                .extracting(LedgerEntry::detail).asString()
                .contains("user=alice", "host=ws-1.example", "process=pid-42", "meta.app=cad 9.1", "meta.os=linux%3B 6.1");
        assertThat(ledger()).filteredOn(e -> e.event() == LedgerEvent.GRANTED).singleElement()
                .as("the holder typed").extracting(LedgerEntry::user, LedgerEntry::host)
                .containsExactly("alice", "ws-1.example");
        // a refresh records the latest holder and keeps the seat
        Holder moved = Holder.of("alice", "ws-2.example");
        assertThat(licensor.floating().check(device(pool, "hw-1", moved)).orElseThrow().lease().holder()).isEqualTo(moved);
        assertThat(holders(pool)).singleElement().extracting(Lease::holder).isEqualTo(moved);
    }

    @Test
    void holderBoundsAreCheckedAndARefusedHolderChangesNothing() {
        License pool = pool(2);
        licensor.floating().activate(device(pool, "hw-1", Holder.NONE)).orElseThrow();
        String tooLongValue = "v".repeat(Holder.MAX_METADATA_VALUE + 1);
        List<Holder> bad = List.of(
                Holder.of("u".repeat(257), null),
                Holder.of("al\nice", null),
                Holder.NONE.withMetadata(Map.of("k".repeat(Holder.MAX_METADATA_KEY + 1), "v")),
                Holder.NONE.withMetadata(Map.of("k", tooLongValue)),
                Holder.NONE.withMetadata(java.util.stream.IntStream.range(0, Holder.MAX_METADATA + 1).boxed()
                        .collect(Collectors.toMap(i -> "k" + i, i -> "v"))));
        int before = ledger().size();
        for (Holder h : bad) {
            assertThat(licensor.floating().check(device(pool, "hw-1", h)).code()).isEqualTo(Code.INVALID_REQUEST);
        }
        java.util.HashMap<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("k", null);
        assertThat(licensor.floating().check(device(pool, "hw-1", Holder.NONE.withMetadata(nullValue))).code())
                .isEqualTo(Code.INVALID_REQUEST);
        assertThat(holders(pool)).isEmpty();
        assertThat(ledger()).hasSize(before);
        // the largest allowed metadata is stored in full
        Map<String, String> big = java.util.stream.IntStream.range(0, Holder.MAX_METADATA).boxed()
                .collect(Collectors.toMap(i -> "k".repeat(Holder.MAX_METADATA_KEY - 3) + i, i -> "v".repeat(Holder.MAX_METADATA_VALUE)));
        Holder largest = new Holder("u".repeat(256), "h".repeat(256), "p".repeat(256), big);
        assertThat(licensor.floating().check(device(pool, "hw-1", largest)).orElseThrow().lease().holder()).isEqualTo(largest);
        assertThat(holders(pool)).singleElement().extracting(Lease::holder).isEqualTo(largest);
    }

    // ---- leasing strategies

    @Test
    void perUserLeasingGivesAUserOneSeatAcrossDevices() {
        License pool = pool(2);
        policy(pool, "LEASING USER");
        Lease first = checkout(licensor, pool, "hw-1", Holder.of("alice", "h1")).orElseThrow().lease();
        clock.advance(Duration.ofMinutes(1));
        Lease second = checkout(licensor, pool, "hw-2", Holder.of("alice", "h2")).orElseThrow().lease();
        assertThat(second.hardwareId()).isEqualTo("alice").isEqualTo(first.hardwareId());
        assertThat(second.grantedAt()).isEqualTo(first.grantedAt());
        assertThat(second.device()).isEqualTo("hw-2");
        assertThat(holders(pool)).hasSize(1);
        assertThat(checkout(licensor, pool, "hw-3", Holder.of("bob", null)).isSuccess()).isTrue();
        assertThat(checkout(licensor, pool, "hw-4", Holder.of("carol", null)).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(licensor.floating().check(device(pool, "hw-4", Holder.NONE)).code()).isEqualTo(Code.MISSING_PARAMETERS);
        // release by user frees the user's seat; the strategy cannot change while seats are held
        licensor.floating().release(device(pool, "hw-1", Holder.of("alice", null))).orElseThrow();
        assertThat(holders(pool)).extracting(Lease::hardwareId).containsExactly("bob");
        assertThat(licensor.catalog().setPolicy(pool.id(), PoolPolicy.NONE).code()).isEqualTo(Code.INVALID_REQUEST);
    }

    @Test
    void perProcessLeasingGivesEachInstanceItsOwnSeat() {
        License pool = pool(2);
        policy(pool, "LEASING PROCESS");
        Holder p1 = Holder.NONE.withProcess("1");
        Holder p2 = Holder.NONE.withProcess("2");
        assertThat(checkout(licensor, pool, "hw-1", p1).isSuccess()).isTrue();
        assertThat(checkout(licensor, pool, "hw-1", p1).isSuccess()).isTrue(); // refresh
        assertThat(checkout(licensor, pool, "hw-1", p2).isSuccess()).isTrue();
        assertThat(checkout(licensor, pool, "hw-2", p1).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(holders(pool)).extracting(Lease::device).containsExactly("hw-1", "hw-1");
        assertThat(holders(pool)).extracting(l -> l.holder().process()).containsExactlyInAnyOrder("1", "2");
        assertThat(licensor.floating().check(device(pool, "hw-1", Holder.NONE)).code()).isEqualTo(Code.MISSING_PARAMETERS);
        // an instance of a device that is not activated gets nothing
        assertThat(licensor.floating().check(device(pool, "hw-9", p1)).code()).isEqualTo(Code.DEVICE_NOT_FOUND);
    }

    // ---- the precedence table

    @Test
    void thePrecedenceTableOfDocsPoliciesMdHolds() throws IOException {
        List<String[]> rows = table(Files.readString(DOC));
        assertThat(rows).as("rows of the policies:table in " + DOC).hasSizeGreaterThanOrEqualTo(20);
        for (String[] row : rows) {
            String name = "row " + row[0];
            License pool = pool(Integer.parseInt(row[1]));
            String policy = String.join("\n", Arrays.stream(row[2].split(";")).map(String::strip).toList());
            for (String g : row[3].isBlank() ? new String[0] : row[3].split(";")) {
                String[] w = g.strip().split(" +");
                group(w[0].equals("GROUP") ? GroupKind.USER : GroupKind.HOST, w[1], Arrays.copyOfRange(w, 2, w.length));
            }
            // holders take their seats under the pool's size options only, then the policy applies
            String sizing = Arrays.stream(policy.split("\n")).filter(l -> l.startsWith("OVERDRAFT") || l.startsWith("LEASING"))
                    .collect(Collectors.joining("\n"));
            policy(pool, sizing);
            int hw = 0;
            for (String holder : row[4].isBlank() ? new String[0] : row[4].split(",")) {
                assertThat(checkout(licensor, pool, "hw-" + (++hw), who(holder)).isSuccess()).as(name + " holder " + holder).isTrue();
            }
            policy(pool, policy);
            Outcome<LicenseCheck> answer = checkout(licensor, pool, "hw-requester", who(row[5]));
            String expected = row[6];
            if (expected.startsWith("ok")) {
                assertThat(answer.isSuccess()).as(name + ": " + answer).isTrue();
                assertThat(answer.orElseThrow().lease().overLimit()).as(name + " over limit").isEqualTo(expected.equals("ok+"));
            } else {
                assertThat(answer.code().key()).as(name + ": " + answer).isEqualTo(expected);
            }
        }
    }

    /** The cells of each data row between the policies:table markers, backticks removed. */
    static List<String[]> table(String doc) {
        int from = doc.indexOf("<!-- policies:table -->");
        int to = doc.indexOf("<!-- /policies:table -->");
        assertThat(from).as("policies:table markers").isNotNegative().isLessThan(to);
        List<String[]> rows = new ArrayList<>();
        for (String line : doc.substring(from, to).split("\n")) {
            if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| #")) {
                continue;
            }
            String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|", -1);
            rows.add(Arrays.stream(cells).map(c -> c.strip().replace("`", "")).toArray(String[]::new));
        }
        return rows;
    }

    // ---- overage and borrowing

    @Test
    void anOverdraftGrantsMarkedSeatsAndNeverMore() {
        License pool = pool(4);
        policy(pool, "OVERDRAFT 1.25x"); // floor(4 * 1.25) = 5
        for (int i = 1; i <= 4; i++) {
            assertThat(checkout(licensor, pool, "hw-" + i, Holder.NONE).orElseThrow().lease().overLimit()).isFalse();
        }
        assertThat(checkout(licensor, pool, "hw-5", Holder.NONE).orElseThrow().lease().overLimit()).isTrue();
        assertThat(checkout(licensor, pool, "hw-6", Holder.NONE).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(ledger()).filteredOn(e -> e.event() == LedgerEvent.GRANTED && e.detail().contains("over_limit=true"))
                .extracting(LedgerEntry::subject).containsExactly("hw-5");
        PoolSeats seats = licensor.seats().pool(pool.id()).orElseThrow();
        assertThat(seats.capacity()).isEqualTo(5);
        assertThat(seats.overLimit()).isEqualTo(1);
        // a refresh keeps the mark
        assertThat(licensor.floating().check(device(pool, "hw-5", Holder.NONE)).orElseThrow().lease().overLimit()).isTrue();
        policy(pool, "OVERDRAFT 2");
        assertThat(checkout(licensor, pool, "hw-6", Holder.NONE).orElseThrow().lease().overLimit()).isTrue();
        assertThat(checkout(licensor, pool, "hw-7", Holder.NONE).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
    }

    @Test
    void borrowLowwaterAndTheBorrowCapLimitBorrowing() {
        License pool = pool(4);
        policy(pool, "BORROW_LOWWATER 2\nMAX_BORROW 3");
        for (int i = 1; i <= 4; i++) {
            checkout(licensor, pool, "hw-" + i, Holder.NONE).orElseThrow();
        }
        assertThat(licensor.floating().borrow(device(pool, "hw-1", Holder.NONE), null).isSuccess()).isTrue();
        assertThat(licensor.floating().borrow(device(pool, "hw-2", Holder.NONE), null).isSuccess()).isTrue();
        assertThat(licensor.floating().borrow(device(pool, "hw-3", Holder.NONE), null).code()).isEqualTo(Code.BORROW_LOWWATER_REACHED);
        // extending a running borrow is fine
        assertThat(licensor.floating().borrow(device(pool, "hw-1", Holder.NONE), null).isSuccess()).isTrue();
        assertThat(licensor.seats().pool(pool.id()).orElseThrow().borrowed()).isEqualTo(2);
        assertThat(ledger()).filteredOn(e -> e.event() == LedgerEvent.DENIED).extracting(LedgerEntry::code)
                .containsExactly(Code.BORROW_LOWWATER_REACHED);
        policy(pool, "MAX_BORROW 2");
        assertThat(licensor.floating().borrow(device(pool, "hw-3", Holder.NONE), null).code()).isEqualTo(Code.BORROW_CAP_REACHED);
        // a refused borrow of a device without a seat takes no seat either
        licensor.floating().release(device(pool, "hw-4", Holder.NONE)).orElseThrow();
        licensor.floating().activate(device(pool, "hw-5", Holder.NONE)).orElseThrow();
        assertThat(licensor.floating().borrow(device(pool, "hw-5", Holder.NONE), null).code()).isEqualTo(Code.BORROW_CAP_REACHED);
        assertThat(holders(pool)).extracting(Lease::hardwareId).doesNotContain("hw-5");
    }

    // ---- the pool view, refusals in the ledger, bad policies

    @Test
    void thePoolViewShowsHoldersBorrowedAndReservations() {
        License pool = pool(3);
        group(GroupKind.USER, "devs", "alice", "bob");
        policy(pool, "RESERVE 2 GROUP devs\nEXCLUDE USER mallory");
        checkout(licensor, pool, "hw-1", Holder.of("alice", "h1")).orElseThrow();
        checkout(licensor, pool, "hw-2", Holder.of("carol", "h2")).orElseThrow();
        licensor.floating().borrow(device(pool, "hw-2", Holder.of("carol", "h2")), null).orElseThrow();
        assertThat(checkout(licensor, pool, "hw-3", Holder.of("mallory", "h3")).code()).isEqualTo(Code.EXCLUDED);
        assertThat(checkout(licensor, pool, "hw-4", Holder.of("dave", "h4")).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        PoolSeats seats = licensor.seats().pool(pool.id()).orElseThrow();
        assertThat(seats.seats()).isEqualTo(3);
        assertThat(seats.holders()).extracting(l -> l.holder().user()).containsExactly("alice", "carol");
        assertThat(seats.borrowed()).isEqualTo(1);
        assertThat(seats.reservations()).singleElement().satisfies(r -> {
            assertThat(r.inUse()).isEqualTo(1);
            assertThat(r.unused()).isEqualTo(1);
        });
        assertThat(ledger()).filteredOn(e -> e.event() == LedgerEvent.DENIED)
                .extracting(LedgerEntry::code, e -> e.detail().contains("user=") && e.user() != null)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Code.EXCLUDED, true),
                        org.assertj.core.groups.Tuple.tuple(Code.FLOATING_NOT_AVAILABLE, true));
    }

    @Test
    void badPoliciesAreRefusedAndChangeNothing() {
        License pool = pool(2);
        License notFloating = licensor.catalog().createLicense(License.builder(PRODUCT).key("NF").build()).orElseThrow();
        assertThat(licensor.catalog().setPolicy(pool.id(), PoolPolicy.parse("RESERVE 3 USER a")).code()).isEqualTo(Code.INVALID_REQUEST);
        assertThat(licensor.catalog().setPolicy(pool.id(), PoolPolicy.parse("BORROW_LOWWATER 3")).code()).isEqualTo(Code.INVALID_REQUEST);
        assertThat(licensor.catalog().setPolicy(pool.id(), PoolPolicy.parse("MAX 1 GROUP nobody")).code()).isEqualTo(Code.INVALID_REQUEST);
        assertThat(licensor.catalog().setPolicy(notFloating.id(), PoolPolicy.NONE).code()).isEqualTo(Code.INVALID_REQUEST);
        assertThat(licensor.catalog().setPolicy(999_999, PoolPolicy.NONE).code()).isEqualTo(Code.LICENSE_NOT_FOUND);
        assertThat(licensor.catalog().setPolicy(pool.id(), null).code()).isEqualTo(Code.MISSING_PARAMETERS);
        assertThat(licensor.catalog().policy(pool.id())).contains(PoolPolicy.NONE);
        for (String text : List.of("RESERVE x USER a", "MAX 0 USER a", "INCLUDE PROJECT a", "OVERDRAFT 3x", "FOO", "LEASING")) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> PoolPolicy.parse(text)))
                    .as(text).isInstanceOfSatisfying(dev.licensor.outcome.LicensingException.class,
                            e -> assertThat(e.code()).isEqualTo(Code.INVALID_REQUEST));
        }
        String text = "LEASING USER\nOVERDRAFT 1.5x\nEXCLUDE USER m\nRESERVE 1 HOST h\nMAX 2 USER a\nBORROW_LOWWATER 1\nMAX_BORROW 1\n";
        policy(pool, text);
        assertThat(licensor.catalog().policy(pool.id())).hasValueSatisfying(p -> assertThat(p.text()).isEqualTo(text));
    }

    @Test
    void usageByUserAndGroupIsReplayedFromTheLedger() {
        License pool = pool(2);
        group(GroupKind.USER, "devs", "alice", "bob");
        policy(pool, "MAX 2 GROUP devs");
        checkout(licensor, pool, "hw-1", Holder.of("alice", null)).orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        checkout(licensor, pool, "hw-2", Holder.of("alice", null)).orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        assertThat(checkout(licensor, pool, "hw-3", Holder.of("bob", null)).code()).isEqualTo(Code.USER_CAP_REACHED);
        clock.advance(Duration.ofMinutes(1));
        licensor.floating().release(device(pool, "hw-1", Holder.of("alice", null))).orElseThrow();
        licensor.floating().check(device(pool, "hw-3", Holder.of("bob", null))).orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        assertThat(checkout(licensor, pool, "hw-4", Holder.of("carol", null)).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        var all = licensor.seats().usage(pool.id(), START, START.plus(Duration.ofMinutes(10))).orElseThrow();
        assertThat(all.byUser()).containsExactly(new dev.licensor.policy.PoolUsage.Usage("alice", 2, 0),
                new dev.licensor.policy.PoolUsage.Usage("bob", 1, 1), new dev.licensor.policy.PoolUsage.Usage("carol", 0, 1));
        assertThat(all.byGroup()).containsExactly(new dev.licensor.policy.PoolUsage.Usage("devs", 2, 1));
        // a later range starts from the seats held then
        var later = licensor.seats().usage(pool.id(), START.plus(Duration.ofMinutes(3)).plusSeconds(1),
                START.plus(Duration.ofMinutes(10))).orElseThrow();
        assertThat(later.byUser()).containsExactly(new dev.licensor.policy.PoolUsage.Usage("alice", 1, 0),
                new dev.licensor.policy.PoolUsage.Usage("bob", 1, 0), new dev.licensor.policy.PoolUsage.Usage("carol", 0, 1));
        assertThat(licensor.seats().usage(pool.id(), START, START).code()).isEqualTo(Code.INVALID_REQUEST);
    }

    // ---- races

    /** Runs {@code n} tasks at once (released together), over two engines sharing the store. */
    private <T> List<T> race(int n, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<T> c = task.apply(i);
                futures.add(pool.submit(() -> {
                    go.await();
                    return c.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reservedSeatsAreNeverTakenByOthersUnderRaces() throws Exception {
        Licensor other = policyEngine(policyStore, clock).build();
        group(GroupKind.USER, "devs", "d0", "d1", "d2", "d3");
        for (int round = 0; round < 6; round++) {
            License pool = pool(4);
            policy(pool, "RESERVE 2 GROUP devs\nEXCLUDE USER x0\nMAX 1 USER o1");
            // 4 developers, 8 others (o1 twice on two devices, x0 excluded)
            String[] users = {"d0", "d1", "d2", "d3", "o0", "o1", "o1", "o2", "o3", "o4", "o5", "x0"};
            for (int i = 0; i < users.length; i++) {
                licensor.floating().activate(device(pool, "hw-" + i, Holder.NONE)).orElseThrow();
            }
            List<Outcome<LicenseCheck>> outcomes = race(users.length, i -> () ->
                    (i % 2 == 0 ? licensor : other).floating().check(device(pool, "hw-" + i, Holder.of(users[i], null))));
            List<Lease> held = holders(pool);
            assertThat(held).as("round %d: every seat is taken, none twice", round).hasSize(4);
            long devs = held.stream().filter(l -> l.holder().user().startsWith("d")).count();
            assertThat(devs).as("round %d: the 2 reserved seats went to developers", round).isGreaterThanOrEqualTo(2);
            assertThat(held).extracting(l -> l.holder().user()).doesNotContain("x0");
            assertThat(held.stream().filter(l -> l.holder().user().equals("o1")).count()).isLessThanOrEqualTo(1);
            assertThat(outcomes.get(11).code()).isEqualTo(Code.EXCLUDED);
            assertThat(outcomes.stream().filter(Outcome::isSuccess).count()).isEqualTo(4);
            for (Outcome<LicenseCheck> o : outcomes) {
                if (!o.isSuccess()) {
                    assertThat(o.code()).isIn(Code.FLOATING_NOT_AVAILABLE, Code.EXCLUDED, Code.USER_CAP_REACHED);
                }
            }
        }
    }

    @Test
    void capsIncludeListsAndTheOverdraftHoldUnderRaces() throws Exception {
        Licensor other = policyEngine(policyStore, clock).build();
        group(GroupKind.HOST, "lab", "h0", "h1", "h2");
        for (int round = 0; round < 6; round++) {
            License pool = pool(4);
            policy(pool, "OVERDRAFT 1.5x\nINCLUDE HOST_GROUP lab\nMAX 2 USER bob");
            // 12 threads: 6 of bob on lab hosts, 3 of others on lab hosts, 3 from outside the lab
            int n = 12;
            for (int i = 0; i < n; i++) {
                licensor.floating().activate(device(pool, "hw-" + i, Holder.NONE)).orElseThrow();
            }
            List<Outcome<LicenseCheck>> outcomes = race(n, i -> () -> {
                Holder h = i < 6 ? Holder.of("bob", "h" + (i % 3)) : i < 9 ? Holder.of("u" + i, "h" + (i % 3)) : Holder.of("u" + i, "x" + i);
                return (i % 2 == 0 ? licensor : other).floating().check(device(pool, "hw-" + i, h));
            });
            List<Lease> held = holders(pool);
            assertThat(held).as("round %d: 4 seats + floor(4 * 0.5) overdraft", round).hasSize(5);
            assertThat(held.stream().filter(l -> l.holder().user().equals("bob")).count()).isEqualTo(2);
            assertThat(held).allSatisfy(l -> assertThat(l.holder().host()).startsWith("h"));
            assertThat(held.stream().filter(Lease::overLimit).count()).as("round %d over limit", round).isEqualTo(1);
            for (int i = 9; i < n; i++) {
                assertThat(outcomes.get(i).code()).isEqualTo(Code.NOT_INCLUDED);
            }
            assertThat(outcomes.subList(0, 6).stream().filter(o -> o.code() == Code.USER_CAP_REACHED).count())
                    .as("round %d: bob's four extra tries", round).isEqualTo(4);
        }
    }
}
