package dev.licensor.store.sqlite;

import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Outcome;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One racing process of {@link MultiProcessTest}: opens the shared file, waits for the common start
 * time, then asks for a floating seat for each of its devices and a client license for each of its
 * clients, interleaved, printing one line per answer.
 *
 * <p>Arguments: file, process name, devices, clients, start time (epoch millis).
 */
public final class RaceChild {
    private RaceChild() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String name = args[1];
        int devices = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        long startAt = Long.parseLong(args[4]);
        try (SqliteLicenseStore store = SqliteLicenseStore.builder(file).busyTimeout(Duration.ofSeconds(60)).open()) {
            Licensor licensor = Fixtures.licensor(store);
            long wait = startAt - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            for (int i = 0; i < Math.max(devices, clients); i++) {
                if (i < devices) {
                    String hw = name + "-hw-" + i;
                    DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, hw);
                    licensor.floating().activate(device).orElseThrow();
                    report("SEAT", hw, licensor.floating().check(device));
                }
                if (i < clients) {
                    String client = name + "-client-" + i;
                    long id = licensor.catalog().registerClient(client, 1, "host").orElseThrow().id();
                    report("LICENSE", client, licensor.clients().consume(new ConsumeRequest(ClientRef.id(id),
                            ClientLicense.PLATFORM_CLIENT, 1, 33, false)));
                }
            }
        }
    }

    private static void report(String what, String subject, Outcome<?> outcome) {
        System.out.println(what + " " + subject + " " + outcome.code().key());
        System.out.flush();
    }
}
