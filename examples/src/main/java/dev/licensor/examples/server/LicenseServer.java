package dev.licensor.examples.server;

import com.sun.net.httpserver.HttpServer;
import dev.licensor.Licensor;
import dev.licensor.examples.server.internal.AdminApi;
import dev.licensor.examples.server.internal.CommvaultApi;
import dev.licensor.examples.server.internal.Dispatcher;
import dev.licensor.examples.server.internal.HmacAuth;
import dev.licensor.examples.server.internal.LicenseSpringApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP front for a {@link Licensor}, built on the JDK's {@code com.sun.net.httpserver}:
 * LicenseSpring v4 device calls under {@code /api/v4/}, Commvault client-license calls under a
 * configurable web-service root, and read-only admin views under {@code /admin/}. It holds no
 * licensing rule: it parses the wire, authenticates, calls the engine and maps the engine's
 * {@code Outcome} back onto the wire.
 *
 * <pre>{@code
 * try (LicenseServer server = LicenseServer.builder(licensor)
 *         .credentials(credentials).port(0).start()) {
 *     System.out.println(server.uri());
 * }
 * }</pre>
 *
 * <p>Requests run on a bounded pool of worker threads; when its queue is full the accepting
 * thread runs the request itself, which slows accepting instead of dropping work. Closing the
 * server stops accepting, lets running requests finish (up to 5 s) and does not close the
 * engine's store, which the host owns.
 *
 * <p>Thread-safe.
 */
public final class LicenseServer implements AutoCloseable {
    /** Default body limit: 64 KiB. */
    public static final int DEFAULT_MAX_BODY = 64 * 1024;
    /** Default Commvault web-service root. */
    public static final String DEFAULT_COMMVAULT_ROOT = "/commandcenter/api";

    private final HttpServer http;
    private final ThreadPoolExecutor workers;
    private final String commvaultRoot;

    private LicenseServer(HttpServer http, ThreadPoolExecutor workers, String commvaultRoot) {
        this.http = http;
        this.workers = workers;
        this.commvaultRoot = commvaultRoot;
    }

    /** Starts configuring a server for the engine. */
    public static Builder builder(Licensor licensor) {
        return new Builder(licensor);
    }

    /** The bound address (the actual port when 0 was asked). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** {@code http://host:port}, without a trailing slash. */
    public URI uri() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort());
    }

    /** The Commvault web-service root, e.g. {@code /commandcenter/api}. */
    public String commvaultRoot() {
        return commvaultRoot;
    }

    /** Stops accepting, waits up to 5 s for running requests, then returns. Idempotent. */
    @Override
    public void close() {
        http.stop(0);
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
     * Configures a {@link LicenseServer}. Defaults: host 127.0.0.1, port 8080, no credentials,
     * the system UTC clock, root {@value #DEFAULT_COMMVAULT_ROOT}, 64 KiB bodies,
     * {@code max(4, 2 × cores)} worker threads. Not thread-safe.
     */
    public static final class Builder {
        private final Licensor licensor;
        private Credentials credentials = Credentials.none();
        private Clock clock = Clock.systemUTC();
        private String host = "127.0.0.1";
        private int port = 8080;
        private String commvaultRoot = DEFAULT_COMMVAULT_ROOT;
        private int maxBody = DEFAULT_MAX_BODY;
        private int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private Map<String, Long> pools = Map.of();

        private Builder(Licensor licensor) {
            this.licensor = Objects.requireNonNull(licensor, "licensor");
        }

        /** Who may call. */
        public Builder credentials(Credentials value) {
            credentials = Objects.requireNonNull(value, "credentials");
            return this;
        }

        /** The clock for the signature's 15-minute window; pass the engine's clock. */
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
                    || r.toLowerCase(Locale.ROOT).startsWith("/admin")) {
                throw new IllegalArgumentException("the Commvault root must not be /, /api, /api/v4 or /admin");
            }
            commvaultRoot = r;
            return this;
        }

        /** The largest request body accepted, in bytes. */
        public Builder maxBodyBytes(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive");
            }
            maxBody = value;
            return this;
        }

        /** Worker threads. */
        public Builder threads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("threads must be positive");
            }
            threads = value;
            return this;
        }

        /** The floating pools listed by {@code GET /admin/pools}, license id by display name. */
        public Builder pools(Map<String, Long> value) {
            pools = Map.copyOf(value);
            return this;
        }

        /** Binds and starts the server. */
        public LicenseServer start() throws IOException {
            Dispatcher dispatcher = new Dispatcher(
                    new LicenseSpringApi(licensor, new HmacAuth(credentials.apiKeys(), clock), clock),
                    new CommvaultApi(licensor, commvaultRoot, credentials.commvaultTokens()),
                    new AdminApi(licensor, clock, pools, credentials.adminTokens()),
                    maxBody);
            AtomicInteger n = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "licensor-http-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(threads * 64), factory, new ThreadPoolExecutor.CallerRunsPolicy());
            HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 1024);
            http.createContext("/", dispatcher);
            http.setExecutor(workers);
            http.start();
            return new LicenseServer(http, workers, commvaultRoot);
        }
    }
}
