package dev.licensor.benchmarks;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.CommitBatches;
import dev.licensor.store.sqlite.SqliteLicenseStore;
import dev.licensor.store.sqlite.Synchronous;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
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
 * Durable checkout+release per second on SQLite with {@code synchronous=FULL}, with group commit
 * on ({@code maxBatch=64}) and off ({@code 1}), beside the floor measured in the same run: raw
 * sqlite-jdbc inserting then deleting one row, each in its own transaction, from the same number of
 * threads through one writer connection under a fair lock (as {@link FloorBenchmark#sqliteInsertDelete}).
 * Run it with {@code -t 1}, {@code -t 4} and {@code -t 16} ({@code run-group-commit.sh}): each thread
 * has its own pool, so threads never wait for one another's seats, only for the disk.
 *
 * <p>Each trial prints the store's {@link CommitBatches} counters ({@code GROUPCOMMIT ...}):
 * commits per unit is durable flushes (WAL fsyncs at FULL) per decision.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class GroupCommitBenchmark {

    /** Most units per commit: 64 (the store's default) or 1 (every unit commits alone). */
    @Param({"64", "1"})
    public int maxBatch;

    Path file;
    SqliteLicenseStore store;
    Licensor licensor;
    final AtomicInteger threads = new AtomicInteger();
    CommitBatches before;

    // the floor's own file and writer connection
    Path floorFile;
    Connection floor;
    PreparedStatement begin;
    PreparedStatement commit;
    PreparedStatement insert;
    PreparedStatement delete;
    final ReentrantLock floorLock = new ReentrantLock(true);

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        file = Stores.dir().resolve("group-commit-" + maxBatch + ".db");
        Stores.delete(file);
        store = SqliteLicenseStore.builder(file).synchronous(Synchronous.FULL).maxBatch(maxBatch).open();
        licensor = Fixture.engine(store);
        licensor.catalog().defineProduct(new Product(Fixture.PRODUCT, "Benchmark product", Fixture.TIMEOUT,
                java.time.Duration.ofDays(7))).orElseThrow();
        before = store.commitBatches();

        floorFile = Stores.dir().resolve("group-commit-floor.db");
        Stores.delete(floorFile);
        floor = FloorBenchmark.Sqlite.connect(floorFile, "FULL");
        try (Statement s = floor.createStatement()) {
            s.executeUpdate("CREATE TABLE seat (pool INTEGER NOT NULL, device TEXT NOT NULL, "
                    + "expires_at INTEGER NOT NULL, PRIMARY KEY (pool, device))");
        }
        begin = floor.prepareStatement("BEGIN IMMEDIATE");
        commit = floor.prepareStatement("COMMIT");
        insert = floor.prepareStatement("INSERT INTO seat (pool, device, expires_at) VALUES (?, ?, 0)");
        delete = floor.prepareStatement("DELETE FROM seat WHERE pool = ? AND device = ?");
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, SQLException {
        CommitBatches after = store.commitBatches();
        long commits = after.commits() - before.commits();
        long units = after.units() - before.units();
        System.out.printf("GROUPCOMMIT maxBatch=%d threads=%d commits=%d units=%d commitsPerUnit=%.4f largest=%d%n",
                maxBatch, threads.get(), commits, units, units == 0 ? 0.0 : (double) commits / units, after.largest());
        store.close();
        Stores.delete(file);
        floor.close();
        Stores.delete(floorFile);
    }

    /** One benchmark thread's own pool and device. */
    @State(Scope.Thread)
    public static class Slot {
        DeviceRequest request;
        long pool;

        @Setup(Level.Trial)
        public void setUp(GroupCommitBenchmark b) {
            int n = b.threads.getAndIncrement();
            String key = "thread-" + n;
            b.licensor.catalog().createLicense(License.builder(Fixture.PRODUCT).key(key)
                    .maxActivations(4).floatingSeats(4).build()).orElseThrow();
            request = DeviceRequest.byKey(Fixture.PRODUCT, key, "device-" + n);
            b.licensor.floating().activate(request).orElseThrow();
            pool = n;
        }
    }

    @TearDown(Level.Iteration)
    public void prune() {
        Fixture.pruneLedger(licensor);
    }

    /** A seat taken then given back: two durable write units (two decisions). */
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

    /** The floor: one row inserted then deleted, each in its own durable transaction. */
    @Benchmark
    public int floorInsertDelete(Slot slot) throws SQLException {
        return write(insert, slot.pool) + write(delete, slot.pool);
    }

    private int write(PreparedStatement statement, long pool) throws SQLException {
        floorLock.lock();
        try {
            begin.execute();
            statement.setLong(1, pool);
            statement.setString(2, "device");
            int n = statement.executeUpdate();
            commit.execute();
            return n;
        } finally {
            floorLock.unlock();
        }
    }
}
