package dev.licensor.store.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.catalog.Product;
import dev.licensor.store.Change;
import dev.licensor.store.Key;
import dev.licensor.store.StoreWork;
import dev.licensor.store.sqlite.Synchronous;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on SQLite, made deterministic: one unit holds the writer while {@code WAITING}
 * others queue up, so the next leader takes them all in one transaction. Counts commits and
 * checks what each caller was told against what the file holds.
 */
class GroupCommitTest {
    private static final int WAITING = 15;

    @TempDir
    Path dir;
    private Database db;
    private ExecutorService threads;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("batch.db"), Synchronous.FULL, Duration.ofSeconds(30), 2, false, 64);
        threads = Executors.newFixedThreadPool(WAITING + 1);
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        db.close();
    }

    private static Product product(String code) {
        return new Product(code, code, Duration.ofMinutes(5), Duration.ofHours(1));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean stored(String code) {
        return db.read(tx -> tx.find(Key.product(code))).isPresent();
    }

    /** Runs a blocking unit first, then queues {@code waiting} behind it in order, then lets the blocker finish. */
    private List<Future<Object>> behindABlocker(List<StoreWork<Object>> waiting) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Future<Object>> answers = new ArrayList<>();
        answers.add(threads.submit(() -> db.write(tx -> {
            holding.countDown();
            await(release);
            tx.apply(Change.putProduct(product("blocker")));
            return "blocker";
        })));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        for (StoreWork<Object> work : waiting) {
            // one at a time, so the queue's order is this list's
            int queued = db.groupCommit().queued();
            answers.add(threads.submit(() -> db.write(work)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (db.groupCommit().queued() == queued && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(db.groupCommit().queued()).isEqualTo(queued + 1);
        }
        release.countDown();
        return answers;
    }

    @Test
    void unitsWaitingForTheWriterShareOneCommit() throws Exception {
        List<StoreWork<Object>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            String code = "p" + i;
            waiting.add(tx -> {
                tx.apply(Change.putProduct(product(code)));
                return code;
            });
        }
        List<Future<Object>> answers = behindABlocker(waiting);
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i == 0 ? "blocker" : "p" + (i - 1));
        }
        assertThat(db.groupCommit().commits()).isEqualTo(2); // the blocker alone, then the 15 together
        assertThat(db.groupCommit().units()).isEqualTo(WAITING + 1);
        assertThat(db.groupCommit().largestBatch()).isEqualTo(WAITING);
        for (int i = 0; i < WAITING; i++) {
            assertThat(stored("p" + i)).isTrue();
        }
    }

    @Test
    void aUnitThatThrowsChangesNothingAndTheOthersOfItsBatchCommit() throws Exception {
        List<StoreWork<Object>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            String code = "p" + i;
            boolean refused = i % 3 == 1;
            waiting.add(tx -> {
                tx.apply(Change.putProduct(product(code)));
                if (refused) {
                    throw new IllegalArgumentException("refused " + code);
                }
                return code;
            });
        }
        List<Future<Object>> answers = behindABlocker(waiting);
        answers.get(0).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < WAITING; i++) {
            Future<Object> answer = answers.get(i + 1);
            if (i % 3 == 1) {
                assertThatThrownBy(() -> answer.get(30, TimeUnit.SECONDS))
                        .hasCauseExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("refused p" + i);
                assertThat(stored("p" + i)).as("p%d was refused", i).isFalse();
            } else {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("p" + i);
                assertThat(stored("p" + i)).as("p%d committed", i).isTrue();
            }
        }
        assertThat(db.groupCommit().commits()).isEqualTo(2);
    }

    @Test
    void aSqlErrorInOneUnitRollsTheBatchBackAndTheOthersRunAgain() throws Exception {
        int culprit = 7;
        AtomicInteger[] runs = new AtomicInteger[WAITING];
        List<StoreWork<Object>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            String code = "p" + i;
            AtomicInteger count = runs[i] = new AtomicInteger();
            boolean bad = i == culprit;
            waiting.add(tx -> {
                count.incrementAndGet();
                tx.apply(Change.putProduct(product(code)));
                if (bad) {
                    // a key the engine would never reuse: the database refuses it (a SQL error)
                    tx.apply(Change.insertLicense(dev.licensor.catalog.License.builder(code).key("K").build()));
                    tx.apply(Change.insertLicense(dev.licensor.catalog.License.builder(code).key("K").build()));
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
            } else {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("p" + i);
                assertThat(stored("p" + i)).isTrue();
                // those before the culprit ran in the rolled-back transaction, then again
                assertThat(runs[i].get()).as("runs of p%d", i).isEqualTo(i < culprit ? 2 : 1);
            }
        }
        // the blocker, the batch that rolled back at the culprit, the batch of the 14 others
        assertThat(db.groupCommit().commits()).isEqualTo(3);
    }

    @Test
    void aLoneCallerCommitsAloneWithoutASavepoint() {
        Optional<Product> read = db.write(tx -> {
            tx.apply(Change.putProduct(product("alone")));
            return tx.find(Key.product("alone"));
        });
        assertThat(read.map(Product::code)).contains("alone");
        assertThat(db.groupCommit().commits()).isEqualTo(1);
        assertThat(db.groupCommit().largestBatch()).isEqualTo(1);
    }

    @Test
    void aCallerThatCannotGetTheWriterInTimeGivesUpWithItsUnitUnrun() throws Exception {
        try (Database quick = Database.open(dir.resolve("quick.db"), Synchronous.FULL, Duration.ofMillis(200), 1, false, 64)) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Object> blocker = threads.submit(() -> quick.write(tx -> {
                holding.countDown();
                await(release);
                return null;
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicInteger ran = new AtomicInteger();
            assertThatThrownBy(() -> quick.write(tx -> ran.incrementAndGet()))
                    .hasMessageContaining("timed out after");
            release.countDown();
            blocker.get(10, TimeUnit.SECONDS);
            assertThat(ran.get()).isZero();
            assertThat(quick.groupCommit().queued()).isZero();
        }
    }
}
