package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.event.LicensorEvent;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.floating.PoolSeats;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.Overdraft;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.PoolUsage;
import dev.licensor.policy.SeatGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seat policies with real names and at the edges (issue 26, rows P1 to P12 and E1), the same on
 * every store: names holding {@code #}, spaces and separators, per-process seat keys, the queue
 * beside a reservation, overflow, the order of checks on borrow, seats of a deactivated device,
 * one holder everywhere after a refresh, a refusal by {@code awaitSeat} in the ledger, nulls in
 * the policy types, and listeners that throw anything.
 *
 * <p>Not thread-safe: JUnit creates one instance per test.
 */
public abstract class PolicyEdgesContract extends ContractBase {
    private static final String PRODUCT = "cad";
    private int licenses;

    @BeforeEach
    void defineProduct() {
        ok(licensor.catalog().defineProduct(new Product(PRODUCT, "CAD", TIMEOUT, MAX_BORROW)));
    }

    private License pool(int seats, boolean borrow) {
        return ok(licensor.catalog().createLicense(License.builder(PRODUCT).key("E-" + (++licenses))
                .maxActivations(1_000).floatingSeats(seats).borrowAllowed(borrow).build()));
    }

    private static DeviceRequest device(License pool, String hw, Holder holder) {
        return DeviceRequest.byKey(PRODUCT, pool.key(), hw).withHolder(holder);
    }

    private void on(License pool, String hw) {
        ok(licensor.floating().activate(device(pool, hw, Holder.NONE)));
    }

    /** Activates {@code user}'s own device ("hw-" + user) and takes a seat for the user. */
    private Lease seat(License pool, String user) {
        on(pool, "hw-" + user);
        return ok(licensor.floating().check(device(pool, "hw-" + user, Holder.of(user, null)))).lease();
    }

    private Code checkAs(License pool, String user) {
        on(pool, "hw-" + user);
        return licensor.floating().check(device(pool, "hw-" + user, Holder.of(user, null))).code();
    }

    private void policy(License pool, PoolPolicy policy) {
        ok(licensor.catalog().setPolicy(pool.id(), policy));
    }

    private static PoolPolicy rules(PolicyRule... rules) {
        return new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE, List.of(rules), 0, 0, 0);
    }

    private List<LedgerEntry> entries() {
        return licensor.ledger().between(START.minusSeconds(1), Instant.parse("9999-01-01T00:00:00Z"), 100_000);
    }

    // ---- P1: a reserved seat is not held back by a queue that cannot use it

    @Test
    void aRequesterTakesItsReservedSeatWhileOthersQueue() {
        License pool = pool(3, false);
        policy(pool, new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE,
                List.of(PolicyRule.reserve(1, PolicyRule.TargetType.USER, "alice")), 0, 0, 5));
        seat(pool, "bob");
        seat(pool, "carol");
        on(pool, "hw-dave");
        assertThat(licensor.floating().checkOrQueue(device(pool, "hw-dave", Holder.of("dave", null))).code())
                .isEqualTo(Code.QUEUED);

        assertThat(checkAs(pool, "alice")).isEqualTo(Code.OK); // precedence table row 10, queue or not
        assertThat(ok(licensor.seats().holders(pool.id()))).extracting(l -> l.holder().user())
                .containsExactlyInAnyOrder("bob", "carol", "alice");
        // dave, still first in the queue, takes the next seat that frees
        ok(licensor.floating().release(device(pool, "hw-bob", Holder.of("bob", null))));
        assertThat(checkAs(pool, "erin")).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(licensor.floating().checkOrQueue(device(pool, "hw-dave", Holder.of("dave", null))).code())
                .isEqualTo(Code.OK);
    }

    @Test
    void aFreeSeatIsKeptForTheQueueEvenWhenReservedSeatsAreUnused() {
        License pool = pool(3, false);
        policy(pool, new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE,
                List.of(PolicyRule.reserve(1, PolicyRule.TargetType.USER, "alice")), 0, 0, 5));
        seat(pool, "bob");
        seat(pool, "carol");
        on(pool, "hw-dave");
        assertThat(licensor.floating().checkOrQueue(device(pool, "hw-dave", Holder.of("dave", null))).code())
                .isEqualTo(Code.QUEUED);
        ok(licensor.floating().release(device(pool, "hw-bob", Holder.of("bob", null))));
        // one free seat and one reserved for alice: the free one is dave's, not erin's
        assertThat(checkAs(pool, "erin")).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(checkAs(pool, "alice")).isEqualTo(Code.OK);
        assertThat(licensor.floating().checkOrQueue(device(pool, "hw-dave", Holder.of("dave", null))).code())
                .isEqualTo(Code.OK);
    }

    // ---- P2, P3: names are names, whatever they hold

    @Test
    void aNameWithAHashIsExcludedWholeAndOnlyItself() {
        License pool = pool(3, false);
        policy(pool, rules(PolicyRule.exclude(PolicyRule.TargetType.USER, "eve#laptop")));
        assertThat(licensor.catalog().policy(pool.id()).orElseThrow().rules())
                .containsExactly(PolicyRule.exclude(PolicyRule.TargetType.USER, "eve#laptop"));
        assertThat(checkAs(pool, "eve#laptop")).isEqualTo(Code.EXCLUDED);
        assertThat(checkAs(pool, "eve")).isEqualTo(Code.OK);
    }

    @Test
    void namesWithSpacesAndTrailingWhiteSpaceWork() {
        License pool = pool(4, false);
        PoolPolicy policy = rules(PolicyRule.exclude(PolicyRule.TargetType.USER, "John Smith"),
                PolicyRule.exclude(PolicyRule.TargetType.USER, "bob\u2003"),
                PolicyRule.reserve(1, PolicyRule.TargetType.USER, " padded "));
        policy(pool, policy);
        assertThat(licensor.catalog().policy(pool.id())).contains(policy);
        assertThat(ok(licensor.seats().pool(pool.id())).policy()).isEqualTo(policy);
        assertThat(checkAs(pool, "John Smith")).isEqualTo(Code.EXCLUDED);
        assertThat(checkAs(pool, "John")).isEqualTo(Code.OK);
        assertThat(checkAs(pool, "bob\u2003")).isEqualTo(Code.EXCLUDED);
        assertThat(checkAs(pool, "bob")).isEqualTo(Code.OK);
        assertThat(checkAs(pool, " padded ")).isEqualTo(Code.OK);
        // setting it again (a repair) works too, and a group of such names reads back whole
        SeatGroup group = new SeatGroup(GroupKind.USER, "night shift", List.of("Mary Ann", "x#y", "z; w"));
        ok(licensor.catalog().defineGroup(group));
        assertThat(licensor.catalog().group(GroupKind.USER, "night shift")).contains(group);
        policy(pool, rules(PolicyRule.include(PolicyRule.TargetType.GROUP, "night shift")));
        assertThat(checkAs(pool, "x#y")).isEqualTo(Code.OK);
        assertThat(checkAs(pool, "x")).isEqualTo(Code.NOT_INCLUDED);
    }

    // ---- P4: an administrator frees a per-process seat by its key

    @Test
    void forceReleaseTakesAPerProcessSeatKey() {
        License pool = pool(2, false);
        policy(pool, PoolPolicy.NONE.withLeasing(LeasingStrategy.PROCESS));
        on(pool, "hw-1");
        Lease lease = ok(licensor.floating().check(device(pool, "hw-1", Holder.NONE.withProcess("pid-7")))).lease();
        assertThat(lease.hardwareId()).isEqualTo("hw-1\u001Fpid-7");

        assertThat(ok(licensor.seats().forceRelease(pool.id(), "hw-1\u001Fpid-7")).hardwareId())
                .isEqualTo("hw-1\u001Fpid-7");
        assertThat(ok(licensor.seats().holders(pool.id()))).isEmpty();
        // still refused: a control character anywhere else, an empty part
        for (String bad : List.of("hw-1\u001Fpid\u001F7", "hw\n1", "\u001Fpid-7", "hw-1\u001F")) {
            assertThat(licensor.seats().forceRelease(pool.id(), bad).code()).as(bad)
                    .isIn(Code.INVALID_REQUEST, Code.MISSING_PARAMETERS);
        }
    }

    // ---- E1: a listener that throws anything is contained

    @Test
    void aListenerThrowingACheckedExceptionOrAnErrorIsContained() {
        List<LicensorEvent> heard = new ArrayList<>();
        Licensor engine = under.engine(store, clock)
                .listener(event -> sneakyThrow(new java.io.IOException("checked, thrown as Kotlin does")))
                .listener(event -> {
                    throw new AssertionError("a failed assert in a listener");
                })
                .listener(heard::add)
                .build();
        License pool = pool(1, false);
        assertThat(engine.floating().activate(device(pool, "hw-1", Holder.NONE)).isSuccess()).isTrue();
        assertThat(engine.floating().check(device(pool, "hw-1", Holder.NONE)).isSuccess()).isTrue();
        assertThat(heard).hasSize(2);
        assertThat(heard.get(0)).isInstanceOf(LicensorEvent.DeviceActivated.class);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    // ---- P6: usage names users as given; metadata never poses as a user

    @Test
    void usageReportsUsersAsGivenAndNeverReadsAUserOutOfMetadata() {
        License pool = pool(3, false);
        policy(pool, rules(PolicyRule.max(1, PolicyRule.TargetType.USER, "ali]ce"),
                PolicyRule.exclude(PolicyRule.TargetType.HOST, "h] [user=root")));
        seat(pool, "ali]ce");
        on(pool, "hw-2");
        assertThat(licensor.floating().check(device(pool, "hw-2", Holder.of("ali]ce", null))).code())
                .isEqualTo(Code.USER_CAP_REACHED);
        // no user, but metadata and a host that look like one
        on(pool, "hw-3");
        ok(licensor.floating().check(device(pool, "hw-3",
                Holder.NONE.withMetadata(Map.of("x; user=root; y", "v", "k", "a; user=root")))));
        on(pool, "hw-4");
        assertThat(licensor.floating().check(device(pool, "hw-4", Holder.of(null, "h] [user=root"))).code())
                .isEqualTo(Code.EXCLUDED);

        PoolUsage usage = ok(licensor.seats().usage(pool.id(), START, START.plus(Duration.ofHours(1))));
        assertThat(usage.byUser()).extracting(PoolUsage.Usage::name).containsExactly("ali]ce");
        assertThat(usage.byUser().get(0).peakSeats()).isEqualTo(1);
        assertThat(usage.byUser().get(0).refusals()).isEqualTo(1);
    }

    // ---- P5: no overflow at the largest pool

    @Test
    void theLargestPoolWithAnOverdraftFactorDoesNotOverflow() {
        License pool = ok(licensor.catalog().createLicense(License.builder(PRODUCT).key("HUGE")
                .maxActivations(10).floatingSeats(Integer.MAX_VALUE).build()));
        policy(pool, PoolPolicy.NONE.withOverdraft(Overdraft.factor(2)));
        assertThat(ok(licensor.seats().pool(pool.id())).capacity()).isEqualTo(Integer.MAX_VALUE);
        assertThat(checkAs(pool, "alice")).isEqualTo(Code.OK);
    }

    // ---- P7: borrow answers in the documented order: the policy first

    @Test
    void anExcludedUserBorrowingFromALicenseWithoutBorrowingIsToldExcluded() {
        License pool = pool(2, false);
        policy(pool, rules(PolicyRule.exclude(PolicyRule.TargetType.USER, "mallory")));
        on(pool, "hw-m");
        assertThat(licensor.floating().borrow(device(pool, "hw-m", Holder.of("mallory", null)), null).code())
                .isEqualTo(Code.EXCLUDED);
        assertThat(licensor.floating().borrow(device(pool, "hw-m", Holder.of("bob", null)), null).code())
                .isEqualTo(Code.LICENSE_BORROW_NOT_ALLOWED);
        assertThat(ok(licensor.seats().holders(pool.id()))).isEmpty(); // the refused borrow took no seat
    }

    // ---- P8: no seat outlives its device's activation; a borrowed seat holds it back until it ends

    @Test
    void deactivatingADeviceFreesEverySeatOnIt() {
        License pool = pool(5, true);
        policy(pool, PoolPolicy.NONE.withLeasing(LeasingStrategy.PROCESS));
        on(pool, "hw-1");
        on(pool, "hw-2");
        for (String pid : List.of("p1", "p2", "p3")) {
            ok(licensor.floating().check(device(pool, "hw-1", Holder.NONE.withProcess(pid))));
        }
        ok(licensor.floating().borrow(device(pool, "hw-1", Holder.NONE.withProcess("p4")),
                clock.instant().plus(Duration.ofMinutes(5))));
        ok(licensor.floating().check(device(pool, "hw-2", Holder.NONE.withProcess("p1"))));

        // while one process's borrow runs, its signed lease is out: the device cannot be
        // deactivated, and nothing changes (issue 27, S2)
        assertThat(licensor.floating().deactivate(device(pool, "hw-1", Holder.NONE.withProcess("p2"))).code())
                .isEqualTo(Code.SEAT_BORROWED);
        assertThat(ok(licensor.seats().holders(pool.id()))).hasSize(5);

        clock.advance(Duration.ofMinutes(6)); // the borrow ended; every seat is still live
        ok(licensor.floating().deactivate(device(pool, "hw-1", Holder.NONE.withProcess("p2"))));
        assertThat(ok(licensor.seats().holders(pool.id()))).extracting(Lease::device).containsExactly("hw-2");
        assertThat(entries()).filteredOn(e -> e.event() == LedgerEvent.RELEASED).extracting(LedgerEntry::subject)
                .containsExactlyInAnyOrder("hw-1\u001Fp1", "hw-1\u001Fp2", "hw-1\u001Fp3", "hw-1\u001Fp4");
        // a deactivation that names no process frees them too
        ok(licensor.floating().activate(device(pool, "hw-1", Holder.NONE)));
        ok(licensor.floating().check(device(pool, "hw-1", Holder.NONE.withProcess("p9"))));
        ok(licensor.floating().deactivate(device(pool, "hw-1", Holder.NONE)));
        assertThat(ok(licensor.seats().holders(pool.id()))).extracting(Lease::device).containsExactly("hw-2");
    }

    // ---- P9: one holder, everywhere

    @Test
    void aSeatRefreshedByAnotherUserHasOneHolderEverywhere() {
        License pool = pool(3, false);
        policy(pool, rules(PolicyRule.max(1, PolicyRule.TargetType.USER, "bob")));
        on(pool, "hw-1");
        ok(licensor.floating().check(device(pool, "hw-1", Holder.of("alice", null))));
        seat(pool, "bob");
        // bob already holds his one seat: he cannot take alice's by refreshing it
        assertThat(licensor.floating().check(device(pool, "hw-1", Holder.of("bob", null))).code())
                .isEqualTo(Code.USER_CAP_REACHED);
        assertThat(ok(licensor.seats().holders(pool.id()))).extracting(l -> l.holder().user())
                .containsExactlyInAnyOrder("alice", "bob");
        // carol may: from then on the seat is carol's in the pool view, the counts and usage()
        clock.advance(Duration.ofMinutes(1));
        ok(licensor.floating().check(device(pool, "hw-1", Holder.of("carol", null))));
        PoolSeats view = ok(licensor.seats().pool(pool.id()));
        assertThat(view.holders()).extracting(l -> l.holder().user()).containsExactlyInAnyOrder("carol", "bob");
        clock.advance(Duration.ofMinutes(1));
        PoolUsage now = ok(licensor.seats().usage(pool.id(), START.plus(Duration.ofSeconds(90)),
                START.plus(Duration.ofMinutes(3))));
        assertThat(now.byUser()).extracting(PoolUsage.Usage::name).containsExactly("bob", "carol");
        ok(licensor.floating().release(device(pool, "hw-1", Holder.of("carol", null))));
        PoolUsage all = ok(licensor.seats().usage(pool.id(), START, START.plus(Duration.ofHours(1))));
        assertThat(all.byUser()).extracting(u -> u.name() + "=" + u.peakSeats())
                .containsExactly("alice=1", "bob=1", "carol=1");
    }

    // ---- P10: a wait that times out is a refusal like any other

    @Test
    void awaitSeatTimingOutIsRecordedAsDenied() {
        License pool = pool(1, false);
        policy(pool, new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE, List.of(), 0, 0, 3));
        seat(pool, "alice");
        on(pool, "hw-bob");
        assertThat(licensor.floating().awaitSeat(device(pool, "hw-bob", Holder.of("bob", null)), Duration.ZERO).code())
                .isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(entries()).filteredOn(e -> e.subject().equals("hw-bob")).extracting(LedgerEntry::event)
                .containsExactly(LedgerEvent.ACTIVATED, LedgerEvent.QUEUED, LedgerEvent.DENIED);
        assertThat(entries()).filteredOn(e -> e.event() == LedgerEvent.DENIED).singleElement()
                .satisfies(e -> assertThat(e.code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE));
        assertThat(ok(licensor.seats().pool(pool.id())).queued()).isEmpty();
        assertThat(ok(licensor.seats().usage(pool.id(), START, START.plusSeconds(1))).byUser())
                .filteredOn(u -> u.name().equals("bob")).singleElement()
                .satisfies(u -> assertThat(u.refusals()).isEqualTo(1));
    }

    // ---- P11, P12: nulls and negatives are typed refusals that change nothing

    @Test
    void nullsInPolicyTypesAreMissingParameters() {
        License pool = pool(2, false);
        List<PolicyRule> withNull = Arrays.asList(PolicyRule.exclude(PolicyRule.TargetType.USER, "a"), null);
        List<PoolPolicy> bad = List.of(
                rules(new PolicyRule(null, 0, PolicyRule.TargetType.USER, "a")),
                rules(new PolicyRule(PolicyRule.Kind.EXCLUDE, 0, null, "a")),
                rules(new PolicyRule(PolicyRule.Kind.EXCLUDE, 0, PolicyRule.TargetType.USER, null)),
                new PoolPolicy(null, Overdraft.NONE, List.of(), 0, 0, 0),
                new PoolPolicy(LeasingStrategy.DEVICE, null, List.of(), 0, 0, 0),
                new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE, withNull, 0, 0, 0));
        for (PoolPolicy policy : bad) {
            rejected("setPolicy " + policy, Code.MISSING_PARAMETERS, () -> licensor.catalog().setPolicy(pool.id(), policy));
        }
        rejected("setPolicy null", Code.MISSING_PARAMETERS, () -> licensor.catalog().setPolicy(pool.id(), null));
        rejected("defineGroup null", Code.MISSING_PARAMETERS, () -> licensor.catalog().defineGroup(null));
        rejected("group of no kind", Code.MISSING_PARAMETERS,
                () -> licensor.catalog().defineGroup(new SeatGroup(null, "g", List.of("a"))));
        rejected("group of no name", Code.MISSING_PARAMETERS,
                () -> licensor.catalog().defineGroup(new SeatGroup(GroupKind.USER, null, List.of("a"))));
        rejected("group with a null member", Code.MISSING_PARAMETERS,
                () -> licensor.catalog().defineGroup(new SeatGroup(GroupKind.USER, "g", Arrays.asList("a", null))));
        assertThat(licensor.catalog().policy(pool.id())).contains(PoolPolicy.NONE);
    }

    @Test
    void aNegativeQueueLengthIsRefused() {
        License pool = pool(2, false);
        rejected("queue -5", Code.INVALID_REQUEST, () -> licensor.catalog().setPolicy(pool.id(),
                new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE, List.of(), 0, 0, -5)));
        assertThat(licensor.catalog().policy(pool.id())).contains(PoolPolicy.NONE);
    }
}
