package dev.licensor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wakes the engine's {@code awaitSeat} callers after a commit that may have freed a seat
 * (release, deactivate, force-release, purge, a policy change, a caller leaving the queue).
 * Within one JVM and one engine only: waiters also re-check on their own at a bounded interval,
 * which covers other engines, processes and leases lapsing by the clock.
 *
 * <p>Thread-safe.
 */
final class SeatSignal {
    private final AtomicInteger waiters = new AtomicInteger();
    private long version; // guarded by this

    /**
     * Marks a caller as waiting; call before {@link #version()}, and {@link #leave()} when done.
     * A commit finds no waiter and skips the monitor only if every caller that registers later
     * checks the store after that commit, which registering first guarantees.
     */
    void enter() {
        waiters.incrementAndGet();
    }

    void leave() {
        waiters.decrementAndGet();
    }

    /** The current version; pass it to {@link #awaitChange}. */
    synchronized long version() {
        return version;
    }

    /**
     * Called after a commit that may have freed a seat. Without waiters it reads one counter and
     * takes no lock: releases on different pools must not meet on one monitor.
     */
    public void seatFreed() {
        if (waiters.get() > 0) {
            synchronized (this) {
                version++;
                notifyAll();
            }
        }
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
