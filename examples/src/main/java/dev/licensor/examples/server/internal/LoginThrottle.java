package dev.licensor.examples.server.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Limits password logins (each one costs a deliberately slow hash): per user name and per client
 * address, the first {@value #FREE_FAILURES} failures are free, then each failure blocks that
 * name or address for twice as long as the one before (1 s, 2 s, 4 s, … at most
 * {@value #MAX_BLOCK_SECONDS} s), answered 429 with {@code Retry-After} without hashing; a
 * success clears the name. And at most {@code hashers} hashes run at once (the others get 429 at
 * once), so unauthenticated logins never take every core from device calls. Time is the
 * server's clock. At most {@value #MAX_ENTRIES} names and addresses are remembered; beyond that,
 * those whose block has passed are forgotten first, then the table is cleared (a flood of fresh
 * names must not grow memory without end).
 *
 * <p>Thread-safe.
 */
public final class LoginThrottle {
    /** Failures allowed before a name or address is blocked. */
    static final int FREE_FAILURES = 5;
    /** The longest block. */
    static final long MAX_BLOCK_SECONDS = 900;
    static final int MAX_ENTRIES = 100_000;

    private record Failures(int count, Instant blockedUntil) {
    }

    private final Clock clock;
    private final Semaphore hashing;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /**
     * @param clock   the server's clock
     * @param hashers how many password hashes may run at once
     */
    public LoginThrottle(Clock clock, int hashers) {
        this.clock = clock;
        this.hashing = new Semaphore(Math.max(1, hashers));
    }

    /** The default: half the cores hash at most (at least one). */
    public LoginThrottle(Clock clock) {
        this(clock, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Seconds until {@code user} and {@code address} may try again; 0 when they may now. */
    public long retryAfter(String user, String address) {
        return Math.max(wait("u:" + user), address == null ? 0 : wait("a:" + address));
    }

    private long wait(String key) {
        Failures f = failures.get(key);
        if (f == null || f.blockedUntil() == null) {
            return 0;
        }
        long ms = f.blockedUntil().toEpochMilli() - clock.millis();
        return ms <= 0 ? 0 : (ms + 999) / 1000;
    }

    /** Takes a hashing slot, or answers false at once when all are busy. */
    public boolean tryHash() {
        return hashing.tryAcquire();
    }

    /** Gives back a slot of {@link #tryHash}. */
    public void doneHashing() {
        hashing.release();
    }

    /** Records a wrong password (or unknown name) from {@code address}. */
    public void failed(String user, String address) {
        if (failures.size() >= MAX_ENTRIES) {
            Instant now = clock.instant();
            failures.values().removeIf(f -> f.blockedUntil() == null || !f.blockedUntil().isAfter(now));
            if (failures.size() >= MAX_ENTRIES) {
                failures.clear();
            }
        }
        count("u:" + user);
        if (address != null) {
            count("a:" + address);
        }
    }

    private void count(String key) {
        failures.compute(key, (k, f) -> {
            int n = f == null ? 1 : f.count() + 1;
            if (n <= FREE_FAILURES) {
                return new Failures(n, null);
            }
            long seconds = Math.min(MAX_BLOCK_SECONDS, 1L << Math.min(20, n - FREE_FAILURES - 1));
            return new Failures(n, clock.instant().plusSeconds(seconds));
        });
    }

    /** A correct password clears the user's failures (not the address's). */
    public void succeeded(String user) {
        failures.remove("u:" + user);
    }
}
