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
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.LockKey;
import dev.licensor.store.NestedUnitException;
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

/**
 * The store SPI's own guarantees, the same on every store: nested units refused with
 * {@link NestedUnitException}, lock keys only in the global order and never in a read unit,
 * the stated order of every list (hardware ids in code point order), and the engine's retry of
 * {@link TransientStoreException}. A store's test runs it as a nested class of
 * {@link LicenseStoreContract} or on its own with {@link #newSpiStore()}.
 *
 * <p>Not thread-safe: JUnit creates one instance per test.
 */
@Timeout(60)
public abstract class StoreSpiContract {
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** U+FFFD sorts before U+1F600 by code point, after it by UTF-16 unit ({@link String#compareTo}). */
    private static final String REPLACEMENT = "\uFFFD";
    private static final String EMOJI = "\uD83D\uDE00";

    /** The store under test, fresh for each test. */
    protected LicenseStore spiStore;
    private Product cad;

    /** A fresh, empty store. */
    protected abstract LicenseStore newSpiStore() throws Exception;

    @BeforeEach
    void openSpiStore() throws Exception {
        spiStore = newSpiStore();
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
            tx.putProduct(cad);
            assertThatThrownBy(() -> spiStore.write(inner -> null)).isInstanceOf(NestedUnitException.class);
            return null;
        });
        assertThat(spiStore.<Optional<Product>>read(tx -> tx.product("cad"))).contains(cad);
    }

