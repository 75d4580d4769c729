package dev.licensor.store.postgresql;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The host {@link KillTest} kills: {@code threads} threads writing endlessly (activate a device,
 * take a seat, register a client), each operation reported on stdout in one line only after every
 * call of it returned successfully.
 *
 * <p>Arguments: url, user, password, schema, run name, threads.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        String schema = args[3];
        String run = args[4];
        int threads = Integer.parseInt(args[5]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        HikariDataSource pool = Fixtures.pool(args[0], args[1], args[2], threads, Duration.ofSeconds(30));
        PostgresLicenseStore store = Fixtures.open(pool, schema);
        Licensor licensor = Fixtures.licensor(store);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String prefix = run + "-t" + t;
            Thread worker = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String id = prefix + "-" + i;
                    DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, id);
                    licensor.floating().activate(device).orElseThrow();
                    licensor.floating().check(device).orElseThrow();
                    licensor.catalog().registerClient(id, 1, "host").orElseThrow();
                    out.println("DONE " + id + " END");
                }
            }, prefix);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(); // never: the test kills this process
        }
    }
}
