package dev.licensor.micrometer.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters that exist before a registry does: each (name, tags) series counts into its own
 * adder, and is registered as a {@link FunctionCounter} in the registry once there is one, so a
 * count made before {@code bindTo} is not lost and a new tag value (a code seen for the first
 * time) gets its series when it first counts. Not API.
 *
 * <p>Thread-safe.
 */
public final class Counts {
    private record Series(String name, String description, Tags tags) {
    }

    private final Map<Series, LongAdder> adders = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    /** Adds one to the series, creating (and registering) it on first use. */
    public void increment(String name, String description, Tags tags) {
        Series series = new Series(name, description, tags);
        LongAdder adder = adders.get(series);
        if (adder == null) {
            adder = adders.computeIfAbsent(series, s -> new LongAdder());
            register(series, adder);
        }
        adder.increment();
    }

    /** Registers every series so far, and every later one, in {@code target}. */
    public synchronized void bindTo(MeterRegistry target) {
        registry = target;
        adders.forEach(this::register);
    }

    private void register(Series series, LongAdder adder) {
        MeterRegistry target = registry;
        if (target != null) {
            // Registering the same id twice returns the first meter: harmless if two threads race here.
            FunctionCounter.builder(series.name(), adder, LongAdder::doubleValue)
                    .description(series.description()).tags(series.tags()).register(target);
        }
    }
}
