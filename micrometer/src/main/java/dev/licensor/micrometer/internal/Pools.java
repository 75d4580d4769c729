package dev.licensor.micrometer.internal;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.floating.Lease;
import dev.licensor.outcome.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The floating pools the gauges follow, and their seat counts read from the engine at most once
 * per {@code maxAgeNanos} (a scrape reads each gauge separately; one reading serves them all).
 * Not API.
 *
 * <p>Thread-safe.
 */
public final class Pools {
    /** Seats of a pool at one time; {@code seats} is 0 for a pool that is gone or not floating. */
    public record Reading(long inUse, long seats, long readAt) {
        /** Seats not in use. */
        public long available() {
            return Math.max(0, seats - inUse);
        }
    }

    private final Map<Long, Reading> readings = new ConcurrentHashMap<>();
    private final int max;
    private final long maxAgeNanos;
    private final LongSupplier nanos;
    private volatile Licensor licensor;

    public Pools(int max, long maxAgeNanos, LongSupplier nanos) {
        this.max = max;
        this.maxAgeNanos = maxAgeNanos;
        this.nanos = nanos;
    }

    /** The engine the readings come from. */
    public void attach(Licensor engine) {
        licensor = engine;
    }

    /** Follows the pool if it is not followed yet and the cap allows; true if it is newly followed. */
    public boolean follow(long licenseId) {
        if (readings.containsKey(licenseId) || readings.size() >= max) {
            return false;
        }
        // Long.MIN_VALUE: not read yet, so the first gauge read reads the store.
        return readings.putIfAbsent(licenseId, new Reading(0, 0, Long.MIN_VALUE)) == null;
    }

    /** The pools followed. */
    public List<Long> followed() {
        return List.copyOf(readings.keySet());
    }

    /** The pool's seats now, or from a reading younger than the maximum age. */
    public Reading read(long licenseId) {
        Reading last = readings.get(licenseId);
        long now = nanos.getAsLong();
        if (last != null && last.readAt() != Long.MIN_VALUE && now - last.readAt() < maxAgeNanos) {
            return last;
        }
        Licensor engine = licensor;
        if (engine == null) {
            return new Reading(0, 0, now);
        }
        Optional<License> license = engine.catalog().license(licenseId);
        Outcome<List<Lease>> holders = engine.seats().holders(licenseId);
        long seats = license.filter(License::isFloating).map(l -> (long) l.floatingSeats()).orElse(0L);
        Reading fresh = new Reading(holders.isSuccess() ? holders.orElseThrow().size() : 0, seats, now);
        readings.put(licenseId, fresh);
        return fresh;
    }

    /** Sum of seats in use over the pools followed. */
    public double totalInUse() {
        return followed().stream().mapToLong(id -> read(id).inUse()).sum();
    }

    /** Sum of seats available over the pools followed. */
    public double totalAvailable() {
        return followed().stream().mapToLong(id -> read(id).available()).sum();
    }
}
