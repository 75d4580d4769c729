package dev.licensor.internal;

/**
 * Wakes the engine's {@code awaitSeat} callers after a commit that may have freed a seat
 * (release, deactivate, force-release, purge, a policy change, a caller leaving the queue).
 * Within one JVM and one engine only: waiters also re-check on their own at a bounded interval,
 * which covers other engines, processes and leases lapsing by the clock.
 *
 * <p>Thread-safe.
 */
public final class SeatSignal {
    private long version;

    /** The current version; pass it to {@link #awaitChange}. */
    synchronized long version() {
        return version;
    }

    /** Called after a commit that may have freed a seat. */
    public synchronized void seatFreed() {
        version++;
        notifyAll();
    }

    /** Waits until the version moves past {@code seen}, or {@code nanos} pass. */
    synchronized void awaitChange(long seen, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        long left = nanos;
        while (version == seen && left > 0) {
            long ms = Math.max(1, left / 1_000_000);
            wait(ms);
            left = deadline - System.nanoTime();
        }
    }
}
