package dev.licensor.examples;

import static org.assertj.core.api.Assertions.assertThat;

// README.md shows these imports above its embedding snippet
// snippet:imports
import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.memory.MemoryLicenseStore;
import java.time.Clock;
import java.time.Duration;
// /snippet:imports

import dev.licensor.outcome.Code;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the front page true: README.md's embedding snippet is the code (and the imports) compiled and run here,
 * docs/codes.md's table lists every {@link Code} (no more, no fewer, in order), and the demo
 * README.md names runs.
 */
class ReadmeTest {

    private static String readme() throws IOException {
        return Files.readString(Path.of("..", "README.md"));
    }

    /** The lines between two marker lines (lines that are exactly the marker), trimmed, code only. */
    private static String between(String text, String start, String end) {
        StringBuilder normalized = new StringBuilder();
        boolean inside = false;
        boolean closed = false;
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.equals(start)) {
                inside = true;
            } else if (trimmed.equals(end) && inside) {
                closed = true;
                break;
            } else if (inside && !trimmed.isEmpty() && !trimmed.startsWith("```") && !trimmed.startsWith("//")) {
                normalized.append(trimmed).append('\n');
            }
        }
        assertThat(closed).as("markers " + start + " ... " + end).isTrue();
        return normalized.toString();
    }

    @Test
    void embeddingSnippetIsTheCodeBelow() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/licensor/examples/ReadmeTest.java"));
        assertThat(between(readme(), "<!-- snippet:embed -->", "<!-- /snippet:embed -->"))
                .isEqualTo(between(source, "// snippet:imports", "// /snippet:imports")
                        + between(source, "// snippet:embed", "// /snippet:embed"));
    }

    @Test
    void embeddingSnippetRuns() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            // snippet:embed
            LicenseStore store = new MemoryLicenseStore(); // or SqliteLicenseStore.open(Path.of("licenses.db"))
            Licensor licensor = Licensor.builder().store(store).clock(Clock.systemUTC()).build();

            // every call answers an Outcome; orElseThrow() where a refusal would be the host's own bug
            licensor.catalog().defineProduct(new Product("cad", "CAD Pro", Duration.ofMinutes(15), Duration.ofHours(72))).orElseThrow();
            licensor.catalog().createLicense(License.builder("cad").key("TEAM-1").maxActivations(10).floatingSeats(2).build()).orElseThrow();

            DeviceRequest device = DeviceRequest.byKey("cad", "TEAM-1", "hw-42");
            licensor.floating().activate(device).orElseThrow(); // a new device on a new license
            Outcome<LicenseCheck> seat = licensor.floating().check(device);
            if (seat instanceof Outcome.Failure<LicenseCheck> denied) {
                // e.g. floating_not_available: a server answers 400 with denied.code().key()
                System.out.println(denied.code().key() + ": " + denied.message());
            } else {
                System.out.println("seat until " + seat.orElseThrow().lease().expiresAt());
            }
            // /snippet:embed
        } finally {
            System.setOut(saved);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("seat until ");
    }

    @Test
    void theCodeTableListsEveryOutcomeCodeExactlyOnceInOrder() throws IOException {
        String table = Files.readString(Path.of("..", "docs", "codes.md"));
        int from = table.indexOf("<!-- codes:table -->");
        int to = table.indexOf("<!-- /codes:table -->");
        assertThat(from).as("docs/codes.md holds the codes:table markers").isNotNegative().isLessThan(to);
        List<String> rows = table.substring(from, to).lines()
                .filter(line -> line.startsWith("| `"))
                .map(line -> line.substring(0, line.indexOf(" |", line.indexOf("` | ") + 4) + 2))
                .toList();
        List<String> expected = Arrays.stream(Code.values())
                .map(code -> "| `" + code.key() + "` | " + code.number() + " |")
                .toList();
        assertThat(rows).containsExactlyElementsOf(expected);
    }

    @Test
    void theFrontPageLinksTheCodeTable() throws IOException {
        assertThat(readme()).contains("](docs/codes.md)");
    }

    @Test
    void demoRunsTheWholeScenario() throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new Demo(new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("DENIED media_agent_licenses_held", "DENIED not_enough_licenses",
                "DENIED borrow_until_not_valid", "seats held (3/3)", "LAPSED", "BORROWED");
        // Five devices raced for three seats: exactly two were refused.
        assertThat(out.lines().filter(l -> l.contains("DENIED floating_not_available")).count()).isEqualTo(2);
    }
}
