package dev.licensor.store.sqlite;

import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.HostileInputContract;
import dev.licensor.storetests.LicenseStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shared store contract, unchanged, against {@link SqliteLicenseStore} on a fresh file. */
class SqliteLicenseStoreTest extends LicenseStoreContract {
    @TempDir
    Path dir;

    @Override
    protected LicenseStore newStore() {
        return SqliteLicenseStore.open(dir.resolve("contract.db"));
    }

    @Nested
    class HostileInput extends HostileInputContract {
        @Override
        protected LicenseStore newHostileStore() {
            return SqliteLicenseStore.open(dir.resolve("hostile.db"));
        }
    }
}
