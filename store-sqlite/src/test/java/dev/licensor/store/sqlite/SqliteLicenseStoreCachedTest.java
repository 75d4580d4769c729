package dev.licensor.store.sqlite;

import dev.licensor.Licensor;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.LicenseStoreContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared store contract on {@link SqliteLicenseStore} with the engine's lookup cache on (no
 * time-to-live: the engines of the suite are the file's only writers), as the memory store runs it.
 */
class SqliteLicenseStoreCachedTest extends LicenseStoreContract {
    @TempDir
    Path dir;

    @Override
    protected LicenseStore newStore() {
        return SqliteLicenseStore.open(dir.resolve("contract-cached.db"));
    }

    @Override
    protected Licensor.Builder engine(LicenseStore store, Clock clock) {
        return super.engine(store, clock).cache(CacheSettings.singleProcess(10_000));
    }
}
