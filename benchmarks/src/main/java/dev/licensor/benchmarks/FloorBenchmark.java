package dev.licensor.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ConcurrentHashMap;
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
import org.sqlite.SQLiteConfig;

/**
 * The floors every engine figure is divided by, measured in the same run: the least work each
 * operation could possibly do on its medium.
 * <ul>
 *   <li>{@link #chmPutRemove}: a seat as a bare {@link ConcurrentHashMap} put and remove;</li>
 *   <li>{@link #sqliteInsertDelete}: raw sqlite-jdbc inserting then deleting one row keyed by
 *       (pool, device), each in its own {@code BEGIN IMMEDIATE} transaction, WAL, at the given
 *       {@code synchronous};</li>
 *   <li>{@link #caffeineGetIfPresent}: a bare Caffeine {@code getIfPresent} on a cache built like
 *       the engine's (same size bound and time-to-live), over as many hot keys.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class FloorBenchmark {

    /** The shape of a seat key: pool and device. */
    record SeatKey(long pool, String device) {
    }

    final AtomicInteger threads = new AtomicInteger();
    final ConcurrentHashMap<SeatKey, Object> seats = new ConcurrentHashMap<>();
    final Cache<SeatKey, Object> cache = Caffeine.newBuilder()
            .maximumSize(Fixture.CACHE.maximumSize())
            .expireAfterWrite(Fixture.CACHE.timeToLive())
            .executor(Runnable::run)
            .build();
    final SeatKey[] hot = new SeatKey[Fixture.HOT_KEYS];

    @Setup(Level.Trial)
    public void fill() {
        for (int i = 0; i < hot.length; i++) {
            hot[i] = new SeatKey(1 + i / Fixture.POOL_SIZE, Fixture.device(i % Fixture.POOL_SIZE));
            cache.put(hot[i], Fixture.NOW);
        }
    }

    /** One benchmark thread's key. */
    @State(Scope.Thread)
    public static class Slot {
        SeatKey key;
        Object value = Fixture.NOW;
        int cursor;

        @Setup(Level.Trial)
        public void setUp(FloorBenchmark b) {
            int n = b.threads.getAndIncrement();
            key = new SeatKey(1_000_000 + n, "device-" + n);
            cursor = n * 17;
        }
    }

    @Benchmark
    public Object chmPutRemove(Slot slot) {
        seats.put(slot.key, slot.value);
        return seats.remove(slot.key);
    }

    @Benchmark
    public Object caffeineGetIfPresent(Slot slot) {
        int i = slot.cursor = (slot.cursor + 1) & (Fixture.HOT_KEYS - 1);
        return cache.getIfPresent(hot[i]);
    }

    /**
     * One SQLite file per trial and one writer connection shared by the benchmark threads under a
     * fair lock, as the SQLite store runs its writes (separate connections would let one thread
     * starve the other: SQLite's busy wait is not fair).
     */
    @State(Scope.Benchmark)
    public static class Sqlite {
        @Param({"FULL", "NORMAL"})
        public String synchronous;

        Path file;
        Connection connection;
        PreparedStatement begin;
        PreparedStatement commit;
        PreparedStatement insert;
        PreparedStatement delete;
        final ReentrantLock writeLock = new ReentrantLock(true);

        /** The store's per-connection settings: WAL, the given synchronous, a 10 s busy timeout. */
        static Connection connect(Path file, String synchronous) throws SQLException {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(synchronous));
            config.setBusyTimeout(10_000);
            return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        }

        @Setup(Level.Trial)
        public void create() throws IOException, SQLException {
            file = Stores.dir().resolve("floor-" + synchronous + ".db");
            Stores.delete(file);
            connection = connect(file, synchronous);
            try (Statement s = connection.createStatement()) {
                s.executeUpdate("CREATE TABLE seat (pool INTEGER NOT NULL, device TEXT NOT NULL, "
                        + "expires_at INTEGER NOT NULL, PRIMARY KEY (pool, device))");
            }
            // Transactions by explicit SQL on an auto-commit connection, as the SQLite store runs them.
            begin = connection.prepareStatement("BEGIN IMMEDIATE");
            commit = connection.prepareStatement("COMMIT");
            insert = connection.prepareStatement("INSERT INTO seat (pool, device, expires_at) VALUES (?, ?, ?)");
            delete = connection.prepareStatement("DELETE FROM seat WHERE pool = ? AND device = ?");
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException, IOException {
            connection.close();
            Stores.delete(file);
        }

        /** One row written in its own IMMEDIATE transaction. */
        int write(PreparedStatement statement, long pool, String device, boolean withExpiry) throws SQLException {
            writeLock.lock();
            try {
                begin.execute();
                statement.setLong(1, pool);
                statement.setString(2, device);
                if (withExpiry) {
                    statement.setLong(3, 0L);
                }
                int n = statement.executeUpdate();
                commit.execute();
                return n;
            } finally {
                writeLock.unlock();
            }
        }
    }

    @Benchmark
    public int sqliteInsertDelete(Sqlite db, Slot slot) throws SQLException {
        return db.write(db.insert, slot.key.pool(), slot.key.device(), true)
                + db.write(db.delete, slot.key.pool(), slot.key.device(), false);
    }
}
