package dev.licensor.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.clients.ClientRef;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.store.Key;
import dev.licensor.store.Query;
import dev.licensor.storetests.Jvms;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit under SIGKILL: a child JVM writes from 16 threads at once (so its units share
 * commits) and is killed at varied points, again and again, on one file. After each kill every
 * operation the child reported is in the file, the small pool holds no more leases than its seats,
 * and a reader tailing the ledger feed from this JVM the whole time has seen every committed entry
 * exactly once, in seq order.
 */
class BatchCrashTest {
    private static final int KILLS = 6;
    private static final int THREADS = 16;
    private static final int SEATS = 5;
    private static final Pattern DONE = Pattern.compile("DONE (\\S+) (SEAT|NOSEAT) END");
    private static final Pattern STATS = Pattern.compile("STATS (\\d+) (\\d+) (\\d+)");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyReportedDecisionSurvivesAKillMidBatchAndTheFeedSeesEachEntryOnce() throws Exception {
        Path file = dir.resolve("batches.db");
        long licenseId = Fixtures.defineIn(file, SEATS, 1);
        Random random = new Random(20261207L);
        List<LedgerEntry> tailed = new CopyOnWriteArrayList<>();
        AtomicBoolean tailing = new AtomicBoolean(true);
        long batchedUnits = 0;
        long batchedCommits = 0;
        try (SqliteLicenseStore readerStore = SqliteLicenseStore.open(file)) {
            Licensor reader = Fixtures.licensor(readerStore);
            Thread tail = new Thread(() -> {
                long cursor = 0;
                while (tailing.get()) {
                    List<LedgerEntry> page = reader.ledger().after(cursor, 500);
                    tailed.addAll(page);
                    if (!page.isEmpty()) {
                        cursor = page.get(page.size() - 1).seq();
                    } else {
                        sleep(2);
                    }
                }
                // after the last kill: read to the end
                for (List<LedgerEntry> page; !(page = reader.ledger().after(cursor, 500)).isEmpty(); ) {
                    tailed.addAll(page);
                    cursor = page.get(page.size() - 1).seq();
                }
            }, "ledger-tail");
            tail.start();
            try {
                for (int run = 0; run < KILLS; run++) {
                    int after = 20 + random.nextInt(200);
                    Jvms.Child child = Jvms.start(BatchCrashChild.class, file.toString(), "r" + run, String.valueOf(THREADS));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (done(child.lines).size() < after && child.process.isAlive() && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    Thread.sleep(random.nextInt(5));
                    assertThat(child.process.isAlive()).as("child still writing at the kill").isTrue();
                    child.process.destroyForcibly();
                    assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    List<String> lines = child.drained();
                    assertThat(lines).noneMatch(l -> l.startsWith("UNEXPECTED"));
                    List<Matcher> done = done(lines);
                    assertThat(done.size()).isGreaterThanOrEqualTo(after);
                    long[] last = lastStats(lines);
                    batchedCommits += last[0];
                    batchedUnits += last[1];
                    try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
                        Licensor licensor = Fixtures.licensor(store);
                        for (Matcher m : done) {
                            String id = m.group(1);
                            Optional<Activation> activation = store.read(tx -> tx.find(Key.activation(licenseId, id)));
                            assertThat(activation).as("activation " + id).isPresent();
                            assertThat(licensor.catalog().client(ClientRef.name(id))).as("client " + id).isPresent();
                            if (m.group(2).equals("SEAT")) {
                                Optional<Lease> lease = store.read(tx -> tx.find(Key.lease(licenseId, id)));
                                assertThat(lease).as("lease " + id).isPresent();
                            }
                        }
                        List<Lease> live = store.read(tx -> tx.list(Query.leasesLiveAfter(licenseId, Instant.now())));
                        assertThat(live.size()).as("leases of a %d-seat pool", SEATS).isLessThanOrEqualTo(SEATS);
                    }
                }
            } finally {
                tailing.set(false);
                tail.join(60_000);
            }
            List<LedgerEntry> all = new ArrayList<>();
            for (List<LedgerEntry> page; !(page = reader.ledger().after(all.isEmpty() ? 0 : all.get(all.size() - 1).seq(), 1000)).isEmpty(); ) {
                all.addAll(page);
            }
            assertThat(tailed).as("the tailing reader saw each committed entry once, in order").isEqualTo(all);
        }
        assertThat(batchedUnits).as("units committed in shared batches (units > commits)").isGreaterThan(batchedCommits);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Matcher> done(List<String> lines) {
        return lines.stream().map(DONE::matcher).filter(Matcher::matches).toList();
    }

    /** The child's last reported group-commit counters: commits, units. */
    private static long[] lastStats(List<String> lines) {
        long[] last = {0, 0};
        for (String line : lines) {
            Matcher m = STATS.matcher(line);
            if (m.matches()) {
                last[0] = Long.parseLong(m.group(1));
                last[1] = Long.parseLong(m.group(2));
            }
        }
        return last;
    }
}
