package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The checks of a race between processes for one floating pool and one client license, shared by
 * the stores whose state processes share (SQLite, PostgreSQL). Each child prints one line per
 * answer: {@code SEAT <device> <code>} or {@code LICENSE <client> <code>}, the code being
 * {@code ok} or the refusal's key. The checks: exactly the seats and licenses there are were
 * granted, every other caller was refused with the pool-full code, the store lists exactly the
 * granted devices as holders, and the ledger balances (grants minus frees equal the seats held,
 * one denial recorded per refusal).
 *
 * <p>Not thread-safe; one per test.
 *
 * @param seats          the pool's seats
 * @param clientLicenses the client license's count
 * @param wantedSeats    how many devices asked for a seat
 * @param wantedLicenses how many clients asked for the license
 */
public record RaceOutcome(int seats, int clientLicenses, int wantedSeats, int wantedLicenses) {

    /** Waits for every child (killing them all if one overruns), checks each exited 0, and returns their lines. */
    public static List<String> linesOf(List<Jvms.Child> children, long timeoutSeconds) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        for (Jvms.Child child : children) {
            boolean ended = child.process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                children.forEach(c -> c.process.destroyForcibly());
            }
            assertThat(ended).as("child ended in time").isTrue();
            assertThat(child.process.exitValue()).as("child exit code").isZero();
            lines.addAll(child.drained());
        }
        return lines;
    }

    /** Checks the children's answers, then the store's holders, counts and ledger through {@code licensor}. */
    public void check(List<String> lines, Licensor licensor, long licenseId) {
        Map<String, Long> answers = lines.stream().collect(Collectors.groupingBy(
                line -> line.split(" ")[0] + " " + line.split(" ")[2], Collectors.counting()));
        assertThat(answers).containsOnly(
                Map.entry("SEAT ok", (long) seats),
                Map.entry("SEAT " + Code.FLOATING_NOT_AVAILABLE.key(), (long) wantedSeats - seats),
                Map.entry("LICENSE ok", (long) clientLicenses),
                Map.entry("LICENSE " + Code.NOT_ENOUGH_LICENSES.key(), (long) wantedLicenses - clientLicenses));

        List<String> granted = lines.stream().filter(l -> l.startsWith("SEAT") && l.endsWith(" ok"))
                .map(l -> l.split(" ")[1]).sorted().toList();
        // holders are listed by grant time (each process's clock), so compare as sets
        assertThat(licensor.seats().holders(licenseId).orElseThrow()).extracting(Lease::hardwareId)
                .containsExactlyInAnyOrderElementsOf(granted);
        assertThat(licensor.catalog().clientLicenses()).singleElement()
                .extracting(ClientLicense::used).isEqualTo(clientLicenses);

        List<LedgerEntry> ledger = licensor.ledger().between(Instant.EPOCH, Instant.now().plusSeconds(3600), 100_000);
        assertThat(ledger).extracting(LedgerEntry::seq).doesNotHaveDuplicates();
        Map<LedgerEvent, Long> events = ledger.stream()
                .collect(Collectors.groupingBy(LedgerEntry::event, Collectors.counting()));
        long held = count(events, LedgerEvent.GRANTED) - count(events, LedgerEvent.RELEASED)
                - count(events, LedgerEvent.LAPSED) - count(events, LedgerEvent.FORCE_RELEASED);
        assertThat(held).isEqualTo(seats);
        assertThat(count(events, LedgerEvent.CONSUMED) + count(events, LedgerEvent.RECONFIGURED)
                - count(events, LedgerEvent.CLIENT_RELEASED)).isEqualTo(clientLicenses);
        Map<Code, Long> denials = ledger.stream().filter(e -> e.event() == LedgerEvent.DENIED)
                .collect(Collectors.groupingBy(LedgerEntry::code, Collectors.counting()));
        assertThat(denials).containsOnly(
                Map.entry(Code.FLOATING_NOT_AVAILABLE, (long) wantedSeats - seats),
                Map.entry(Code.NOT_ENOUGH_LICENSES, (long) wantedLicenses - clientLicenses));
    }

    private static long count(Map<LedgerEvent, Long> events, LedgerEvent event) {
        return events.getOrDefault(event, 0L);
    }
}
