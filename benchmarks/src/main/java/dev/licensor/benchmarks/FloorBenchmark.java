package dev.licensor.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ConcurrentHashMap;
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

    /** One SQLite file per trial; each thread has its own connection, as a pool would give. */
    @State(Scope.Benchmark)
    public static class Sqlite {
        @Param({"FULL", "NORMAL"})
        public String synchronous;

        Path file;

        @Setup(Level.Trial)
        public void create() throws IOException, SQLException {
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "licensor-bench"));
            file = dir.resolve("floor-" + synchronous + ".db");
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + "-wal"));
            Files.deleteIfExists(Path.of(file + "-shm"));
            try (Connection c = SqliteFloor.connect(file, synchronous); Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE seat (pool INTEGER NOT NULL, device TEXT NOT NULL, "
                        + "expires_at INTEGER NOT NULL, PRIMARY KEY (pool, device))");
            }
        }

        @TearDown(Level.Trial)
        public void delete() {
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(Path.of(file + "-wal"));
                Files.deleteIfExists(Path.of(file + "-shm"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A thread's connection and statements. */
    @State(Scope.Thread)
    public static class SqliteFloor {
        Connection connection;
        PreparedStatement insert;
        PreparedStatement delete;
        long pool;
        String device;

        PreparedStatement begin;
        PreparedStatement commit;

        /** The store's per-connection settings: WAL, the given synchronous, a 10 s busy timeout. */
        static Connection connect(Path file, String synchronous) throws SQLException {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(synchronous));
            config.setBusyTimeout(10_000);
            return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        }

        @Setup(Level.Trial)
        public void open(FloorBenchmark b, Sqlite db, Slot slot) throws SQLException {
            connection = connect(db.file, db.synchronous);
            // Transactions by explicit SQL on an auto-commit connection, as the SQLite store runs them.
            begin = connection.prepareStatement("BEGIN IMMEDIATE");
            commit = connection.prepareStatement("COMMIT");
            insert = connection.prepareStatement("INSERT INTO seat (pool, device, expires_at) VALUES (?, ?, ?)");
            delete = connection.prepareStatement("DELETE FROM seat WHERE pool = ? AND device = ?");
            pool = slot.key.pool();
            device = slot.key.device();
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }
    }

    @Benchmark
    public int sqliteInsertDelete(SqliteFloor s) throws SQLException {
        s.begin.execute();
        s.insert.setLong(1, s.pool);
        s.insert.setString(2, s.device);
        s.insert.setLong(3, 0L);
        int n = s.insert.executeUpdate();
        s.commit.execute();
        s.begin.execute();
        s.delete.setLong(1, s.pool);
        s.delete.setString(2, s.device);
        n += s.delete.executeUpdate();
        s.commit.execute();
        return n;
    }
}
