package dev.licensor.store.sqlite;

import dev.licensor.store.Key;
import dev.licensor.storetests.Jvms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.clients.ClientRef;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing JVM with SIGKILL ({@link Process#destroyForcibly()}) at varied points, over and
 * over, on the same file. After each kill the file reopens, passes {@code PRAGMA integrity_check},
 * and holds every operation the killed process had reported as successful.
 */
class CrashTest {
    private static final int KILLS = 20;
    private static final Pattern DONE = Pattern.compile("DONE (\\S+) END");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyReportedOperationSurvivesSigkill() throws Exception {
        Path file = dir.resolve("crash.db");
        long licenseId = Fixtures.defineIn(file, 1_000_000, 1);
        Random random = new Random(20261123L);
        int totalReported = 0;
        for (int run = 0; run < KILLS; run++) {
            // Kill points vary: before the first report (still opening or mid-way through the first
            // operation), then after 1..~100 reported operations plus a random sub-operation delay.
            int after = run % 5 == 0 ? 0 : 1 + random.nextInt(run * 5);
            Jvms.Child child = Jvms.start(CrashChild.class, file.toString(), "r" + run);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (reported(child.lines).size() < after && child.process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(after == 0 ? 300 + random.nextInt(700) : random.nextInt(4));
            assertThat(child.process.isAlive()).as("child still writing at the kill").isTrue();
            child.process.destroyForcibly();
            assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> done = reported(child.drained());
            totalReported += done.size();

            assertThat(integrityCheck(file)).as("integrity after kill " + run).isEqualTo("ok");
            try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
                for (String id : done) {
                    Optional<Activation> activation = store.read(tx -> tx.find(Key.activation(licenseId, id)));
                    Optional<Lease> lease = store.read(tx -> tx.find(Key.lease(licenseId, id)));
                    assertThat(activation).as("activation " + id).isPresent();
                    assertThat(lease).as("lease " + id).isPresent();
                    assertThat(Fixtures.licensor(store).catalog().client(ClientRef.name(id))).as("client " + id)
                            .isPresent();
                }
            }
        }
        assertThat(totalReported).as("operations reported across all runs").isGreaterThan(KILLS * 10);
    }

    private static List<String> reported(List<String> lines) {
        return lines.stream().map(DONE::matcher).filter(Matcher::matches).map(m -> m.group(1)).toList();
    }

    private static String integrityCheck(Path file) throws Exception {
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            StringBuilder result = new StringBuilder();
            while (rs.next()) {
                result.append(result.length() == 0 ? "" : "\n").append(rs.getString(1));
            }
            return result.toString();
        }
    }
}
