package dev.licensor.store.sqlite;

import dev.licensor.store.LicenseStore;
import dev.licensor.storetests.HostileInputProperties;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hostile-input properties (jqwik) on {@link SqliteLicenseStore}, one fresh file per property.
 * {@link Synchronous#NORMAL}: durability is not what these properties test, and it keeps them fast.
 */
class SqliteHostileInputPropertiesTest extends HostileInputProperties {
    @Override
    protected LicenseStore newPropertyStore() throws Exception {
        Path dir = Files.createTempDirectory("licensor-properties");
        dir.toFile().deleteOnExit();
        Path file = dir.resolve("properties.db");
        for (String name : new String[] {"properties.db", "properties.db-wal", "properties.db-shm"}) {
            dir.resolve(name).toFile().deleteOnExit();
        }
        return SqliteLicenseStore.builder(file).synchronous(Synchronous.NORMAL).open();
    }
}
