package dev.licensor.lookup;

/**
 * A snapshot of the lookup cache's counters since the engine was built.
 *
 * <p>Immutable and thread-safe.
 *
 * @param hits      lookups answered from the cache, without a store call
 * @param misses    lookups that read the store (with the cache enabled)
 * @param evictions entries dropped for size or time-to-live (not invalidations)
 * @param size      approximate number of entries held now
 */
public record CacheStats(long hits, long misses, long evictions, long size) {

    /** The counters of a disabled cache. */
    public static final CacheStats NONE = new CacheStats(0, 0, 0, 0);

    /** Hits over lookups, or 0 if there were none. */
    public double hitRate() {
        long total = hits + misses;
        return total == 0 ? 0.0 : (double) hits / total;
    }
}
