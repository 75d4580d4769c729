package dev.licensor.store.sqlite;

import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The process {@link CrashTest} kills: an endless stream of writes (activate a device, take a seat,
 * register a client), reporting each operation on stdout, in one flushed write, only after every
 * call of it returned successfully.
 *
 * <p>Arguments: file, run name.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        String run = args[1];
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            Licensor licensor = Fixtures.licensor(store);
            for (int i = 0; ; i++) {
                String id = run + "-" + i;
                DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, id);
                licensor.floating().activate(device).orElseThrow();
                licensor.floating().check(device).orElseThrow();
                licensor.catalog().registerClient(id, 1, "host").orElseThrow();
                out.print("DONE " + id + " END\n");
                out.flush();
            }
        }
    }
}
