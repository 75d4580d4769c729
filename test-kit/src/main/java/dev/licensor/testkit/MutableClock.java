package dev.licensor.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} whose instant only moves when a test says so: give it to
 * {@code Licensor.builder().clock(...)}, then {@link #advance} it past a lease's timeout to make
 * the lease lapse, without sleeping.
 *
 * <pre>{@code
 * MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
 * Licensor licensor = Licensor.builder().store(store).clock(clock).build();
 * licensor.floating().check(request);          // takes a seat for 10 minutes
 * clock.advance(Duration.ofMinutes(10));       // the seat has lapsed now
 * }</pre>
 *
 * <p>The same class as {@code dev.licensor.storetests.MutableClock} in core's test-jar, here so a
 * host's tests need not depend on the store contract suite to get it.
 *
 * <p>Thread-safe: the instant is held in an atomic reference, so threads racing through the
 * engine all read a consistent value while a test thread moves it. Clocks made by
 * {@link #withZone} share the instant with this one.
 */
public final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock standing at {@code start}, in UTC. */
    public MutableClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Moves the clock to {@code instant} (backwards too, to test clock tampering). */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /** Moves the clock by {@code amount} (negative to go back) and returns the new instant. */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        return now.updateAndGet(t -> t.plus(amount));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A clock in another zone that shares this clock's instant (moving one moves both). */
    @Override
    public Clock withZone(ZoneId newZone) {
        return new MutableClock(now, Objects.requireNonNull(newZone, "zone"));
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + "," + zone + "]";
    }
}
