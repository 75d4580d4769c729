package dev.licensor.storetests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts a test main class in a separate JVM (the test class path, so a store test's child can run
 * its own classes) and collects its stdout lines as they come. For the multi-process tests of the
 * stores that share state across processes (SQLite, PostgreSQL).
 *
 * <p>Not thread-safe to configure; {@link Child#lines} may be read from any thread.
 */
public final class Jvms {
    private Jvms() {
    }

    /** A running child JVM and the complete lines it has printed so far. */
    public static final class Child {
        public final Process process;
        public final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread reader;

        private Child(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the child died; what it printed is in lines
                }
            }, "child-stdout-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for the stdout reader to drain after the process ended. */
        public List<String> drained() throws InterruptedException {
            reader.join(10_000);
            return new ArrayList<>(lines);
        }
    }

    public static Child start(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("-XX:TieredStopAtLevel=1"); // short-lived children: start fast
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        return new Child(builder.start());
    }
}
