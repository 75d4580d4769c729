package dev.licensor;

import dev.licensor.catalog.Client;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseQuery;
import dev.licensor.catalog.Page;
import dev.licensor.catalog.PoolSummary;
import dev.licensor.catalog.Product;
import dev.licensor.catalog.ProductPage;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.Count;
import dev.licensor.store.Query;
import dev.licensor.store.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keyset listings of the catalog. Each page is one read unit (one committed state) made of index
 * range reads of {@code limit + 1} rows: the extra row says whether a next page exists without a
 * count. Filters the store cannot index (states, judged at the engine's clock) are applied here,
 * over at most {@link #budget} rows per page, so a page never costs more than a few range reads
 * however rare the state. Not API; thread-safe (stateless beyond the engine).
 */
final class CatalogListing {
    private final Engine engine;

    CatalogListing(Engine engine) {
        this.engine = engine;
    }

    /** Rows a filtered page examines at most. */
    static int budget(int limit) {
        return 4 * limit + 256;
    }

    /** A store range read: up to {@code limit} rows with ids above {@code after}, by id. */
    @FunctionalInterface
    interface Range<T> {
        List<T> read(StoreTransaction tx, long after, int limit);
    }

    private static void checkPage(long after, int limit) {
        Check.notNegative("after", after);
        Check.that(limit >= 1 && limit <= LicenseQuery.MAX_LIMIT,
                "limit must be 1 to " + LicenseQuery.MAX_LIMIT + ", not " + limit);
    }

    Outcome<Page<License>> licenses(LicenseQuery q) {
        return engine.attempt(() -> {
            Check.that(q != null, "a query is required");
            checkPage(q.after(), q.limit());
            String product = q.product() == null ? null : Check.productCode(q.product());
            String user = q.username() == null ? null : Check.text("username", q.username());
            Range<License> range = user != null ? (tx, a, n) -> tx.list(Query.licensesOfUserAfter(user, a, n))
                    : product != null ? (tx, a, n) -> tx.list(Query.licensesOfProductAfter(product, a, n))
                    : (tx, a, n) -> tx.list(Query.licensesAfter(a, n));
            return engine.store().read(tx -> {
                Instant now = engine.now();
                Predicate<License> keep = l -> (product == null || l.product().equals(product))
                        && (q.state() == null || q.state().holds(l, now));
                return page(tx, range, License::id, keep, q.after(), q.limit());
            });
        });
    }

    Outcome<ProductPage> products(String after, int limit) {
        return engine.attempt(() -> {
            checkPage(0, limit);
            String from = after == null || after.isEmpty() ? "" : Check.productCode(after);
            return engine.store().read(tx -> {
                List<Product> rows = tx.list(Query.productsAfter(from, limit + 1));
                if (rows.size() <= limit) {
                    return new ProductPage(rows, null);
                }
                List<Product> items = rows.subList(0, limit);
                return new ProductPage(items, items.get(limit - 1).code());
            });
        });
    }

    Outcome<Page<Client>> clients(long after, int limit) {
        return engine.attempt(() -> {
            checkPage(after, limit);
            return engine.store().read(tx -> page(tx, (t, a, n) -> t.list(Query.clientsAfter(a, n)), Client::id, c -> true, after, limit));
        });
    }

    Outcome<Page<PoolSummary>> pools(String product, long after, int limit) {
        return engine.attempt(() -> {
            checkPage(after, limit);
            String code = product == null ? null : Check.productCode(product);
            Range<License> range = code != null ? (tx, a, n) -> tx.list(Query.licensesOfProductAfter(code, a, n))
                    : (tx, a, n) -> tx.list(Query.licensesAfter(a, n));
            return engine.store().read(tx -> {
                Instant now = engine.now();
                Page<License> floating = page(tx, range, License::id, License::isFloating, after, limit);
                List<PoolSummary> pools = new ArrayList<>(floating.items().size());
                for (License l : floating.items()) {
                    pools.add(new PoolSummary(l, l.floatingSeats(), tx.count(Count.liveLeases(l.id(), now))));
                }
                return new Page<>(pools, floating.next());
            });
        });
    }

    /**
     * Reads ranges of {@code limit + 1} rows from {@code after} on, keeping the rows {@code keep}
     * accepts, until the page is full and one more kept row proves a next page, the rows end, or
     * {@link #budget} rows were examined (then the cursor is the last row examined).
     */
    static <T> Page<T> page(StoreTransaction tx, Range<T> range, java.util.function.ToLongFunction<T> id,
                            Predicate<T> keep, long after, int limit) {
        List<T> out = new ArrayList<>(Math.min(limit, 64));
        long cursor = after;
        int examined = 0;
        int budget = budget(limit);
        while (true) {
            List<T> rows = range.read(tx, cursor, limit + 1);
            for (T row : rows) {
                if (keep.test(row)) {
                    if (out.size() == limit) {
                        return new Page<>(out, id.applyAsLong(out.get(limit - 1)));
                    }
                    out.add(row);
                }
                cursor = id.applyAsLong(row);
                examined++;
            }
            if (rows.size() < limit + 1) {
                return new Page<>(out, 0);
            }
            if (examined >= budget) {
                return new Page<>(out, cursor);
            }
        }
    }
}
