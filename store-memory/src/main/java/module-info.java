/**
 * A thread-safe in-memory {@link dev.licensor.store.LicenseStore}:
 * {@link dev.licensor.store.memory.MemoryLicenseStore}.
 */
module dev.licensor.store.memory {
    requires transitive dev.licensor.core;

    exports dev.licensor.store.memory;
}
