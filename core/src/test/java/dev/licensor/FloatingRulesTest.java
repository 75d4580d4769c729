package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.floating.Activation;
import dev.licensor.floating.ConsumptionBalance;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.floating.QueueEntry;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.Overdraft;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.PoolLoad;
import dev.licensor.store.PoolState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The floating decisions on plain values: each test builds a pool by hand ({@link TestPool}),
 * decides, and checks the code and the changes. No store, no clock: what the shared suite checks
 * end to end on every store, here one rule at a time, for every code each operation can return.
 */
class FloatingRulesTest {
    static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    static final Product CAD = new Product("cad", "CAD", TIMEOUT, Duration.ofDays(1));
    static final long ID = 7;

    static DeviceTarget device(String hw) {
        return DeviceTarget.validate(DeviceRequest.byKey("cad", "K", hw));
    }

    static DeviceTarget holder(String hw, Holder h) {
        return DeviceTarget.validate(new DeviceRequest("cad", "K", null, null, hw, h));
    }

    static License floating(int seats) {
        return License.builder("cad").key("K").maxActivations(100).floatingSeats(seats).build().withId(ID);
    }

    static Lease lease(String key, Instant expires) {
        return new Lease(ID, key, NOW.minusSeconds(60), NOW.minusSeconds(60), expires, null);
    }

    static Lease lease(String key, Holder h) {
        return new Lease(ID, key, NOW.minusSeconds(60), NOW.minusSeconds(60), NOW.plus(TIMEOUT), null, key, h, false);
    }

    static <T> T value(FloatingRules.Decision<T> d) {
        assertThat(d).isInstanceOf(FloatingRules.Granted.class);
        return ((FloatingRules.Granted<T>) d).value();
    }

    static PoolChanges changes(FloatingRules.Decision<?> d) {
        if (d instanceof FloatingRules.Queued<?> q) {
            return q.changes();
        }
        assertThat(d).isInstanceOf(FloatingRules.Granted.class);
        return ((FloatingRules.Granted<?>) d).changes();
    }

    static FloatingRules.Refused<?> refused(FloatingRules.Decision<?> d, Code code) {
        assertThat(d).isInstanceOf(FloatingRules.Refused.class);
        FloatingRules.Refused<?> r = (FloatingRules.Refused<?>) d;
        assertThat(r.code()).as(r.message()).isEqualTo(code);
        return r;
    }

    static List<LedgerEvent> events(PoolChanges c) {
        return c.ledger().stream().map(LedgerEntry::event).toList();
    }

    /** Every operation's check of the license it loaded: blacklist, switches, validity, in that order. */
    @Nested
    class Admission {
        @Test
        void aBlacklistedDeviceIsRefusedBeforeTheSwitches() {
            TestPool pool = new TestPool(floating(1).withSwitches(false, false)).activated("hw").blacklisted();
            FloatingRules.Refused<?> r = refused(FloatingRules.check(pool.seat(device("hw")), CAD, device("hw"),
                    NOW, false), Code.BLACKLISTED);
            assertThat(r.licenseId()).as("a licensing denial names the pool").isEqualTo(ID);
            assertThat(r.subject()).isEqualTo("hw");
        }

        @Test
        void aDisabledThenInactiveThenExpiredLicenseIsRefused() {
            TestPool disabled = new TestPool(floating(1).withSwitches(false, false)).activated("hw");
            refused(FloatingRules.release(disabled.keys(device("hw")), device("hw"), NOW), Code.LICENSE_NOT_ENABLED);
            TestPool inactive = new TestPool(floating(1).withSwitches(true, false)).activated("hw");
            refused(FloatingRules.deactivate(inactive.all(device("hw")), device("hw"), NOW), Code.LICENSE_NOT_ACTIVE);
            License notYet = License.builder("cad").key("K").validFrom(NOW.plusSeconds(1)).build().withId(ID);
            refused(FloatingRules.activate(new TestPool(notYet).activation(device("hw")), device("hw"), NOW, false),
                    Code.LICENSE_NOT_ACTIVE);
            License expired = License.builder("cad").key("K").type(LicenseType.CONSUMPTION).validUntil(NOW)
                    .build().withId(ID);
            refused(Metering.addConsumption(new TestPool(expired).activated("hw").license(device("hw")),
                    device("hw"), NOW, 1, false, null), Code.LICENSE_EXPIRED);
        }
    }

