package dev.licensor.examples;

import dev.licensor.store.postgresql.testing.PgServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A license server ({@code Main serve}) in a JVM of its own, for tests that race several servers on
 * one database: its stdout is read on a daemon thread, its stderr goes to a file.
 */
final class ServerProcess {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final Pattern ADDED = Pattern.compile("\\((\\d+) entries added\\)");

    final Process process;
    final Path err;
    final List<String> stdout = new CopyOnWriteArrayList<>();
    /** The server's address, once its whole banner is printed. */
    final CompletableFuture<URI> base = new CompletableFuture<>();

    private ServerProcess(Process process, Path err) {
        this.process = process;
        this.err = err;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                URI listening = null;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    stdout.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening = URI.create(m.group(1));
                    }
                    if (line.startsWith("Press Ctrl+C") && listening != null) { // the banner's last line
                        base.complete(listening);
                    }
                }
            } catch (IOException ignored) {
                // the process died; the future says so below
            }
            base.completeExceptionally(new IllegalStateException("the server ended before its banner"));
        }, "server-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code Main serve args}; the user and password of {@code pg} go in the environment. */
    static ServerProcess start(Path err, PgServer pg, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.remove("LICENSOR_TOKEN_KEY");
        env.remove("PGPASSWORD");
        env.remove("LICENSOR_PG_PASSWORD");
        if (pg != null && pg.user() != null) {
            env.put("LICENSOR_PG_USER", pg.user());
        }
        if (pg != null && pg.password() != null) {
            env.put("LICENSOR_PG_PASSWORD", pg.password());
        }
        return new ServerProcess(builder.start(), err);
    }

    URI base() throws Exception {
        try {
            return base.get(4, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new AssertionError("no banner; stdout " + stdout + "; stderr:\n" + stderr(), e);
        }
    }

    /** How many catalog entries this server created, from its banner. */
    int added() {
        return stdout.stream().map(ADDED::matcher).filter(Matcher::find).mapToInt(m -> Integer.parseInt(m.group(1)))
                .findFirst().orElseThrow(() -> new AssertionError("no catalog line in " + stdout));
    }

    String stderr() {
        try {
            return Files.readString(err);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }
}
