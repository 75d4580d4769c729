package dev.licensor.examples.server;

import dev.licensor.Licensor;
import dev.licensor.examples.server.api.LicensorApi;
import dev.licensor.token.TokenSigner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP(S) front for a {@link Licensor} on embedded Jetty 12 (core API, no servlets): the
 * wire mapping is {@link LicensorApi}; this class only configures Jetty and adapts requests.
 *
 * <pre>{@code
 * try (LicenseServer server = LicenseServer.builder(licensor)
 *         .credentials(credentials).port(0).start()) {
 *     System.out.println(server.uri());
 * }
 * }</pre>
 *
 * <p>Limits (all configurable): a bounded pool of workers for engine calls, beside Jetty's own
 * I/O threads, with a bounded queue (a full queue is answered 503 at once, never queued without
 * end), a connection limit (further connections
 * wait in the accept backlog), an idle (read) timeout per connection, a request timeout for the
 * whole body, a call deadline for the whole request (queueing and the engine call included; a
 * request unanswered by then gets a 503), and header and body size limits. Bodies are read without holding a worker, so
 * slow senders cannot starve other clients. Closing the server stops accepting, lets running
 * requests finish (up to 5 s) and does not close the engine's store, which the host owns.
 *
 * <p>Thread-safe.
 */
public final class LicenseServer implements AutoCloseable {
    /** Default body limit: 64 KiB. */
    public static final int DEFAULT_MAX_BODY = 64 * 1024;
    /** Default request line + header limit: 8 KiB. */
    public static final int DEFAULT_MAX_HEADER = 8 * 1024;
    /** Default call deadline: 10 s. */
    public static final Duration DEFAULT_CALL_DEADLINE = Duration.ofSeconds(10);

    /** The access log line: client, time, method, path (no query), protocol, status, bytes, ms. */
    static final String ACCESS_LOG_FORMAT = "%{client}a - %t \"%m %U %H\" %s %O %{ms}T";
    /** Default Commvault web-service root. */
    public static final String DEFAULT_COMMVAULT_ROOT = "/commandcenter/api";

    private final Server jetty;
    private final ServerConnector connector;
    private final String commvaultRoot;
    private final boolean tls;
    private final ThreadPoolExecutor workers;
    private final LicensorApi api;

    private LicenseServer(Server jetty, ServerConnector connector, String commvaultRoot, boolean tls,
                          ThreadPoolExecutor workers, LicensorApi api) {
        this.api = api;
        this.jetty = jetty;
        this.workers = workers;
        this.connector = connector;
        this.commvaultRoot = commvaultRoot;
        this.tls = tls;
    }

    /** True when {@code host} (an address or name) is a loopback address. */
    public static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Starts configuring a server for the engine. */
    public static Builder builder(Licensor licensor) {
        return new Builder(licensor);
    }

    /** The bound address (the actual port when 0 was asked). */
    public InetSocketAddress address() {
        String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
        return new InetSocketAddress(host, connector.getLocalPort());
    }

