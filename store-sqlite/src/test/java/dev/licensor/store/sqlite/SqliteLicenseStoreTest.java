package dev.licensor.store.sqlite;

import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.LicenseStoreContract;
import dev.licensor.storetests.PolicyContract;
import dev.licensor.storetests.SeatQueueContract;
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

    @Nested class Policies extends PolicyContract { @Override protected LicenseStore newPolicyStore() { return newStore(); } }

    @Nested class SeatQueue extends SeatQueueContract { @Override protected LicenseStore newQueueStore() { return newStore(); } }
}