    /** A check answers the pool's live seats once its own changes are applied (deletes before puts). */
    @Nested
    class SeatsInUse {
        int seatsInUse(TestPool pool) {
            return value(FloatingRules.check(pool.seat(device("hw")), CAD, device("hw"), NOW, false)).seatsInUse();
        }

        TestPool pool() {
            return new TestPool(floating(3)).activated("hw").lease(lease("live", NOW.plusSeconds(60)));
        }

        @Test
        void aGrantCountsItsSeatNotTheLapsedOnesItSweeps() {
            assertThat(seatsInUse(pool().lease(lease("gone", NOW.minusSeconds(1))))).isEqualTo(2);
        }

        @Test
        void aRefreshCountsItsSeatOnce() {
            assertThat(seatsInUse(pool().lease(lease("hw", NOW.plusSeconds(60))))).isEqualTo(2);
        }

        @Test
        void theRequestersLapsedSeatFreedAndTakenAgainCountsOnce() {
            TestPool pool = pool().lease(lease("hw", NOW.minusSeconds(1)));
            FloatingRules.Decision<LicenseCheck> d = FloatingRules.check(pool.seat(device("hw")), CAD, device("hw"),
                    NOW, false);
            assertThat(changes(d).leaseDeletes()).containsExactly("hw");
            assertThat(changes(d).leasePuts()).extracting(Lease::hardwareId).containsExactly("hw");
            assertThat(value(d).seatsInUse()).isEqualTo(2);
        }
    }

    @Nested
    class Activate {
        @Test
        void aNewDeviceIsBoundAndRecorded() {
            TestPool pool = new TestPool(License.builder("cad").key("K").maxActivations(1).build().withId(ID));
            FloatingRules.Decision<FloatingRules.Bound> d = FloatingRules.activate(pool.activation(device("hw")),
                    device("hw"), NOW, false);
            assertThat(value(d).activation()).isEqualTo(new Activation(ID, "hw", NOW));
            assertThat(changes(d).activationPut()).isEqualTo(new Activation(ID, "hw", NOW));
            assertThat(events(changes(d))).containsExactly(LedgerEvent.ACTIVATED);
        }

        @Test
        void aBoundDeviceGetsItsBindingAndChangesNothing() {
            TestPool pool = new TestPool(License.builder("cad").key("K").maxActivations(1).build().withId(ID))
                    .activated("hw");
            FloatingRules.Decision<FloatingRules.Bound> d = FloatingRules.activate(pool.activation(device("hw")),
                    device("hw"), NOW, false);
            assertThat(value(d).activation().activatedAt()).isEqualTo(NOW.minusSeconds(3600));
            assertThat(changes(d).isEmpty()).isTrue();
        }

        @Test
        void aFullLicenseRefusesAnotherDevice() {
            TestPool pool = new TestPool(License.builder("cad").key("K").maxActivations(1).build().withId(ID))
                    .activated("other");
            refused(FloatingRules.activate(pool.activation(device("hw")), device("hw"), NOW, false),
                    Code.LICENSE_ACTIVATED_MAX_TIMES);
        }

        @Test
        void aFloatingLicenseIsNotActivatedOffline() {
            TestPool pool = new TestPool(floating(1));
            refused(FloatingRules.activate(pool.activation(device("hw")), device("hw"), NOW, true),
                    Code.FLOATING_NOT_AVAILABLE);
            assertThat(value(FloatingRules.activate(pool.activation(device("hw")), device("hw"), NOW, false)))
                    .as("online it is").isNotNull();
        }
    }

    @Nested
    class CheckWithoutPolicy {
        @Test
        void anUnknownDeviceIsRefused() {
            refused(FloatingRules.check(new TestPool(floating(1)).seat(device("hw")), CAD, device("hw"), NOW, false),
                    Code.DEVICE_NOT_FOUND);
        }

