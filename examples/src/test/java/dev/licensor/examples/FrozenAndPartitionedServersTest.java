package dev.licensor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.examples.server.RequestSigner;
import dev.licensor.token.TokenSigner;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes ({@code serve --postgres}, separate JVMs, default timeouts and call
 * deadline) on one real PostgreSQL database, under load from client threads racing for fewer
 * seats than devices. One server is frozen (SIGSTOP, as a long GC pause or a VM freeze) for 30 s
 * at a moment it holds an advisory lock (seen in {@code pg_locks}); later another is cut off from
 * the database for 40 s by a proxy that stops forwarding without FIN or RST. The healthy servers
 * must keep answering, the faulty host's locks must go within the documented bound, no call may
 * answer later than the call deadline, and the pool is never oversubscribed.
 *
 * <p>Slow (about two minutes): the faults last as long as issue 26 describes.
 */
@ExtendWith(PgExtension.class)
class FrozenAndPartitionedServersTest {
    /** The device API's shared key (the catalog refuses secrets under 12 characters). */
    private static final String SHARED = "shared-key-of-k";
    private static final int SEATS = 4;
    private static final int THREADS_PER_SERVER = 3;
    private static final Duration FREEZE = Duration.ofSeconds(30);
    private static final Duration PARTITION = Duration.ofSeconds(40);
    /** The server's default call deadline (docs/postgresql.md, examples/README.md). */
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    /** Answers may come this much after the deadline: the documented slack plus this loaded machine's scheduling. */
    private static final Duration DEADLINE_SLACK = Duration.ofSeconds(2);
    /**
     * The documented bound on how long a faulty host holds a lock it took while idle in a
     * transaction (the example server's {@code idle_in_transaction_session_timeout}, 1 s), plus
     * slack for a loaded machine.
     */
    private static final Duration LOCK_RELEASE_BOUND = Duration.ofSeconds(3);
    /** The longest a healthy server may go without a successful answer (issue 26). */
    private static final Duration MAX_GAP = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    /** One HTTP call as a client saw it: server index, start and end (System.nanoTime), status (-1: I/O error). */
    private record Call(int server, String what, long start, long end, int status, String body) {
        boolean answered() {
            return status == 200 || (status == 400 && body.contains("\"floating_not_available\""));
        }

