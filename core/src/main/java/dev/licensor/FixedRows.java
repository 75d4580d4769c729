package dev.licensor;

import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.store.Key;
import dev.licensor.store.StoreTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a device call reads before it takes a lock: a product by its code, and which license a key
 * or username names in a product. The engine remembers them, so a unit reads each from the store
 * once per engine instead of once per call (on PostgreSQL, two round trips fewer per unit). Not API.
 *
 * <p><b>Why this is safe.</b> A license's product, key and username never change, nor are ids
 * reused ({@link StoreTransaction}). A deleted license's key and username stay taken (a product
 * deleted and defined again included), so a remembered id still names the only license they ever
 * named; its row, read under the lock, is then absent and the caller is told
 * {@code license_not_found}. Only what a store read returned is remembered, never an absence (a
 * product or license defined later is found at once). What is read is committed: no store shows a
 * write unit another unit's uncommitted rows (the {@code LicenseStore} "no dirty reads" rule), and
 * the device calls that fill this never write these rows themselves. The license row itself is
 * still read under the pool's lock: its switches and counters change.
 *
 * <p><b>Products change</b> ({@code Catalog.changeProduct}, {@code deleteProduct}). This engine's
 * own changes drop the product after their commit ({@link #productChanged}), and a read that began
 * before the drop never puts its older row back (a generation, as in {@link LookupCache}). A change
 * made by another engine on the same store is seen once the remembered row is
 * {@link #PRODUCT_TTL} old by the engine's clock: a product is read again at most that often. Only
 * defaults come from it (floating timeout, longest borrow, which a change applies "from the next
 * seat" anyway); no seat count does, so a stale product can never oversubscribe a pool.
 *
 * <p>Bounded: once it holds {@code maxEntries} entries it remembers nothing more and every further
 * lookup goes to the store, as before. Thread-safe.
 */
final class FixedRows {
    /** Entries kept at most (each ~150 bytes): a large catalog's hot part, ~15 MB at most. */
    static final int MAX_ENTRIES = 100_000;
    /** How long a remembered product is used before it is read again (other engines' changes). */
    static final Duration PRODUCT_TTL = Duration.ofSeconds(5);

    private record Remembered(Product product, Instant readAt) {
    }

    private final int maxEntries;
    private final Clock clock;
    private final AtomicInteger entries = new AtomicInteger();
    private final AtomicLong productGeneration = new AtomicLong();
    private final Map<String, Remembered> products = new ConcurrentHashMap<>();
    // product code, then key (or username), then license id: two lookups, no key object
    private final Map<String, Map<String, Long>> byKey = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> byUser = new ConcurrentHashMap<>();

    FixedRows(Clock clock) {
        this(MAX_ENTRIES, clock);
    }

    FixedRows(int maxEntries, Clock clock) {
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The product with this code, remembered (for at most {@link #PRODUCT_TTL}) or read in {@code tx}. */
    Optional<Product> product(StoreTransaction tx, String code) {
        Remembered known = products.get(code);
        Instant now = clock.instant();
        // a clock set back makes the entry stale too: read again rather than trust it for longer
        if (known != null && !now.isBefore(known.readAt()) && now.isBefore(known.readAt().plus(PRODUCT_TTL))) {
            return Optional.of(known.product());
        }
        long generation = productGeneration.get();
        Optional<Product> read = tx.find(Key.product(code));
        if (read.isPresent()) {
            Remembered fresh = new Remembered(read.get(), now);
            products.compute(code, (c, old) -> productGeneration.get() != generation ? old
                    : old != null || room() ? fresh : null);
        }
        return read;
    }

    /**
     * Forgets the product: this engine changed or deleted it (called after the commit). Bumps the
     * generation first, so a read that began before the change cannot put its row back.
     */
    void productChanged(String code) {
        productGeneration.incrementAndGet();
        products.remove(code);
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
        Optional<License> read = key != null ? tx.find(Key.licenseByKey(product, key)) : tx.find(Key.licenseByUser(product, username));
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
