package dev.licensor.store.postgresql;

import dev.licensor.Licensor;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.storetests.LicenseStoreContract;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared store contract with the engine's lookup cache on (and a time-to-live, as a deployment
 * of several hosts sets it) and change notifications on: every answer must equal the uncached
 * run's ({@link PostgresLicenseStoreTest}).
 */
@ExtendWith(PgExtension.class)
class PostgresLicenseStoreCachedTest extends LicenseStoreContract {
    private PostgresLicenseStore opened;

    @Override
    protected LicenseStore newStore() {
        opened = PostgresLicenseStore.builder(Pool.get())
                .schema(Pool.takeSchema()).open();
        return opened;
    }

    @Override
    protected Licensor.Builder engine(LicenseStore store, Clock clock) {
        return super.engine(store, clock).cache(CacheSettings.of(10_000, Duration.ofSeconds(30)));
    }

    @AfterEach
    void emptySchema() {
        if (opened != null) {
            opened.close();
            Pool.giveBack(opened.schema());
        }
    }
}