        Duration took() {
            return Duration.ofNanos(end - start);
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aFrozenAndAPartitionedServerDoNotStallTheOthers(@TempDir Path dir) throws Exception {
        PgServer pg = PgServer.shared();
        String schema = PgServer.freshSchema("faults");
        int devices = 3 * THREADS_PER_SERVER;
        Path catalog = dir.resolve("catalog.json");
        String activated = IntStream.range(0, devices).mapToObj(d -> "\"dev-" + d + "\"").collect(Collectors.joining(","));
        Files.writeString(catalog, "{ \"products\": [ { \"code\": \"p\", \"floatingTimeoutMinutes\": 30 } ],"
                + " \"licenses\": [ { \"product\": \"p\", \"key\": \"K\", \"maxActivations\": " + devices
                + ", \"floatingSeats\": " + SEATS + ", \"activatedDevices\": [" + activated + "] } ],"
                + " \"credentials\": { \"apiKeys\": [ { \"key\": \"k\", \"sharedKey\": \"" + SHARED + "\" } ] } }");
        Path key = dir.resolve("signing-key.pem");
        // --postgres needs --token-key: every server signs license tokens with the one key
        Path tokenKey = dir.resolve("token-key.der");
        Files.write(tokenKey, TokenSigner.generate("k1").privateKeyPkcs8());
        Queue calls = new Queue();
        List<ServerProcess> servers = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        AtomicInteger maxHeld = new AtomicInteger();
        volatileStop = false;
        try (StallingProxy proxy = StallingProxy.start(pg.address());
             Connection monitor = pg.connect()) {
            String[] urls = {app(pg.url(), "fault_a"), app(pg.url(), "fault_b"), app(pg.urlThrough(proxy.port()), "fault_c")};
            servers.add(ServerProcess.start(dir.resolve("a.err"), pg, args(urls[0], schema, catalog, key, tokenKey)));
            URI a = servers.get(0).base(); // the first creates the schema and the key; the others then start at once
            servers.add(ServerProcess.start(dir.resolve("b.err"), pg, args(urls[1], schema, catalog, key, tokenKey)));
            servers.add(ServerProcess.start(dir.resolve("c.err"), pg, args(urls[2], schema, catalog, key, tokenKey)));
            URI[] bases = {a, servers.get(1).base(), servers.get(2).base()};

            for (int s = 0; s < 3; s++) {
                for (int t = 0; t < THREADS_PER_SERVER; t++) {
                    int server = s;
                    String hw = "dev-" + (s * THREADS_PER_SERVER + t);
                    Thread client = new Thread(() -> load(server, bases[server], hw, calls), "client-" + hw);
                    client.setDaemon(true);
                    clients.add(client);
                    client.start();
                }
            }
            Thread seats = new Thread(() -> watchSeats(pg, schema, maxHeld), "seat-watch");
            seats.setDaemon(true);
            seats.start();
            Thread.sleep(5_000);

            // Freeze server A at a moment it holds a lock (a pool's or a client's), for 30 s.
            Held frozen = null;
            for (int attempt = 0; attempt < 400 && frozen == null; attempt++) {
                signal("STOP", servers.get(0));
                List<Held> held = held(monitor, "fault_a");
                Held pick = held.isEmpty() ? null : held.get(0);
                if (pick != null) {
                    frozen = pick;
                } else {
                    signal("CONT", servers.get(0));
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5, 40));
                }
            }
            assertThat(frozen).as("server A was caught holding an advisory lock").isNotNull();
            long freezeStart = System.nanoTime();
            System.out.printf("frozen server A while its backend %d (%s) held advisory key %x%n", frozen.pid,
                    frozen.state, frozen.key);
            Duration frozenRelease = awaitRelease(monitor, frozen.pid, freezeStart, FREEZE);
            sleepUntil(freezeStart + FREEZE.toNanos());
            signal("CONT", servers.get(0));
            long freezeEnd = System.nanoTime();
            Thread.sleep(5_000);

            // Cut server C off from the database (the proxy stops forwarding, no FIN, no RST) while it holds a lock, for 40 s.
            Held cut = null;
            for (int attempt = 0; attempt < 400 && cut == null; attempt++) {
                proxy.stall();
                List<Held> held = held(monitor, "fault_c");
                if (!held.isEmpty()) {
                    cut = held.get(0);
                } else {
                    proxy.resume();
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5, 40));
                }
            }
            assertThat(cut).as("server C was caught holding an advisory lock").isNotNull();
            long cutStart = System.nanoTime();
            System.out.printf("partitioned server C while its backend %d (%s) held advisory key %x%n", cut.pid,
                    cut.state, cut.key);
            Duration cutRelease = awaitRelease(monitor, cut.pid, cutStart, PARTITION);
            sleepUntil(cutStart + PARTITION.toNanos());
            proxy.resume();
            long cutEnd = System.nanoTime();
            Thread.sleep(8_000);
            volatileStop = true;
            for (Thread client : clients) {
                client.join(TimeUnit.SECONDS.toMillis(60));
            }
            seats.join(5_000);

