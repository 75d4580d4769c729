package dev.licensor.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Code;
import dev.licensor.storetests.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The MutableClock example of docs/engine.md ("Testing lease expiry in a host"): the code below is
 * the snippet, run as written, and the doc must show exactly this code.
 */
class LeaseExpiryExampleTest {

    private static final Path SOURCE = Path.of("src/test/java/dev/licensor/store/memory/LeaseExpiryExampleTest.java");
    private static final Path DOC = Path.of("..", "docs", "engine.md");

    @Test
    void aSeatLapsesWhenTheClockPassesItsTimeout() {
        // snippet:lease-expiry
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
        Licensor licensor = Licensor.builder().store(new MemoryLicenseStore()).clock(clock).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofHours(24)));
        licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(2).floatingSeats(1).build());
        DeviceRequest a = DeviceRequest.byKey("cad", "K", "hw-a");
        DeviceRequest b = DeviceRequest.byKey("cad", "K", "hw-b");
        licensor.floating().activate(a);
        licensor.floating().activate(b);

        licensor.floating().check(a);                                   // hw-a takes the only seat
        assertThat(licensor.floating().check(b).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);

        clock.advance(Duration.ofMinutes(10));                          // a seat is live while now < expiresAt
        assertThat(licensor.floating().check(b).isSuccess()).isTrue();  // hw-a's seat lapsed; hw-b has it
        // /snippet:lease-expiry
    }

    @Test
    void theDocShowsThisCode() throws IOException {
        assertThat(between(Files.readString(DOC), "<!-- snippet:lease-expiry -->", "<!-- /snippet:lease-expiry -->"))
                .isEqualTo(between(Files.readString(SOURCE), "// snippet:lease-expiry", "// /snippet:lease-expiry"))
                .isNotBlank();
    }

    /** The code lines between two marker lines, trimmed, without blank lines, fences or whole-line comments. */
    private static String between(String text, String start, String end) {
        StringBuilder code = new StringBuilder();
        boolean inside = false;
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.equals(start)) {
                inside = true;
            } else if (trimmed.equals(end) && inside) {
                return code.toString();
            } else if (inside && !trimmed.isEmpty() && !trimmed.startsWith("```") && !trimmed.startsWith("//")) {
                code.append(trimmed).append('\n');
            }
        }
        throw new AssertionError("markers " + start + " ... " + end + " not found");
    }
}
