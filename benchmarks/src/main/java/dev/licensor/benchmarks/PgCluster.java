package dev.licensor.benchmarks;

import dev.licensor.store.postgresql.testing.PgServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Starts one throwaway PostgreSQL cluster for a whole benchmark run ({@code run.sh} runs it in the
 * background): writes the cluster's JDBC URL (user included) to the file named by the first
 * argument, then waits. On SIGTERM or SIGINT the JVM's shutdown hook stops and deletes the cluster.
 *
 * <pre>{@code java -cp benchmarks.jar dev.licensor.benchmarks.PgCluster target/pg.url}</pre>
 *
 * <p>Not for use as a library; one cluster per process.
 */
public final class PgCluster {
    private PgCluster() {
    }

    /** Starts the cluster, publishes its URL, and sleeps until the process is stopped. */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: PgCluster <file to write the JDBC URL to>");
            System.exit(2);
        }
        PgServer server = PgServer.startCluster(); // its shutdown hook stops it
        String url = server.url() + (server.user() == null ? "" : "?user=" + server.user());
        Path file = Path.of(args[0]);
        Path partial = Path.of(args[0] + ".partial");
        Files.writeString(partial, url + "\n");
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.err.println("PostgreSQL cluster at " + url);
        Thread.sleep(Long.MAX_VALUE);
    }
}
