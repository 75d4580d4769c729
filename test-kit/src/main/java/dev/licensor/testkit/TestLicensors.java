package dev.licensor.testkit;

import dev.licensor.Licensor;
import dev.licensor.store.memory.MemoryLicenseStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Engines for tests in one line: a {@link Licensor} on a new, empty {@link MemoryLicenseStore}.
 *
 * <pre>{@code
 * MutableClock clock = new MutableClock(TestLicensors.START);
 * Licensor licensor = TestLicensors.memory(clock);
 * }</pre>
 *
 * <p>Stateless and thread-safe; every call returns an engine of its own that shares nothing.
 */
public final class TestLicensors {
    /** The instant {@link #memory()} and {@link LicensorExtension} start their clock at: a Monday, 09:00 UTC. */
    public static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    private TestLicensors() {
    }

    /** An engine on a new memory store whose time is {@code clock} (a {@link MutableClock} to move it). */
    public static Licensor memory(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return Licensor.builder().store(new MemoryLicenseStore()).clock(clock).build();
    }

    /** An engine on a new memory store whose clock stands still at {@link #START}. */
    public static Licensor memory() {
        return memory(new MutableClock(START));
    }
}
