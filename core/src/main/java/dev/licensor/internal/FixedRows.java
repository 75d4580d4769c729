package dev.licensor.internal;

import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.store.StoreTransaction;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a device call reads before it takes a lock and that never changes once committed: a
 * product by its code, and which license a key or username names in a product. The engine
 * remembers them, so a unit reads each from the store once per engine instead of once per call
 * (on PostgreSQL, two round trips fewer per unit). Not API.
 *
 * <p><b>Why this is safe.</b> Products are never changed nor deleted, and a license's product, key
 * and username never change, nor are ids reused ({@link StoreTransaction}). A deleted license's key
 * and username stay taken, so a remembered id still names the only license they ever named; its
 * row, read under the lock, is then absent and the caller is told {@code license_not_found}.
 * Only what a store read returned is remembered, never an absence (a product or license defined
 * later is found at once). What is read is committed: no store shows a write unit another unit's
 * uncommitted rows (the {@code LicenseStore} "no dirty reads" rule), and the device calls that fill
 * this never write these rows themselves. The license row itself is still read under the pool's
 * lock: its switches and counters change.
 *
 * <p>Bounded: once it holds {@code maxEntries} entries it remembers nothing more and every further
 * lookup goes to the store, as before. Thread-safe.
 */
final class FixedRows {
    /** Entries kept at most (each ~150 bytes): a large catalog's hot part, ~15 MB at most. */
    static final int MAX_ENTRIES = 100_000;

    private final int maxEntries;
    private final AtomicInteger entries = new AtomicInteger();
    private final Map<String, Product> products = new ConcurrentHashMap<>();
    // product code, then key (or username), then license id: two lookups, no key object
    private final Map<String, Map<String, Long>> byKey = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> byUser = new ConcurrentHashMap<>();

    FixedRows() {
        this(MAX_ENTRIES);
    }

    FixedRows(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The product with this code, remembered or read in {@code tx}. */
    Optional<Product> product(StoreTransaction tx, String code) {
        Product known = products.get(code);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Product> read = tx.product(code);
        if (read.isPresent() && room()) {
            products.putIfAbsent(code, read.get());
        }
        return read;
    }

    /**
     * The id of the license that {@code key} (or, if it is null, {@code username}) names in the
     * product, remembered or read in {@code tx}; null if there is none.
     */
    Long licenseId(StoreTransaction tx, String product, String key, String username) {
        Map<String, Map<String, Long>> index = key != null ? byKey : byUser;
        String name = key != null ? key : username;
        Map<String, Long> names = index.get(product);
        Long known = names == null ? null : names.get(name);
        if (known != null) {
            return known;
        }
        Optional<License> read = key != null ? tx.licenseByKey(product, key) : tx.licenseByUser(product, username);
        if (read.isEmpty()) {
            return null;
        }
        if (room()) {
            index.computeIfAbsent(product, p -> new ConcurrentHashMap<>()).putIfAbsent(name, read.get().id());
        }
        return read.get().id();
    }

    /** Number of entries remembered (an upper bound: a lost race still counts). */
    int size() {
        return entries.get();
    }

    private boolean room() {
        return entries.get() < maxEntries && entries.incrementAndGet() <= maxEntries;
    }
}
