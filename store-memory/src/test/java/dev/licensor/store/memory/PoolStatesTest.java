package dev.licensor.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.Lease;
import dev.licensor.store.Change;
import dev.licensor.store.Key;
import dev.licensor.store.LockKey;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.PoolLoad;
import dev.licensor.store.PoolState;
import dev.licensor.store.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The memory store's whole pool states: a unit reads the state it built, other units see it only
 * once it commits, a unit that throws leaves nothing, and the lease views ({@code find}, the
 * per-pool and store-wide lapsed listings, {@code loadPool}) agree with the committed state.
 */
class PoolStatesTest {
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final MemoryLicenseStore store = new MemoryLicenseStore();
    private long pool;
    private long other;

    @BeforeEach
    void catalog() {
        long[] ids = store.write(tx -> {
            tx.lock(LockKey.CATALOG);
            tx.apply(Change.putProduct(new Product("cad", "CAD", TIMEOUT, Duration.ofDays(7))));
            return tx.apply(Change.insertLicense(License.builder("cad").key("A").floatingSeats(4).build()),
                    Change.insertLicense(License.builder("cad").key("B").floatingSeats(4).build()));
        });
        pool = ids[0];
        other = ids[1];
    }

    private static Lease lease(long pool, String hw, Instant expires) {
        return new Lease(pool, hw, START, START, expires, null);
    }

    private static PoolChanges put(long pool, Lease... leases) {
        return new PoolChanges(pool, null, null, List.of(), List.of(leases), List.of(), List.of(), null, List.of(),
                List.of());
    }

    private PoolState load(long id, Instant now) {
        return store.write(tx -> {
            tx.lock(LockKey.pool(id));
            return tx.loadPool(new PoolLoad(id, "cad", "hw-1", List.of("hw-1", "hw-2"), now, PoolLoad.Live.COUNT, false,
                    10, false)).orElseThrow();
        });
    }

    private Optional<Lease> leaseOf(long id, String hw) {
        return store.read(tx -> tx.find(Key.lease(id, hw)));
    }

    private List<Lease> lapsedEverywhere(Instant by) {
        return store.read(tx -> tx.list(Query.leasesLapsedBy(by, 100)));
    }

    @Test
    void aUnitReadsTheStateItBuiltAndEveryViewSeesItOnceCommitted() {
        Lease first = lease(pool, "hw-1", START.plus(TIMEOUT));
        int seenInside = store.write(tx -> {
            tx.lock(LockKey.pool(pool));
            tx.apply(put(pool, first));
            PoolState own = tx.loadPool(new PoolLoad(pool, "cad", "hw-1", List.of("hw-1"), START, PoolLoad.Live.COUNT,
                    false, 0, false)).orElseThrow();
            assertThat(tx.find(Key.lease(pool, "hw-1"))).contains(first);
            return own.liveCount();
        });
        assertThat(seenInside).isEqualTo(1);
        assertThat(leaseOf(pool, "hw-1")).contains(first);
        assertThat(load(pool, START).seatLeases()).containsEntry("hw-1", first);
        assertThat(lapsedEverywhere(START.plus(TIMEOUT))).containsExactly(first);
        assertThat(load(pool, START.plus(TIMEOUT)).lapsed()).containsExactly(first);
    }

    @Test
    void aUnitThatThrowsLeavesNoLeaseInAnyView() {
        assertThatThrownBy(() -> store.write(tx -> {
            tx.lock(LockKey.pool(pool));
            tx.apply(put(pool, lease(pool, "hw-1", START.plus(TIMEOUT))));
            tx.apply(Change.putLease(lease(other, "hw-2", START.plus(TIMEOUT))));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(leaseOf(pool, "hw-1")).isEmpty();
        assertThat(leaseOf(other, "hw-2")).isEmpty();
        assertThat(load(pool, START).liveCount()).isZero();
        assertThat(lapsedEverywhere(START.plus(Duration.ofDays(1)))).isEmpty();
    }

    @Test
    void aReplacedOrDeletedLeaseLeavesTheStoreWideLapsedListing() {
        Lease early = lease(pool, "hw-1", START.plus(TIMEOUT));
        Lease gone = lease(other, "hw-2", START.plus(TIMEOUT));
        store.write(tx -> {
            tx.lock(LockKey.pool(pool), LockKey.pool(other));
            tx.apply(put(pool, early));
            return tx.apply(put(other, gone));
        });
        Lease later = lease(pool, "hw-1", START.plus(TIMEOUT.multipliedBy(3)));
        store.write(tx -> {
            tx.lock(LockKey.pool(pool), LockKey.pool(other));
            tx.apply(put(pool, later));
            return tx.apply(Change.deleteLease(other, "hw-2"));
        });

        assertThat(lapsedEverywhere(START.plus(TIMEOUT.multipliedBy(2)))).isEmpty();
        assertThat(lapsedEverywhere(START.plus(TIMEOUT.multipliedBy(3)))).containsExactly(later);
        store.write(tx -> {
            tx.lock(LockKey.CATALOG);
            return tx.apply(Change.deleteLicense(tx.find(Key.license(pool)).orElseThrow()));
        });
        assertThat(lapsedEverywhere(START.plus(Duration.ofDays(1)))).isEmpty();
        Optional<PoolState> deleted = store.read(tx -> tx.loadPool(new PoolLoad(pool, "cad", "hw-1", List.of(), START,
                PoolLoad.Live.NONE, false, 0, false)));
        assertThat(deleted).isEmpty();
    }

    @Test
    @Timeout(30)
    void anotherUnitSeesAPoolsNextStateOnlyAfterItsUnitCommits() throws Exception {
        CountDownLatch applied = new CountDownLatch(1);
        CountDownLatch looked = new CountDownLatch(1);
        Lease lease = lease(pool, "hw-1", START.plus(TIMEOUT));
        CompletableFuture<long[]> writer = CompletableFuture.supplyAsync(() -> store.write(tx -> {
            tx.lock(LockKey.pool(pool));
            long[] seqs = tx.apply(put(pool, lease));
            applied.countDown();
            await(looked);
            return seqs;
        }));
        assertThat(applied.await(10, TimeUnit.SECONDS)).isTrue();
        // A unit on another pool, reading this pool's lease without its lock: committed rows only.
        Optional<Lease> during = store.write(tx -> {
            tx.lock(LockKey.pool(other));
            return tx.find(Key.lease(pool, "hw-1"));
        });
        looked.countDown();
        writer.get(10, TimeUnit.SECONDS);

        assertThat(during).isEmpty();
        assertThat(leaseOf(pool, "hw-1")).contains(lease);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
