package dev.licensor.store.postgresql;

import dev.licensor.store.LicenseStore;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.storetests.LicenseStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the shared store contract, unchanged, against {@link PostgresLicenseStore} on a fresh schema
 * of the real test server, through a HikariCP pool as a host would run it.
 */
@ExtendWith(PgExtension.class)
class PostgresLicenseStoreTest extends LicenseStoreContract {
    private PostgresLicenseStore opened;

    @Override
    protected LicenseStore newStore() {
        opened = PostgresLicenseStore.builder(Pool.get())
                .schema(Pool.takeSchema()).notifications(false).open();
        return opened;
    }

    @AfterEach
    void emptySchema() {
        if (opened != null) {
            opened.close();
            Pool.giveBack(opened.schema());
        }
    }
}
