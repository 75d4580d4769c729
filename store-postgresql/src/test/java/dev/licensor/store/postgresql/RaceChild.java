package dev.licensor.store.postgresql;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Outcome;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One racing host of {@link MultiHostRaceTest}: its own connection pool and store on the shared
 * schema; at the common start time, {@code threads} threads each ask for a floating seat for their
 * devices and a client license for their clients, interleaved, printing one line per answer.
 *
 * <p>Arguments: url, user, password, schema, host name, threads, devices per thread, clients per
 * thread, start time (epoch millis).
 */
public final class RaceChild {
    private RaceChild() {
    }

    public static void main(String[] args) throws Exception {
        String schema = args[3];
        String name = args[4];
        int threads = Integer.parseInt(args[5]);
        int devices = Integer.parseInt(args[6]);
        int clients = Integer.parseInt(args[7]);
        long startAt = Long.parseLong(args[8]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (HikariDataSource pool = Fixtures.pool(args[0], args[1], args[2], threads, Duration.ofSeconds(30));
             PostgresLicenseStore store = Fixtures.open(pool, schema)) {
            Licensor licensor = Fixtures.licensor(store);
            List<Thread> workers = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String prefix = name + "-t" + t;
                Thread worker = new Thread(() -> {
                    try {
                        long wait = startAt - System.currentTimeMillis();
                        if (wait > 0) {
                            Thread.sleep(wait);
                        }
                        race(licensor, prefix, devices, clients, out);
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }, prefix);
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join();
            }
            if (!failures.isEmpty()) {
                failures.get(0).printStackTrace();
                System.exit(2);
            }
        }
    }

    private static void race(Licensor licensor, String prefix, int devices, int clients, PrintStream out) {
        for (int i = 0; i < Math.max(devices, clients); i++) {
            if (i < devices) {
                String hw = prefix + "-hw-" + i;
                DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, hw);
                licensor.floating().activate(device).orElseThrow();
                report(out, "SEAT", hw, licensor.floating().check(device));
            }
            if (i < clients) {
                String client = prefix + "-client-" + i;
                long id = licensor.catalog().registerClient(client, 1, "host").orElseThrow().id();
                report(out, "LICENSE", client, licensor.clients().consume(new ConsumeRequest(ClientRef.id(id),
                        ClientLicense.PLATFORM_CLIENT, 1, 33, false)));
            }
        }
    }

    private static void report(PrintStream out, String what, String subject, Outcome<?> outcome) {
        // one println per answer: PrintStream serialises lines of concurrent threads
        out.println(what + " " + subject + " " + outcome.code().key());
    }
}
