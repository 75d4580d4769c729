package dev.licensor.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.Key;
import dev.licensor.store.LockKey;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server-side bounds every unit sets: a host that goes silent inside a unit (frozen, or cut
 * off) loses its session and its locks after {@code idleInTransactionTimeout}, so a second host
 * waiting for the same key goes on instead of waiting out the fault; and a statement is cut at
 * {@code statementTimeout}. The units leave no setting behind on the pooled session.
 */
@ExtendWith(PgExtension.class)
class FaultBoundsTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aHostSilentInsideAUnitLosesItsLocksAfterTheIdleTimeout() throws Exception {
        PgServer pg = PgServer.shared();
        String schema = PgServer.freshSchema("fault_idle");
        try (PostgresLicenseStore frozen = PostgresLicenseStore.builder(pg.dataSource()).schema(schema)
                     .idleInTransactionTimeout(Duration.ofSeconds(1)).notifications(false).open();
             PostgresLicenseStore healthy = PostgresLicenseStore.builder(pg.dataSource()).schema(schema)
                     .notifications(false).open()) {
            CountDownLatch locked = new CountDownLatch(1);
            // The "frozen" host takes the pool's key, then sends nothing for 8 s (as a stopped JVM).
            // The lock travels with the unit's next statement (the store pipelines), so it reads.
            CompletableFuture<Void> stalled = CompletableFuture.runAsync(() -> frozen.write(tx -> {
                tx.lock(LockKey.pool(7));
                tx.find(Key.license(7));
                locked.countDown();
                sleep(8_000);
                return null;
            }));
            assertThat(locked.await(20, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            healthy.write(tx -> {
                tx.lock(LockKey.pool(7)); // waits (lockTimeout 10 s) until the server ends the frozen session
                return null;
            });
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("the other host got the lock after " + waited + " ms (idle timeout 1000 ms)");
            assertThat(waited).isLessThan(6_000); // the frozen host's unit would have held it 8 s
            // When the frozen host wakes, its unit fails: the server rolled it back.
            assertThatThrownBy(() -> stalled.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(LicensingException.class)
                    .satisfies(e -> assertThat(((LicensingException) e).code()).isEqualTo(Code.STORE_FAILURE));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStatementIsCutAtTheStatementTimeoutAndNoSettingOutlivesTheUnit() throws Exception {
        PgServer pg = PgServer.shared();
        String schema = PgServer.freshSchema("fault_stmt");
        try (HikariDataSource one = Fixtures.warmPool(pg, 1, Duration.ofSeconds(10));
             PostgresLicenseStore holder = PostgresLicenseStore.builder(pg.dataSource()).schema(schema)
                     .idleInTransactionTimeout(Duration.ofSeconds(30)).notifications(false).open();
             PostgresLicenseStore store = PostgresLicenseStore.builder(one).schema(schema)
                     .lockTimeout(Duration.ofSeconds(20)).statementTimeout(Duration.ofMillis(500))
                     .notifications(false).open()) {
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            CompletableFuture<Void> holding = CompletableFuture.runAsync(() -> holder.write(tx -> {
                tx.lock(LockKey.pool(9));
                tx.find(Key.license(9)); // sends the lock
                locked.countDown();
                try {
                    done.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            assertThat(locked.await(20, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            // The lock wait is one statement: statement_timeout (500 ms) ends it, long before lock_timeout (20 s).
            assertThatThrownBy(() -> store.write(tx -> {
                tx.lock(LockKey.pool(9));
                return tx.find(Key.license(9));
            })).isInstanceOf(LicensingException.class).hasMessageContaining("statement timeout");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
            done.countDown();
            holding.get(30, TimeUnit.SECONDS);
            // The pooled session is the host's: after the units, the server's own settings are back.
            try (Connection session = one.getConnection(); Statement st = session.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_setting('statement_timeout'),"
                         + " current_setting('idle_in_transaction_session_timeout'), current_setting('lock_timeout'),"
                         + " current_setting('tcp_user_timeout')")) {
                rs.next();
                assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                        .containsExactly("0", "0", "0", "0");
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
