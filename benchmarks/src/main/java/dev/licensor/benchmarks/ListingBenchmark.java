package dev.licensor.benchmarks;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseQuery;
import dev.licensor.catalog.Page;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.Query;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Listing {@value #LICENSES} licenses of one product page by page ({@value #PAGE} a page, keyset
 * by id): the engine's page ({@code catalog().licenses}) at the first, middle and last page, beside
 * its floor in the same run, the store's bare index range read of the same rows. A keyset page
 * costs the same wherever it starts, so the last page should take no more than the first (the
 * issue's bound: at most 2x). Setup walks the whole listing once and fails the trial unless every
 * license comes exactly once, in ascending id order. Sample mode: JMH reports the median (p0.50).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ListingBenchmark {
    static final int LICENSES = 100_000;
    static final int PAGE = 1000;

    @Param({"memory", "sqlite-full"})
    public String store;

    /** Which page: {@code first}, {@code middle} or {@code last}. */
    @Param({"first", "middle", "last"})
    public String page;

    LicenseStore licenseStore;
    Licensor licensor;
    LicenseQuery query;
    long after;

    @Setup(Level.Trial)
    public void open() {
        // Fixture's preload: LICENSES pools of POOL_SIZE live leases each, all of product "bench"
        licenseStore = Stores.open(store, LICENSES * Fixture.POOL_SIZE);
        licensor = Fixture.engine(licenseStore);
        query = LicenseQuery.ofProduct(Fixture.PRODUCT).limit(PAGE);
        long[] cursors = walk();
        after = switch (page) {
            case "first" -> 0;
            case "middle" -> cursors[cursors.length / 2];
            case "last" -> cursors[cursors.length - 1];
            default -> throw new IllegalArgumentException(page);
        };
    }

    /** Walks every page; returns the cursor each page started from. Fails unless each license comes once, in order. */
    private long[] walk() {
        long[] starts = new long[LICENSES / PAGE];
        long cursor = 0;
        long last = 0;
        int seen = 0;
        int pages = 0;
        while (true) {
            Page<License> p = licensor.catalog().licenses(query.after(cursor)).orElseThrow();
            if (pages >= starts.length || p.items().size() != PAGE) {
                throw new IllegalStateException("page " + pages + " has " + p.items().size() + " licenses");
            }
            starts[pages++] = cursor;
            for (License l : p.items()) {
                if (l.id() <= last) {
                    throw new IllegalStateException("license " + l.id() + " after " + last + ": out of order or twice");
                }
                last = l.id();
                seen++;
            }
            if (!p.hasMore()) {
                break;
            }
            cursor = p.next();
        }
        if (seen != LICENSES || pages != starts.length) {
            throw new IllegalStateException(seen + " licenses in " + pages + " pages, not " + LICENSES);
        }
        return starts;
    }

    @TearDown(Level.Trial)
    public void close() {
        Stores.close(licenseStore);
    }

    /** One page through the engine: validation, one read unit, {@code PAGE + 1} rows from the (product, id) index. */
    @Benchmark
    public Outcome<Page<License>> enginePage() {
        return licensor.catalog().licenses(query.after(after));
    }

    /** The floor: the store's bare range read of the same rows, in one read unit. */
    @Benchmark
    public List<License> floorRange() {
        return licenseStore.read(tx -> tx.list(Query.licensesOfProductAfter(Fixture.PRODUCT, after, PAGE + 1)));
    }
}