            List<Call> all = new ArrayList<>(calls.items);
            System.out.printf("%d calls; locks released %d ms after the freeze, %d ms after the cut; at most %d seats held%n",
                    all.size(), frozenRelease.toMillis(), cutRelease.toMillis(), maxHeld.get());
            System.out.printf("longest stretch without an answer: B %d ms, C %d ms during the freeze; A %d ms, B %d ms during"
                    + " the partition; slowest answer: A %d ms (outside the freeze), B %d ms, C %d ms%n",
                    maxGap(all, 1, freezeStart, freezeEnd), maxGap(all, 2, freezeStart, freezeEnd),
                    maxGap(all, 0, cutStart, cutEnd), maxGap(all, 1, cutStart, cutEnd),
                    slowest(all, 0, freezeStart, freezeEnd), slowest(all, 1, 0, 0), slowest(all, 2, 0, 0));
            for (int s = 0; s < 3; s++) {
                int server = s;
                System.out.printf("server %s answers by status: %s%n", "ABC".charAt(s), all.stream()
                        .filter(c -> c.server == server).collect(Collectors.groupingBy(Call::status, java.util.TreeMap::new,
                                Collectors.counting())));
            }
            SoftAssertions soft = new SoftAssertions();
            // The faulty hosts' locks went within the documented bound.
            soft.assertThat(frozenRelease).as("frozen host's lock held").isLessThanOrEqualTo(LOCK_RELEASE_BOUND);
            soft.assertThat(cutRelease).as("partitioned host's lock held").isLessThanOrEqualTo(LOCK_RELEASE_BOUND);
            // The healthy servers kept answering.
            List<String> gaps = new ArrayList<>();
            gaps.addAll(gaps(all, 1, freezeStart, freezeEnd, "B during A's freeze"));
            gaps.addAll(gaps(all, 2, freezeStart, freezeEnd, "C during A's freeze"));
            gaps.addAll(gaps(all, 0, cutStart, cutEnd, "A during C's partition"));
            gaps.addAll(gaps(all, 1, cutStart, cutEnd, "B during C's partition"));
            soft.assertThat(gaps).as("healthy servers' stretches without a successful answer over " + MAX_GAP.toSeconds() + " s")
                    .isEmpty();
            // No answer came after the deadline, the partitioned host's included (a frozen process answers nothing: its
            // calls in flight during the freeze are left out).
            List<String> late = all.stream()
                    .filter(c -> !(c.server == 0 && c.end >= freezeStart && c.start <= freezeEnd))
                    .filter(c -> c.took().compareTo(DEADLINE.plus(DEADLINE_SLACK)) > 0)
                    .map(c -> "server " + "ABC".charAt(c.server) + " " + c.what + " took " + c.took().toMillis() + " ms: "
                            + c.status + " " + c.body)
                    .toList();
            soft.assertThat(late).as("calls answered after the deadline").isEmpty();
            // Every answer was a typed one (no I/O error, no HTML page).
            soft.assertThat(all.stream().filter(c -> c.status < 0 || (c.status != 200 && !c.body.startsWith("{")))
                    .map(Call::toString).toList()).isEmpty();
            // The faulty servers serve again.
            for (int s : new int[] {0, 2}) {
                int server = s;
                soft.assertThat(all.stream().anyMatch(c -> c.server == server && c.answered() && c.start > cutEnd + 2_000_000_000L))
                        .as("server " + "ABC".charAt(s) + " answers after the faults").isTrue();
            }
            soft.assertThat(maxHeld.get()).as("most seats held at once").isBetween(1, SEATS);
            soft.assertAll();
        } finally {
            volatileStop = true;
            for (ServerProcess server : servers) {
                signal("CONT", server);
                server.kill();
            }
        }
    }

    private static volatile boolean volatileStop;

    private static String[] args(String url, String schema, Path catalog, Path key, Path tokenKey) {
        return new String[] {"--port", "0", "--threads", "8", "--postgres", url, "--pg-schema", schema,
            "--catalog", catalog.toString(), "--signing-key", key.toString(), "--token-key", tokenKey.toString()};
    }

    /** {@code url} with the connections' application name, so pg_stat_activity tells the servers apart. */
    private static String app(String url, String name) {
        return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + name;
    }

    /** One client: checks out a seat, releases it, again, until the test ends. */
    private void load(int server, URI base, String hw, Queue calls) {
        while (!volatileStop) {
            Call check = call(server, "check " + hw, base, "GET",
                    "/api/v4/check_license?product=p&license_key=K&hardware_id=" + hw, null);
            calls.items.add(check);
            if (check.status == 200) {
                calls.items.add(call(server, "release " + hw, base, "POST", "/api/v4/floating/release",
                        "{\"product\":\"p\",\"license_key\":\"K\",\"hardware_id\":\"" + hw + "\"}"));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Call call(int server, String what, URI base, String method, String path, String body) {
        RequestSigner.Signed s = RequestSigner.sign("k", SHARED, Instant.now());
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(90))
                .header("Date", s.date()).header("Authorization", s.authorization());
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Call(server, what, start, System.nanoTime(), r.statusCode(), r.body());
        } catch (IOException | InterruptedException e) {
            return new Call(server, what, start, System.nanoTime(), -1, String.valueOf(e));
        }
    }

    /** The healthy {@code server}'s stretches over {@link #MAX_GAP} without a successful answer in [from, to]. */
    private static List<String> gaps(List<Call> all, int server, long from, long to, String label) {
        List<Long> ends = all.stream().filter(c -> c.server == server && c.answered() && c.end >= from && c.end <= to)
                .map(Call::end).sorted().collect(Collectors.toCollection(ArrayList::new));
        ends.add(0, from);
        ends.add(to);
        List<String> found = new ArrayList<>();
        for (int i = 1; i < ends.size(); i++) {
            long gap = ends.get(i) - ends.get(i - 1);
            if (gap > MAX_GAP.toNanos()) {
                found.add(label + ": " + TimeUnit.NANOSECONDS.toMillis(gap) + " ms from +"
                        + TimeUnit.NANOSECONDS.toMillis(ends.get(i - 1) - from) + " ms");
            }
        }
        return found;
    }

    private static long maxGap(List<Call> all, int server, long from, long to) {
        List<Long> ends = all.stream().filter(c -> c.server == server && c.answered() && c.end >= from && c.end <= to)
                .map(Call::end).sorted().collect(Collectors.toCollection(ArrayList::new));
        ends.add(0, from);
        ends.add(to);
        long max = 0;
        for (int i = 1; i < ends.size(); i++) {
            max = Math.max(max, ends.get(i) - ends.get(i - 1));
        }
        return TimeUnit.NANOSECONDS.toMillis(max);
    }

    /** The slowest answer of {@code server}, leaving out calls that overlapped [skipFrom, skipTo]. */
    private static long slowest(List<Call> all, int server, long skipFrom, long skipTo) {
        return all.stream().filter(c -> c.server == server && !(c.end >= skipFrom && c.start <= skipTo))
                .mapToLong(c -> c.took().toMillis()).max().orElse(0);
    }

    /** Polls the seats held in the database (the lease rows) and keeps the most seen. */
    private static void watchSeats(PgServer pg, String schema, AtomicInteger maxHeld) {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            while (!volatileStop) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".lease")) {
                    rs.next();
                    maxHeld.accumulateAndGet(rs.getInt(1), Math::max);
                }
                Thread.sleep(100);
            }
        } catch (SQLException | InterruptedException e) {
            maxHeld.set(Integer.MAX_VALUE); // fails the assertion: the watch must run throughout
        }
    }

    /** An advisory lock a backend holds: its pid, state and 64-bit key. */
    private record Held(int pid, String state, long key) {
    }

    /** The advisory locks granted to the backends of application {@code name} that wait for their host. */
    private static List<Held> held(Connection monitor, String name) throws SQLException {
        try (PreparedStatement ps = monitor.prepareStatement("SELECT l.pid, a.state, l.classid::bigint, l.objid::bigint"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = ?"
                // Idle in transaction: the unit waits for its host's next statement, which cannot come
                // (an active backend may be running the COMMIT that ends it).
                + " AND a.state = 'idle in transaction'")) {
            ps.setString(1, name);
            List<Held> held = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.add(new Held(rs.getInt(1), rs.getString(2), (rs.getLong(3) << 32) | rs.getLong(4)));
                }
            }
            return held;
        }
    }

    /** How long after {@code since} backend {@code pid} held no advisory lock any more (polled; at most {@code max}). */
    private static Duration awaitRelease(Connection monitor, int pid, long since, Duration max) throws Exception {
        try (PreparedStatement ps = monitor.prepareStatement(
                "SELECT count(*) FROM pg_locks WHERE pid = ? AND locktype = 'advisory' AND granted")) {
            ps.setInt(1, pid);
            while (System.nanoTime() - since < max.toNanos()) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        return Duration.ofNanos(System.nanoTime() - since);
                    }
                }
                Thread.sleep(50);
            }
            return max;
        }
    }

    private static void signal(String signal, ServerProcess server) throws Exception {
        if (server.process.isAlive()) {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(server.process.pid()))
                    .redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** The calls of every client thread. */
    private static final class Queue {
        final ConcurrentLinkedQueue<Call> items = new ConcurrentLinkedQueue<>();
    }

    /**
     * A TCP proxy that can stop forwarding in both directions without closing anything: bytes
     * already read wait in the proxy, the sockets stay open (no FIN, no RST), new connections are
     * accepted but not served, as a network partition looks to both ends before any timeout.
     */
    private static final class StallingProxy implements AutoCloseable {
        private final ServerSocket listener;
        private final InetSocketAddress target;
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
        private final Object gate = new Object();
        private volatile boolean stalled;
        private volatile boolean closed;

        private StallingProxy(ServerSocket listener, InetSocketAddress target) {
            this.listener = listener;
            this.target = target;
            Thread acceptor = new Thread(this::accept, "stalling-proxy-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        static StallingProxy start(InetSocketAddress target) throws IOException {
            return new StallingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                    new InetSocketAddress(target.getHostString(), target.getPort()));
        }

        int port() {
            return listener.getLocalPort();
        }

        void stall() {
            stalled = true;
        }

        void resume() {
            synchronized (gate) {
                stalled = false;
                gate.notifyAll();
            }
        }

        private void awaitOpen() throws InterruptedException {
            synchronized (gate) {
                while (stalled && !closed) {
                    gate.wait(100);
                }
            }
        }

        private void accept() {
            while (!closed) {
                try {
                    Socket client = listener.accept();
                    sockets.add(client);
                    Thread t = new Thread(() -> connect(client), "stalling-proxy-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void connect(Socket client) {
            try {
                awaitOpen();
                Socket server = new Socket(target.getHostString(), target.getPort());
                sockets.add(server);
                Thread up = new Thread(() -> pump(client, server), "stalling-proxy-up");
                up.setDaemon(true);
                up.start();
                pump(server, client);
            } catch (IOException | InterruptedException e) {
                closeQuietly(client);
            }
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    awaitOpen();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void close() throws IOException {
            closed = true;
            resume();
            listener.close();
            for (Socket s : sockets) {
                closeQuietly(s);
            }
        }
    }

    /** A {@code Main} server in its own JVM (the test class path), its stdout read line by line. */
}
