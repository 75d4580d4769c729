package dev.licensor.store.memory;

import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.HostileInputContract;
import dev.licensor.storetests.LicenseStoreContract;
import org.junit.jupiter.api.Nested;

/** Runs the shared store contract against {@link MemoryLicenseStore}. */
class MemoryLicenseStoreTest extends LicenseStoreContract {
    @Override
    protected LicenseStore newStore() {
        return new MemoryLicenseStore();
    }

    @Nested
    class HostileInput extends HostileInputContract {
        @Override
        protected LicenseStore newHostileStore() {
            return new MemoryLicenseStore();
        }
    }
}
