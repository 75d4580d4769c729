package dev.licensor.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps "an ignored {@code Outcome} does not compile here" from silently stopping: compiles a probe
 * source against core with javac and Error Prone as the build wires them (the parent pom's
 * {@code errorprone.args} and compile flags, {@code .mvn/jvm.config}'s exports), in a new javac
 * process. A probe that drops an {@code Outcome} fails with {@code [CheckReturnValue]}; the same
 * probe reading it, and calls annotated {@code @CanIgnoreReturnValue}, compile.
 */
class IgnoredOutcomeTest {
    private static final Path ROOT = Path.of("..");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void droppingAnOutcomeFromAViewFailsTheCompile() throws Exception {
        Compiled c = compile("""
                package probe;

                import dev.licensor.Licensor;
                import dev.licensor.catalog.Product;
                import dev.licensor.floating.DeviceRequest;

                class Probe {
                    void define(Licensor licensor, Product product, DeviceRequest request) {
                        licensor.catalog().defineProduct(product);
                        licensor.floating().release(request);
                    }
                }
                """);

        assertThat(c.exit).as(c.output).isNotZero();
        assertThat(c.output).contains("[CheckReturnValue]")
                .contains("The result of `defineProduct(...)` must be used")
                .contains("The result of `release(...)` must be used");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void readingTheOutcomeOrCallingAnIgnorableMethodCompiles() throws Exception {
        Compiled c = compile("""
                package probe;

                import dev.licensor.Licensor;
                import dev.licensor.catalog.Product;
                import dev.licensor.outcome.Outcome;
                import java.time.Clock;

                class Probe {
                    boolean define(Licensor licensor, Product product) {
                        licensor.catalog().defineProduct(product).orElseThrow();
                        Outcome<Product> again = licensor.catalog().defineProduct(product);
                        licensor.seats().purgeLapsed();
                        Licensor.builder().clock(Clock.systemUTC());
                        return again.isSuccess();
                    }
                }
                """);

        assertThat(c.exit).as(c.output).isZero();
        assertThat(c.output).doesNotContain("[CheckReturnValue]");
    }

    /** The exit code and the output of javac with Error Prone as the parent pom configures it. */
    private Compiled compile(String source) throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
        // the main-code compile must still pass the plugin argument this test uses
        assertThat(pom).contains("<arg>${errorprone.args}</arg>", "<arg>-XDcompilePolicy=simple</arg>",
                "<arg>--should-stop=ifError=FLOW</arg>");
        Matcher args = Pattern.compile("<errorprone\\.args>([^<]+)</errorprone\\.args>").matcher(pom);
        assertThat(args.find()).as("errorprone.args in the parent pom").isTrue();

        Path file = dir.resolve("probe").resolve("Probe.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source, StandardCharsets.UTF_8);
        String classPath = System.getProperty("java.class.path");
        assertThat(classPath).contains("error_prone_core").contains(File.separator + "core" + File.separator);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "javac").toString());
        for (String line : Files.readAllLines(ROOT.resolve(".mvn").resolve("jvm.config"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                command.add("-J" + line.trim());
            }
        }
        command.addAll(List.of("--release", "17", "-XDcompilePolicy=simple", "--should-stop=ifError=FLOW",
                args.group(1), "-processorpath", classPath, "-classpath", classPath,
                "-d", dir.resolve("out").toString(), file.toString()));
        Process javac = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(javac.waitFor(2, TimeUnit.MINUTES)).as("javac finished").isTrue();
        return new Compiled(javac.exitValue(), output);
    }

    private record Compiled(int exit, String output) {
    }
}
