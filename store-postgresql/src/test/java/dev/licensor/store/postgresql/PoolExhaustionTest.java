package dev.licensor.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Code;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When every connection of the host's pool is busy past the pool's wait, a call answers
 * {@link Code#STORE_FAILURE} as soon as the pool gives up (the engine does not retry a pool
 * timeout), and the next call after a connection comes back succeeds.
 */
@ExtendWith(PgExtension.class)
class PoolExhaustionTest {
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aCallAnswersStoreFailureWhenNoConnectionFreesUp() throws Exception {
        PgServer server = PgServer.shared();
        try (HikariDataSource pool = Fixtures.warmPool(server, 2, Duration.ofMillis(500));
             PostgresLicenseStore store = PostgresLicenseStore.builder(pool).schema(PgServer.freshSchema("exhaust"))
                     .notifications(false).open()) {
            Licensor licensor = Fixtures.licensor(store);
            Fixtures.define(licensor, 3, 1);
            DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "hw-1");
            licensor.floating().activate(device).orElseThrow();

            Code refused;
            long took;
            try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
                long start = System.nanoTime();
                refused = Fixtures.code(() -> licensor.floating().check(device));
                took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(a.isValid(1) && b.isValid(1)).isTrue();
            }
            System.out.println("pool exhausted: STORE_FAILURE after " + took + " ms (pool wait 500 ms)");
            assertThat(refused).isEqualTo(Code.STORE_FAILURE);
            assertThat(licensor.floating().check(device).code()).isEqualTo(Code.OK);
        }
    }
}
