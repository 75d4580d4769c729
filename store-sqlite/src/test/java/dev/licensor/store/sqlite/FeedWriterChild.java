package dev.licensor.store.sqlite;

import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One writing process of {@link LedgerFeedTest}: opens the shared file, waits for the common start
 * time, then activates, checks and releases each of its devices (a ledger entry per call), and
 * prints {@code DONE}.
 *
 * <p>Arguments: file, process name, devices, start time (epoch millis).
 */
public final class FeedWriterChild {
    private FeedWriterChild() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String name = args[1];
        int devices = Integer.parseInt(args[2]);
        long startAt = Long.parseLong(args[3]);
        try (SqliteLicenseStore store = SqliteLicenseStore.builder(file).busyTimeout(Duration.ofSeconds(60)).open()) {
            Licensor licensor = Fixtures.licensor(store);
            long wait = startAt - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            LedgerFeedTest.write(licensor, name, devices);
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
