package dev.licensor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.licensor.catalog.License;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.lookup.CacheStats;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The lookup cache: a bounded Caffeine cache of seat expiries, licenses and clients' consumed
 * licenses, dropped by the services through {@link SeatCacheHook} after each commit. Not API.
 *
 * <p><b>Loads never run inside the cache.</b> A miss reads the store outside Caffeine, then puts
 * the value only if no invalidation of that key happened since the load began. Each key maps to
 * one of {@value #STRIPES} generation counters; an invalidation bumps the counter <em>before</em>
 * removing the entry, and the put is a {@code compute} on the same key that compares the
 * counter. Since the compute and the removal of one key are serialised by the map, a load that
 * began before an invalidation can never put its (possibly stale) value back. An invalidation
 * skips the removal of a key it finds absent while no put of the key's stripe is under way (most
 * changed seats were never looked up). License bodies are
 * loaded by key before their id is known, so they use one epoch of their own instead of a stripe.
 *
 * <p>Expiry is measured on the engine's clock (a Caffeine ticker over {@link Clock#millis()}), and
 * maintenance runs on the calling threads: the cache starts no thread.
 *
 * <p>Thread-safe.
 */
final class LookupCache implements SeatCacheHook {
    static final int STRIPES = 1024;

    /** The device's lease of the license; value: its expiry, {@link java.time.Instant#MIN} if none. */
    record SeatKey(long licenseId, String hardwareId) {
    }

    /** A license by id; value: the {@link License}. */
    record LicenseKey(long id) {
    }

    /** Index (product, key) to license id; ids never change for a key, so it needs no invalidation. */
    record ByKey(String product, String key) {
    }

    /** Index (product, username) to license id. */
    record ByUser(String product, String username) {
    }

    /** A client's consumed licenses; value: the list. */
    record ClientKey(long clientId) {
    }

    private final Cache<Object, Object> cache;
    private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
    /** Puts under way in {@link #get}, per stripe: an invalidation that sees none may skip an absent key. */
    private final AtomicIntegerArray putting = new AtomicIntegerArray(STRIPES);
    private final AtomicLong licenseEpoch = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    LookupCache(CacheSettings settings, Clock clock) {
        Caffeine<Object, Object> builder = Caffeine.newBuilder()
                .maximumSize(settings.maximumSize())
                .executor(Runnable::run)
                .evictionListener((k, v, cause) -> evictions.increment());
        if (settings.timeToLive() != null) {
            builder.expireAfterWrite(settings.timeToLive())
                    .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()));
        }
        this.cache = builder.build();
    }

    private static int stripe(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    /** The cached value of {@code key}, counted as a hit, or null (nothing counted): for a caller's fast path. */
    Object hit(Object key) {
        Object cached = cache.getIfPresent(key);
        if (cached != null) {
            hits.increment();
        }
        return cached;
    }

    /**
     * The cached value of {@code key}, else {@code loader}'s (read from the store, outside the
     * cache), cached unless the key was invalidated meanwhile. A null load (absent row) is not cached.
     */
    @SuppressWarnings("unchecked")
    <V> V get(Object key, Supplier<V> loader) {
        Object cached = cache.getIfPresent(key);
        if (cached != null) {
            hits.increment();
            return (V) cached;
        }
        misses.increment();
        int stripe = stripe(key);
        long generation = generations.get(stripe);
        V loaded = loader.get();
        if (loaded != null) {
            putting.incrementAndGet(stripe);
            try {
                cache.asMap().compute(key, (k, old) -> generations.get(stripe) == generation ? loaded : old);
            } finally {
                putting.decrementAndGet(stripe);
            }
        }
        return loaded;
    }

    /** A license through an index key: two cache entries, the index and the body. */
    License license(Object indexKey, Supplier<License> loader) {
        Object id = cache.getIfPresent(indexKey);
        if (id != null) {
            Object body = cache.getIfPresent(new LicenseKey((Long) id));
            if (body != null) {
                hits.increment();
                return (License) body;
            }
        }
        misses.increment();
        long epoch = licenseEpoch.get();
        License loaded = loader.get();
        if (loaded != null) {
            cache.put(indexKey, loaded.id());
            cache.asMap().compute(new LicenseKey(loaded.id()), (k, old) -> licenseEpoch.get() == epoch ? loaded : old);
        }
        return loaded;
    }

    private void invalidate(Object key) {
        int stripe = stripe(key);
        // Bump first: a put that reads the generation after this line will not happen. One that
        // read it before is under way (putting) or done and visible (the decrement orders it), so
        // a key found absent with no put of its stripe under way needs no removal, which Caffeine
        // allocates for even then: most seats a checkout or release changes were never looked up.
        generations.incrementAndGet(stripe);
        if (putting.get(stripe) != 0 || cache.asMap().containsKey(key)) {
            cache.invalidate(key);
        }
    }

    @Override
    public void seatChanged(long licenseId, String hardwareId) {
        invalidate(new SeatKey(licenseId, hardwareId));
    }

    @Override
    public void licenseChanged(long licenseId) {
        licenseEpoch.incrementAndGet();
        cache.invalidate(new LicenseKey(licenseId));
    }

    @Override
    public void clientChanged(long clientId) {
        invalidate(new ClientKey(clientId));
    }

    /** Drops every entry; loads in flight will not put theirs (a feed may have lost notices). */
    public void invalidateAll() {
        for (int i = 0; i < STRIPES; i++) {
            generations.incrementAndGet(i);
        }
        licenseEpoch.incrementAndGet();
        cache.invalidateAll();
    }

    /** The counters now. */
    CacheStats stats() {
        return new CacheStats(hits.sum(), misses.sum(), evictions.sum(), cache.estimatedSize());
    }

    /** Runs pending maintenance (expiry, eviction); for tests and benchmarks. */
    void cleanUp() {
        cache.cleanUp();
    }
}
