package dev.licensor.floating;

import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import java.util.List;

/**
 * One floating pool as an administrator sees it ({@code seats().pool(licenseId)}): its seats,
 * who holds them, how many are borrowed, and how its reservations are used. Read in one
 * consistent unit.
 *
 * <p>Immutable and thread-safe.
 *
 * @param licenseId    the license
 * @param seats        purchased seats
 * @param capacity     most seats the pool grants: the seats plus the overdraft
 * @param policy       the pool's options ({@link PoolPolicy#NONE} if none)
 * @param holders      live leases with their holders, ordered by grant time, then key
 * @param borrowed     live leases borrowed now
 * @param overLimit    live leases granted past the purchased seats
 * @param reservations each RESERVE line with the seats of it in use
 * @param queued       live queue entries, first served first
 */
public record PoolSeats(long licenseId, int seats, int capacity, PoolPolicy policy, List<Lease> holders,
                        int borrowed, int overLimit, List<Reservation> reservations, List<QueueEntry> queued) {
    public PoolSeats {
        holders = List.copyOf(holders);
        reservations = List.copyOf(reservations);
        queued = List.copyOf(queued);
    }

    /**
     * One RESERVE line and its use.
     *
     * @param rule   the line
     * @param inUse  live holders counted against it
     * @param unused reserved seats nobody uses now (held for the line's users)
     */
    public record Reservation(PolicyRule rule, int inUse, int unused) {
    }
}
