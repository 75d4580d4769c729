package dev.licensor.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.postgresql.testing.PgServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of N JVMs against one PostgreSQL database, which JMH cannot measure (it forks one JVM
 * at a time). The parent starts N child JVMs; each runs one operation in a loop on one thread, on
 * its own pool (or floor row), and counts the operations it completes inside <em>one wall-clock
 * window shared by all children</em> ({@code [T, T + measure]}, T fixed by the parent); before T it
 * runs the same loop as warm-up. The parent sums the children's operations per second.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.licensor.benchmarks.JvmScaling checkout|floor <jvms> <leases> <warm-up s> <measure s> <out.json>
 * }</pre>
 *
 * <ul>
 *   <li>{@code checkout}: {@code floating().check} then {@code floating().release} through an engine
 *       on the PostgreSQL store (as {@link FloatingBenchmark#checkoutRelease}), lookup cache on, so
 *       the JVMs also exchange change notices.</li>
 *   <li>{@code floor}: {@link FloorBenchmark#pgInsertDelete}'s two committed single-row transactions.</li>
 * </ul>
 *
 * <p>The server is {@code LICENSOR_PG_URL}'s, or a cluster the parent starts and stops. A child
 * that is not set up by T fails the run (the window would not be shared). Output: a JSON object
 * with each child's ops/s, their sum, and the warm-up each child had. Not a library class.
 */
public final class JvmScaling {
    private JvmScaling() {
    }

    /** Parent: {@code op jvms leases warmup measure out}; child: {@code --child op leases startMillis measureMillis}. */
    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals("--child")) {
            child(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
        } else if (args.length == 6) {
            parent(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Path.of(args[5]));
        } else {
            System.err.println("usage: JvmScaling checkout|floor <jvms> <leases> <warm-up s> <measure s> <out.json>");
            System.exit(2);
        }
    }

    private static void parent(String op, int jvms, int leases, int warmup, int measure, Path out)
            throws IOException, InterruptedException {
        if (!op.equals("checkout") && !op.equals("floor")) {
            throw new IllegalArgumentException("op must be checkout or floor, got " + op);
        }
        PgServer server = Postgres.acquire();
        try {
            // Built here, before the clock starts, so no child spends its warm-up preloading.
            if (op.equals("checkout")) {
                Postgres.ensurePreloaded(server, leases);
            } else {
                Postgres.ensureFloorTable(server);
            }
            String url = server.url() + (server.user() == null || server.url().contains("?") ? "" : "?user=" + server.user());
            // Set-up of a child (JVM start, pool, store, its own license) gets a fixed budget before the warm-up.
            long setupMillis = 15_000;
            long start = System.currentTimeMillis() + setupMillis + warmup * 1000L;
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> children = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            for (int i = 0; i < jvms; i++) {
                Path log = Files.createTempFile("licensor-jvm-" + i + "-", ".log");
                logs.add(log);
                ProcessBuilder pb = new ProcessBuilder(java, "-Xms1g", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                        JvmScaling.class.getName(), "--child", op, Integer.toString(leases), Long.toString(start),
                        Long.toString(measure * 1000L))
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().put(PgServer.URL_ENV, url);
                children.add(pb.start());
            }
            List<Double> opsPerSecond = new ArrayList<>();
            List<Long> warmups = new ArrayList<>();
            StringBuilder failures = new StringBuilder();
            for (int i = 0; i < jvms; i++) {
                Process p = children.get(i);
                if (!p.waitFor(setupMillis + (warmup + measure) * 1000L + 120_000, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
                String text = Files.readString(logs.get(i), StandardCharsets.UTF_8);
                String result = text.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
                if (p.exitValue() != 0 || result == null) {
                    failures.append("child ").append(i).append(" (exit ").append(p.exitValue()).append("):\n")
                            .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text).append('\n');
                    continue;
                }
                String[] f = result.split(" ");
                long ops = Long.parseLong(f[1]);
                long nanos = Long.parseLong(f[2]);
                opsPerSecond.add(ops * 1e9 / nanos);
                warmups.add(Long.parseLong(f[3]));
                Files.deleteIfExists(logs.get(i));
            }
            if (failures.length() > 0) {
                System.err.print(failures);
                System.exit(1);
            }
            double total = opsPerSecond.stream().mapToDouble(Double::doubleValue).sum();
            String json = String.format(Locale.ROOT,
                    "{\"kind\": \"jvms\", \"op\": \"%s\", \"jvms\": %d, \"leases\": %d, \"warmupSeconds\": %d, "
                            + "\"measureSeconds\": %d, \"opsPerSecond\": %.1f, \"perJvm\": %s, \"childWarmupMillis\": %s}%n",
                    op, jvms, leases, warmup, measure, total,
                    opsPerSecond.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList(), warmups);
            Files.writeString(out, json);
            System.out.print(json);
        } finally {
            Postgres.release();
        }
    }

    /** One operation of the loop. */
    private interface Op {
        void run() throws Exception;
    }

    private static void child(String op, int leases, long startMillis, long measureMillis) throws Exception {
        long pid = ProcessHandle.current().pid();
        LicenseStore store = null;
        HikariDataSource floorPool = null;
        Op body;
        Licensor licensor = null;
        if (op.equals("checkout")) {
            store = Stores.open("postgres", leases);
            licensor = Fixture.engine(store);
            String key = "jvm-" + pid;
            licensor.catalog().createLicense(License.builder(Fixture.PRODUCT).key(key)
                    .maxActivations(4).floatingSeats(4).build()).orElseThrow();
            DeviceRequest request = DeviceRequest.byKey(Fixture.PRODUCT, key, "device-" + pid);
            licensor.floating().activate(request).orElseThrow();
            Licensor engine = licensor;
            body = () -> {
                Outcome<LicenseCheck> seat = engine.floating().check(request);
                if (!seat.isSuccess()) {
                    throw new IllegalStateException(seat.message());
                }
                Outcome<Void> released = engine.floating().release(request);
                if (!released.isSuccess()) {
                    throw new IllegalStateException(released.message());
                }
            };
        } else {
            PgServer server = Postgres.acquire();
            floorPool = Postgres.pool(server, Stores.PG_POOL_SIZE, false, null);
            FloorBenchmark.Pg db = new FloorBenchmark.Pg();
            db.pool = floorPool;
            long key = 2_000_000 + pid;
            String device = "jvm-" + pid;
            body = () -> {
                db.write(FloorBenchmark.PG_INSERT, key, device, true);
                db.write(FloorBenchmark.PG_DELETE, key, device, false);
            };
        }
        long ready = System.currentTimeMillis();
        if (ready >= startMillis) {
            System.out.println("LATE: set up " + (ready - startMillis) + " ms after the window opened");
            System.exit(3);
        }
        long lastPrune = System.nanoTime();
        while (System.currentTimeMillis() < startMillis) {
            body.run();
            if (licensor != null && System.nanoTime() - lastPrune > 1_000_000_000L) {
                Fixture.pruneLedger(licensor);
                lastPrune = System.nanoTime();
            }
        }
        if (licensor != null) {
            Fixture.pruneLedger(licensor);
        }
        long endMillis = startMillis + measureMillis;
        long t0 = System.nanoTime();
        long ops = 0;
        while (System.currentTimeMillis() < endMillis) {
            body.run();
            ops++;
        }
        long nanos = System.nanoTime() - t0;
        System.out.println("RESULT " + ops + " " + nanos + " " + (startMillis - ready));
        if (licensor != null) {
            Fixture.pruneLedger(licensor);
            Stores.close(store);
        } else {
            floorPool.close();
            Postgres.release();
        }
    }
}
