package dev.licensor.store.sqlite;

import dev.licensor.Licensor;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.LicenseStoreContract;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared store contract on a SQLite file with the engine's lookup cache on, with a
 * time-to-live as a deployment of several processes would set it. Every answer must equal the
 * uncached run's ({@link SqliteLicenseStoreTest}). Synchronous NORMAL: durability is not what this
 * variant tests, and it halves the run time.
 */
class SqliteLicenseStoreCachedTest extends LicenseStoreContract {
    @TempDir
    Path dir;
    private final AtomicInteger files = new AtomicInteger();

    @Override
    protected LicenseStore newStore() {
        return SqliteLicenseStore.builder(dir.resolve("cached-" + files.incrementAndGet() + ".db"))
                .synchronous(Synchronous.NORMAL).open();
    }

    @Override
    protected Licensor.Builder engine(LicenseStore store, Clock clock) {
        return super.engine(store, clock).cache(CacheSettings.of(10_000, Duration.ofSeconds(30)));
    }
}
