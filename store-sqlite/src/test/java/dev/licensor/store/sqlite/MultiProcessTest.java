package dev.licensor.store.sqlite;

import dev.licensor.storetests.Jvms;
import dev.licensor.storetests.RaceOutcome;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVM processes race on one file for fewer floating seats and client licenses than they
 * want. Nothing inside one JVM serializes them: only SQLite's {@code BEGIN IMMEDIATE} does. Exactly
 * the seat counts are granted, every refusal is recorded, and the ledger balances.
 */
class MultiProcessTest {
    private static final int PROCESSES = 4;
    private static final int DEVICES_EACH = 6;
    private static final int CLIENTS_EACH = 5;
    private static final int SEATS = 7;
    private static final int CLIENT_LICENSES = 5;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void processesGetExactlyTheSeatsThereAre() throws Exception {
        Path file = dir.resolve("shared.db");
        long licenseId = Fixtures.defineIn(file, SEATS, CLIENT_LICENSES);
        // Everyone starts at the same instant, once every JVM has had time to start and open the file.
        long startAt = System.currentTimeMillis() + 4_000;
        List<Jvms.Child> children = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            children.add(Jvms.start(RaceChild.class, file.toString(), "p" + p, String.valueOf(DEVICES_EACH),
                    String.valueOf(CLIENTS_EACH), String.valueOf(startAt)));
        }
        List<String> lines = RaceOutcome.linesOf(children, 150);
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            new RaceOutcome(SEATS, CLIENT_LICENSES, PROCESSES * DEVICES_EACH, PROCESSES * CLIENTS_EACH)
                    .check(lines, Fixtures.licensor(store), licenseId);
        }
    }

}