        @Test
        void aNonFloatingLicenseAnswersWithoutASeat() {
            TestPool pool = new TestPool(License.builder("cad").key("K").build().withId(ID)).activated("hw");
            FloatingRules.Decision<LicenseCheck> d = FloatingRules.check(pool.seat(device("hw")), CAD, device("hw"),
                    NOW, false);
            assertThat(value(d).lease()).isNull();
            assertThat(changes(d).isEmpty()).isTrue();
        }

        @Test
        void aFreeSeatIsGrantedAndRecorded() {
            TestPool pool = new TestPool(floating(1)).activated("hw");
            FloatingRules.Decision<LicenseCheck> d = FloatingRules.check(pool.seat(device("hw")), CAD, device("hw"),
                    NOW, false);
            Lease lease = value(d).lease();
            assertThat(lease.expiresAt()).isEqualTo(NOW.plus(TIMEOUT));
            assertThat(changes(d).leasePuts()).containsExactly(lease);
            assertThat(events(changes(d))).containsExactly(LedgerEvent.GRANTED);
        }

        @Test
        void aHeldSeatIsRefreshedKeepingItsGrantTime() {
            TestPool pool = new TestPool(floating(1)).activated("hw").lease(lease("hw", NOW.plusSeconds(5)));
            FloatingRules.Decision<LicenseCheck> d = FloatingRules.check(pool.seat(device("hw")), CAD, device("hw"),
                    NOW, false);
            assertThat(value(d).lease().grantedAt()).isEqualTo(NOW.minusSeconds(60));
            assertThat(value(d).lease().expiresAt()).isEqualTo(NOW.plus(TIMEOUT));
            assertThat(events(changes(d))).containsExactly(LedgerEvent.REFRESHED);
        }

        @Test
        void aFullPoolRefusesAndWritesNothing() {
            TestPool pool = new TestPool(floating(1)).activated("hw").lease(lease("other", NOW.plusSeconds(5)));
            refused(FloatingRules.check(pool.seat(device("hw")), CAD, device("hw"), NOW, false),
                    Code.FLOATING_NOT_AVAILABLE);
        }

        @Test
        void lapsedLeasesAreSweptAtTheirLapseTimeBeforeTheCount() {
            Instant lapsedAt = NOW.minusSeconds(1);
            TestPool pool = new TestPool(floating(1)).activated("hw").lease(lease("hw", NOW.minusSeconds(2)))
                    .lease(lease("other", lapsedAt));
            FloatingRules.Decision<LicenseCheck> d = FloatingRules.check(pool.seat(device("hw")), CAD, device("hw"),
                    NOW, false);
            PoolChanges c = changes(d);
            assertThat(c.leaseDeletes()).as("its own lapsed lease, then the sweep").containsExactly("hw", "other");
            assertThat(events(c)).containsExactly(LedgerEvent.LAPSED, LedgerEvent.LAPSED, LedgerEvent.GRANTED);
            assertThat(c.ledger().get(1).at()).isEqualTo(lapsedAt);
            assertThat(((FloatingRules.Granted<?>) d).after().seats()).containsExactly("hw", "other");
        }

        @Test
        void theSweepTakesOneBatch() {
            TestPool pool = new TestPool(floating(1)).activated("hw");
            for (int i = 0; i < Sweep.SWEEP_BATCH + 5; i++) {
                pool.lease(lease(String.format("l%03d", i), NOW.minusSeconds(1000 - i)));
            }
            PoolChanges c = changes(FloatingRules.check(pool.seat(device("hw")), CAD, device("hw"), NOW, false));
            assertThat(c.leaseDeletes()).hasSize(Sweep.SWEEP_BATCH).startsWith("l000");
        }

        @Test
        void aUserLeasedPoolNeedsAUser() {
            TestPool pool = new TestPool(floating(1)).activated("hw")
                    .policy(PoolPolicy.NONE.withLeasing(LeasingStrategy.USER));
            FloatingRules.Refused<?> r = refused(FloatingRules.check(pool.seat(device("hw")), CAD, device("hw"),
                    NOW, false), Code.MISSING_PARAMETERS);
            assertThat(r.licenseId()).as("bad input names no license").isZero();
        }
    }

