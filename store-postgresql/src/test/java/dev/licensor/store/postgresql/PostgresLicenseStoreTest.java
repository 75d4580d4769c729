package dev.licensor.store.postgresql;

import dev.licensor.store.LicenseStore;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.storetests.BadInputContract;
import dev.licensor.storetests.CatalogContract;
import dev.licensor.storetests.ClientLicenseContract;
import dev.licensor.storetests.ConcurrencyContract;
import dev.licensor.storetests.FloatingRulesContract;
import dev.licensor.storetests.FloatingSeatsContract;
import dev.licensor.storetests.HolderMetaRowsContract;
import dev.licensor.storetests.HostileInputContract;
import dev.licensor.storetests.EventsContract;
import dev.licensor.storetests.LedgerContract;
import dev.licensor.storetests.LookupContract;
import dev.licensor.storetests.ModelContract;
import dev.licensor.storetests.PolicyContract;
import dev.licensor.storetests.PolicyEdgesContract;
import dev.licensor.storetests.SeatQueueContract;
import dev.licensor.storetests.StoredValuesContract;
import dev.licensor.storetests.SignedTokensContract;
import dev.licensor.storetests.ListingContract;
import dev.licensor.storetests.CatalogChangesContract;
import dev.licensor.storetests.ProductClientChangesContract;
import dev.licensor.storetests.SeatAdministrationContract;
import dev.licensor.storetests.StoreGuaranteesContract;
import dev.licensor.storetests.StoreSpiContract;
import dev.licensor.storetests.StoreUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the shared store contract, unchanged, against {@link PostgresLicenseStore} on an empty
 * schema of the real test server, through a HikariCP pool as a host would run it ({@link Pool}).
 */
@ExtendWith(PgExtension.class)
class PostgresLicenseStoreTest implements StoreUnderTest {
    private final Pool.Schemas schemas = new Pool.Schemas();

    @Override
    public LicenseStore newStore() {
        return schemas.open(b -> b.notifications(false));
    }

    @AfterEach
    void emptySchemas() {
        schemas.giveBackAll();
    }

    @Nested class Guarantees extends StoreGuaranteesContract {}

    @Nested class Spi extends StoreSpiContract {}
    @Nested class Catalog extends CatalogContract {}
    @Nested class FloatingSeats extends FloatingSeatsContract {}
    @Nested class FloatingRules extends FloatingRulesContract {}
    @Nested class SeatAdministration extends SeatAdministrationContract {}
    @Nested class ClientLicenses extends ClientLicenseContract {}
    @Nested class Ledger extends LedgerContract {}
    @Nested class Events extends EventsContract {}
    @Nested class BadInput extends BadInputContract {}
    @Nested class Concurrency extends ConcurrencyContract {}
    @Nested class Lookups extends LookupContract {}
    @Nested class HostileInput extends HostileInputContract {}
    @Nested class Model extends ModelContract {}
    @Nested class Policies extends PolicyContract {}
    @Nested class SeatQueue extends SeatQueueContract {}
    @Nested class StoredValues extends StoredValuesContract {}
    @Nested class PolicyEdges extends PolicyEdgesContract {}
    @Nested class SignedTokens extends SignedTokensContract {}
    @Nested class Listing extends ListingContract {}
    @Nested class CatalogChanges extends CatalogChangesContract {}
    @Nested class ProductClientChanges extends ProductClientChangesContract {}

    @Nested class HolderMetaRows extends HolderMetaRowsContract {
        @Override
        protected long storedPairs() throws java.sql.SQLException {
            try (java.sql.Connection c = Pool.get().getConnection();
                 java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM "
                         + ((PostgresLicenseStore) store).schema() + ".holder_meta")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
