package dev.licensor.store.postgresql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.postgresql.testing.PgServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Shared set-up of the PostgreSQL store's own tests: a host's connection pool (HikariCP, a test
 * dependency only: the store takes any DataSource), and a product with a floating license and a
 * client license.
 */
final class Fixtures {
    static final String PRODUCT = "cad";
    static final String KEY = "KEY-1";

    private Fixtures() {
    }

    /** A HikariCP pool of at most {@code size} connections on {@code url}, waiting at most {@code wait} for one. */
    static HikariDataSource pool(String url, String user, String password, int size, Duration wait) {
        return new HikariDataSource(config(url, user, password, size, wait));
    }

    /**
     * A pool whose sessions run with {@code synchronous_commit=off}: for suites that test rules, not
     * durability, on a machine where each WAL flush costs milliseconds. Durability tests use {@link #pool}.
     */
    static HikariDataSource fastPool(PgServer server, int size, Duration wait) {
        HikariConfig config = config(server.url(), server.user(), server.password(), size, wait);
        config.addDataSourceProperty("options", "-c synchronous_commit=off");
        return new HikariDataSource(config);
    }

    /**
     * A pool that has made all {@code size} connections before it is returned (connecting can take
     * seconds on a loaded machine), so a short {@code wait} only measures waiting for a busy one.
     */
    static HikariDataSource warmPool(PgServer server, int size, Duration wait) throws InterruptedException {
        HikariConfig config = config(server.url(), server.user(), server.password(), size, wait);
        config.setMinimumIdle(size);
        config.setInitializationFailTimeout(60_000);
        HikariDataSource pool = new HikariDataSource(config);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pool.getHikariPoolMXBean().getTotalConnections() < size && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return pool;
    }

    private static HikariConfig config(String url, String user, String password, int size, Duration wait) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null && !user.isEmpty()) {
            config.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Math.max(250, wait.toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(wait.toMillis(), 1_000)));
        config.setInitializationFailTimeout(-1);
        config.setPoolName("licensor-test");
        return config;
    }

    /** A pool on {@code server}. */
    static HikariDataSource pool(PgServer server, int size, Duration wait) {
        return pool(server.url(), server.user(), server.password(), size, wait);
    }

    /** The arguments a child JVM needs to reach {@code server}: url, user, password (empty if none). */
    static List<String> serverArgs(PgServer server) {
        return List.of(server.url(), server.user() == null ? "" : server.user(),
                server.password() == null ? "" : server.password());
    }

    /** The code a call answered: its outcome's, or a thrown {@link LicensingException}'s (STORE_FAILURE). */
    static Code code(Supplier<? extends Outcome<?>> call) {
        try {
            return call.get().code();
        } catch (LicensingException e) {
            return e.code();
        }
    }

    static PostgresLicenseStore open(DataSource dataSource, String schema) {
        return PostgresLicenseStore.builder(dataSource).schema(schema).open();
    }

    static Licensor licensor(LicenseStore store) {
        return Licensor.builder().store(store).build();
    }

    static Licensor licensor(LicenseStore store, Clock clock) {
        return Licensor.builder().store(store).clock(clock).build();
    }

    /** Defines the product, a floating license with {@code seats} seats and a client license of {@code clientSeats}. */
    static long define(Licensor licensor, int seats, int clientSeats) {
        licensor.catalog().defineProduct(new Product(PRODUCT, "CAD Pro", Duration.ofHours(1), Duration.ofDays(7)))
                .orElseThrow();
        License license = licensor.catalog().createLicense(License.builder(PRODUCT).key(KEY)
                .maxActivations(1_000_000).floatingSeats(seats).borrowAllowed(true).build()).orElseThrow();
        licensor.catalog().defineClientLicense(ClientLicense.draft(ClientLicense.PLATFORM_CLIENT, 1, 33,
                "Server File System - Windows File System", clientSeats, 0, null)).orElseThrow();
        return license.id();
    }
}
