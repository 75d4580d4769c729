package dev.licensor.store.sqlite;

import dev.licensor.storetests.Jvms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
        List<String> lines = new ArrayList<>();
        for (Jvms.Child child : children) {
            boolean ended = child.process.waitFor(150, TimeUnit.SECONDS);
            if (!ended) {
                children.forEach(c -> c.process.destroyForcibly());
            }
            assertThat(ended).as("child ended in time").isTrue();
            assertThat(child.process.exitValue()).as("child exit code").isZero();
            lines.addAll(child.drained());
        }

        Map<String, Long> answers = lines.stream().collect(Collectors.groupingBy(
                line -> line.split(" ")[0] + " " + line.split(" ")[2], Collectors.counting()));
        assertThat(answers).containsOnly(
                Map.entry("SEAT ok", (long) SEATS),
                Map.entry("SEAT " + Code.FLOATING_NOT_AVAILABLE.key(), (long) PROCESSES * DEVICES_EACH - SEATS),
                Map.entry("LICENSE ok", (long) CLIENT_LICENSES),
                Map.entry("LICENSE " + Code.NOT_ENOUGH_LICENSES.key(), (long) PROCESSES * CLIENTS_EACH - CLIENT_LICENSES));

        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            Licensor licensor = Fixtures.licensor(store);
            List<String> granted = lines.stream().filter(l -> l.startsWith("SEAT") && l.endsWith(" ok"))
                    .map(l -> l.split(" ")[1]).sorted().toList();
            // holders are listed by grant time (each process's clock), so compare as sets
            assertThat(licensor.seats().holders(licenseId).orElseThrow()).extracting(Lease::hardwareId)
                    .containsExactlyInAnyOrderElementsOf(granted);
            assertThat(licensor.catalog().clientLicenses()).singleElement()
                    .extracting(ClientLicense::used).isEqualTo(CLIENT_LICENSES);

            List<LedgerEntry> ledger = licensor.ledger().between(Instant.EPOCH, Instant.now().plusSeconds(3600), 100_000);
            assertThat(ledger).extracting(LedgerEntry::seq).doesNotHaveDuplicates();
            Map<LedgerEvent, Long> events = ledger.stream()
                    .collect(Collectors.groupingBy(LedgerEntry::event, Collectors.counting()));
            long held = count(events, LedgerEvent.GRANTED) - count(events, LedgerEvent.RELEASED)
                    - count(events, LedgerEvent.LAPSED) - count(events, LedgerEvent.FORCE_RELEASED);
            assertThat(held).isEqualTo(SEATS);
            assertThat(count(events, LedgerEvent.CONSUMED) + count(events, LedgerEvent.RECONFIGURED)
                    - count(events, LedgerEvent.CLIENT_RELEASED)).isEqualTo(CLIENT_LICENSES);
            Map<Code, Long> denials = ledger.stream().filter(e -> e.event() == LedgerEvent.DENIED)
                    .collect(Collectors.groupingBy(LedgerEntry::code, Collectors.counting()));
            assertThat(denials).containsOnly(
                    Map.entry(Code.FLOATING_NOT_AVAILABLE, (long) PROCESSES * DEVICES_EACH - SEATS),
                    Map.entry(Code.NOT_ENOUGH_LICENSES, (long) PROCESSES * CLIENTS_EACH - CLIENT_LICENSES));
        }
    }

    private static long count(Map<LedgerEvent, Long> events, LedgerEvent event) {
        return events.getOrDefault(event, 0L);
    }

}
