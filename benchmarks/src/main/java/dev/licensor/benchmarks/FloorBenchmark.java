package dev.licensor.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.file.Path;
import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.store.postgresql.testing.PgServer;
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
 *   <li>{@link #pgInsertDelete}: raw JDBC on PostgreSQL (the server, pool and settings the
 *       PostgreSQL store runs on: HikariCP, fsync and synchronous_commit on, READ COMMITTED,
 *       auto-commit off) inserting one row keyed by (pool, device) and committing, then deleting
 *       it and committing, each on a connection borrowed from the pool for its transaction;</li>
 *   <li>{@link #caffeineGetIfPresent}: a bare Caffeine {@code getIfPresent} on a cache built like
 *       the engine's (same size bound and time-to-live), over as many hot keys.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
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

    /**
     * A HikariCP pool on the PostgreSQL server the store benchmarks use ({@link Postgres}), with the
     * floor's table. Each thread writes its own key, so threads and JVMs never wait for each other's
     * rows; the least work a seat taken and given back can do on this server is two committed
     * single-row transactions, as here.
     */
    @State(Scope.Benchmark)
    public static class Pg {
        HikariDataSource pool;

        @Setup(Level.Trial)
        public void open() {
            PgServer server = Postgres.acquire();
            try {
                Postgres.ensureFloorTable(server);
                pool = Postgres.pool(server, Stores.PG_POOL_SIZE, false, null);
            } catch (RuntimeException e) {
                Postgres.release();
                throw e;
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            pool.close();
            Postgres.release();
        }

        /** One statement in its own transaction, on a connection borrowed for it (as the store borrows one per unit). */
        int write(String sql, long key, String device, boolean withExpiry) throws SQLException {
            try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
                st.setLong(1, key);
                st.setString(2, device);
                if (withExpiry) {
                    st.setLong(3, 0L);
                }
                int n = st.executeUpdate();
                c.commit();
                return n;
            }
        }
    }

    /** One thread's row key on PostgreSQL: the process id keeps JVMs sharing the server apart. */
    @State(Scope.Thread)
    public static class PgSlot {
        long pool;
        String device;

        @Setup(Level.Trial)
        public void setUp(Slot slot) {
            pool = slot.key.pool();
            device = "device-" + ProcessHandle.current().pid() + "-" + slot.key.device();
        }
    }

    static final String PG_INSERT = "INSERT INTO bench_floor.seat (pool, device, expires_at) VALUES (?, ?, ?)";
    static final String PG_DELETE = "DELETE FROM bench_floor.seat WHERE pool = ? AND device = ?";

    @Benchmark
    public int pgInsertDelete(Pg db, PgSlot slot) throws SQLException {
        return db.write(PG_INSERT, slot.pool, slot.device, true)
                + db.write(PG_DELETE, slot.pool, slot.device, false);
    }
}
