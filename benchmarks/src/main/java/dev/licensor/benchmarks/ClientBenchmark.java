package dev.licensor.benchmarks;

import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.clients.UsageSummary;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LicenseStore;
import java.util.List;
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
 * Client licenses through the whole engine: consume+release of one client-level license, and the
 * usage summary over {@value #LICENSES} client licenses and {@value #CLIENTS} clients holding
 * {@value #HELD} each, beside {@value #LEASES} preloaded floating leases.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClientBenchmark {
    static final int LICENSES = 10;
    static final int CLIENTS = 1000;
    static final int HELD = 3;
    /** App types from the vendor's list: file systems, databases, VMs. */
    private static final int[] APP_TYPES = {33, 29, 21, 17, 13, 22, 80, 37, 104, 125};

    @Param({"memory", "sqlite-full", "sqlite-normal"})
    public String store;

    /** Floating leases beside the client licenses; fixed, since these calls never read them. */
    static final int LEASES = 1000;

    LicenseStore licenseStore;
    Licensor licensor;
    final AtomicInteger threads = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() {
        licenseStore = Stores.open(store, LEASES);
        licensor = Fixture.engine(licenseStore);
        for (int i = 0; i < LICENSES; i++) {
            licensor.catalog().defineClientLicense(ClientLicense.draft(ClientLicense.PLATFORM_CLIENT, 1,
                    APP_TYPES[i], "Server File System " + APP_TYPES[i], 1_000_000, 0, null)).orElseThrow();
        }
        for (int c = 0; c < CLIENTS; c++) {
            String name = "client" + c;
            licensor.catalog().registerClient(name, 1, name + ".example").orElseThrow();
            for (int h = 0; h < HELD; h++) {
                int app = APP_TYPES[(c + h) % LICENSES];
                licensor.clients().consume(new ConsumeRequest(ClientRef.name(name), ClientLicense.PLATFORM_CLIENT,
                        1, app, false)).orElseThrow();
            }
        }
        Fixture.pruneLedger(licensor);
    }

    @TearDown(Level.Iteration)
    public void prune() {
        Fixture.pruneLedger(licensor);
    }

    @TearDown(Level.Trial)
    public void close() {
        Stores.close(licenseStore);
    }

    /** One benchmark thread's own client. */
    @State(Scope.Thread)
    public static class Slot {
        ConsumeRequest consume;
        ClientLicensesRequest release;

        @Setup(Level.Trial)
        public void setUp(ClientBenchmark b) {
            String name = "bench-client-" + b.threads.getAndIncrement();
            b.licensor.catalog().registerClient(name, 1, null).orElseThrow();
            consume = new ConsumeRequest(ClientRef.name(name), ClientLicense.PLATFORM_CLIENT, 1, APP_TYPES[0], false);
            release = new ClientLicensesRequest(true, ClientRef.name(name),
                    List.of(new LicenseSelector(ClientLicense.PLATFORM_CLIENT, 1, APP_TYPES[0], null)));
        }
    }

    /** A client consuming a license and giving it back: two write units. */
    @Benchmark
    public Outcome<List<HeldLicense>> consumeRelease(Slot slot) {
        Outcome<HeldLicense> held = licensor.clients().consume(slot.consume);
        if (!held.isSuccess()) {
            throw new IllegalStateException(held.message());
        }
        Outcome<List<HeldLicense>> released = licensor.clients().release(slot.release);
        if (!released.isSuccess()) {
            throw new IllegalStateException(released.message());
        }
        return released;
    }

    /** The license summary report: every client license with its holders by client and agent. */
    @Benchmark
    public List<UsageSummary> usageSummary() {
        return licensor.clients().usage();
    }
}
