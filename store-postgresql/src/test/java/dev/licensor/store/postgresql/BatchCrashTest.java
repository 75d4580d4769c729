package dev.licensor.store.postgresql;

import dev.licensor.store.Query;
import dev.licensor.store.Key;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.clients.ClientRef;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import dev.licensor.storetests.Jvms;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Group commit under SIGKILL on PostgreSQL: two hosts (child JVMs, 8 threads each) write on one
 * small pool at once, so their units share commits and meet each other's locks (the busy ones
 * run contended); both are killed at varied points, round after round. After each round every
 * operation a host reported is in the database and the pool holds no more leases than its seats;
 * a reader tailing the ledger feed from this JVM the whole time has seen every committed entry
 * exactly once, in seq order (its pages compared with a full read at the end).
 */
@ExtendWith(PgExtension.class)
class BatchCrashTest {
    private static final int ROUNDS = 4;
    private static final int HOSTS = 2;
    private static final int THREADS = 8;
    private static final int SEATS = 5;
    private static final Pattern DONE = Pattern.compile("DONE (\\S+) (SEAT|NOSEAT) END");
    private static final Pattern STATS = Pattern.compile("STATS (\\d+) (\\d+) (\\d+)");

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyReportedDecisionSurvivesAKillMidBatchAndTheFeedSeesEachEntryOnce() throws Exception {
        PgServer server = PgServer.shared();
        String schema = PgServer.freshSchema("batchkill");
        Random random = new Random(20261207L);
        List<LedgerEntry> tailed = new CopyOnWriteArrayList<>();
        AtomicBoolean tailing = new AtomicBoolean(true);
        long batchedUnits = 0;
        long batchedCommits = 0;
        try (HikariDataSource pool = Fixtures.pool(server, 4, Duration.ofSeconds(10));
             PostgresLicenseStore store = Fixtures.open(pool, schema)) {
            Licensor licensor = Fixtures.licensor(store);
            long licenseId = Fixtures.define(licensor, SEATS, 1);
            Thread tail = new Thread(() -> {
                long cursor = 0;
                while (tailing.get()) {
                    List<LedgerEntry> page = licensor.ledger().after(cursor, 500);
                    tailed.addAll(page);
                    if (!page.isEmpty()) {
                        cursor = page.get(page.size() - 1).seq();
                    } else {
                        sleep(2);
                    }
                }
                // after the last kill: read to the end
                for (List<LedgerEntry> page; !(page = licensor.ledger().after(cursor, 500)).isEmpty(); ) {
                    tailed.addAll(page);
                    cursor = page.get(page.size() - 1).seq();
                }
            }, "ledger-tail");
            tail.start();
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    List<Jvms.Child> hosts = new ArrayList<>();
                    for (int h = 0; h < HOSTS; h++) {
                        List<String> args = new ArrayList<>(Fixtures.serverArgs(server));
                        args.addAll(List.of(schema, "r" + round + "h" + h, String.valueOf(THREADS)));
                        hosts.add(Jvms.start(BatchCrashChild.class, args.toArray(String[]::new)));
                    }
                    int after = 20 + random.nextInt(150);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    while (hosts.stream().anyMatch(c -> done(c.lines).size() < after)
                            && hosts.stream().allMatch(c -> c.process.isAlive()) && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    for (Jvms.Child host : hosts) {
                        Thread.sleep(random.nextInt(5));
                        assertThat(host.process.isAlive()).as("host still writing at the kill").isTrue();
                        host.process.destroyForcibly();
                    }
                    List<Matcher> done = new ArrayList<>();
                    for (Jvms.Child host : hosts) {
                        assertThat(host.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                        List<String> lines = host.drained();
                        assertThat(lines).noneMatch(l -> l.startsWith("UNEXPECTED"));
                        List<Matcher> reported = done(lines);
                        assertThat(reported.size()).isGreaterThanOrEqualTo(after);
                        done.addAll(reported);
                        long[] last = lastStats(lines);
                        batchedCommits += last[0];
                        batchedUnits += last[1];
                    }
                    for (Matcher m : done) {
                        String id = m.group(1);
                        Optional<Activation> activation = store.read(tx -> tx.find(new Key.ActivationOf(licenseId, id)));
                        assertThat(activation).as("activation " + id).isPresent();
                        assertThat(licensor.catalog().client(ClientRef.name(id))).as("client " + id).isPresent();
                        if (m.group(2).equals("SEAT")) {
                            Optional<Lease> lease = store.read(tx -> tx.find(new Key.LeaseOf(licenseId, id)));
                            assertThat(lease).as("lease " + id).isPresent();
                        }
                    }
                    List<Lease> live = store.read(tx -> tx.list(new Query.LiveLeases(licenseId, Instant.now())));
                    assertThat(live.size()).as("leases of a %d-seat pool", SEATS).isLessThanOrEqualTo(SEATS);
                }
            } finally {
                tailing.set(false);
                tail.join(60_000);
            }
            List<LedgerEntry> all = new ArrayList<>();
            for (List<LedgerEntry> page; !(page = licensor.ledger().after(
                    all.isEmpty() ? 0 : all.get(all.size() - 1).seq(), 1000)).isEmpty(); ) {
                all.addAll(page);
            }
            assertThat(all.size()).isGreaterThan(ROUNDS * HOSTS * 20);
            assertThat(tailed).as("the tailing reader saw each committed entry once, in order").isEqualTo(all);
            // a lease is granted once: no decision is half-written or doubled
            Set<String> granted = new HashSet<>();
            for (LedgerEntry e : all) {
                if (e.event() == LedgerEvent.GRANTED) {
                    assertThat(granted.add(e.subject())).as("one GRANTED for " + e.subject()).isTrue();
                }
            }
            assertThat(granted).hasSizeLessThanOrEqualTo(SEATS);
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

    /** The host's last reported group-commit counters: commits, units. */
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
