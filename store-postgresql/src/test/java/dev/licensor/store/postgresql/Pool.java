package dev.licensor.store.postgresql;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.store.postgresql.testing.PgServer;
import java.time.Duration;

/**
 * One HikariCP pool on the shared test server for the contract suites of this JVM (closed at
 * exit), with {@code synchronous_commit=off}: the suites test rules; durability has its own tests.
 */
final class Pool {
    private static HikariDataSource pool;

    private Pool() {
    }

    static synchronized HikariDataSource get() {
        if (pool == null) {
            pool = Fixtures.fastPool(PgServer.shared(), 24, Duration.ofSeconds(30));
            HikariDataSource created = pool;
            Runtime.getRuntime().addShutdownHook(new Thread(created::close, "contract-pool-close"));
        }
        return pool;
    }
}
