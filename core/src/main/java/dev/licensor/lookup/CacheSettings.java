package dev.licensor.lookup;

import org.jspecify.annotations.Nullable;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import java.time.Duration;

/**
 * How the engine caches {@link Lookups}: a bounded number of entries and an optional
 * time-to-live.
 *
 * <p>Use a time-to-live when several processes share one store: another process's change is
 * seen after at most that long. An engine that is the store's only writer may go without one
 * ({@link #singleProcess}), since it drops entries itself after each commit. The time-to-live is
 * measured on the engine's {@link java.time.Clock}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maximumSize most entries held; 0 disables the cache
 * @param timeToLive  how long an entry may be served after it was loaded, or null for no limit
 */
public record CacheSettings(long maximumSize, @Nullable Duration timeToLive) {

    /** No cache: every lookup reads the store. */
    public static final CacheSettings DISABLED = new CacheSettings(0, null);

    public CacheSettings {
        if (maximumSize < 0) {
            throw new LicensingException(Code.INVALID_REQUEST, "maximumSize must not be negative");
        }
        if (timeToLive != null && (timeToLive.isNegative() || timeToLive.isZero())) {
            throw new LicensingException(Code.INVALID_REQUEST, "timeToLive must be positive");
        }
    }

    /** A cache for a store shared with other processes: their changes show after at most {@code timeToLive}. */
    public static CacheSettings of(long maximumSize, Duration timeToLive) {
        if (timeToLive == null) {
            throw new LicensingException(Code.INVALID_REQUEST, "timeToLive is required; use singleProcess for none");
        }
        return new CacheSettings(maximumSize, timeToLive);
    }

    /** A cache with no time-to-live, for an engine that is the only writer of its store. */
    public static CacheSettings singleProcess(long maximumSize) {
        return new CacheSettings(maximumSize, null);
    }

    /** True if lookups are cached. */
    public boolean enabled() {
        return maximumSize > 0;
    }
}
