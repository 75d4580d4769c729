package dev.licensor.store.postgresql;

import dev.licensor.storetests.Jvms;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.clients.ClientRef;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SIGKILLs a host ({@link Process#destroyForcibly()}) while its threads are in the middle of
 * their transactions, several times, on one schema that this JVM (another host) keeps using.
 * The server rolls the dead host's open transactions back and releases their locks: this host's
 * next call on the same pool answers at once; every operation the dead host reported is there;
 * nothing is half-written (every lease has its activation and exactly one GRANTED entry).
 */
@ExtendWith(PgExtension.class)
class KillTest {
    private static final int KILLS = 4;
    private static final int THREADS = 4;
    private static final Pattern DONE = Pattern.compile("DONE (\\S+) END");

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aKilledHostLosesNothingReportedAndBlocksNoOne() throws Exception {
        PgServer server = PgServer.shared();
        String schema = PgServer.freshSchema("kill");
        Random random = new Random(20261201L);
        try (HikariDataSource pool = Fixtures.pool(server, 4, Duration.ofSeconds(10));
             PostgresLicenseStore store = Fixtures.open(pool, schema)) {
            Licensor licensor = Fixtures.licensor(store);
            long licenseId = Fixtures.define(licensor, 1_000_000, 1);
            Set<String> reported = new HashSet<>();
            for (int run = 0; run < KILLS; run++) {
                List<String> args = new ArrayList<>(Fixtures.serverArgs(server));
                args.addAll(List.of(schema, "r" + run, String.valueOf(THREADS)));
                Jvms.Child child = Jvms.start(CrashChild.class, args.toArray(String[]::new));
                int after = 20 + random.nextInt(60);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (done(child.lines).size() < after && child.process.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                Thread.sleep(random.nextInt(5));
                assertThat(child.process.isAlive()).as("child still writing at the kill").isTrue();
                child.process.destroyForcibly();
                assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                List<String> done = done(child.drained());
                assertThat(done).as("operations reported before kill " + run).hasSizeGreaterThanOrEqualTo(after);
                reported.addAll(done);

                // This host goes on: the dead host's locks on the pool were released with its connections.
                DeviceRequest mine = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "survivor-" + run);
                assertThat(Fixtures.code(() -> licensor.floating().activate(mine))).isEqualTo(Code.OK);
                assertThat(Fixtures.code(() -> licensor.floating().check(mine))).isEqualTo(Code.OK);
                reported.add("survivor-" + run);
            }

            List<Lease> holders = licensor.seats().holders(licenseId).orElseThrow();
            Set<String> held = new HashSet<>(holders.stream().map(Lease::hardwareId).toList());
            assertThat(held).containsAll(reported);
            for (String id : reported) {
                if (!id.startsWith("survivor-")) {
                    assertThat(licensor.catalog().client(ClientRef.name(id))).as("client " + id).isPresent();
                }
            }
            // Nothing half-written: one GRANTED entry per lease, and no other seat event.
            List<LedgerEntry> ledger = licensor.ledger().between(Instant.EPOCH, Instant.now().plusSeconds(3600), 100_000);
            List<String> granted = ledger.stream().filter(e -> e.event() == LedgerEvent.GRANTED)
                    .map(LedgerEntry::subject).sorted().toList();
            assertThat(granted).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(held);
            assertThat(licensor.floating().check(DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "survivor-0"))
                    .code()).isEqualTo(Code.OK);
        }
    }

    private static List<String> done(List<String> lines) {
        return lines.stream().map(DONE::matcher).filter(Matcher::matches).map(m -> m.group(1)).toList();
    }
}
