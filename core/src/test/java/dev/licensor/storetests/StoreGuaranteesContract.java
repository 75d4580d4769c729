package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.Change;
import dev.licensor.store.Count;
import dev.licensor.store.Key;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.LockKey;
import dev.licensor.store.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The store on its own, without the engine: atomic units, read-only reads, faithful rows, ranges.
 * The first area of {@link StoreUnderTest#AREAS}: it is the spec a new store is written against,
 * and a failure here is the store's, not the engine's.
 */
public abstract class StoreGuaranteesContract extends ContractBase {

    final Product cad = new Product("cad", "CAD", TIMEOUT, MAX_BORROW);
    final License draft = License.builder("cad").key("K").type(LicenseType.SUBSCRIPTION)
            .validFrom(START).validUntil(START.plus(Duration.ofDays(30))).maxActivations(4).floatingSeats(2)
            .floatingTimeout(Duration.ofMinutes(3)).borrowAllowed(true).maxBorrowTime(Duration.ofHours(7))
            .maxConsumptions(12).overage(true, 3).build();

    /** Ids of the rows {@link #fill} wrote: license, client, client license. */
    private long[] fill(LicenseStore s) {
        return s.write(tx -> {
            tx.apply(Change.putProduct(cad));
            long license = tx.apply(Change.insertLicense(draft))[0];
            tx.apply(Change.putActivation(new Activation(license, "hw-a", START)));
            tx.apply(Change.putActivation(new Activation(license, "hw-b", START)));
            tx.apply(Change.putLease(new Lease(license, "hw-a", START, START, START.plus(TIMEOUT), null)));
            tx.apply(Change.putLease(new Lease(license, "hw-b", START, START, START.plus(Duration.ofHours(2)),
                    START.plus(Duration.ofHours(2)))));
            tx.apply(Change.putBlacklist("cad", "hw-z", START));
            long client = tx.apply(Change.insertClient(new Client(0, "client001", 1, "host001")))[0];
            tx.apply(Change.putAgent(new Agent(client, 33, "Windows File System")));
            long cl = tx.apply(Change.insertClientLicense(ClientLicense.draft(1, 1, 33, "FS", 2, 1, START.plus(Duration.ofDays(3)))))[0];
            tx.apply(Change.putConsumption(new ConsumedLicense(client, cl, false, false, START)));
            tx.apply(Change.putClientLicense(tx.find(Key.clientLicense(cl)).orElseThrow().withUsed(1)));
            tx.apply(Change.appendLedger(new LedgerEntry(0, START, LedgerEvent.GRANTED, license, 0, "hw-a", Code.OK, "")));
            tx.apply(Change.appendLedger(new LedgerEntry(0, START.plusSeconds(1), LedgerEvent.CONSUMED, 0, cl, "client001",
                    Code.OK, "client")));
            tx.apply(Change.appendLedger(new LedgerEntry(0, START.plusSeconds(2), LedgerEvent.DENIED, license, 0, "hw-c",
                    Code.FLOATING_NOT_AVAILABLE, "full")));
            return new long[] {license, client, cl};
        });
    }

    /** Everything {@link #fill} can have written, read in one unit. */
    private Map<String, Object> rows(long license, long client, long cl) {
        return store.read(tx -> {
            Map<String, Object> m = new TreeMap<>();
            m.put("product", tx.find(Key.product("cad")));
            m.put("license", tx.find(Key.license(license)));
            m.put("licenseByKey", tx.find(Key.licenseByKey("cad", "K")));
            m.put("activations", tx.count(Count.activations(license)));
            m.put("activation a", tx.find(Key.activation(license, "hw-a")));
            m.put("activation b", tx.find(Key.activation(license, "hw-b")));
            m.put("lease a", tx.find(Key.lease(license, "hw-a")));
            m.put("lease b", tx.find(Key.lease(license, "hw-b")));
            m.put("live leases", tx.list(Query.leasesLiveAfter(license, START)));
            m.put("lapsed leases", tx.list(Query.leasesLapsedBy(StateSnapshot.FAR, 10)));
            m.put("blacklisted", tx.find(Key.blacklisted("cad", "hw-z")).isPresent());
            m.put("client", tx.find(Key.client(client)));
            m.put("clientByName", tx.find(Key.clientByName("client001")));
            m.put("agents", tx.list(Query.agents(client)));
            m.put("client license", tx.find(Key.clientLicense(cl)));
            m.put("client license by key", tx.find(Key.clientLicenseByType(1, 1, 33)));
            m.put("client licenses", tx.list(Query.clientLicenses()));
            m.put("consumption", tx.find(Key.consumption(client, cl, false)));
            m.put("consumptions", tx.list(Query.consumptionsOfClient(client)));
            m.put("held", tx.list(Query.heldConsumptionsOf(cl)));
            m.put("ledger", tx.list(Query.ledger(Instant.EPOCH, StateSnapshot.FAR, 100)));
            return m;
        });
    }

    @Test
    void aUnitThatThrowsAfterWritingLeavesNothingBehind() {
        RuntimeException boom = new IllegalArgumentException("boom");
        long[][] ids = new long[1][];
        assertThatThrownBy(() -> store.write(tx -> {
            tx.apply(Change.putProduct(cad));
            ids[0] = new long[] {tx.apply(Change.insertLicense(draft))[0], tx.apply(Change.insertClient(new Client(0, "c", 1, "")))[0],
                tx.apply(Change.insertClientLicense(ClientLicense.draft(1, 1, 33, "FS", 2, 0, null)))[0]};
            tx.apply(Change.putActivation(new Activation(ids[0][0], "hw-a", START)));
            tx.apply(Change.putLease(new Lease(ids[0][0], "hw-a", START, START, START.plus(TIMEOUT), null)));
            tx.apply(Change.putBlacklist("cad", "hw-z", START));
            tx.apply(Change.putAgent(new Agent(ids[0][1], 33, "FS")));
            tx.apply(Change.putConsumption(new ConsumedLicense(ids[0][1], ids[0][2], true, false, START)));
            tx.apply(Change.putClientLicense(tx.find(Key.clientLicense(ids[0][2])).orElseThrow().withUsed(1)));
            tx.apply(Change.appendLedger(new LedgerEntry(0, START, LedgerEvent.GRANTED, ids[0][0], 0, "hw-a", Code.OK, "")));
            throw boom;
        })).as("the unit's exception, unchanged").isSameAs(boom);
        long license = ids[0][0];
        long client = ids[0][1];
        long cl = ids[0][2];
        store.read(tx -> {
            assertThat(tx.find(Key.product("cad"))).isEmpty();
            assertThat(tx.find(Key.license(license))).isEmpty();
            assertThat(tx.find(Key.licenseByKey("cad", "K"))).isEmpty();
            assertThat(tx.find(Key.activation(license, "hw-a"))).isEmpty();
            assertThat(tx.count(Count.activations(license))).isZero();
            assertThat(tx.find(Key.lease(license, "hw-a"))).isEmpty();
            assertThat(tx.count(Count.liveLeases(license, START))).isZero();
            assertThat(tx.list(Query.leasesLapsedBy(StateSnapshot.FAR, 10))).isEmpty();
            assertThat(tx.find(Key.blacklisted("cad", "hw-z")).isPresent()).isFalse();
            assertThat(tx.find(Key.client(client))).isEmpty();
            assertThat(tx.find(Key.clientByName("c"))).isEmpty();
            assertThat(tx.list(Query.agents(client))).isEmpty();
            assertThat(tx.find(Key.clientLicense(cl))).isEmpty();
            assertThat(tx.find(Key.clientLicenseByType(1, 1, 33))).isEmpty();
            assertThat(tx.list(Query.clientLicenses())).isEmpty();
            assertThat(tx.list(Query.consumptionsOfClient(client))).isEmpty();
            assertThat(tx.list(Query.heldConsumptionsOf(cl))).isEmpty();
            assertThat(tx.list(Query.ledger(Instant.EPOCH, StateSnapshot.FAR, 10))).isEmpty();
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
            tx.apply(Change.putLicense(tx.find(Key.license(license)).orElseThrow().withSwitches(false, false).withConsumed(7)));
            assertThat((tx.apply(Change.deleteActivation(license, "hw-b"))[0] != 0)).isTrue();
            tx.apply(Change.putLease(new Lease(license, "hw-a", START, START.plusSeconds(5), START.plus(Duration.ofDays(1)), null)));
            assertThat((tx.apply(Change.deleteLease(license, "hw-b"))[0] != 0)).isTrue();
            assertThat((tx.apply(Change.deleteBlacklist("cad", "hw-z"))[0] != 0)).isTrue();
            tx.apply(Change.putBlacklist("cad", "hw-y", START));
            tx.apply(Change.putClientLicense(tx.find(Key.clientLicense(cl)).orElseThrow().withUsed(2)));
            tx.apply(Change.putConsumption(new ConsumedLicense(client, cl, false, true, START.plusSeconds(9))));
            tx.apply(Change.putConsumption(new ConsumedLicense(client, cl, true, false, START.plusSeconds(9))));
            assertThat(tx.prune(StateSnapshot.FAR, 2)).isEqualTo(2);
            tx.apply(Change.appendLedger(new LedgerEntry(0, START, LedgerEvent.RELEASED, license, 0, "hw-a", Code.OK, "")));
            throw boom;
        })).isSameAs(boom);
        assertThat(rows(license, client, cl)).isEqualTo(before);
        assertThat(store.<Boolean>read(tx -> tx.find(Key.blacklisted("cad", "hw-y")).isPresent())).isFalse();
    }

    /**
     * Core reads catalog rows (a product, a license by key, a client by name, an agent, the
     * blacklist) before it takes any lock, so no store may show another unit's uncommitted catalog
     * rows to a write unit: a unit that then rolled back would leave the reader acting on rows that
     * never existed. A store may make the reader wait (SQLite's one writer, the memory store's
     * catalog units running alone) or show it the committed state (PostgreSQL); here the running
     * unit waits at most 2 s for the reader, then rolls back.
     */
    @Test
    void aWriteUnitNeverSeesAnotherUnitsUncommittedCatalogRows() throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch looked = new CountDownLatch(1);
        IllegalStateException boom = new IllegalStateException("rolled back");
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Throwable> writer = other.submit(() -> catchThrowable(() -> store.write(tx -> {
                tx.lock(LockKey.CATALOG);
                tx.apply(Change.putProduct(cad));
                long license = tx.apply(Change.insertLicense(draft))[0];
                long client = tx.apply(Change.insertClient(new Client(0, "client001", 1, "host001")))[0];
                tx.apply(Change.putAgent(new Agent(client, 33, "FS")));
                tx.apply(Change.insertClientLicense(ClientLicense.draft(1, 1, 33, "FS", 2, 0, null)));
                tx.apply(Change.putBlacklist("cad", "hw-z", START));
                assertThat(license).isPositive();
                written.countDown();
                try {
                    looked.await(2, TimeUnit.SECONDS); // a store whose reader waits for this unit: go on alone
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw boom;
            })));
            assertThat(written.await(30, TimeUnit.SECONDS)).as("the writing unit started").isTrue();
            List<Object> seen = store.write(tx -> List.of(tx.find(Key.product("cad")), tx.find(Key.licenseByKey("cad", "K")),
                    tx.find(Key.clientByName("client001")), tx.find(Key.clientLicenseByType(1, 1, 33)), tx.find(Key.blacklisted("cad", "hw-z")).isPresent()));
            looked.countDown();
            assertThat(writer.get(30, TimeUnit.SECONDS)).isSameAs(boom);
            assertThat(seen).as("product, license by key, client by name, client license by type, blacklisted")
                    .containsExactly(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);
            assertThat(store.<Object>read(tx -> List.of(tx.find(Key.product("cad")), tx.find(Key.clientByName("client001")))))
                    .isEqualTo(List.of(Optional.empty(), Optional.empty()));
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aWriteInsideAReadUnitThrowsIllegalStateException() {
        assertThatThrownBy(() -> store.read(tx -> {
            tx.apply(Change.putProduct(cad));
            return null;
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.read(tx -> tx.apply(Change.appendLedger(
                new LedgerEntry(0, START, LedgerEvent.DENIED, 0, 0, "x", Code.BLACKLISTED, "")))[0]))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.<Optional<Product>>read(tx -> tx.find(Key.product("cad")))).isEmpty();
        assertThat(store.<List<LedgerEntry>>read(tx -> tx.list(Query.ledger(Instant.EPOCH, StateSnapshot.FAR, 10)))).isEmpty();
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
            tx.apply(Change.insertLicense(License.builder("cad").key("K2").build()))[0],
            tx.apply(Change.insertClient(new Client(0, "client002", 1, "")))[0],
            tx.apply(Change.insertClientLicense(ClientLicense.draft(2, 11, 1002, "MA", 1, 0, null)))[0]});
        assertThat(more[0]).isPositive().isNotEqualTo(license);
        assertThat(more[1]).isPositive().isNotEqualTo(client);
        assertThat(more[2]).isPositive().isNotEqualTo(cl);
    }

    @Test
    void leaseRangesTreatTheExpiryAsTheEndOfLife() {
        long[] ids = store.write(tx -> {
            tx.apply(Change.putProduct(cad));
            return new long[] {tx.apply(Change.insertLicense(draft))[0], tx.apply(Change.insertLicense(License.builder("cad").key("K2").build()))[0]};
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
            tx.apply(Change.putLease(a3));
            tx.apply(Change.putLease(a1));
            tx.apply(Change.putLease(b1));
            tx.apply(Change.putLease(a2));
            return null;
        });
        store.read(tx -> {
            assertThat(tx.count(Count.liveLeases(a, t2))).isEqualTo(1);
            assertThat(tx.count(Count.liveLeases(a, t2.minusMillis(1)))).isEqualTo(2);
            assertThat(tx.count(Count.liveLeases(b, t2))).isZero();
            assertThat(tx.list(Query.leasesLiveAfter(a, START))).containsExactly(a2, a3, a1);
            assertThat(tx.list(Query.leasesLiveAfter(a, t2))).containsExactly(a3);
            assertThat(tx.list(Query.leasesLapsedBy(a, t2, 10))).containsExactly(a1, a2);
            assertThat(tx.list(Query.leasesLapsedBy(a, t2, 1))).containsExactly(a1);
            assertThat(tx.list(Query.leasesLapsedBy(a, t1.minusMillis(1), 10))).isEmpty();
            assertThat(tx.list(Query.leasesLapsedBy(t2, 10))).containsExactly(a1, b1, a2);
            assertThat(tx.list(Query.leasesLapsedBy(t2, 2))).containsExactly(a1, b1);
            assertThat(tx.list(Query.leasesLapsedBy(StateSnapshot.FAR, 10))).containsExactly(a1, b1, a2, a3);
            return null;
        });
        Lease moved = new Lease(a, "hw-3", START, t2, t3.plusSeconds(1), null);
        store.write(tx -> {
            tx.apply(Change.putLease(moved));
            assertThat((tx.apply(Change.deleteLease(a, "hw-1"))[0] != 0)).isTrue();
            assertThat((tx.apply(Change.deleteLease(a, "hw-1"))[0] != 0)).isFalse();
            return null;
        });
        store.read(tx -> {
            assertThat(tx.find(Key.lease(a, "hw-3"))).contains(moved);
            assertThat(tx.list(Query.leasesLapsedBy(t3, 10))).containsExactly(b1, a3);
            assertThat(tx.list(Query.leasesLiveAfter(a, t3))).containsExactly(moved);
            return null;
        });
    }

    @Test
    void theLedgerIsOrderedByTimeThenSequenceAndPrunedUpToTheLimit() {
        List<Long> seqs = store.write(tx -> {
            List<Long> s = new ArrayList<>();
            for (int i : new int[] {5, 1, 3, 1, 4}) {
                s.add(tx.apply(Change.appendLedger(new LedgerEntry(0, START.plusSeconds(i), LedgerEvent.REFRESHED, 1, 0,
                        "hw-" + i, Code.OK, "")))[0]);
            }
            return s;
        });
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        List<LedgerEntry> all = store.read(tx -> tx.list(Query.ledger(Instant.EPOCH, StateSnapshot.FAR, 100)));
        assertThat(all).extracting(e -> e.at().getEpochSecond() - START.getEpochSecond()).containsExactly(1L, 1L, 3L, 4L, 5L);
        assertThat(all).extracting(LedgerEntry::seq).containsExactly(seqs.get(1), seqs.get(3), seqs.get(2), seqs.get(4), seqs.get(0));
        assertThat(store.<List<LedgerEntry>>read(tx -> tx.list(Query.ledger(START.plusSeconds(1), START.plusSeconds(4), 100)))).extracting(LedgerEntry::seq)
                .containsExactly(seqs.get(1), seqs.get(3), seqs.get(2));
        assertThat(store.<List<LedgerEntry>>read(tx -> tx.list(Query.ledger(START.plusSeconds(1), START.plusSeconds(4), 1)))).hasSize(1);
        assertThat(store.<Integer>write(tx -> tx.prune(START.plusSeconds(4), 2))).isEqualTo(2);
        assertThat(store.<Integer>write(tx -> tx.prune(START.plusSeconds(4), 2))).isEqualTo(1);
        assertThat(store.<Integer>write(tx -> tx.prune(START.plusSeconds(4), 2))).isZero();
        assertThat(store.<List<LedgerEntry>>read(tx -> tx.list(Query.ledger(Instant.EPOCH, StateSnapshot.FAR, 100)))).isEqualTo(all.subList(3, 5));
        long next = store.write(tx -> tx.apply(Change.appendLedger(new LedgerEntry(0, START, LedgerEvent.DENIED, 0, 0, "x",
                Code.BLACKLISTED, "")))[0]);
        assertThat(next).as("sequence numbers are never reused").isGreaterThan(seqs.get(4));
    }

    @Test
    void setLikeWritesReportWhetherTheyChangedSomething() {
        store.write(tx -> {
            tx.apply(Change.putProduct(cad));
            assertThat((tx.apply(Change.putBlacklist("cad", "hw-a", START))[0] != 0)).isTrue();
            assertThat((tx.apply(Change.putBlacklist("cad", "hw-a", START))[0] != 0)).isFalse();
            assertThat(tx.find(Key.blacklisted("cad", "hw-a")).isPresent()).isTrue();
            assertThat(tx.find(Key.blacklisted("cad", "hw-b")).isPresent()).isFalse();
            assertThat((tx.apply(Change.deleteBlacklist("cad", "hw-a"))[0] != 0)).isTrue();
            assertThat((tx.apply(Change.deleteBlacklist("cad", "hw-a"))[0] != 0)).isFalse();
            long id = tx.apply(Change.insertLicense(draft))[0];
            tx.apply(Change.putActivation(new Activation(id, "hw-a", START)));
            assertThat((tx.apply(Change.deleteActivation(id, "hw-a"))[0] != 0)).isTrue();
            assertThat((tx.apply(Change.deleteActivation(id, "hw-a"))[0] != 0)).isFalse();
            assertThat((tx.apply(Change.deleteLease(id, "hw-a"))[0] != 0)).isFalse();
            return null;
        });
    }

    @Test
    void closeIsIdempotent() {
        store.close();
        store.close(); // and once more after the test
    }
}
