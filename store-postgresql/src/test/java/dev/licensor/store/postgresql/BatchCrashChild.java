package dev.licensor.store.postgresql;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The host {@link BatchCrashTest} kills: {@code threads} threads writing endlessly on one small
 * pool (activate a device, ask for a seat, register a client), so their units share commits and
 * meet the other host's locks; each iteration is reported (with whether it got a seat) in one
 * flushed line, only after every call of it returned. A daemon thread reports the group commit's
 * counters.
 *
 * <p>Arguments: url, user, password, schema, run name, threads.
 */
public final class BatchCrashChild {
    private BatchCrashChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        String schema = args[3];
        String run = args[4];
        int threads = Integer.parseInt(args[5]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        HikariDataSource pool = Fixtures.pool(args[0], args[1], args[2], threads + 2, Duration.ofSeconds(30));
        PostgresLicenseStore store = PostgresLicenseStore.builder(pool).schema(schema)
                .lockTimeout(Duration.ofSeconds(30)).open();
        Licensor licensor = Fixtures.licensor(store);
        Thread stats = new Thread(() -> {
            while (true) {
                var b = store.commitBatches();
                print(out, "STATS " + b.commits() + " " + b.units() + " " + b.largest());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        stats.setDaemon(true);
        stats.start();
        for (int t = 0; t < threads; t++) {
            String name = run + "-t" + t;
            Thread writer = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String id = name + "-" + i;
                    try {
                        DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, id);
                        licensor.floating().activate(device).orElseThrow();
                        Outcome<?> seat = licensor.floating().check(device);
                        if (!seat.isSuccess() && seat.code() != Code.FLOATING_NOT_AVAILABLE) {
                            print(out, "UNEXPECTED " + id + " " + seat.code());
                            return;
                        }
                        licensor.catalog().registerClient(id, 1, "host").orElseThrow();
                        print(out, "DONE " + id + " " + (seat.isSuccess() ? "SEAT" : "NOSEAT") + " END");
                    } catch (RuntimeException e) {
                        // a store failure while both hosts are alive is a bug (the other host is
                        // killed only after this one's last report is taken)
                        print(out, "UNEXPECTED " + id + " " + e);
                        return;
                    }
                }
            });
            writer.start();
        }
        Thread.sleep(Long.MAX_VALUE); // until killed
    }

    private static void print(PrintStream out, String line) {
        synchronized (out) {
            out.print(line + "\n");
            out.flush();
        }
    }
}
