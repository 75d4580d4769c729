package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.floating.QueueEntry;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.store.LicenseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queue for a seat (issue 13), the same on every store: entries are store rows with a
 * position and a timeout, a freed seat goes to the first live entry, lapsed entries stop
 * blocking, and {@code awaitSeat} hands seats out in queue order to real waiting threads.
 *
 * <p>Not thread-safe: JUnit creates one instance per test.
 */
@Timeout(120)
@ExtendWith(StoreUnderTest.Finder.class)
public abstract class SeatQueueContract {
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String PRODUCT = "cad";

    /** The store under test, fresh for each test. */
    protected LicenseStore queueStore;
    /** The engine's clock. */
    protected MutableClock clock;
    /** The engine over {@link #queueStore}. */
    protected Licensor licensor;
    private License pool;

    /** The enclosing store test: how to build the store and the engine. */
    private StoreUnderTest under;

    /** A fresh, empty store, from the enclosing {@link StoreUnderTest}. */
    protected LicenseStore newQueueStore() throws Exception {
        return under.newStore();
    }

    /** The engine builder over {@code store}, from the enclosing {@link StoreUnderTest}. */
    protected Licensor.Builder queueEngine(LicenseStore store, Clock engineClock) {
        return under.engine(store, engineClock);
    }

    @BeforeEach
    void openQueueStore(StoreUnderTest storeUnderTest) throws Exception {
        under = storeUnderTest;
        queueStore = newQueueStore();
        clock = new MutableClock(START);
        licensor = queueEngine(queueStore, clock).build();
        licensor.catalog().defineProduct(new Product(PRODUCT, "CAD", TIMEOUT, Duration.ofDays(7))).orElseThrow();
        pool = licensor.catalog().createLicense(License.builder(PRODUCT).key("Q").maxActivations(1000).floatingSeats(1)
                .build()).orElseThrow();
        licensor.catalog().setPolicy(pool.id(), PoolPolicy.parse("QUEUE 20")).orElseThrow();
    }

    @AfterEach
    void closeQueueStore() {
        queueStore.close();
    }

    private DeviceRequest device(String hw) {
        DeviceRequest r = DeviceRequest.byKey(PRODUCT, "Q", hw).withHolder(Holder.of("user-" + hw, null));
        licensor.floating().activate(r).orElseThrow();
        return r;
    }

    private List<String> queued() {
        return licensor.seats().pool(pool.id()).orElseThrow().queued().stream().map(QueueEntry::device).toList();
    }

    private List<String> holders() {
        return licensor.seats().holders(pool.id()).orElseThrow().stream().map(Lease::device).toList();
    }

