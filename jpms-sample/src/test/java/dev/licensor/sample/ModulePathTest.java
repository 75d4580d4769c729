package dev.licensor.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link Main} in a new JVM with {@code java --module-path ... --module dev.licensor.sample/...}:
 * every Licensor module is a named module there (core, the SQLite store, the Micrometer binder),
 * with its internal packages closed, and the host gets its events, its feed and its meters.
 */
class ModulePathTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aHostOnTheModulePathGetsEventsTheFeedAndMeters() throws Exception {
        Path target = Path.of("target");
        String runtime = Files.readString(target.resolve("module-path.txt"), StandardCharsets.UTF_8).trim();
        String modulePath = target.resolve("classes").toAbsolutePath() + File.pathSeparator + runtime;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath,
                "--module", "dev.licensor.sample/dev.licensor.sample.Main",
                dir.resolve("sample.db").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        Map<String, String> printed = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            String[] parts = line.split(" ", 2);
            if (parts.length == 2) {
                printed.put(parts[0], parts[1]);
            }
        }
        int devices = 4 * 5;
        assertThat(printed).as(output)
                .containsEntry("core.module", "dev.licensor.core")
                .containsEntry("sample.module", "dev.licensor.sample")
                .containsEntry("internal.exported", "false")
                .containsEntry("impl.public", "false")
                // the product's and the license's definitions, then an activation and a grant or
                // denial per device
                .containsEntry("events", String.valueOf(2 + devices * 2))
                .containsEntry("events.granted", "2")
                .containsEntry("events.match.feed", "true")
                .containsEntry("feed", String.valueOf(2 + devices * 2))
                .containsEntry("feed.in.order", "true")
                .containsEntry("meter.grants", "2.0")
                .containsEntry("meter.seats.in.use", "2.0")
                .containsEntry("meter.checks", String.valueOf(devices));
    }
}
