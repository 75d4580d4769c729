package dev.licensor.benchmarks;

import dev.licensor.store.LicenseStore;
import dev.licensor.store.memory.MemoryLicenseStore;

/**
 * Opens the store a benchmark parameter names, preloaded with {@code leases} leases.
 * Names: {@code memory}. Not thread-safe; for JMH setup methods.
 */
final class Stores {
    private Stores() {
    }

    static LicenseStore open(String name, int leases) {
        switch (name) {
            case "memory": {
                LicenseStore store = new MemoryLicenseStore();
                Fixture.preload(store, leases);
                return store;
            }
            default:
                throw new IllegalArgumentException("unknown store " + name);
        }
    }
}
