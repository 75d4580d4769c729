package dev.licensor.store.memory;

import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.LicenseStoreContract;
import dev.licensor.storetests.PolicyContract;
import dev.licensor.storetests.SeatQueueContract;
import org.junit.jupiter.api.Nested;

/** Runs the shared store contract against {@link MemoryLicenseStore}. */
class MemoryLicenseStoreTest extends LicenseStoreContract {
    @Override
    protected LicenseStore newStore() {
        return new MemoryLicenseStore();
    }

    @Nested class Policies extends PolicyContract { @Override protected LicenseStore newPolicyStore() { return newStore(); } }

    @Nested class SeatQueue extends SeatQueueContract { @Override protected LicenseStore newQueueStore() { return newStore(); } }
}
