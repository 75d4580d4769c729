package dev.licensor.store.memory;

import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.LookupContract;

/** The lookups on the memory store, cache off (the engine's default). */
class MemoryLookupTest extends LookupContract {
    @Override
    protected LicenseStore newLookupStore() {
        return new MemoryLicenseStore();
    }
}
