package dev.licensor.store.memory;

import dev.licensor.Licensor;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.LicenseStoreContract;
import java.time.Clock;

/**
 * The shared store contract on {@link MemoryLicenseStore} with the lookup cache on, and no
 * time-to-live: only the engine's invalidation after each commit keeps the lookups right, so any
 * missed invalidation shows as a failure here.
 */
class MemoryLicenseStoreCachedTest extends LicenseStoreContract {
    @Override
    protected LicenseStore newStore() {
        return new MemoryLicenseStore();
    }

    @Override
    protected Licensor.Builder engine(LicenseStore store, Clock clock) {
        return super.engine(store, clock).cache(CacheSettings.singleProcess(10_000));
    }
}
