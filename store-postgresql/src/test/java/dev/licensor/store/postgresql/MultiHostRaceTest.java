package dev.licensor.store.postgresql;

import dev.licensor.storetests.Jvms;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several hosts (JVM processes, each with its own connection pool and {@code threads} threads)
 * race on one PostgreSQL schema for fewer floating seats and client licenses than they want.
 * Nothing inside one JVM serializes them: only the database's locks do. Exactly the seat counts
 * are granted, every refusal is recorded, and the ledger balances.
 */
@ExtendWith(PgExtension.class)
class MultiHostRaceTest {
    private static final int HOSTS = 3;
    private static final int THREADS = 8;
    private static final int DEVICES_EACH = 2;
    private static final int CLIENTS_EACH = 2;
    private static final int SEATS = 7;
    private static final int CLIENT_LICENSES = 5;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void hostsGetExactlyTheSeatsThereAre() throws Exception {
        PgServer server = PgServer.shared();
        String schema = PgServer.freshSchema("race");
        long licenseId;
        try (HikariDataSource pool = Fixtures.pool(server, 2, Duration.ofSeconds(10));
             PostgresLicenseStore store = Fixtures.open(pool, schema)) {
            licenseId = Fixtures.define(Fixtures.licensor(store), SEATS, CLIENT_LICENSES);
        }
        // Everyone starts at the same instant, once every JVM has had time to start and connect.
        long startAt = System.currentTimeMillis() + 5_000;
        List<Jvms.Child> children = new ArrayList<>();
        for (int h = 0; h < HOSTS; h++) {
            List<String> args = new ArrayList<>(Fixtures.serverArgs(server));
            args.addAll(List.of(schema, "h" + h, String.valueOf(THREADS), String.valueOf(DEVICES_EACH),
                    String.valueOf(CLIENTS_EACH), String.valueOf(startAt)));
            children.add(Jvms.start(RaceChild.class, args.toArray(String[]::new)));
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

        int wantedSeats = HOSTS * THREADS * DEVICES_EACH;
        int wantedLicenses = HOSTS * THREADS * CLIENTS_EACH;
        Map<String, Long> answers = lines.stream().collect(Collectors.groupingBy(
                line -> line.split(" ")[0] + " " + line.split(" ")[2], Collectors.counting()));
        assertThat(answers).containsOnly(
                Map.entry("SEAT ok", (long) SEATS),
                Map.entry("SEAT " + Code.FLOATING_NOT_AVAILABLE.key(), (long) wantedSeats - SEATS),
                Map.entry("LICENSE ok", (long) CLIENT_LICENSES),
                Map.entry("LICENSE " + Code.NOT_ENOUGH_LICENSES.key(), (long) wantedLicenses - CLIENT_LICENSES));

        try (HikariDataSource pool = Fixtures.pool(server, 2, Duration.ofSeconds(10));
             PostgresLicenseStore store = Fixtures.open(pool, schema)) {
            Licensor licensor = Fixtures.licensor(store);
            List<String> granted = lines.stream().filter(l -> l.startsWith("SEAT") && l.endsWith(" ok"))
                    .map(l -> l.split(" ")[1]).sorted().toList();
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
                    Map.entry(Code.FLOATING_NOT_AVAILABLE, (long) wantedSeats - SEATS),
                    Map.entry(Code.NOT_ENOUGH_LICENSES, (long) wantedLicenses - CLIENT_LICENSES));
        }
    }

    private static long count(Map<LedgerEvent, Long> events, LedgerEvent event) {
        return events.getOrDefault(event, 0L);
    }
}
