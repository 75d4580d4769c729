package dev.licensor.store.postgresql;

import dev.licensor.store.Change;
import dev.licensor.store.Key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.event.LicensorEvent;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.ledger.LedgerEntry;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.licensor.catalog.Product;
import dev.licensor.store.LockKey;
import dev.licensor.store.StoreWork;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
 * Group commit on PostgreSQL, made deterministic as on SQLite: one unit holds the writer while
 * others queue, so the next leader takes them all in one transaction. Then a second store on the
 * same schema (another host) holds a pool's lock: this host's units on other pools go on, and
 * the unit on that pool waits, outside the batch, until the lock is free.
 */
@ExtendWith(PgExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GroupCommitTest {
    private static final int WAITING = 15;

    private HikariDataSource pool;
    private PostgresLicenseStore store;
    private String schema;
    private ExecutorService threads;

    @BeforeEach
    void open() {
        schema = PgServer.freshSchema("batch");
        pool = Fixtures.pool(PgServer.shared(), WAITING + 4, Duration.ofSeconds(30));
        // long lock waits: a unit on a busy pool waits for another host's test-held lock
        store = PostgresLicenseStore.builder(pool).schema(schema).lockTimeout(Duration.ofSeconds(60)).open();
        threads = Executors.newFixedThreadPool(WAITING + 4);
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        store.close();
        pool.close();
    }

    private static Product product(String code) {
        return new Product(code, code, Duration.ofMinutes(5), Duration.ofHours(1));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean stored(String code) {
        return store.read(tx -> tx.find(new Key.ProductByCode(code))).isPresent();
    }

    /** Runs a blocking unit first, then queues {@code waiting} behind it in order, then lets the blocker finish. */
    private List<Future<Object>> behindABlocker(List<StoreWork<Object>> waiting) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Future<Object>> answers = new ArrayList<>();
        answers.add(threads.submit(() -> store.write(tx -> {
            holding.countDown();
            await(release); // sent nothing yet: no transaction is open on the server meanwhile
            tx.apply(new Change.PutProduct(product("blocker")));
            return "blocker";
        })));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        for (StoreWork<Object> work : waiting) {
            int queued = store.groupCommit().queued();
            answers.add(threads.submit(() -> store.write(work)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.groupCommit().queued() == queued && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(store.groupCommit().queued()).isEqualTo(queued + 1);
        }
        release.countDown();
        return answers;
    }

    @Test
    void unitsWaitingForTheWriterShareOneTransaction() throws Exception {
        List<StoreWork<Object>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            String code = "p" + i;
            waiting.add(tx -> {
                tx.apply(new Change.PutProduct(product(code)));
                return code;
            });
        }
        List<Future<Object>> answers = behindABlocker(waiting);
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i == 0 ? "blocker" : "p" + (i - 1));
        }
        assertThat(store.groupCommit().commits()).isEqualTo(2); // the blocker alone, then the 15 together
        assertThat(store.groupCommit().units()).isEqualTo(WAITING + 1);
        assertThat(store.groupCommit().largestBatch()).isEqualTo(WAITING);
        assertThat(store.commitBatches().largest()).isEqualTo(WAITING);
        for (int i = 0; i < WAITING; i++) {
            assertThat(stored("p" + i)).isTrue();
        }
    }

    @Test
    void refusedAndThrowingUnitsChangeNothingAndTheOthersOfTheirBatchCommit() throws Exception {
        int culprit = 8; // not one of the refused (i % 3 == 1)
        AtomicInteger[] runs = new AtomicInteger[WAITING];
        List<StoreWork<Object>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            String code = "p" + i;
            AtomicInteger count = runs[i] = new AtomicInteger();
            boolean refused = i % 3 == 1;
            boolean bad = i == culprit;
            waiting.add(tx -> {
                count.incrementAndGet();
                tx.apply(new Change.PutProduct(product(code)));
                if (refused) {
                    throw new IllegalArgumentException("refused " + code);
                }
                if (bad) {
                    // a key the engine would never reuse: the server refuses it (a SQL error)
                    tx.apply(new Change.InsertLicense(License.builder(code).key("K").build()));
                    tx.apply(new Change.InsertLicense(License.builder(code).key("K").build()));
                }
                return code;
            });
        }
        List<Future<Object>> answers = behindABlocker(waiting);
        answers.get(0).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < WAITING; i++) {
            Future<Object> answer = answers.get(i + 1);
            if (i == culprit) {
                assertThatThrownBy(() -> answer.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
                assertThat(stored("p" + i)).isFalse();
                assertThat(runs[i].get()).isEqualTo(1);
            } else if (i % 3 == 1) {
                assertThatThrownBy(() -> answer.get(30, TimeUnit.SECONDS))
                        .hasCauseExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("refused p" + i);
                assertThat(stored("p" + i)).as("p%d was refused", i).isFalse();
            } else {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("p" + i);
                assertThat(stored("p" + i)).as("p%d committed", i).isTrue();
                // those before the culprit ran in the rolled-back transaction, then again
                assertThat(runs[i].get()).as("runs of p%d", i).isEqualTo(i < culprit ? 2 : 1);
            }
        }
        // the blocker, the batch that rolled back at the culprit, the batch of the 14 others
        assertThat(store.groupCommit().commits()).isEqualTo(3);
    }

    @Test
    void aLoneCallerCommitsAloneWithoutASavepoint() {
        store.write(tx -> {
            tx.apply(new Change.PutProduct(product("alone")));
            return null;
        });
        assertThat(store.groupCommit().commits()).isEqualTo(1);
        assertThat(store.groupCommit().largestBatch()).isEqualTo(1);
        assertThat(stored("alone")).isTrue();
    }

    /**
     * Another host holds pool 1's lock (its unit waits inside its transaction). This host's units
     * on pools 2..9 commit meanwhile, in batches, although one unit of pool 1 is queued with them;
     * that unit waits for the lock outside the batch and commits once the other host lets go.
     */
    @Test
    void anotherHostsHeldPoolLockDoesNotHoldUpThisHostsOtherPools() throws Exception {
        try (HikariDataSource otherPool = Fixtures.pool(PgServer.shared(), 2, Duration.ofSeconds(30));
             PostgresLicenseStore otherHost = PostgresLicenseStore.builder(otherPool).schema(schema)
                     .idleInTransactionTimeout(Duration.ofSeconds(60)).open()) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Object> holder = threads.submit(() -> otherHost.write(tx -> {
                tx.lock(LockKey.pool(1));
                tx.find(new Key.ProductByCode("none")); // sends the lock: the other host now holds pool 1
                holding.countDown();
                await(release);
                tx.apply(new Change.PutProduct(product("holder")));
                return null;
            }));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

            AtomicInteger poolOneRuns = new AtomicInteger();
            Future<Object> poolOne = threads.submit(() -> store.write(tx -> {
                poolOneRuns.incrementAndGet();
                tx.lock(LockKey.pool(1));
                tx.apply(new Change.PutProduct(product("one")));
                return "one";
            }));
            List<Future<Object>> others = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (long id = 2; id <= 9; id++) {
                    String code = "q" + id + "-" + round;
                    long poolId = id;
                    others.add(threads.submit(() -> store.write(tx -> {
                        tx.lock(LockKey.pool(poolId));
                        tx.apply(new Change.PutProduct(product(code)));
                        return code;
                    })));
                }
            }
            for (Future<Object> other : others) {
                other.get(30, TimeUnit.SECONDS); // while the other host still holds pool 1
            }
            assertThat(poolOne).as("pool 1's unit waits for the other host").isNotDone();
            assertThat(stored("one")).isFalse();
            assertThat(poolOneRuns.get()).as("tried in a batch, refused the busy lock, not run again yet").isEqualTo(1);

            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            assertThat(poolOne.get(30, TimeUnit.SECONDS)).isEqualTo("one");
            assertThat(poolOneRuns.get()).isEqualTo(2);
            assertThat(store.groupCommit().contendedUnits()).isEqualTo(1);
            assertThat(stored("one")).isTrue();
            assertThat(stored("holder")).isTrue();
            for (int round = 0; round < 3; round++) {
                for (long id = 2; id <= 9; id++) {
                    assertThat(stored("q" + id + "-" + round)).isTrue();
                }
            }
        }
    }

    /**
     * One engine's events stay in seq (and commit) order while some of its units run contended:
     * another host holds pool 1 while this engine's threads check seats out on pools 1 and 2
     * (batched, and contended for pool 1 once it is free). Every event matches a ledger entry,
     * and the feed read afterwards holds each of this engine's entries once.
     */
    @Test
    void eventsOfOneEngineKeepSeqOrderWhenSomeUnitsRunContended() throws Exception {
        Licensor admin = Fixtures.licensor(store);
        long first = Fixtures.define(admin, 100, 1);
        long second = admin.catalog().createLicense(License.builder(Fixtures.PRODUCT).key("KEY-2")
                .maxActivations(1_000).floatingSeats(100).build()).orElseThrow().id();
        List<LicensorEvent> seen = new CopyOnWriteArrayList<>();
        Licensor licensor = Licensor.builder().store(store).listener(seen::add).build();
        try (HikariDataSource otherPool = Fixtures.pool(PgServer.shared(), 2, Duration.ofSeconds(30));
             PostgresLicenseStore otherHost = PostgresLicenseStore.builder(otherPool).schema(schema)
                     .idleInTransactionTimeout(Duration.ofSeconds(60)).open()) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Object> holder = threads.submit(() -> otherHost.write(tx -> {
                tx.lock(LockKey.pool(first));
                tx.find(new Key.ProductByCode("none"));
                holding.countDown();
                await(release);
                return null;
            }));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                String key = t % 4 == 0 ? Fixtures.KEY : "KEY-2";
                String device = "d" + t;
                callers.add(threads.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        DeviceRequest request = DeviceRequest.byKey(Fixtures.PRODUCT, key, device + "-" + i);
                        licensor.floating().activate(request).orElseThrow();
                        licensor.floating().check(request).orElseThrow();
                        licensor.floating().release(request).orElseThrow();
                    }
                    return null;
                }));
            }
            // pool 2's callers go on; pool 1's meet the other host's lock and wait for it, contended
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.groupCommit().contendedUnits() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            for (Future<?> caller : callers) {
                caller.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(store.groupCommit().contendedUnits()).isPositive();
        assertThat(seen).hasSize(12 * 5 * 3); // activated, granted, released
        assertThat(seen).extracting(LicensorEvent::seq).isSorted().doesNotHaveDuplicates();
        List<Long> ledger = new ArrayList<>();
        for (List<LedgerEntry> page; !(page = licensor.ledger().after(ledger.isEmpty() ? 0 : ledger.get(ledger.size() - 1), 1000))
                .isEmpty(); ) {
            page.forEach(e -> ledger.add(e.seq()));
        }
        assertThat(ledger).isSorted().doesNotHaveDuplicates().containsAll(seen.stream().map(LicensorEvent::seq).toList());
        assertThat(licensor.ledger().between(Instant.EPOCH, Instant.now().plusSeconds(86_400), 10_000)).hasSameSizeAs(ledger);
        assertThat(second).isPositive();
    }

    /**
     * Two hosts, each with 8 threads on pools of their own, commit batches at the same time. Until
     * migration 9 a notifying COMMIT waited for the server's NOTIFY queue lock, which the other
     * host's commit could hold, and a batch's 1 ms lock try failed whole batches with
     * STORE_FAILURE; the change record takes no lock at COMMIT. Every call succeeds.
     */
    @Test
    void batchesOfTwoHostsCommittingAtOnceAllSucceed() throws Exception {
        Licensor here = Fixtures.licensor(store);
        Fixtures.define(here, 10, 1);
        try (HikariDataSource otherPool = Fixtures.pool(PgServer.shared(), 10, Duration.ofSeconds(30));
             PostgresLicenseStore otherHost = Fixtures.open(otherPool, schema)) {
            Licensor there = Fixtures.licensor(otherHost);
            List<Future<Integer>> callers = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            for (int t = 0; t < 16; t++) {
                Licensor licensor = t % 2 == 0 ? here : there;
                String key = "KEY-T" + t;
                here.catalog().createLicense(License.builder(Fixtures.PRODUCT).key(key)
                        .maxActivations(10).floatingSeats(1).build()).orElseThrow();
                DeviceRequest request = DeviceRequest.byKey(Fixtures.PRODUCT, key, "device");
                here.floating().activate(request).orElseThrow();
                callers.add(threads.submit(() -> {
                    int ops = 0;
                    while (System.nanoTime() < until) {
                        licensor.floating().check(request).orElseThrow();
                        licensor.floating().release(request).orElseThrow();
                        ops++;
                    }
                    return ops;
                }));
            }
            int total = 0;
            for (Future<Integer> caller : callers) {
                total += caller.get(60, TimeUnit.SECONDS); // throws if any call failed
            }
            assertThat(total).isPositive();
            assertThat(store.groupCommit().units()).isGreaterThan(store.groupCommit().commits());
        }
    }
}