    @Nested
    class CheckWithPolicy {
        final SeatGroup devs = new SeatGroup(GroupKind.USER, "devs", List.of("ann", "bob"));

        TestPool pool(int seats, PolicyRule... rules) {
            return pool(seats, 0, rules);
        }

        TestPool pool(int seats, int queue, PolicyRule... rules) {
            return new TestPool(floating(seats)).activated("hw").group(devs)
                    .policy(new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE, List.of(rules), 0, 0, queue));
        }

        FloatingRules.Decision<LicenseCheck> check(TestPool pool, Holder h, boolean queue) {
            return FloatingRules.check(pool.seat(holder("hw", h)), CAD, holder("hw", h), NOW, queue);
        }

        @Test
        void anExcludedUserIsRefused() {
            refused(check(pool(2, PolicyRule.exclude(PolicyRule.TargetType.GROUP, "devs")), Holder.of("ann", null), false),
                    Code.EXCLUDED);
        }

        @Test
        void aUserNotIncludedIsRefused() {
            refused(check(pool(2, PolicyRule.include(PolicyRule.TargetType.USER, "cy")), Holder.of("ann", null), false),
                    Code.NOT_INCLUDED);
        }

        @Test
        void aCappedUserIsRefused() {
            TestPool pool = pool(3, PolicyRule.max(1, PolicyRule.TargetType.GROUP, "devs"))
                    .lease(lease("bobs", Holder.of("bob", null)));
            refused(check(pool, Holder.of("ann", null), false), Code.USER_CAP_REACHED);
            assertThat(value(check(pool, Holder.of("cy", null), false)).lease()).as("others are not capped").isNotNull();
        }

        @Test
        void aSeatReservedForOthersIsRefusedAndTheirsGranted() {
            TestPool pool = pool(2, PolicyRule.reserve(1, PolicyRule.TargetType.GROUP, "devs"))
                    .lease(lease("cys", Holder.of("cy", null)));
            FloatingRules.Refused<?> r = refused(check(pool, Holder.of("dan", null), false),
                    Code.FLOATING_NOT_AVAILABLE);
            assertThat(r.message()).contains("reserved for others").contains("user=dan");
            assertThat(value(check(pool, Holder.of("ann", null), false)).lease().holder().user()).isEqualTo("ann");
        }

        @Test
        void aSeatPassingToAnotherHolderIsDecidedForTheNewHolder() {
            TestPool pool = pool(2, PolicyRule.exclude(PolicyRule.TargetType.USER, "eve"))
                    .lease(lease("hw", Holder.of("ann", null)));
            refused(check(pool, Holder.of("eve", null), false), Code.EXCLUDED);
            assertThat(value(check(pool, Holder.of("bob", null), false)).lease().holder().user()).isEqualTo("bob");
        }

        @Test
        void aFullPoolQueuesTheCallerWhoAsks() {
            TestPool pool = pool(1, 2).lease(lease("other", Holder.NONE));
            refused(check(pool, Holder.NONE, false), Code.FLOATING_NOT_AVAILABLE);
            FloatingRules.Decision<LicenseCheck> d = check(pool, Holder.NONE, true);
            assertThat(d).isInstanceOf(FloatingRules.Queued.class);
            assertThat(((FloatingRules.Queued<?>) d).position()).isEqualTo(1);
            assertThat(changes(d).queuePuts()).extracting(QueueEntry::ticket).containsExactly(1L);
            assertThat(events(changes(d))).containsExactly(LedgerEvent.QUEUED);
        }

        @Test
        void aFullQueueRefuses() {
            TestPool pool = pool(1, 1).lease(lease("other", Holder.NONE))
                    .queue(new QueueEntry(ID, "first", 1, NOW, NOW.plusSeconds(60), "first", Holder.NONE));
            refused(check(pool, Holder.NONE, true), Code.FLOATING_NOT_AVAILABLE);
        }

