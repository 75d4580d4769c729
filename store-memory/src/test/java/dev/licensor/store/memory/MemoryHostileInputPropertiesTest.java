package dev.licensor.store.memory;

import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.HostileInputProperties;

/** The hostile-input properties (jqwik) on {@link MemoryLicenseStore}. */
class MemoryHostileInputPropertiesTest extends HostileInputProperties {
    @Override
    protected LicenseStore newPropertyStore() {
        return new MemoryLicenseStore();
    }
}
