package dev.licensor.store.memory;

import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.LicenseStoreContract;

/** Runs the shared store contract against {@link MemoryLicenseStore}. */
class MemoryLicenseStoreTest extends LicenseStoreContract {
    @Override
    protected LicenseStore newStore() {
        return new MemoryLicenseStore();
    }
}
