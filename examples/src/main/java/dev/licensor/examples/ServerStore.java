package dev.licensor.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.store.postgresql.PostgresLicenseStore;
import dev.licensor.examples.server.SecureFiles;
import dev.licensor.store.sqlite.SqliteLicenseStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The store {@code serve} runs on: in memory ({@code --memory}), a SQLite file ({@code --db}), or
 * a PostgreSQL database ({@code --postgres}) that any number of server processes share, through a
 * HikariCP pool this program owns (the PostgreSQL store pulls in no pool). {@link #close} closes
 * the store, then the pool.
 *
 * <p>Not thread-safe; {@code Main.Running} closes it once.
 *
 * @param store       the open store
 * @param description what the banner prints (no password)
 * @param pool        the connection pool to close after the store, or null
 */
record ServerStore(LicenseStore store, String description, AutoCloseable pool) implements AutoCloseable {
    /** Environment variables naming the PostgreSQL user, in order of preference. */
    static final String[] USER_ENVS = {"LICENSOR_PG_USER", "PGUSER"};
    /** Environment variables holding the PostgreSQL password, in order of preference. */
    static final String[] PASSWORD_ENVS = {"LICENSOR_PG_PASSWORD", "PGPASSWORD"};

    /** Opens the store the options name; a PostgreSQL server that cannot be reached is a one-line STORE_FAILURE. */
    static ServerStore open(Main.Options options, Map<String, String> env) {
        if (options.postgres() != null) {
            return postgres(options, env);
        }
        if (options.memory()) {
            return new ServerStore(new MemoryLicenseStore(), "memory (lost on exit)", null);
        }
        boolean created;
        try {
            // it holds every license key: owner-only whatever the umask (SQLite gives -wal and -shm the same mode)
            created = SecureFiles.createOwnerOnly(options.db());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + options.db(), e);
        }
        // the empty file this call made is a new database; any other empty file is still refused
        return new ServerStore(SqliteLicenseStore.builder(options.db()).createIfEmpty(created).open(),
                "sqlite " + options.db().toAbsolutePath(), null);
    }

    /** pgjdbc {@code connectTimeout}: seconds to open a TCP connection to the server. */
    static final int CONNECT_TIMEOUT_S = 3;
    /** pgjdbc {@code loginTimeout}: seconds to connect and authenticate. */
    static final int LOGIN_TIMEOUT_S = 5;
    /**
     * pgjdbc {@code socketTimeout}: the longest the host waits for the server's answer to one
     * statement. Above the statement timeout (so a slow statement ends with the server's own
     * error), it ends a wait on a server that can no longer be reached; the connection is then
     * closed and the pool replaces it.
     */
    static final int SOCKET_TIMEOUT_S = 8;
    /** HikariCP {@code connectionTimeout}: the longest a call waits for a free connection. */
    static final Duration POOL_TIMEOUT = Duration.ofSeconds(3);
    /** The store's {@code lockTimeout}: one lock wait. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(4);
    /** The store's {@code statementTimeout}: one statement, lock waits included. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(6);
    /**
     * The store's {@code idleInTransactionTimeout}: how long a frozen or cut-off host's unit keeps
     * its locks. Below the store's 2 s default: each of the faulty host's units queued for the
     * same lock holds it this long in turn (docs/postgresql.md), and three in a row must stay
     * under the 5 s the other servers may go without an answer.
     */
    static final Duration IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofSeconds(1);

    /** The pool's size for {@code threads} HTTP workers: one connection each up to 16, plus the store's listener. */
    static int poolSize(int threads) {
        return Math.min(threads, 16) + 1;
    }

    private static ServerStore postgres(Main.Options options, Map<String, String> env) {
        String url = options.postgres();
        String user = first(env, USER_ENVS);
        String password = first(env, PASSWORD_ENVS);
        // One plain connection first, so an unreachable server or a wrong password is one clear
        // line rather than the pool's start-up stack trace.
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_S));
        props.setProperty("loginTimeout", Integer.toString(LOGIN_TIMEOUT_S));
        try (Connection probe = DriverManager.getConnection(url, props)) {
            probe.isValid(10);
        } catch (SQLException e) {
            throw new LicensingException(Code.STORE_FAILURE, "cannot connect to PostgreSQL at " + redact(url) + ": "
                    + firstLine(e.getMessage()));
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("licensor-pg");
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        int size = poolSize(options.threads());
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(POOL_TIMEOUT.toMillis()); // then the call fails with store_failure
        config.setValidationTimeout(2_000);
        config.addDataSourceProperty("ApplicationName", "licensor-examples");
        // Every wait on the network bounded: a server that stops answering (a partition without
        // FIN or RST) costs a call SOCKET_TIMEOUT_S, not the kernel's hours.
        config.addDataSourceProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_S));
        config.addDataSourceProperty("loginTimeout", Integer.toString(LOGIN_TIMEOUT_S));
        config.addDataSourceProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_S));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("cancelSignalTimeout", "2");
        HikariDataSource pool = new HikariDataSource(config);
        try {
            PostgresLicenseStore store = PostgresLicenseStore.builder(pool).schema(options.pgSchema())
                    .lockTimeout(LOCK_TIMEOUT).statementTimeout(STATEMENT_TIMEOUT)
                    .idleInTransactionTimeout(IDLE_IN_TRANSACTION_TIMEOUT).open();
            return new ServerStore(store, "postgresql " + redact(url) + " schema " + store.schema()
                    + " (pool of " + size + " connections)", pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static String first(Map<String, String> env, String[] names) {
        for (String name : names) {
            String v = env.get(name);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** The URL without the value of a {@code password} parameter, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            if (pool != null) {
                try {
                    pool.close();
                } catch (Exception e) {
                    System.err.println("licensor: closing the connection pool: " + e.getMessage());
                }
            }
        }
    }
}
