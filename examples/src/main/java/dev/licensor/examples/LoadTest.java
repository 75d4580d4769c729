package dev.licensor.examples;

import com.sun.net.httpserver.HttpServer;
import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.examples.server.Credentials;
import dev.licensor.examples.server.LicenseServer;
import dev.licensor.examples.server.RequestSigner;
import dev.licensor.examples.server.ResponseSigner;
import dev.licensor.examples.server.TokenKeys;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.store.sqlite.SqliteLicenseStore;
import dev.licensor.token.TokenSigner;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * HTTP load on loopback: many devices race for few floating seats through the license server
 * (each round: signed {@code GET check_license}, and on a seat {@code POST floating/release}),
 * then the same request pattern against a bare JDK {@code HttpServer} that answers 200 with an
 * empty body, in the same JVM and run, as the floor. Prints requests/s and latency percentiles
 * of each and checks that no pool was ever oversubscribed (devices counting the seats they hold
 * at once, and the ledger's grants against releases).
 *
 * <p>With {@code --compare-signing} it measures instead what the LicenseSpring
 * {@code LicenseSignature} (RSA-2048 over every answer) costs: the memory store with answers
 * signed and unsigned ({@link ResponseSigner#unsigned}), interleaved signed, unsigned, unsigned,
 * signed between two floors.
 *
 * <p>Run: {@code java -jar examples/target/licensor-examples.jar load [--devices 64] [--seats 5]
 * [--rounds 100] [--compare-signing]}. A program, not a library type; not thread-safe.
 */
public final class LoadTest {
    private static final String API_KEY = "load-key";
    private static final String SHARED_KEY = "load-shared-key";

    private LoadTest() {
    }

    /** The measured figures of one target. */
    record Figures(String name, long requests, double seconds, long p50Micros, long p99Micros, long maxMicros,
                   long grants, long denials, int maxHeld) {
        double perSecond() {
            return requests / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int devices = 64;
        int seats = 5;
        int rounds = 100;
        boolean compareSigning = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--compare-signing" -> compareSigning = true;
                case "--devices" -> devices = Integer.parseInt(args[++i]);
                case "--seats" -> seats = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        System.out.printf("load: %d devices x %d rounds for %d seats, loopback, server and clients in one JVM,"
                + " %d cores, %d server threads%n", devices, rounds, seats, Runtime.getRuntime().availableProcessors(), threads);

        List<Figures> all = new ArrayList<>();
        all.add(floor(devices, rounds, threads));
        if (compareSigning) {
            // Interleaved: signed, unsigned, RSA only, then the reverse, between two floors.
            for (String mode : new String[] {"signed", "unsigned", "rsa", "rsa", "unsigned", "signed"}) {
                boolean rsa = !mode.equals("unsigned");
                TokenSigner tokens = mode.equals("signed") ? TokenKeys.development() : null;
                all.add(licensing(switch (mode) {
                    case "signed" -> "memory, RSA + Ed25519 token";
                    case "rsa" -> "memory, RSA only";
                    default -> "memory, unsigned";
                }, MemoryLicenseStore::new, rsa ? ResponseSigner.ephemeral() : ResponseSigner.unsigned(), tokens,
                        devices, seats, rounds, threads));
            }
            all.add(floor(devices, rounds, threads));
            print(all);
            return;
        }
        all.add(licensing("licensor (memory store)", MemoryLicenseStore::new, devices, seats, rounds, threads));
        Path dir = Files.createTempDirectory("licensor-load");
        Path db = dir.resolve("load.db");
        try {
            all.add(licensing("licensor (SQLite, sync FULL)", () -> SqliteLicenseStore.open(db), devices, seats, rounds,
                    threads));
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(dir.resolve("load.db" + suffix));
            }
            Files.deleteIfExists(dir);
        }
        all.add(floor(devices, rounds, threads));
        print(all);
    }

    private static void print(List<Figures> all) {
        System.out.printf("%n%-28s %10s %9s %9s %9s %9s %8s %8s %8s%n", "target", "requests", "req/s", "p50 ms",
                "p99 ms", "max ms", "grants", "denials", "maxHeld");
        for (Figures f : all) {
            System.out.printf("%-28s %10d %9.0f %9.2f %9.2f %9.2f %8d %8d %8d%n", f.name(), f.requests(), f.perSecond(),
                    f.p50Micros() / 1000.0, f.p99Micros() / 1000.0, f.maxMicros() / 1000.0, f.grants(), f.denials(),
                    f.maxHeld());
        }
    }

    /** The licensing server on a fresh store with one floating license of {@code seats} seats. */
    static Figures licensing(String name, Supplier<LicenseStore> stores, int devices, int seats, int rounds, int threads)
            throws Exception {
        return licensing(name, stores, ResponseSigner.ephemeral(), null, devices, seats, rounds, threads);
    }

    /**
     * The same with the given LicenseSpring response signer ({@link ResponseSigner#unsigned} to
     * sign nothing) and token signer (null: no {@code license_token}).
     */
    static Figures licensing(String name, Supplier<LicenseStore> stores, ResponseSigner responses, TokenSigner tokens,
                             int devices, int seats, int rounds, int threads) throws Exception {
        try (LicenseStore store = stores.get()) {
            Clock clock = Clock.systemUTC();
            Licensor.Builder engine = Licensor.builder().store(store).clock(clock);
            if (tokens != null) {
                engine.signer(tokens);
            }
            Licensor licensor = engine.build();
            licensor.catalog().defineProduct(new Product("load", "Load", Duration.ofMinutes(30), Duration.ZERO)).orElseThrow();
            License license = licensor.catalog().createLicense(License.builder("load").key("LOAD-KEY")
                    .maxActivations(devices).floatingSeats(seats).build()).orElseThrow();
            for (int d = 0; d < devices; d++) {
                licensor.floating().activate(DeviceRequest.byKey("load", "LOAD-KEY", "dev-" + d)).orElseThrow();
            }
            Instant start = clock.instant();
            Credentials credentials = new Credentials(Map.of(API_KEY, SHARED_KEY), Set.of(), Set.of());
            LicenseServer.Builder http = LicenseServer.builder(licensor).credentials(credentials).clock(clock)
                    .signer(responses).port(0).threads(threads);
            if (tokens != null) {
                http.tokenSigner(tokens);
            }
            try (LicenseServer server = http.start()) {
                run(server.uri(), devices, Math.max(1, rounds / 5), seats, true); // warm-up
                Figures f = run(server.uri(), devices, rounds, seats, true);
                List<Lease> held = licensor.seats().holders(license.id()).orElseThrow();
                List<LedgerEntry> ledger = licensor.ledger().between(start, clock.instant().plusSeconds(1), 100_000);
                long granted = ledger.stream().filter(e -> e.event() == LedgerEvent.GRANTED).count();
                long released = ledger.stream().filter(e -> e.event() == LedgerEvent.RELEASED).count();
                int ledgerMax = maxConcurrent(ledger, license.id());
                if (!held.isEmpty() || granted != released || f.maxHeld() > seats || ledgerMax > seats) {
                    throw new IllegalStateException("pool check failed: held " + held.size() + ", granted " + granted
                            + ", released " + released + ", max held " + f.maxHeld() + ", ledger max " + ledgerMax);
                }
                System.out.printf("%s: never oversubscribed: at most %d of %d seats held at once by the ledger's"
                        + " commit order (%d as the devices saw it); GRANTED %d = RELEASED %d; %d held at the end%n",
                        name, ledgerMax, seats, f.maxHeld(), granted, released, held.size());
                return new Figures(name, f.requests(), f.seconds(), f.p50Micros(), f.p99Micros(), f.maxMicros(),
                        f.grants(), f.denials(), f.maxHeld());
            }
        }
    }

    /**
     * The most seats of a license held at once, replaying the ledger in commit (sequence) order: +1 per
     * {@code GRANTED}, -1 per {@code RELEASED}, {@code LAPSED} or {@code FORCE_RELEASED}.
     */
    public static int maxConcurrent(List<LedgerEntry> ledger, long licenseId) {
        List<LedgerEntry> bySeq = new ArrayList<>(ledger.stream().filter(e -> e.licenseId() == licenseId).toList());
        bySeq.sort(Comparator.comparingLong(LedgerEntry::seq));
        int held = 0;
        int max = 0;
        for (LedgerEntry e : bySeq) {
            switch (e.event()) {
                case GRANTED -> held++;
                case RELEASED, LAPSED, FORCE_RELEASED -> held--;
                default -> {
                }
            }
            max = Math.max(max, held);
        }
        return max;
    }

    /** A bare JDK HttpServer answering 200 with an empty body, with the same kind of worker pool. */
    @SuppressWarnings("AddressSelection") // a literal loopback address: nothing to resolve
    static Figures floor(int devices, int rounds, int threads) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        http.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                exchange.sendResponseHeaders(200, -1);
            }
        });
        ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(threads * 64), new ThreadPoolExecutor.CallerRunsPolicy());
        http.setExecutor(workers);
        http.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
            run(uri, devices, Math.max(1, rounds / 5), 0, false);
            Figures f = run(uri, devices, rounds, 0, false);
            return new Figures("bare JDK HttpServer (floor)", f.requests(), f.seconds(), f.p50Micros(), f.p99Micros(),
                    f.maxMicros(), 0, 0, 0);
        } finally {
            http.stop(0);
            workers.shutdownNow();
        }
    }

    /**
     * Each device, in its own thread, does {@code rounds} times: a signed check and, if it got a
     * seat (HTTP 200), a release. While it holds the seat it counts itself among the holders, from
     * the answer to the check until just before the release is sent, so the count never exceeds
     * the seats the server holds for real. On the floor every check answers 200, so every round
     * sends both requests; figures are per request.
     */
    static Figures run(URI base, int devices, int rounds, int seats, boolean licensing) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger maxHeld = new AtomicInteger();
        AtomicInteger grants = new AtomicInteger();
        AtomicInteger denials = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long[][] latencies = new long[devices][];
        int[] counts = new int[devices];
        CountDownLatch ready = new CountDownLatch(devices);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            int device = d;
            latencies[d] = new long[rounds * 2];
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    String hw = "dev-" + device;
                    for (int r = 0; r < rounds; r++) {
                        RequestSigner.Signed s = RequestSigner.sign(API_KEY, SHARED_KEY, Instant.now());
                        HttpRequest check = HttpRequest.newBuilder(base.resolve(
                                        "/api/v4/check_license?product=load&license_key=LOAD-KEY&hardware_id=" + hw))
                                .header("Date", s.date()).header("Authorization", s.authorization())
                                .timeout(Duration.ofSeconds(30)).GET().build();
                        long t0 = System.nanoTime();
                        HttpResponse<String> answer = client.send(check, HttpResponse.BodyHandlers.ofString());
                        latencies[device][counts[device]++] = System.nanoTime() - t0;
                        boolean seat = answer.statusCode() == 200;
                        if (seat && licensing) {
                            int now = holding.incrementAndGet();
                            maxHeld.accumulateAndGet(now, Math::max);
                            grants.incrementAndGet();
                            holding.decrementAndGet();
                        } else if (answer.statusCode() == 400 && answer.body().contains("floating_not_available")) {
                            denials.incrementAndGet();
                        } else if (!seat) {
                            failures.incrementAndGet();
                        }
                        if (seat) {
                            HttpRequest release = HttpRequest.newBuilder(base.resolve("/api/v4/floating/release"))
                                    .header("Date", s.date()).header("Authorization", s.authorization())
                                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"product\":\"load\",\"license_key\":"
                                            + "\"LOAD-KEY\",\"hardware_id\":\"" + hw + "\"}")).build();
                            long t1 = System.nanoTime();
                            HttpResponse<String> released = client.send(release, HttpResponse.BodyHandlers.ofString());
                            latencies[device][counts[device]++] = System.nanoTime() - t1;
                            if (released.statusCode() != 200) {
                                failures.incrementAndGet();
                            }
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    failures.incrementAndGet();
                }
            }, "load-device-" + d);
            threads.add(t);
            t.start();
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(10));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " requests failed unexpectedly against " + base);
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int k = 0;
        for (int d = 0; d < devices; d++) {
            System.arraycopy(latencies[d], 0, all, k, counts[d]);
            k += counts[d];
        }
        Arrays.sort(all);
        return new Figures("", total, seconds, all[(int) (total * 0.50)] / 1000, all[Math.min(total - 1, (int) (total * 0.99))] / 1000,
                all[total - 1] / 1000, grants.get(), denials.get(), maxHeld.get());
    }
}
