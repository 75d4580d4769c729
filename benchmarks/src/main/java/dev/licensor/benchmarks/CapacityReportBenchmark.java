package dev.licensor.benchmarks;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Holder;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.outcome.Outcome;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.replay.WhatIf;
import dev.licensor.replay.WhatIfReport;
import dev.licensor.replay.WhatIfRequest;
import dev.licensor.report.Bucket;
import dev.licensor.report.CapacityReports;
import dev.licensor.report.LedgerScan;
import dev.licensor.report.UtilisationReport;
import dev.licensor.report.UtilisationRequest;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The capacity reports over a memory store's ledger of {@code entries} entries (one pool of 20
 * seats, 40 devices checking and releasing at random every 10 s of engine time, so grants,
 * refreshes, releases and denials): the utilisation report in hourly buckets, and beside it, in
 * the same run, its floor: the bare time-ordered scan of the same pages ({@link LedgerScan}) that
 * only counts entries. The what-if replay with the recorded seats runs every demand through a
 * scratch engine. Linear time shows as the same time per entry at 100k and 1M; the setup fails the
 * trial unless the replay with the recorded seats diverges nowhere and something was denied. With
 * {@code policy=groups} the requests name holders and the report breaks down by three groups.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class CapacityReportBenchmark {
    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @Param({"100000", "1000000"})
    public int entries;

    /**
     * {@code none}: requests name no holder and the pool has no policy. {@code groups}: each
     * request names a user (8) and a host (4), and the pool's policy names two user groups and a
     * host group (caps that never bind), so the report also breaks down by group.
     */
    @Param({"none", "groups"})
    public String policy;

    Licensor licensor;
    long pool;
    Instant end;


    @Setup(Level.Trial)
    public void record() {
        MutableClock clock = new MutableClock(START); // moved by hand in setup only
        licensor = Licensor.builder().store(new MemoryLicenseStore()).clock(clock).build();
        licensor.catalog().defineProduct(new Product("bench", "Bench", Duration.ofMinutes(10), Duration.ofHours(24)))
                .orElseThrow();
        pool = licensor.catalog().createLicense(License.builder("bench").key("POOL").maxActivations(40)
                .floatingSeats(20).build()).orElseThrow().id();
        boolean groups = policy.equals("groups");
        if (groups) {
            licensor.catalog().defineGroup(new SeatGroup(GroupKind.USER, "even", List.of("u0", "u2", "u4", "u6")))
                    .orElseThrow();
            licensor.catalog().defineGroup(new SeatGroup(GroupKind.USER, "odd", List.of("u1", "u3", "u5", "u7")))
                    .orElseThrow();
            licensor.catalog().defineGroup(new SeatGroup(GroupKind.HOST, "rack-a", List.of("h0", "h1"))).orElseThrow();
            licensor.catalog().setPolicy(pool, PoolPolicy.parse("MAX 20 GROUP even\nMAX 20 GROUP odd\n"
                    + "MAX 20 HOST_GROUP rack-a\n")).orElseThrow();
        }
        for (int d = 0; d < 40; d++) {
            licensor.floating().activate(DeviceRequest.byKey("bench", "POOL", "dev-" + d)).orElseThrow();
        }
        Random rnd = new Random(42);
        long written = 0;
        long cursor = 0;
        while (written < entries) {
            for (int i = 0; i < 1_000; i++) {
                clock.advance(Duration.ofSeconds(10));
                int d = rnd.nextInt(40);
                DeviceRequest r = DeviceRequest.byKey("bench", "POOL", "dev-" + d);
                if (groups) {
                    r = r.withHolder(Holder.of("u" + d % 8, "h" + d % 4));
                }
                // a refusal is part of the history being recorded: the ledger keeps it
                Outcome<?> unused = rnd.nextInt(3) == 0 ? licensor.floating().release(r) : licensor.floating().check(r);
            }
            for (var page = licensor.ledger().after(cursor, 100_000); !page.isEmpty();
                 page = licensor.ledger().after(cursor, 100_000)) {
                written += page.size();
                cursor = page.get(page.size() - 1).seq();
            }
        }
        end = clock.instant().plusSeconds(1);
        WhatIfReport same = WhatIf.of(licensor).replay(WhatIfRequest.of(pool, START, end, 20));
        if (same.divergent() != 0 || same.recorded().denied() == 0) {
            throw new IllegalStateException("the replay diverges or nothing was denied: " + same.recorded());
        }
        if (groups && CapacityReports.of(licensor).utilisation(new UtilisationRequest(pool, START, end, Bucket.DAY, 0))
                .groups().stream().anyMatch(g -> g.seatTime().isZero())) {
            throw new IllegalStateException("a group held no seat: the breakdown would measure nothing");
        }
    }

    /** The floor: the same pages in the same order, each entry counted. */
    @Benchmark
    public long floorScan() {
        long[] n = new long[1];
        LedgerScan.forEach(licensor.ledger(), START, end, LedgerScan.PAGE, (LedgerEntry e) -> n[0]++);
        return n[0];
    }

    @Benchmark
    public UtilisationReport utilisation() {
        return CapacityReports.of(licensor).utilisation(new UtilisationRequest(pool, START, end, Bucket.HOUR, 10));
    }

    @Benchmark
    public WhatIfReport replayEightteenSeats() {
        return WhatIf.of(licensor).replay(WhatIfRequest.of(pool, START, end, 18));
    }
}
