package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Holder;
import dev.licensor.floating.QueueEntry;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.Overdraft;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.Change;
import dev.licensor.store.Count;
import dev.licensor.store.Key;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.PoolLoad;
import dev.licensor.store.PoolState;
import java.util.Map;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.LockKey;
import dev.licensor.store.NestedUnitException;
import dev.licensor.store.Query;
import dev.licensor.store.StoreWork;
import dev.licensor.store.TransientStoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store SPI's own guarantees, the same on every store: nested units refused with
 * {@link NestedUnitException}, lock keys only in the global order and never in a read unit,
 * the stated order of every list (hardware ids in code point order), and the engine's retry of
 * {@link TransientStoreException}. A store's test runs it as a one-line {@code @Nested}
 * subclass, like every area (see {@link StoreUnderTest}).
 *
 * <p>Not thread-safe: JUnit creates one instance per test.
 */
@Timeout(60)
@ExtendWith(StoreUnderTest.Finder.class)
public abstract class StoreSpiContract {
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** U+FFFD sorts before U+1F600 by code point, after it by UTF-16 unit ({@link String#compareTo}). */
    private static final String REPLACEMENT = "\uFFFD";
    private static final String EMOJI = "\uD83D\uDE00";

    /** The store under test, fresh for each test. */
    protected LicenseStore spiStore;
    private Product cad;

    @BeforeEach
    void openSpiStore(StoreUnderTest under) throws Exception {
        spiStore = under.newStore();
        cad = new Product("cad", "CAD", TIMEOUT, Duration.ofHours(24));
    }

    @AfterEach
    void closeSpiStore() {
        spiStore.close();
    }

    @Test
    void aUnitCannotStartAnotherUnit() {
        assertThatThrownBy(() -> spiStore.write(tx -> spiStore.write(inner -> null))).isInstanceOf(NestedUnitException.class);
        assertThatThrownBy(() -> spiStore.write(tx -> spiStore.read(inner -> null))).isInstanceOf(NestedUnitException.class);
        assertThatThrownBy(() -> spiStore.read(tx -> spiStore.read(inner -> null))).isInstanceOf(NestedUnitException.class);
        assertThatThrownBy(() -> spiStore.read(tx -> spiStore.write(inner -> null))).isInstanceOf(NestedUnitException.class);
        // the refusal does not spoil the outer unit, and the store works after it
        spiStore.write(tx -> {
            tx.apply(Change.putProduct(cad));
            assertThatThrownBy(() -> spiStore.write(inner -> null)).isInstanceOf(NestedUnitException.class);
            return null;
        });
        assertThat(spiStore.<Optional<Product>>read(tx -> tx.find(Key.product("cad")))).contains(cad);
    }

    @Test
    void locksAreTakenInTheGlobalOrderOnly() {
        long[] ids = spiStore.write(tx -> {
            tx.lock(LockKey.CATALOG);
            tx.apply(Change.putProduct(cad));
            long a = tx.apply(Change.insertLicense(License.builder("cad").key("A").floatingSeats(1).build()))[0];
            long b = tx.apply(Change.insertLicense(License.builder("cad").key("B").floatingSeats(1).build()))[0];
            long client = tx.apply(Change.insertClient(new Client(0, "c1", 1, "")))[0];
            long cl = tx.apply(Change.insertClientLicense(ClientLicense.draft(1, 1, 33, "FS", 2, 0, null)))[0];
            return new long[] {a, b, client, cl};
        });
        // one call with keys in any order, a key twice, later keys above earlier ones: allowed
        spiStore.write(tx -> {
            tx.lock(LockKey.clientLicense(ids[3]), LockKey.pool(ids[1]), LockKey.pool(ids[0]), LockKey.pool(ids[0]));
            return null;
        });
        spiStore.write(tx -> {
            tx.lock(LockKey.pool(ids[0]));
            tx.lock(LockKey.pool(ids[0]), LockKey.pool(ids[1]));
            tx.lock(LockKey.client(ids[2]));
            tx.lock(LockKey.clientLicense(ids[3]));
            return null;
        });
        // a key below one already held is a bug in the caller: refused, and the unit rolls back
        assertThatThrownBy(() -> spiStore.write(tx -> {
            tx.apply(Change.putLease(new Lease(ids[0], "hw-x", START, START, START.plus(TIMEOUT), null)));
            tx.lock(LockKey.client(ids[2]));
            tx.lock(LockKey.pool(ids[1]));
            return null;
        })).isInstanceOf(IllegalStateException.class).isNotInstanceOf(NestedUnitException.class);
        assertThat(spiStore.<Optional<Lease>>read(tx -> tx.find(Key.lease(ids[0], "hw-x")))).isEmpty();
        assertThatThrownBy(() -> spiStore.read(tx -> {
            tx.lock(LockKey.pool(ids[0]));
            return null;
        })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void listsFollowTheirStatedOrderWithHardwareIdsByCodePoint() {
        long license = spiStore.write(tx -> {
            tx.apply(Change.putProduct(cad));
            return tx.apply(Change.insertLicense(License.builder("cad").key("K").floatingSeats(10).build()))[0];
        });
        Instant later = START.plusSeconds(5);
        Lease emoji = new Lease(license, EMOJI, START, START, START.plus(TIMEOUT), null);
        Lease replacement = new Lease(license, REPLACEMENT, START, START, START.plus(TIMEOUT), null);
        Lease plain = new Lease(license, "z", START, START, START.plus(TIMEOUT), null);
        Lease first = new Lease(license, "zz", START.minusSeconds(1), START, START.plus(TIMEOUT), null);
        Lease last = new Lease(license, "a", later, later, START.plus(TIMEOUT), null);
        spiStore.write(tx -> {
            List.of(emoji, last, replacement, first, plain).forEach(l -> tx.apply(Change.putLease(l)));
            return null;
        });
        assertThat(spiStore.<List<Lease>>read(tx -> tx.list(Query.leasesLiveAfter(license, START))))
                .as("by grant time, then hardware id by code point").containsExactly(first, plain, replacement, emoji, last);
        assertThat(spiStore.<List<Lease>>read(tx -> tx.list(Query.leasesLapsedBy(license, START.plus(TIMEOUT), 10))))
                .as("by expiry, then hardware id by code point").containsExactly(last, plain, first, replacement, emoji);
        assertThat(spiStore.<List<Lease>>read(tx -> tx.list(Query.leasesLapsedBy(START.plus(TIMEOUT), 10))))
                .containsExactly(last, plain, first, replacement, emoji);

        long[] ids = spiStore.write(tx -> {
            long c1 = tx.apply(Change.insertClient(new Client(0, "c1", 1, "")))[0];
            long c2 = tx.apply(Change.insertClient(new Client(0, "c2", 1, "")))[0];
            long l1 = tx.apply(Change.insertClientLicense(ClientLicense.draft(1, 1, 33, "FS", 9, 0, null)))[0];
            long l2 = tx.apply(Change.insertClientLicense(ClientLicense.draft(1, 2, 33, "FS2", 9, 0, null)))[0];
            tx.apply(Change.putConsumption(new ConsumedLicense(c2, l1, true, false, START)));
            tx.apply(Change.putConsumption(new ConsumedLicense(c1, l2, true, false, START)));
            tx.apply(Change.putConsumption(new ConsumedLicense(c1, l2, false, false, START)));
            tx.apply(Change.putConsumption(new ConsumedLicense(c1, l1, true, false, START)));
            tx.apply(Change.putConsumption(new ConsumedLicense(c2, l1, false, true, START)));
            tx.apply(Change.putConsumption(new ConsumedLicense(c1, l1, false, false, START)));
            return new long[] {c1, c2, l1, l2};
        });
        assertThat(spiStore.<List<ConsumedLicense>>read(tx -> tx.list(Query.consumptionsOfClient(ids[0]))))
                .as("by client license, client-level first")
                .extracting(c -> c.clientLicenseId() + "/" + c.agentLevel())
                .containsExactly(ids[2] + "/false", ids[2] + "/true", ids[3] + "/false", ids[3] + "/true");
        assertThat(spiStore.<List<ConsumedLicense>>read(tx -> tx.list(Query.heldConsumptionsOf(ids[2]))))
                .as("held only, by client, client-level first")
                .extracting(c -> c.clientId() + "/" + c.agentLevel())
                .containsExactly(ids[0] + "/false", ids[0] + "/true", ids[1] + "/true");
    }

    @Test
    void loadPoolReadsWhatTheRowMethodsReadAndBoundsItsLists() {
        long license = spiStore.write(tx -> {
            tx.apply(Change.putProduct(cad));
            long id = tx.apply(Change.insertLicense(License.builder("cad").key("K").floatingSeats(10).build()))[0];
            tx.apply(Change.putActivation(new Activation(id, "d1", START)));
            tx.apply(Change.putActivation(new Activation(id, "d2", START)));
            tx.apply(Change.putBlacklist("cad", "d1", START));
            return id;
        });
        Instant now = START.plusSeconds(60);
        Lease lapsedA = new Lease(license, "a", START, START, START.plusSeconds(10), null);
        Lease lapsedB = new Lease(license, "b", START, START, START.plusSeconds(20), null);
        Lease liveZ = new Lease(license, "z", START, START, START.plus(TIMEOUT), null);
        Lease liveY = new Lease(license, "y", START.plusSeconds(1), START, START.plus(TIMEOUT), null);
        spiStore.write(tx -> {
            List.of(lapsedA, lapsedB, liveZ, liveY).forEach(l -> tx.apply(Change.putLease(l)));
            return null;
        });
        PoolLoad bare = new PoolLoad(license, "cad", "d1", List.of("a", "y", "none"), now,
                PoolLoad.Live.LIST_IF_POLICY, true, 1, true);
        PoolState s = spiStore.<Optional<PoolState>>read(tx -> tx.loadPool(bare)).orElseThrow();
        assertThat(s.license().id()).isEqualTo(license);
        assertThat(s.blacklisted()).isTrue();
        assertThat(s.activation()).contains(new Activation(license, "d1", START));
        assertThat(s.activations()).isEqualTo(2);
        assertThat(s.policy()).isEqualTo(PoolPolicy.NONE);
        assertThat(s.seatLeases()).containsOnly(Map.entry("a", lapsedA), Map.entry("y", liveY));
        assertThat(s.liveCount()).as("a pool without a policy counts its live leases").isEqualTo(2);
        assertThat(s.live()).as("and does not list them").isEmpty();
        assertThat(s.lapsed()).as("bounded by the limit, oldest expiry first").containsExactly(lapsedA);
        assertThat(s.queue()).as("no policy, no queue").isEmpty();

        PoolPolicy policy = new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE,
                List.of(PolicyRule.reserve(1, PolicyRule.TargetType.GROUP, "devs"),
                        PolicyRule.max(1, PolicyRule.TargetType.HOST_GROUP, "lab"),
                        PolicyRule.max(2, PolicyRule.TargetType.GROUP, "devs")), 0, 0, 5);
        QueueEntry q2 = new QueueEntry(license, "q2", 2, START, START.plus(TIMEOUT), "q2", Holder.NONE);
        QueueEntry q1 = new QueueEntry(license, "q1", 1, START, START.plusSeconds(1), "q1", Holder.NONE);
        spiStore.write(tx -> {
            tx.lock(LockKey.CATALOG, LockKey.pool(license));
            tx.apply(Change.putSeatGroup(new SeatGroup(GroupKind.USER, "devs", List.of("ann"))));
            tx.apply(Change.putPoolPolicy(license, policy));
            tx.apply(Change.putQueueEntry(q2));
            tx.apply(Change.putQueueEntry(q1));
            return null;
        });
        PoolLoad listed = new PoolLoad(license, "cad", "d2", List.of(), now, PoolLoad.Live.LIST_IF_POLICY, true, 0,
                false);
        PoolState p = spiStore.<Optional<PoolState>>read(tx -> tx.loadPool(listed)).orElseThrow();
        assertThat(p.blacklisted()).isFalse();
        assertThat(p.activations()).as("not asked").isEqualTo(-1);
        assertThat(p.policy()).isEqualTo(policy);
        assertThat(p.groups()).as("the groups the policy names that exist")
                .containsExactly(new SeatGroup(GroupKind.USER, "devs", List.of("ann")));
        assertThat(p.live()).as("by grant time, then seat key").containsExactly(liveZ, liveY);
        assertThat(p.liveCount()).isEqualTo(2);
        assertThat(p.lapsed()).isEmpty();
        assertThat(p.queue()).as("every entry, live or lapsed, by ticket").containsExactly(q1, q2);
        PoolLoad nothing = new PoolLoad(license, "cad", "d2", List.of(), now, PoolLoad.Live.NONE, false, 0, false);
        PoolState n = spiStore.<Optional<PoolState>>read(tx -> tx.loadPool(nothing)).orElseThrow();
        assertThat(n.liveCount()).isEqualTo(-1);
        assertThat(n.groups()).as("groups come with the live leases").isEmpty();
        assertThat(n.queue()).isEmpty();
        assertThat(spiStore.<Optional<PoolState>>read(tx -> tx.loadPool(new PoolLoad(license + 1000, "cad", "d2",
                List.of(), now, PoolLoad.Live.LIST, true, 1, true)))).as("no such license").isEmpty();
    }

    @Test
    void applyWritesEveryChangeInItsOrderAndReturnsTheLedgerSeqs() {
        long license = spiStore.write(tx -> {
            tx.apply(Change.putProduct(cad));
            long id = tx.apply(Change.insertLicense(License.builder("cad").key("K").floatingSeats(10).build()))[0];
            tx.apply(Change.putActivation(new Activation(id, "gone", START)));
            tx.apply(Change.putLease(new Lease(id, "old", START, START, START.plusSeconds(1), null)));
            tx.apply(Change.putQueueEntry(new QueueEntry(id, "waiting", 1, START, START.plus(TIMEOUT), "waiting", Holder.NONE)));
            return id;
        });
        License before = spiStore.<License>read(tx -> tx.find(Key.license(license)).orElseThrow());
        Lease again = new Lease(license, "old", START, START, START.plus(TIMEOUT), null, "old",
                new Holder("ann", "h1", null, Map.of("k", "v")), true);
        QueueEntry queued = new QueueEntry(license, "new", 2, START, START.plus(TIMEOUT), "new", Holder.of("bob", null));
        LedgerEntry granted = new LedgerEntry(0, START, LedgerEvent.GRANTED, license, 0, "old", Code.OK, "");
        LedgerEntry lapsed = new LedgerEntry(0, START.plusSeconds(1), LedgerEvent.LAPSED, license, 0, "old", Code.OK, "");
        PoolChanges changes = new PoolChanges(license, before.withConsumed(7), new Activation(license, "d1", START),
                List.of("old", "missing"), List.of(again), List.of("waiting", "missing"), List.of(queued), "gone",
                List.of(new PoolChanges.BlacklistChange("cad", "bad", START, true)), List.of(lapsed, granted));
        long[] seqs = spiStore.write(tx -> {
            tx.lock(LockKey.CATALOG, LockKey.pool(license));
            return tx.apply(changes);
        });
        assertThat(seqs).hasSize(2);
        assertThat(seqs[0]).isPositive().isLessThan(seqs[1]);
        spiStore.read(tx -> {
            assertThat(tx.find(Key.license(license)).orElseThrow().consumed()).isEqualTo(7);
            assertThat(tx.find(Key.activation(license, "d1"))).isPresent();
            assertThat(tx.find(Key.activation(license, "gone"))).isEmpty();
            assertThat(tx.find(Key.lease(license, "old"))).as("deletes before puts: the key is taken again").contains(again);
            assertThat(tx.list(Query.queue(license))).containsExactly(queued);
            assertThat(tx.find(Key.blacklisted("cad", "bad")).isPresent()).isTrue();
            assertThat(tx.list(Query.ledgerAfter(0, 10))).containsExactly(lapsed.withSeq(seqs[0]), granted.withSeq(seqs[1]));
            return null;
        });
        assertThat(spiStore.<long[]>write(tx -> tx.apply(PoolChanges.none(license)))).isEmpty();
    }

    @Test
    void theEngineRerunsAUnitAfterATransientConflictAndOnlyTheLastRunCommits() {
        spiStore.write(tx -> {
            tx.apply(Change.putProduct(cad));
            return tx.apply(Change.insertLicense(License.builder("cad").key("K").maxActivations(3).build()))[0];
        });
        AtomicInteger failuresLeft = new AtomicInteger(2);
        Licensor licensor = Licensor.builder().store(new Flaky(spiStore, failuresLeft))
                .clock(Clock.fixed(START, java.time.ZoneOffset.UTC)).build();
        assertThat(licensor.floating().activate(DeviceRequest.byKey("cad", "K", "hw-1")).isSuccess()).isTrue();
        assertThat(failuresLeft.get()).isNegative();
        List<LedgerEntry> ledger = spiStore.read(tx -> tx.list(Query.ledger(Instant.EPOCH, START.plusSeconds(1), 100)));
        assertThat(ledger).extracting(LedgerEntry::event).containsExactly(LedgerEvent.ACTIVATED);
    }

    @Test
    void aConflictThatDoesNotPassEndsInStoreFailureAfterABoundedNumberOfRuns() {
        long license = spiStore.write(tx -> {
            tx.apply(Change.putProduct(cad));
            return tx.apply(Change.insertLicense(License.builder("cad").key("K").maxActivations(3).build()))[0];
        });
        AtomicInteger failuresLeft = new AtomicInteger(Integer.MAX_VALUE);
        Licensor licensor = Licensor.builder().store(new Flaky(spiStore, failuresLeft))
                .clock(Clock.fixed(START, java.time.ZoneOffset.UTC)).build();
        assertThatThrownBy(() -> licensor.floating().activate(DeviceRequest.byKey("cad", "K", "hw-1")))
                .isInstanceOfSatisfying(LicensingException.class, e -> assertThat(e.code()).isEqualTo(Code.STORE_FAILURE))
                .hasCauseInstanceOf(TransientStoreException.class);
        int runs = Integer.MAX_VALUE - failuresLeft.get();
        assertThat(runs).isBetween(2, 20);
        assertThat(spiStore.<Integer>read(tx -> tx.count(Count.activations(license)))).isZero();
        assertThat(spiStore.<List<LedgerEntry>>read(tx -> tx.list(Query.ledger(Instant.EPOCH, START.plusSeconds(1), 100)))).isEmpty();
    }

    /**
     * Runs each write unit on the real store, then reports a transient conflict while
     * {@code failuresLeft} is positive: the unit's writes were made and must be rolled back.
     */
    private static final class Flaky implements LicenseStore {
        private final LicenseStore store;
        private final AtomicInteger failuresLeft;

        Flaky(LicenseStore store, AtomicInteger failuresLeft) {
            this.store = store;
            this.failuresLeft = failuresLeft;
        }

        @Override
        public <T> T write(StoreWork<T> work) {
            return store.write(tx -> {
                T result = work.run(tx);
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new TransientStoreException("injected conflict", null);
                }
                return result;
            });
        }

        @Override
        public <T> T read(StoreWork<T> work) {
            return store.read(work);
        }

        @Override
        public void close() {
            // the test closes the real store
        }
    }
}