    @Test
    void aFreedSeatGoesToTheFirstLiveEntry() {
        DeviceRequest a = device("a");
        DeviceRequest b = device("b");
        DeviceRequest c = device("c");
        DeviceRequest d = device("d");
        assertThat(licensor.floating().checkOrQueue(a).isSuccess()).isTrue();
        Outcome<LicenseCheck> qb = licensor.floating().checkOrQueue(b);
        assertThat(qb.code()).isEqualTo(Code.QUEUED);
        assertThat(qb.message()).contains("position 1");
        assertThat(licensor.floating().checkOrQueue(c).message()).contains("position 2");
        assertThat(licensor.floating().checkOrQueue(b).message()).as("a refresh keeps the place").contains("position 1");
        assertThat(queued()).containsExactly("b", "c");
        licensor.floating().release(a).orElseThrow();
        // the seat waits for b: c (queued later) and d (not queued) are refused meanwhile
        assertThat(licensor.floating().checkOrQueue(c).code()).isEqualTo(Code.QUEUED);
        assertThat(licensor.floating().check(d).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(licensor.floating().check(b).isSuccess()).isTrue();
        assertThat(holders()).containsExactly("b");
        assertThat(queued()).containsExactly("c");
        assertThat(licensor.ledger().between(START, START.plusSeconds(1), 1000)).extracting(LedgerEntry::event)
                .contains(LedgerEvent.QUEUED);
    }

    @Test
    void anEntryNotRefreshedLapsesAndStopsBlocking() {
        DeviceRequest a = device("a");
        DeviceRequest ghost = device("ghost");
        DeviceRequest b = device("b");
        licensor.floating().check(a).orElseThrow();
        assertThat(licensor.floating().checkOrQueue(ghost).code()).isEqualTo(Code.QUEUED);
        clock.advance(Duration.ofMinutes(6));
        licensor.floating().check(a).orElseThrow();
        assertThat(licensor.floating().checkOrQueue(b).message()).contains("position 2");
        clock.advance(Duration.ofMinutes(4)); // the ghost's entry lapses now
        licensor.floating().release(a).orElseThrow();
        assertThat(queued()).containsExactly("b");
        assertThat(licensor.floating().check(b).isSuccess()).isTrue();
    }

    @Test
    void aFullQueueAndAPoolWithoutAQueueRefuse() {
        licensor.catalog().setPolicy(pool.id(), PoolPolicy.parse("QUEUE 1")).orElseThrow();
        licensor.floating().check(device("a")).orElseThrow();
        assertThat(licensor.floating().checkOrQueue(device("b")).code()).isEqualTo(Code.QUEUED);
        assertThat(licensor.floating().checkOrQueue(device("c")).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        licensor.catalog().setPolicy(pool.id(), PoolPolicy.NONE).orElseThrow();
        assertThat(licensor.floating().checkOrQueue(device("c")).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
    }

    @Test
    void awaitSeatGivesUpAtItsTimeoutAndLeavesTheQueue() {
        licensor.floating().check(device("a")).orElseThrow();
        Outcome<LicenseCheck> waited = licensor.floating().awaitSeat(device("b"), Duration.ofMillis(300));
        assertThat(waited.code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(queued()).isEmpty();
        assertThat(licensor.floating().awaitSeat(device("b"), Duration.ofDays(2)).code()).isEqualTo(Code.INVALID_REQUEST);
    }

    @Test
    void waitingThreadsGetTheSeatInQueueOrder() throws Exception {
        Licensor other = queueEngine(queueStore, clock).build();
        DeviceRequest first = device("first");
        licensor.floating().check(first).orElseThrow();
        int n = 6;
        List<DeviceRequest> waiters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DeviceRequest w = device("w" + i);
            // the queue order is the order of joining, not the thread order
            assertThat(licensor.floating().checkOrQueue(w).message()).contains("position " + (i + 1));
            waiters.add(w);
        }
        List<String> served = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger overlaps = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            List<Future<Outcome<LicenseCheck>>> futures = new ArrayList<>();
            for (int i = n - 1; i >= 0; i--) { // started in reverse, to show order comes from the queue
                DeviceRequest w = waiters.get(i);
                Licensor engine = i % 2 == 0 ? licensor : other;
                futures.add(threads.submit(() -> {
                    Outcome<LicenseCheck> o = engine.floating().awaitSeat(w, Duration.ofSeconds(60));
                    if (o.isSuccess()) {
                        if (holders().size() != 1) {
                            overlaps.incrementAndGet();
                        }
                        served.add(w.hardwareId());
                        engine.floating().release(w).orElseThrow();
                    }
                    return o;
                }));
            }
            Thread.sleep(200); // let the waiters block (not needed for correctness, only to exercise the wake-up)
            licensor.floating().release(first).orElseThrow();
            for (Future<Outcome<LicenseCheck>> f : futures) {
                assertThat(f.get(90, TimeUnit.SECONDS).isSuccess()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(served).containsExactly("w0", "w1", "w2", "w3", "w4", "w5");
        assertThat(overlaps.get()).as("no seat held by two").isZero();
        assertThat(queued()).isEmpty();
    }
}
