package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.examples.server.internal.LicenseSpringApi;
import dev.licensor.examples.server.internal.WireError;
import dev.licensor.outcome.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps examples/README.md true: its error tables list every code as the server maps it. */
class HttpReadmeTest {
    private static final String START = "<!-- http:codes -->";
    private static final String END = "<!-- /http:codes -->";

    /** The error-mapping section of examples/README.md (the test runs in the examples module). */
    private static String section() throws IOException {
        String text = Files.readString(Path.of("README.md"));
        int from = text.indexOf(START);
        assertThat(from).as("examples/README.md holds " + START).isGreaterThanOrEqualTo(0);
        return text.substring(from, text.indexOf(END, from));
    }

    private static List<String> rows(String section) {
        List<String> rows = new ArrayList<>();
        for (String line : section.split("\n")) {
            if (line.startsWith("| `")) {
                rows.add(line.replaceAll("\\s*\\|\\s*", "|"));
            }
        }
        return rows;
    }

    @Test
    void everyEngineCodeIsListedWithItsHttpStatusAndNumber() throws IOException {
        List<String> rows = rows(section());
        for (Code code : Code.values()) {
            if (code != Code.OK) {
                assertThat(rows).as(code.name()).anyMatch(r -> r.startsWith(
                        "|`" + code.key() + "`|" + LicenseSpringApi.status(code) + "|" + code.number() + "|"));
            }
        }
    }

    @Test
    void everyWireErrorIsListedWithItsHttpStatusAndNumber() throws IOException {
        List<String> rows = rows(section());
        for (WireError e : WireError.values()) {
            assertThat(rows).as(e.name()).anyMatch(r -> r.startsWith("|`" + e.key() + "`|" + e.status() + "|" + e.number() + "|"));
        }
        assertThat(rows).hasSize(Code.values().length - 1 + WireError.values().length);
    }
}
