package dev.licensor.store.memory;

import dev.licensor.Licensor;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.LookupContract;
import java.time.Clock;

/** The lookups on the memory store, cache on, with no time-to-live: only invalidation keeps it fresh. */
class MemoryLookupCachedTest extends LookupContract {
    @Override
    protected LicenseStore newLookupStore() {
        return new MemoryLicenseStore();
    }

    @Override
    protected Licensor.Builder lookupEngine(LicenseStore store, Clock clock) {
        return super.lookupEngine(store, clock).cache(CacheSettings.singleProcess(10_000));
    }
}