        @Test
        void aFreedSeatGoesToTheQueueFirstAndLapsedEntriesGo() {
            TestPool pool = pool(1, 5).activated("first")
                    .queue(new QueueEntry(ID, "gone", 1, NOW.minusSeconds(900), NOW.minusSeconds(1), "gone", Holder.NONE))
                    .queue(new QueueEntry(ID, "first", 2, NOW, NOW.plusSeconds(60), "first", Holder.NONE));
            FloatingRules.Refused<?> r = refused(check(pool, Holder.NONE, false), Code.FLOATING_NOT_AVAILABLE);
            assertThat(r.message()).startsWith("1 callers queue");
            FloatingRules.Decision<LicenseCheck> first = FloatingRules.check(pool.seat(device("first")), CAD,
                    device("first"), NOW, false);
            assertThat(changes(first).queueDeletes()).containsExactly("gone", "first");
        }
    }

    @Nested
    class Borrow {
        TestPool pool(boolean allowed, int lowwater, int maxBorrowed) {
            License l = License.builder("cad").key("K").maxActivations(100).floatingSeats(3).borrowAllowed(allowed)
                    .build().withId(ID);
            return new TestPool(l).activated("hw")
                    .policy(new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE, List.of(), lowwater, maxBorrowed, 0));
        }

        FloatingRules.Decision<Lease> borrow(TestPool pool, Instant until) {
            return FloatingRules.borrow(pool.seat(device("hw")), CAD, device("hw"), NOW, until);
        }

        Lease borrowed(String key) {
            return new Lease(ID, key, NOW.minusSeconds(60), NOW, NOW.plusSeconds(3600), NOW.plusSeconds(3600));
        }

        @Test
        void aSeatIsTakenAndBorrowedInOneDecision() {
            FloatingRules.Decision<Lease> d = borrow(pool(true, 0, 0), NOW.plusSeconds(7200));
            assertThat(value(d).borrowedUntil()).isEqualTo(NOW.plusSeconds(7200));
            assertThat(changes(d).leasePuts()).as("one put of the seat").containsExactly(value(d));
            assertThat(events(changes(d))).containsExactly(LedgerEvent.GRANTED, LedgerEvent.BORROWED);
        }

        @Test
        void aLicenseThatIsNotFloatingOrDoesNotLendIsRefused() {
            TestPool fixed = new TestPool(License.builder("cad").key("K").borrowAllowed(true).build().withId(ID))
                    .activated("hw");
            refused(borrow(fixed, null), Code.FLOATING_NOT_AVAILABLE);
            refused(borrow(pool(false, 0, 0), null), Code.LICENSE_BORROW_NOT_ALLOWED);
        }

        @Test
        void anEndInThePastBeyondTheCapOrEarlierThanTheCurrentBorrowIsRefused() {
            refused(borrow(pool(true, 0, 0), NOW), Code.BORROW_UNTIL_NOT_VALID);
            refused(borrow(pool(true, 0, 0), NOW.plus(Duration.ofDays(2))), Code.BORROW_UNTIL_NOT_VALID);
            TestPool held = pool(true, 0, 0).lease(borrowed("hw"));
            refused(borrow(held, NOW.plusSeconds(60)), Code.BORROW_UNTIL_NOT_VALID);
            assertThat(value(borrow(held, NOW.plusSeconds(7200))).borrowedUntil()).as("extended")
                    .isEqualTo(NOW.plusSeconds(7200));
        }

        @Test
        void theLowwaterAndTheCapHoldSeatsBack() {
            refused(borrow(pool(true, 2, 0).lease(borrowed("a")), null), Code.BORROW_LOWWATER_REACHED);
            refused(borrow(pool(true, 0, 1).lease(borrowed("a")), null), Code.BORROW_CAP_REACHED);
            assertThat(value(borrow(pool(true, 1, 2).lease(borrowed("a")), null)).borrowedUntil()).isNotNull();
        }
    }

    @Nested
    class ReleaseAndReturn {
        final TestPool pool = new TestPool(floating(2)).activated("hw");

        FloatingRules.Decision<String> release(TestPool p) {
            return FloatingRules.release(p.keys(device("hw")), device("hw"), NOW);
        }

        @Test
        void aHeldSeatIsReleasedALapsedOneRecordedAsLapsedNoneChangesNothing() {
            FloatingRules.Decision<String> held = release(new TestPool(floating(2)).activated("hw")
                    .lease(lease("hw", NOW.plusSeconds(5))));
            assertThat(changes(held).leaseDeletes()).containsExactly("hw");
            assertThat(events(changes(held))).containsExactly(LedgerEvent.RELEASED);
            assertThat(((FloatingRules.Granted<?>) held).after().seatFreed()).isTrue();
            FloatingRules.Decision<String> lapsed = release(new TestPool(floating(2)).activated("hw")
                    .lease(lease("hw", NOW.minusSeconds(5))));
            assertThat(changes(lapsed).ledger()).extracting(LedgerEntry::event, LedgerEntry::at)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(LedgerEvent.LAPSED, NOW.minusSeconds(5)));
            assertThat(changes(release(pool)).isEmpty()).isTrue();
        }

        @Test
        void releaseRefusesAnUnknownDeviceAFixedLicenseAndABorrowedSeat() {
            refused(release(new TestPool(floating(2))), Code.DEVICE_NOT_FOUND);
            refused(release(new TestPool(License.builder("cad").key("K").build().withId(ID)).activated("hw")),
                    Code.FLOATING_NOT_AVAILABLE);
            refused(release(new TestPool(floating(2)).activated("hw").lease(new Lease(ID, "hw", NOW, NOW,
                    NOW.plusSeconds(60), NOW.plusSeconds(60)))), Code.SEAT_BORROWED);
            refused(FloatingRules.release(pool.policy(PoolPolicy.NONE.withLeasing(LeasingStrategy.PROCESS))
                    .keys(device("hw")), device("hw"), NOW), Code.MISSING_PARAMETERS);
        }

        Map<String, Object> proof(String hw, Instant until) {
            return Map.of("kind", "lease", "license_id", ID, "hardware_id", hw, "borrowed_until",
                    TokenIssuer.seconds(until));
        }

        @Test
        void theLatestTokenReturnsABorrowedSeat() {
            Instant until = NOW.plusSeconds(600);
            TestPool p = new TestPool(floating(2)).activated("hw").lease(new Lease(ID, "hw", NOW, NOW, until, until));
            FloatingRules.Decision<String> d = FloatingRules.returnBorrow(p.keys(device("hw")), device("hw"), NOW,
                    proof("hw", until));
            assertThat(changes(d).leaseDeletes()).containsExactly("hw");
            assertThat(changes(d).ledger()).extracting(LedgerEntry::event).containsExactly(LedgerEvent.RELEASED);
            refused(FloatingRules.returnBorrow(p.keys(device("hw")), device("hw"), NOW, proof("hw", NOW)),
                    Code.INVALID_REQUEST);
            refused(FloatingRules.returnBorrow(p.keys(device("hw")), device("hw"), NOW, proof("other", until)),
                    Code.INVALID_REQUEST);
        }

        @Test
        void aReturnOfASeatNotBorrowedIsARelease() {
            TestPool p = new TestPool(floating(2)).activated("hw").lease(lease("hw", NOW.plusSeconds(5)));
            FloatingRules.Decision<String> d = FloatingRules.returnBorrow(p.keys(device("hw")), device("hw"), NOW,
                    proof("hw", NOW));
            assertThat(events(changes(d))).containsExactly(LedgerEvent.RELEASED);
        }
    }

    @Nested
    class Deactivate {
        @Test
        void everySeatOnTheDeviceGoesWithItsActivation() {
            Holder p1 = new Holder(null, null, "p1", Map.of());
            String key1 = "hw" + Seats.PROCESS_SEPARATOR + "p1";
            String key2 = "hw" + Seats.PROCESS_SEPARATOR + "p2";
            TestPool pool = new TestPool(floating(5)).activated("hw")
                    .policy(PoolPolicy.NONE.withLeasing(LeasingStrategy.PROCESS))
                    .lease(new Lease(ID, key2, NOW.minusSeconds(9), NOW, NOW.plusSeconds(60), null, "hw", Holder.NONE, false))
                    .lease(new Lease(ID, key1, NOW.minusSeconds(5), NOW, NOW.plusSeconds(60), null, "hw", p1, false))
                    .lease(new Lease(ID, "x", NOW.minusSeconds(5), NOW, NOW.plusSeconds(60), null, "other", Holder.NONE,
                            false));
            FloatingRules.Decision<Void> d = FloatingRules.deactivate(pool.all(holder("hw", p1)), holder("hw", p1), NOW);
            PoolChanges c = changes(d);
            assertThat(c.leaseDeletes()).as("its own seat first, then the device's others").containsExactly(key1, key2);
            assertThat(c.activationDelete()).isEqualTo("hw");
            assertThat(events(c)).containsExactly(LedgerEvent.RELEASED, LedgerEvent.RELEASED, LedgerEvent.DEACTIVATED);
        }

        @Test
        void aBorrowedSeatOrAnUnknownDeviceRefuses() {
            refused(FloatingRules.deactivate(new TestPool(floating(1)).all(device("hw")), device("hw"), NOW),
                    Code.DEVICE_NOT_FOUND);
            TestPool pool = new TestPool(floating(1)).activated("hw")
                    .lease(new Lease(ID, "hw", NOW, NOW, NOW.plusSeconds(60), NOW.plusSeconds(60)));
            refused(FloatingRules.deactivate(pool.all(device("hw")), device("hw"), NOW), Code.SEAT_BORROWED);
        }
    }

    @Nested
    class Consumption {
        TestPool pool(long max, boolean overage, long maxOverage) {
            License l = License.builder("cad").key("K").type(LicenseType.CONSUMPTION).maxConsumptions(max)
                    .overage(overage, maxOverage).build().withId(ID).withConsumed(8);
            return new TestPool(l).activated("hw");
        }

        FloatingRules.Decision<ConsumptionBalance> add(TestPool p, long n, boolean allow, Long cap) {
            return Metering.addConsumption(p.license(device("hw")), device("hw"), NOW, n, allow, cap);
        }

        @Test
        void usesAreCountedUpToTheLimitAndTheOverage() {
            FloatingRules.Decision<ConsumptionBalance> d = add(pool(10, false, 0), 2, false, null);
            assertThat(value(d).consumed()).isEqualTo(10);
            assertThat(changes(d).license().consumed()).isEqualTo(10);
            assertThat(events(changes(d))).containsExactly(LedgerEvent.CONSUMPTION_ADDED);
            refused(add(pool(10, false, 0), 3, true, null), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
            assertThat(value(add(pool(10, true, 1), 3, true, null)).overage()).isEqualTo(1);
            refused(add(pool(10, true, 0), 5, true, 2L), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
            assertThat(value(add(pool(10, true, 0), 1_000_000, true, null)).consumed()).as("unlimited overage")
                    .isEqualTo(1_000_008);
        }

        @Test
        void aLicenseThatIsNotConsumptionIsRefused() {
            refused(Metering.addConsumption(new TestPool(floating(1)).activated("hw").license(device("hw")),
                    device("hw"), NOW, 1, false, null), Code.LICENSE_NOT_CONSUMPTION);
        }
    }

    @Test
    void leavingTheQueueDeletesTheEntryAndRecordsTheDenial() {
        TestPool pool = new TestPool(floating(1)).activated("hw")
                .queue(new QueueEntry(ID, "hw", 1, NOW, NOW.plusSeconds(60), "hw", Holder.NONE));
        FloatingRules.Decision<Void> d = FloatingRules.leaveQueue(pool.keys(device("hw")), device("hw"), NOW, "gave up");
        assertThat(changes(d).queueDeletes()).containsExactly("hw");
        assertThat(changes(d).ledger()).extracting(LedgerEntry::event, LedgerEntry::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LedgerEvent.DENIED, Code.FLOATING_NOT_AVAILABLE));
    }
}
