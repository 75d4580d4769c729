package dev.licensor.benchmarks;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.store.Change;
import dev.licensor.store.LicenseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The data every benchmark starts from: one product, and {@code leases} live leases spread over
 * pools of {@value #POOL_SIZE} seats (1M leases = 100k licenses), expiring over the next hour. The
 * clock is fixed, so preloaded leases never lapse and the pool sizes stay exact for the whole run.
 *
 * <p>Preloading writes rows through the store's own {@link dev.licensor.store.StoreTransaction},
 * in large units, so it works for any store and uses the store's own schema. Not thread-safe;
 * used from JMH setup methods only.
 */
final class Fixture {
    static final String PRODUCT = "bench";
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Duration TIMEOUT = Duration.ofHours(1);
    static final int POOL_SIZE = 10;
    /** Preloaded leases a cached-lookup benchmark cycles through (a power of two). */
    static final int HOT_KEYS = 1024;
    /** Lookup cache of the engines under test: several processes may share the store. */
    static final CacheSettings CACHE = CacheSettings.of(100_000, Duration.ofSeconds(5));
    private static final int ROWS_PER_UNIT = 20_000;

    private Fixture() {
    }

    static Licensor engine(LicenseStore store) {
        return Licensor.builder().store(store).clock(CLOCK).cache(CACHE).build();
    }

    static String poolKey(int pool) {
        return "pool-" + pool;
    }

    static String device(int seat) {
        return "dev-" + seat;
    }

    /** Defines the product and preloads {@code leases} leases (a multiple of the pool size). */
    static void preload(LicenseStore store, int leases) {
        store.write(tx -> {
            tx.apply(Change.putProduct(new Product(PRODUCT, "Benchmark product", TIMEOUT, Duration.ofDays(7))));
            return null;
        });
        int pools = leases / POOL_SIZE;
        int poolsPerUnit = ROWS_PER_UNIT / POOL_SIZE;
        for (int from = 0; from < pools; from += poolsPerUnit) {
            int start = from;
            int end = Math.min(pools, from + poolsPerUnit);
            store.write(tx -> {
                for (int p = start; p < end; p++) {
                    License draft = License.builder(PRODUCT).key(poolKey(p)).maxActivations(POOL_SIZE)
                            .floatingSeats(POOL_SIZE).build();
                    long id = tx.apply(Change.insertLicense(draft))[0];
                    for (int s = 0; s < POOL_SIZE; s++) {
                        tx.apply(Change.putActivation(new Activation(id, device(s), NOW)));
                        // Expiries spread over the next hour, as check-ins would leave them; all live.
                        Instant expires = NOW.plusSeconds(60 + (p * POOL_SIZE + s) % 3540);
                        tx.apply(Change.putLease(new Lease(id, device(s), NOW, NOW, expires, null)));
                    }
                }
                return null;
            });
        }
    }

    /** Prunes the ledger the benchmarks fill, so an iteration's garbage is not the next one's cost. */
    static void pruneLedger(Licensor licensor) {
        licensor.ledger().pruneBefore(NOW.plusSeconds(1), 50_000);
    }
}
