package dev.licensor.store.postgresql;

import dev.licensor.store.Change;
import dev.licensor.store.Query;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The feed rule without a shared lock (migration 7): an entry of a transaction still open holds
 * back the entries of every transaction that began writing after it, even committed ones, so a
 * reader's cursor never passes an entry that appears later. And seqs written before a logical
 * restore into another cluster (ids from a higher counter) stay below new ones.
 */
@ExtendWith(PgExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LedgerFeedTest {

    private static LedgerEntry entry(String subject) {
        return new LedgerEntry(0, Instant.parse("2026-12-07T12:00:00Z"), LedgerEvent.GRANTED, 1, 0, subject, Code.OK, "");
    }

    private static List<String> feed(PostgresLicenseStore store, long after) {
        return store.read(tx -> tx.list(new Query.LedgerAfter(after, 100))).stream().map(LedgerEntry::subject).toList();
    }

    @Test
    void anOpenTransactionsEntryHoldsBackLaterCommittedOnesUntilItEnds() throws Exception {
        String schema = PgServer.freshSchema("feed");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (HikariDataSource poolA = Fixtures.pool(PgServer.shared(), 3, Duration.ofSeconds(30));
             HikariDataSource poolB = Fixtures.pool(PgServer.shared(), 3, Duration.ofSeconds(30));
             PostgresLicenseStore hostA = PostgresLicenseStore.builder(poolA).schema(schema)
                     .idleInTransactionTimeout(Duration.ofSeconds(60)).open();
             PostgresLicenseStore hostB = Fixtures.open(poolB, schema)) {
            long before = hostB.write(tx -> tx.apply(new Change.AppendLedger(entry("before")))[0]);
            assertThat(feed(hostB, 0)).containsExactly("before");

            CountDownLatch written = new CountDownLatch(1);
            CountDownLatch commit = new CountDownLatch(1);
            long[] slowSeq = new long[1];
            Future<?> slow = threads.submit(() -> hostA.write(tx -> {
                slowSeq[0] = tx.apply(new Change.AppendLedger(entry("slow")))[0]; // host A's transaction has its id now
                written.countDown();
                try {
                    assertThat(commit.await(60, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }));
            assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
            long fastSeq = hostB.write(tx -> tx.apply(new Change.AppendLedger(entry("fast")))[0]); // began later, committed first
            assertThat(fastSeq).isGreaterThan(slowSeq[0]).isGreaterThan(before);

            // "fast" is committed, but showing it would let a reader's cursor pass "slow"
            assertThat(feed(hostB, before)).isEmpty();
            assertThat(feed(hostB, 0)).containsExactly("before");

            commit.countDown();
            slow.get(30, TimeUnit.SECONDS);
            assertThat(feed(hostB, before)).containsExactly("slow", "fast");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void seqsFromAnotherClustersHigherIdsStayBelowNewOnesAfterOpen() {
        String schema = PgServer.freshSchema("restore");
        try (HikariDataSource pool = Fixtures.pool(PgServer.shared(), 3, Duration.ofSeconds(30))) {
            long restored;
            try (PostgresLicenseStore store = Fixtures.open(pool, schema)) {
                long written = store.write(tx -> tx.apply(new Change.AppendLedger(entry("old")))[0]);
                // as after pg_restore into a cluster whose ids are far lower: the old seq lies
                // above what this cluster's next transaction would take (and the feed hides it)
                PgServer.shared().execute("UPDATE " + schema + ".ledger SET seq = seq + (1::bigint << 50)");
                restored = written + (1L << 50);
                assertThat(feed(store, 0)).isEmpty();
            }
            try (PostgresLicenseStore store = Fixtures.open(pool, schema)) { // open() raises the base
                long fresh = store.write(tx -> tx.apply(new Change.AppendLedger(entry("new")))[0]);
                assertThat(fresh).isGreaterThan(restored);
                assertThat(feed(store, 0)).containsExactly("old", "new");
                assertThat(feed(store, restored)).containsExactly("new");
            }
        }
    }
}
