package dev.licensor.benchmarks;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LicenseStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Floating seats through the whole engine: checkout+release, check of a held seat (refresh), and
 * the cached "does this device hold a live seat" lookup. Each thread has a pool of its own
 * (4 seats) beside the preloaded {@code leases}; threads share the store, as a host's do.
 *
 * <p>Every engine here has the lookup cache on, so write paths include the invalidation cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class FloatingBenchmark {

    /** {@code postgres} is left out of the default set: it needs a server (see {@link Postgres}). */
    @Param({"memory", "sqlite-full", "sqlite-normal"})
    public String store;

    @Param({"1000", "100000", "1000000"})
    public int leases;

    LicenseStore licenseStore;
    Licensor licensor;
    final AtomicInteger threads = new AtomicInteger();
    long[] hotIds;
    String[] hotDevices;

    @Setup(Level.Trial)
    public void open() {
        licenseStore = Stores.open(store, leases);
        licensor = Fixture.engine(licenseStore);
        hotIds = new long[Fixture.HOT_KEYS];
        hotDevices = new String[Fixture.HOT_KEYS];
        for (int i = 0; i < Fixture.HOT_KEYS; i++) {
            int lease = i % leases;
            String key = Fixture.poolKey(lease / Fixture.POOL_SIZE);
            hotIds[i] = licensor.lookups().licenseByKey(Fixture.PRODUCT, key).orElseThrow().id();
            hotDevices[i] = Fixture.device(lease % Fixture.POOL_SIZE);
            // Checked here rather than per call, so the measured call is the lookup alone (as the floor's is).
            if (!licensor.lookups().holdsLiveSeat(hotIds[i], hotDevices[i]).orElseThrow()) {
                throw new IllegalStateException("preloaded lease " + i + " is not live");
            }
        }
    }

    @TearDown(Level.Iteration)
    public void prune() {
        Fixture.pruneLedger(licensor);
    }

    @TearDown(Level.Trial)
    public void close() {
        Stores.close(licenseStore);
    }

    /** One benchmark thread's own pool and device. */
    @State(Scope.Thread)
    public static class Slot {
        DeviceRequest request;
        long licenseId;
        int cursor;

        @Setup(Level.Trial)
        public void setUp(FloatingBenchmark b) {
            int n = b.threads.getAndIncrement();
            // The process id keeps keys apart on a PostgreSQL schema that outlives this JVM.
            String key = "thread-" + ProcessHandle.current().pid() + "-" + n;
            License license = b.licensor.catalog().createLicense(License.builder(Fixture.PRODUCT).key(key)
                    .maxActivations(4).floatingSeats(4).build()).orElseThrow();
            licenseId = license.id();
            request = DeviceRequest.byKey(Fixture.PRODUCT, key, "device-" + n);
            b.licensor.floating().activate(request).orElseThrow();
            cursor = n * 17;
        }
    }

    /** A seat taken then given back: two serializable write units, each with a ledger entry. */
    @Benchmark
    public Outcome<Void> checkoutRelease(Slot slot) {
        Outcome<LicenseCheck> seat = licensor.floating().check(slot.request);
        if (!seat.isSuccess()) {
            throw new IllegalStateException(seat.message());
        }
        Outcome<Void> released = licensor.floating().release(slot.request);
        if (!released.isSuccess()) {
            throw new IllegalStateException(released.message());
        }
        return released;
    }

    /** A device checking in while it holds its seat: the refresh path of check. */
    @Benchmark
    public Outcome<LicenseCheck> refresh(Refreshing slot) {
        Outcome<LicenseCheck> seat = licensor.floating().check(slot.request);
        if (!seat.isSuccess()) {
            throw new IllegalStateException(seat.message());
        }
        return seat;
    }

    /** A held seat, checked out once per trial so every call refreshes. */
    @State(Scope.Thread)
    public static class Refreshing {
        DeviceRequest request;

        @Setup(Level.Trial)
        public void hold(FloatingBenchmark b, Slot slot) {
            request = slot.request;
            b.licensor.floating().check(request).orElseThrow();
        }
    }

    /** The host asking whether a device holds a live seat, over 1024 hot leases: cache hits. */
    @Benchmark
    public Outcome<Boolean> cachedSeatLookup(Slot slot) {
        int i = slot.cursor = (slot.cursor + 1) & (Fixture.HOT_KEYS - 1);
        return licensor.lookups().holdsLiveSeat(hotIds[i], hotDevices[i]);
    }
}