    @Test
    void locksAreTakenInTheGlobalOrderOnly() {
        long[] ids = spiStore.write(tx -> {
            tx.lock(LockKey.CATALOG);
            tx.putProduct(cad);
            long a = tx.insertLicense(License.builder("cad").key("A").floatingSeats(1).build());
            long b = tx.insertLicense(License.builder("cad").key("B").floatingSeats(1).build());
            long client = tx.insertClient(new Client(0, "c1", 1, ""));
            long cl = tx.insertClientLicense(ClientLicense.draft(1, 1, 33, "FS", 2, 0, null));
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
            tx.putLease(new Lease(ids[0], "hw-x", START, START, START.plus(TIMEOUT), null));
            tx.lock(LockKey.client(ids[2]));
            tx.lock(LockKey.pool(ids[1]));
            return null;
        })).isInstanceOf(IllegalStateException.class).isNotInstanceOf(NestedUnitException.class);
        assertThat(spiStore.<Optional<Lease>>read(tx -> tx.lease(ids[0], "hw-x"))).isEmpty();
        assertThatThrownBy(() -> spiStore.read(tx -> {
            tx.lock(LockKey.pool(ids[0]));
            return null;
        })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void listsFollowTheirStatedOrderWithHardwareIdsByCodePoint() {
        long license = spiStore.write(tx -> {
            tx.putProduct(cad);
            return tx.insertLicense(License.builder("cad").key("K").floatingSeats(10).build());
        });
        Instant later = START.plusSeconds(5);
        Lease emoji = new Lease(license, EMOJI, START, START, START.plus(TIMEOUT), null);
        Lease replacement = new Lease(license, REPLACEMENT, START, START, START.plus(TIMEOUT), null);
        Lease plain = new Lease(license, "z", START, START, START.plus(TIMEOUT), null);
        Lease first = new Lease(license, "zz", START.minusSeconds(1), START, START.plus(TIMEOUT), null);
        Lease last = new Lease(license, "a", later, later, START.plus(TIMEOUT), null);
        spiStore.write(tx -> {
            List.of(emoji, last, replacement, first, plain).forEach(tx::putLease);
            return null;
        });
        assertThat(spiStore.<List<Lease>>read(tx -> tx.leasesLiveAfter(license, START)))
                .as("by grant time, then hardware id by code point").containsExactly(first, plain, replacement, emoji, last);
        assertThat(spiStore.<List<Lease>>read(tx -> tx.leasesLapsedBy(license, START.plus(TIMEOUT), 10)))
                .as("by expiry, then hardware id by code point").containsExactly(last, plain, first, replacement, emoji);
        assertThat(spiStore.<List<Lease>>read(tx -> tx.leasesLapsedBy(START.plus(TIMEOUT), 10)))
                .containsExactly(last, plain, first, replacement, emoji);

        long[] ids = spiStore.write(tx -> {
            long c1 = tx.insertClient(new Client(0, "c1", 1, ""));
            long c2 = tx.insertClient(new Client(0, "c2", 1, ""));
            long l1 = tx.insertClientLicense(ClientLicense.draft(1, 1, 33, "FS", 9, 0, null));
            long l2 = tx.insertClientLicense(ClientLicense.draft(1, 2, 33, "FS2", 9, 0, null));
            tx.putConsumption(new ConsumedLicense(c2, l1, true, false, START));
            tx.putConsumption(new ConsumedLicense(c1, l2, true, false, START));
            tx.putConsumption(new ConsumedLicense(c1, l2, false, false, START));
            tx.putConsumption(new ConsumedLicense(c1, l1, true, false, START));
            tx.putConsumption(new ConsumedLicense(c2, l1, false, true, START));
            tx.putConsumption(new ConsumedLicense(c1, l1, false, false, START));
            return new long[] {c1, c2, l1, l2};
        });
        assertThat(spiStore.<List<ConsumedLicense>>read(tx -> tx.consumptionsOfClient(ids[0])))
                .as("by client license, client-level first")
                .extracting(c -> c.clientLicenseId() + "/" + c.agentLevel())
                .containsExactly(ids[2] + "/false", ids[2] + "/true", ids[3] + "/false", ids[3] + "/true");
        assertThat(spiStore.<List<ConsumedLicense>>read(tx -> tx.heldConsumptionsOf(ids[2])))
                .as("held only, by client, client-level first")
                .extracting(c -> c.clientId() + "/" + c.agentLevel())
                .containsExactly(ids[0] + "/false", ids[0] + "/true", ids[1] + "/true");
    }

    @Test
    void theEngineRerunsAUnitAfterATransientConflictAndOnlyTheLastRunCommits() {
        spiStore.write(tx -> {
            tx.putProduct(cad);
            return tx.insertLicense(License.builder("cad").key("K").maxActivations(3).build());
        });
        AtomicInteger failuresLeft = new AtomicInteger(2);
        Licensor licensor = Licensor.builder().store(new Flaky(spiStore, failuresLeft))
                .clock(Clock.fixed(START, java.time.ZoneOffset.UTC)).build();
        assertThat(licensor.floating().activate(DeviceRequest.byKey("cad", "K", "hw-1")).isSuccess()).isTrue();
        assertThat(failuresLeft.get()).isNegative();
        List<LedgerEntry> ledger = spiStore.read(tx -> tx.ledger(Instant.EPOCH, START.plusSeconds(1), 100));
        assertThat(ledger).extracting(LedgerEntry::event).containsExactly(LedgerEvent.ACTIVATED);
    }

    @Test
    void aConflictThatDoesNotPassEndsInStoreFailureAfterABoundedNumberOfRuns() {
        long license = spiStore.write(tx -> {
            tx.putProduct(cad);
            return tx.insertLicense(License.builder("cad").key("K").maxActivations(3).build());
        });
        AtomicInteger failuresLeft = new AtomicInteger(Integer.MAX_VALUE);
        Licensor licensor = Licensor.builder().store(new Flaky(spiStore, failuresLeft))
                .clock(Clock.fixed(START, java.time.ZoneOffset.UTC)).build();
        assertThatThrownBy(() -> licensor.floating().activate(DeviceRequest.byKey("cad", "K", "hw-1")))
                .isInstanceOfSatisfying(LicensingException.class, e -> assertThat(e.code()).isEqualTo(Code.STORE_FAILURE))
                .hasCauseInstanceOf(TransientStoreException.class);
        int runs = Integer.MAX_VALUE - failuresLeft.get();
        assertThat(runs).isBetween(2, 20);
        assertThat(spiStore.<Integer>read(tx -> tx.countActivations(license))).isZero();
        assertThat(spiStore.<List<LedgerEntry>>read(tx -> tx.ledger(Instant.EPOCH, START.plusSeconds(1), 100))).isEmpty();
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
