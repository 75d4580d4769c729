package dev.licensor.store.sqlite;

import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The process {@link BatchCrashTest} kills: {@code threads} threads write at once, so the store
 * commits them in shared batches. Each thread loops: activate a new device, ask for a seat of a
 * small pool, register a client; it reports the iteration (with whether it got a seat) in one
 * flushed line, only after every call returned. A daemon thread reports the group commit's
 * counters.
 *
 * <p>Arguments: file, run name, threads.
 */
public final class BatchCrashChild {
    private BatchCrashChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args[0]);
        String run = args[1];
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        SqliteLicenseStore store = SqliteLicenseStore.builder(file).busyTimeout(Duration.ofSeconds(60)).open();
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
                    DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, id);
                    licensor.floating().activate(device).orElseThrow();
                    Outcome<?> seat = licensor.floating().check(device);
                    if (!seat.isSuccess() && seat.code() != Code.FLOATING_NOT_AVAILABLE) {
                        print(out, "UNEXPECTED " + id + " " + seat.code());
                        return;
                    }
                    licensor.catalog().registerClient(id, 1, "host").orElseThrow();
                    print(out, "DONE " + id + " " + (seat.isSuccess() ? "SEAT" : "NOSEAT") + " END");
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
