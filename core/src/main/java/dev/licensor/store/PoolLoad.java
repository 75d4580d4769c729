package dev.licensor.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What core asks {@link StoreTransaction#loadPool} to read about one pool: the license, the
 * requesting device and the candidate seat keys, and which of the optional (bounded) parts a
 * decision needs. Built by core; a store only reads it.
 *
 * <p>Core passes every seat key the request could have (one per leasing strategy the request
 * gives a part for: the device, the user, the device and process) because which one applies is a
 * rule (the pool policy's leasing strategy, loaded in the same call); the store loads the lease of
 * each, and core picks.
 *
 * <p>Immutable and thread-safe.
 *
 * @param licenseId       the pool (the license id), whose {@link LockKey#pool} the unit holds
 * @param product         the license's product code, for the blacklist lookup
 * @param hardwareId      the requesting device: its blacklist entry and its activation are loaded
 * @param seatKeys        candidate seat keys whose leases are loaded (distinct, at most 3; may be empty)
 * @param now             the engine's time of the decision: what "live" and "lapsed" mean
 * @param live            how much of the pool's live leases to load
 * @param queue           load the pool's queue (every entry, live or lapsed) if its policy has a queue
 *                        length ({@code PoolPolicy.queueLength() > 0}); nothing otherwise
 * @param lapsedLimit     load up to this many lapsed leases to sweep ({@code expiresAt <= now}); 0 for none
 * @param countActivations load the number of the license's activations
 */
public record PoolLoad(long licenseId, String product, String hardwareId, List<String> seatKeys, Instant now,
                       Live live, boolean queue, int lapsedLimit, boolean countActivations) {

    /** Most candidate seat keys in one load. */
    public static final int MAX_SEAT_KEYS = 3;

    /** How much of a pool's live leases ({@code expiresAt > now}) a load reads. */
    public enum Live {
        /** Neither the list nor the count ({@link PoolState#liveCount()} is -1). */
        NONE,
        /** The count only: an index range count, whatever the pool's size. */
        COUNT,
        /**
         * The list if the pool has a policy ({@code !PoolPolicy.isNone()}), else the count only: a
         * policy decides from who holds the seats, a bare pool only from how many are held.
         */
        LIST_IF_POLICY,
        /** The list (and so the count), whatever the policy. */
        LIST
    }

    /** Checks the arguments and copies the keys. */
    public PoolLoad {
        if (licenseId <= 0) {
            throw new IllegalArgumentException("licenseId must be positive");
        }
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(hardwareId, "hardwareId");
        seatKeys = List.copyOf(seatKeys);
        if (seatKeys.size() > MAX_SEAT_KEYS || !distinct(seatKeys)) {
            throw new IllegalArgumentException("at most " + MAX_SEAT_KEYS + " distinct seat keys");
        }
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(live, "live");
        if (lapsedLimit < 0) {
            throw new IllegalArgumentException("lapsedLimit must not be negative");
        }
    }

    /** Pairwise, for at most three keys: a stream's distinct() cost a hash set per decision. */
    private static boolean distinct(List<String> keys) {
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                if (keys.get(i).equals(keys.get(j))) {
                    return false;
                }
            }
        }
        return true;
    }
}