    /** {@code http(s)://host:port}, without a trailing slash. */
    public URI uri() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + a.getPort());
    }

    /** Failed authentications answered so far (for metrics; each is also logged at a bounded rate). */
    public long failedAuthentications() {
        return api.failedAuthentications();
    }

    /** The Commvault web-service root, e.g. {@code /commandcenter/api}. */
    public String commvaultRoot() {
        return commvaultRoot;
    }

    /**
     * Blocks until the server has stopped. Jetty's threads are daemon threads, so a program
     * whose main thread would otherwise end calls this to keep serving.
     */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops accepting, waits up to 5 s for running requests, then returns. Idempotent. */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP server did not stop cleanly", e);
        } finally {
            stopWorkers(workers);
        }
    }

    /** Lets running engine calls end (up to 5 s), then interrupts what is left. */
    private static void stopWorkers(ThreadPoolExecutor workers) {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Configures a {@link LicenseServer}. Defaults: host 127.0.0.1, port 8080, plain HTTP, no
     * credentials, the system UTC clock, root {@value #DEFAULT_COMMVAULT_ROOT}, 64 KiB bodies,
     * 8 KiB headers, {@code max(8, 4 × cores)} workers with a queue of 64 per worker, 1000
     * connections, 30 s idle timeout, 10 s request timeout, 10 s call deadline, a fresh in-memory response signing
     * key. Not thread-safe.
     */
    public static final class Builder {
        private final Licensor licensor;
        private Credentials credentials = Credentials.none();
        private Clock clock = Clock.systemUTC();
        private String host = "127.0.0.1";
        private int port = 8080;
        private String commvaultRoot = DEFAULT_COMMVAULT_ROOT;
        private int maxBody = DEFAULT_MAX_BODY;
        private int maxHeader = DEFAULT_MAX_HEADER;
        private int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        private int maxConnections = 1000;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration callDeadline = DEFAULT_CALL_DEADLINE;
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Map<String, Long> pools = Map.of();
        private ResponseSigner signer;
        private TokenSigner tokenSigner;
        private Path keystore;
        private char[] keystorePassword;
        private int keystoreScanSeconds = 60;
        private Set<String> allowedHosts;
        private org.eclipse.jetty.server.RequestLog.Writer accessLog;

        private Builder(Licensor licensor) {
            this.licensor = Objects.requireNonNull(licensor, "licensor");
        }

        /** Who may call. */
        public Builder credentials(Credentials value) {
            credentials = Objects.requireNonNull(value, "credentials");
            return this;
        }

        /** The engine's clock: the signature window and login idle time use it. */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}. */
        public Builder host(String value) {
            host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** The port; 0 picks a free one. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
            port = value;
            return this;
        }

        /** The Commvault web-service root; path segments match case-insensitively. */
        public Builder commvaultRoot(String value) {
            Objects.requireNonNull(value, "commvaultRoot");
            String r = "/" + String.join("/", Arrays.stream(value.split("/")).filter(s -> !s.isEmpty()).toList());
            if (r.equals("/") || r.equalsIgnoreCase("/api") || r.toLowerCase(Locale.ROOT).startsWith("/api/v4")
                    || r.toLowerCase(Locale.ROOT).startsWith("/admin") || r.toLowerCase(Locale.ROOT).startsWith("/signed")) {
                throw new IllegalArgumentException("the Commvault root must not be /, /api, /api/v4, /admin or /signed");
            }
            commvaultRoot = r;
            return this;
        }

        /** The largest request body accepted, in bytes. */
        public Builder maxBodyBytes(int value) {
            maxBody = positive(value, "maxBodyBytes");
            return this;
        }

        /** The largest request line plus headers accepted, in bytes. */
        public Builder maxHeaderBytes(int value) {
            maxHeader = positive(value, "maxHeaderBytes");
            return this;
        }

        /**
         * Worker threads that run engine calls, with a queue of 64 per worker (a request that
         * finds it full is answered 503 at once). Jetty's own pool, of the same size, only reads
         * and writes.
         */
        public Builder threads(int value) {
            threads = positive(value, "threads");
            return this;
        }

        /** Most open connections; more wait in the accept backlog. */
        public Builder maxConnections(int value) {
            maxConnections = positive(value, "maxConnections");
            return this;
        }

        /** How long a connection may stay silent (mid-request: the read timeout). */
        public Builder idleTimeout(Duration value) {
            idleTimeout = positive(value, "idleTimeout");
            return this;
        }

        /** How long a request's body may take to arrive in full. */
        public Builder requestTimeout(Duration value) {
            requestTimeout = positive(value, "requestTimeout");
            return this;
        }

        /**
         * The longest any request waits for its answer, counted from its first bytes: the body
         * read, the wait for a worker and the engine call (connection pool and lock waits) all
         * come out of it. A request unanswered at its deadline gets a 503
         * ({@code service_unavailable}) then; whether its call took effect is unknown, and every
         * call is safe to repeat. Default {@link #DEFAULT_CALL_DEADLINE}.
         */
        public Builder callDeadline(Duration value) {
            callDeadline = positive(value, "callDeadline");
            return this;
        }

        /**
         * How long a new connection may take to send its request line and headers (slowloris);
         * on a kept-alive connection the next head must come within the idle timeout.
         */
        public Builder headerTimeout(Duration value) {
            headerTimeout = positive(value, "headerTimeout");
            return this;
        }

        /** The floating pools listed by {@code GET /admin/pools}, license id by display name. */
        public Builder pools(Map<String, Long> value) {
            pools = Map.copyOf(value);
            return this;
        }

        /** The LicenseSpring response signing key (default: a fresh in-memory key). */
        public Builder signer(ResponseSigner value) {
            signer = Objects.requireNonNull(value, "signer");
            return this;
        }

        /**
         * The token signer the engine was built with ({@code Licensor.builder().signer(value)}):
         * serves {@code /signed/*} and publishes its public keys at {@code GET /signed/keys}.
         * Without it {@code /signed/*} answers 404 (the LicenseSpring replies carry
         * {@code license_token} whenever the engine signs, with or without this). {@link #start}
         * refuses ({@code invalid_request}) an engine built without a signer.
         */
        public Builder tokenSigner(TokenSigner value) {
            tokenSigner = Objects.requireNonNull(value, "tokenSigner");
            return this;
        }

        /**
         * The host names (as in the {@code Host} header, without port; {@code [::1]} for IPv6)
         * this server answers for; others get 421. Default: the loopback names when bound to a
         * loopback address (against DNS rebinding), else any. An empty set turns the check off.
         */
        public Builder allowedHosts(Set<String> value) {
            allowedHosts = value.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toSet());
            return this;
        }

        /**
         * Turns the access log on: one line per request (client address, time, method, path
         * without the query, which can hold license keys, status, bytes, milliseconds) to the
         * SLF4J logger {@code dev.licensor.examples.access}. Off by default.
         */
        public Builder accessLog(boolean on) {
            if (on) {
                org.eclipse.jetty.server.Slf4jRequestLogWriter writer = new org.eclipse.jetty.server.Slf4jRequestLogWriter();
                writer.setLoggerName("dev.licensor.examples.access");
                accessLog = writer;
            } else {
                accessLog = null;
            }
            return this;
        }

        /** The access log to {@code writer} (tests). */
        Builder accessLog(org.eclipse.jetty.server.RequestLog.Writer writer) {
            accessLog = writer;
            return this;
        }

        /** How often the keystore file is checked for a new certificate, in seconds (default 60). */
        public Builder keystoreScanSeconds(int value) {
            keystoreScanSeconds = positive(value, "keystoreScanSeconds");
            return this;
        }

        /** Serves HTTPS with the key and certificate of a PKCS#12 keystore (reloaded when the file changes). */
        public Builder tls(Path pkcs12, char[] password) {
            keystore = Objects.requireNonNull(pkcs12, "pkcs12");
            keystorePassword = Objects.requireNonNull(password, "password").clone();
            return this;
        }

        private static int positive(int v, String name) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return v;
        }

        private static Duration positive(Duration v, String name) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return v;
        }

        /** Binds and starts the server. */
        public LicenseServer start() throws IOException {
            if (keystore != null && !Files.isReadable(keystore)) {
                throw new java.nio.file.NoSuchFileException(keystore.toString());
            }
            LicensorApi api = new LicensorApi(licensor, new LicensorApi.Config(credentials, clock, commvaultRoot, pools,
                    signer != null ? signer : ResponseSigner.ephemeral(), maxBody, tokenSigner));
            QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(threads, 4), 60_000,
                    new BlockingArrayQueue<>(threads * 64));
            pool.setName("licensor-http");
            // Non-daemon threads: the server keeps a JVM alive after its main thread returns.
            Server jetty = new Server(pool);
            HttpConfiguration http = new HttpConfiguration();
            http.setRequestHeaderSize(maxHeader);
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            ServerConnector connector;
            if (keystore != null) {
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setKeyStorePath(keystore.toAbsolutePath().toString());
                ssl.setKeyStoreType("PKCS12");
                ssl.setKeyStorePassword(new String(keystorePassword));
                // AEAD suites only (GCM, ChaCha20-Poly1305): no CBC, whose padding oracles keep recurring.
                ssl.setIncludeCipherSuites("TLS_AES_.*", "TLS_CHACHA20_.*", "TLS_ECDHE_.*_GCM_.*",
                        "TLS_ECDHE_.*_CHACHA20_POLY1305_.*");
                ssl.addExcludeCipherSuites(".*_CBC_.*"); // on top of Jetty's own exclusions
                http.addCustomizer(new SecureRequestCustomizer(false));
                connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                        new HttpConnectionFactory(http));
            } else {
                connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
            }
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(idleTimeout.toMillis());
            connector.setAcceptQueueSize(1024);
            jetty.addConnector(connector);
            jetty.addBean(new NetworkConnectionLimit(maxConnections, connector));
            HeaderDeadline headerDeadline = new HeaderDeadline(connector.getScheduler(), headerTimeout.toMillis(),
                    idleTimeout.toMillis());
            connector.addBean(headerDeadline);
            if (keystore != null) {
                // A renewed certificate is picked up without a restart: the keystore file is watched.
                org.eclipse.jetty.util.ssl.KeyStoreScanner scanner = new org.eclipse.jetty.util.ssl.KeyStoreScanner(
                        connector.getConnectionFactory(SslConnectionFactory.class).getSslContextFactory());
                scanner.setScanInterval(keystoreScanSeconds);
                jetty.addBean(scanner);
            }
            jetty.setErrorHandler(new JettyAdapter.Errors(api));
            // Engine calls run on workers of their own, so calls blocked in the store never take
            // the threads Jetty reads new requests with (their deadlines start when they are read).
            AtomicInteger named = new AtomicInteger();
            ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(threads * 64), r -> {
                        Thread t = new Thread(r, "licensor-call-" + named.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            workers.allowCoreThreadTimeOut(true);
            Set<String> hosts = allowedHosts != null ? allowedHosts : isLoopback(host) ? HostCheck.LOOPBACK : Set.of();
            jetty.setHandler(new HostCheck(hosts, api, new JettyAdapter(api, workers, requestTimeout, callDeadline, headerDeadline)));
            jetty.setStopTimeout(5_000);
            if (accessLog != null) {
                jetty.setRequestLog(new org.eclipse.jetty.server.CustomRequestLog(accessLog, ACCESS_LOG_FORMAT));
            }
            try {
                jetty.start();
            } catch (IOException e) {
                stopQuietly(jetty);
                workers.shutdownNow();
                throw e;
            } catch (Exception e) {
                stopQuietly(jetty);
                workers.shutdownNow();
                throw new IOException("the HTTP server did not start: " + e.getMessage(), e);
            }
            return new LicenseServer(jetty, connector, commvaultRoot, keystore != null, workers, api);
        }

        private static void stopQuietly(Server jetty) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // Already failing to start; the start failure is what the caller sees.
            }
        }
    }
}
