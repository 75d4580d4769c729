package dev.licensor.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.CommitBatches;
import dev.licensor.store.postgresql.PostgresLicenseStore;
import dev.licensor.store.postgresql.testing.PgServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit on PostgreSQL (issue 20): durable checkout+release per second with 1, 4 and 16
 * callers, each on its own pool (16 = two JVMs of 8 threads), beside the floor with the same
 * callers: raw JDBC inserting one row and committing, then deleting it and committing (as
 * {@link FloorBenchmark#pgInsertDelete}). Engine and floor runs alternate, round after round, in
 * one process tree against one server (fsync and synchronous_commit on), so both see the same
 * machine load. JMH cannot run two JVMs in one window, hence this driver (as {@link JvmScaling}).
 *
 * <p>Per run: the children's operations inside one shared wall-clock window, and the server's
 * {@code pg_stat_wal} {@code wal_sync} and {@code wal_write} deltas over the children's whole
 * lives (set-up and warm-up included, so flushes per decision are an upper bound), divided by
 * their decisions (two per operation: a checkout and a release; for the floor, two commits).
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.licensor.benchmarks.PgGroupCommit <rounds> <warm-up s> <measure s> <out.jsonl> [callers] [ops]
 * }</pre>
 *
 * {@code callers} limits the runs to some caller counts ({@code 1,4,16}), {@code ops} to
 * {@code engine} or {@code floor} (default both).
 *
 * Not a library class.
 */
public final class PgGroupCommit {
    private static final int LEASES = 1000;
    /** Callers, and the JVMs they run in. */
    private static final int[][] CALLERS = {{1, 1}, {4, 1}, {16, 2}};

    private PgGroupCommit() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 6 && args[0].equals("--child")) {
            child(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]), args[5]);
        } else if (args.length >= 4 && args.length <= 6) {
            List<String> callers = args.length > 4 ? List.of(args[4].split(",")) : List.of("1", "4", "16");
            List<String> ops = args.length > 5 ? List.of(args[5].split(",")) : List.of("engine", "floor");
            parent(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]),
                    callers, ops);
        } else {
            System.err.println("usage: PgGroupCommit <rounds> <warm-up s> <measure s> <out.jsonl> [callers] [ops]");
            System.exit(2);
        }
    }

    private static void parent(int rounds, int warmup, int measure, Path out, List<String> callers, List<String> ops)
            throws Exception {
        PgServer server = Postgres.acquire();
        try {
            Postgres.ensurePreloaded(server, LEASES);
            Postgres.ensureFloorTable(server);
            Files.writeString(out, "");
            for (int round = 1; round <= rounds; round++) {
                for (int[] c : CALLERS) {
                    if (!callers.contains(Integer.toString(c[0]))) {
                        continue;
                    }
                    for (String op : ops) {
                        String json = run(server, op, c[0], c[1], warmup, measure, round);
                        Files.writeString(out, json, java.nio.file.StandardOpenOption.APPEND);
                        System.out.print(json);
                    }
                }
            }
        } finally {
            Postgres.release();
        }
    }

    private static String run(PgServer server, String op, int callers, int jvms, int warmup, int measure, int round)
            throws IOException, InterruptedException, SQLException {
        String url = server.url() + (server.user() == null || server.url().contains("?") ? "" : "?user=" + server.user());
        long setupMillis = 12_000;
        long start = System.currentTimeMillis() + setupMillis + warmup * 1000L;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        long[] walBefore = wal(server);
        List<Process> children = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < jvms; i++) {
            Path log = Files.createTempFile("licensor-gc-" + i + "-", ".log");
            logs.add(log);
            ProcessBuilder pb = new ProcessBuilder(java, "-Xms512m", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    PgGroupCommit.class.getName(), "--child", op, Integer.toString(callers / jvms), Long.toString(start),
                    Long.toString(measure * 1000L), "r" + round + "j" + i)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put(PgServer.URL_ENV, url);
            children.add(pb.start());
        }
        long ops = 0;
        long decisionsAll = 0;
        long commits = 0;
        long units = 0;
        int largest = 0;
        StringBuilder failures = new StringBuilder();
        for (int i = 0; i < jvms; i++) {
            Process p = children.get(i);
            if (!p.waitFor(setupMillis + (warmup + measure) * 1000L + 120_000, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
            String text = Files.readString(logs.get(i), StandardCharsets.UTF_8);
            String result = text.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
            if (p.exitValue() != 0 || result == null) {
                failures.append("child ").append(i).append(" (exit ").append(p.exitValue()).append("):\n")
                        .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text).append('\n');
                continue;
            }
            String[] f = result.split(" ");
            ops += Long.parseLong(f[1]);
            decisionsAll += Long.parseLong(f[2]);
            commits += Long.parseLong(f[3]);
            units += Long.parseLong(f[4]);
            largest = Math.max(largest, Integer.parseInt(f[5]));
            Files.deleteIfExists(logs.get(i));
        }
        if (failures.length() > 0) {
            System.err.print(failures);
            System.exit(1);
        }
        Thread.sleep(1_500); // backends report their WAL statistics at most once a second
        long[] walAfter = wal(server);
        long syncs = walAfter[0] - walBefore[0];
        long writes = walAfter[1] - walBefore[1];
        return String.format(Locale.ROOT,
                "{\"round\": %d, \"op\": \"%s\", \"callers\": %d, \"jvms\": %d, \"measureSeconds\": %d, "
                        + "\"opsPerSecond\": %.1f, \"decisions\": %d, \"walSync\": %d, \"walWrite\": %d, "
                        + "\"syncsPerDecision\": %.4f, \"writesPerDecision\": %.4f, \"commits\": %d, \"units\": %d, "
                        + "\"largestBatch\": %d, \"loadavg\": \"%s\"}%n",
                round, op, callers, jvms, measure, ops / (double) measure, decisionsAll, syncs, writes,
                syncs / (double) decisionsAll, writes / (double) decisionsAll, commits, units, largest, load);
    }

    /** The server's WAL flush counters: wal_sync, wal_write. */
    private static long[] wal(PgServer server) throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT wal_sync, wal_write FROM pg_stat_wal")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** One operation of the loop. */
    private interface Op {
        void run() throws Exception;
    }

    private static void child(String op, int threads, long startMillis, long measureMillis, String name) throws Exception {
        PgServer server = Postgres.acquire();
        HikariDataSource pool = Postgres.pool(server, threads + 2, op.equals("engine"), null);
        PostgresLicenseStore store = null;
        List<Op> bodies = new ArrayList<>();
        if (op.equals("engine")) {
            store = PostgresLicenseStore.builder(pool).schema(Postgres.schema(LEASES)).open();
            Licensor licensor = Fixture.engine(store);
            for (int t = 0; t < threads; t++) {
                String key = "gc-" + name + "-" + t + "-" + ProcessHandle.current().pid();
                licensor.catalog().createLicense(License.builder(Fixture.PRODUCT).key(key)
                        .maxActivations(4).floatingSeats(4).build()).orElseThrow();
                DeviceRequest request = DeviceRequest.byKey(Fixture.PRODUCT, key, "device-" + t);
                licensor.floating().activate(request).orElseThrow();
                bodies.add(() -> {
                    Outcome<LicenseCheck> seat = licensor.floating().check(request);
                    if (!seat.isSuccess()) {
                        throw new IllegalStateException(seat.message());
                    }
                    Outcome<Void> released = licensor.floating().release(request);
                    if (!released.isSuccess()) {
                        throw new IllegalStateException(released.message());
                    }
                });
            }
        } else {
            FloorBenchmark.Pg db = new FloorBenchmark.Pg();
            db.pool = pool;
            for (int t = 0; t < threads; t++) {
                long key = 3_000_000L + ProcessHandle.current().pid() * 100 + t;
                String device = "gc-" + name + "-" + t;
                bodies.add(() -> {
                    db.write(FloorBenchmark.PG_INSERT, key, device, true);
                    db.write(FloorBenchmark.PG_DELETE, key, device, false);
                });
            }
        }
        CommitBatches before = store == null ? new CommitBatches(0, 0, 0) : store.commitBatches();
        if (System.currentTimeMillis() >= startMillis) {
            System.out.println("LATE: set up " + (System.currentTimeMillis() - startMillis) + " ms after the window opened");
            System.exit(3);
        }
        long endMillis = startMillis + measureMillis;
        AtomicLong inWindow = new AtomicLong();
        AtomicLong all = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (Op body : bodies) {
            Thread worker = new Thread(() -> {
                try {
                    long now;
                    while ((now = System.currentTimeMillis()) < endMillis) {
                        body.run();
                        all.incrementAndGet();
                        if (now >= startMillis && System.currentTimeMillis() < endMillis) {
                            inWindow.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            failures.get(0).printStackTrace(System.out);
            System.exit(4);
        }
        CommitBatches after = store == null ? new CommitBatches(0, 0, 0) : store.commitBatches();
        System.out.println("RESULT " + inWindow.get() + " " + (2 * all.get()) + " " + (after.commits() - before.commits())
                + " " + (after.units() - before.units()) + " " + after.largest());
        if (store != null) {
            store.close();
        }
        pool.close();
        Postgres.release();
    }
}
