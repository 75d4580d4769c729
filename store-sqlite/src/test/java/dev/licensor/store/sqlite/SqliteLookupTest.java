package dev.licensor.store.sqlite;

import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.LookupContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shared lookup contract (cache off, the engine's default) against {@link SqliteLicenseStore}. */
class SqliteLookupTest extends LookupContract {
    @TempDir
    Path dir;

    @Override
    protected LicenseStore newLookupStore() {
        return SqliteLicenseStore.open(dir.resolve("lookup.db"));
    }
}
