package dev.licensor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.licensor.examples.server.RequestSigner;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes ({@code serve --postgres}, separate JVMs) on one real PostgreSQL database
 * serve one pool: 100 devices, half through each server, race over HTTP for 5 floating seats.
 */
@ExtendWith(PgExtension.class)
class TwoServersOnePostgresTest {
    private static final int DEVICES = 100;
    private static final int SEATS = 5;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();
    private final ObjectMapper json = new ObjectMapper();
    private static final String SHARED = "shared-key-of-k";
    private static final String ADMIN = "admin-token-0123";

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void twoServersOnOneDatabaseNeverGiveMoreSeatsThanThePoolHas(@TempDir Path dir) throws Exception {
        PgServer pg = PgServer.shared();
        String schema = PgServer.freshSchema("two_servers");
        Path catalog = dir.resolve("catalog.json");
        String devices = IntStream.rangeClosed(1, DEVICES + 1).mapToObj(d -> "\"" + device(d) + "\"")
                .collect(Collectors.joining(","));
        Files.writeString(catalog, "{ \"products\": [ { \"code\": \"p\", \"floatingTimeoutMinutes\": 30 } ],"
                + " \"licenses\": [ { \"product\": \"p\", \"key\": \"K\", \"maxActivations\": " + (DEVICES + 1)
                + ", \"floatingSeats\": " + SEATS + ", \"activatedDevices\": [" + devices + "] } ],"
                + " \"credentials\": { \"apiKeys\": [ { \"key\": \"k\", \"sharedKey\": \"" + SHARED + "\" } ],"
                + " \"adminTokens\": [\"" + ADMIN + "\"] } }");
        // --postgres needs --token-key: both servers sign license tokens with the one key
        Path tokenKey = dir.resolve("token-key.der");
        Files.write(tokenKey, dev.licensor.token.TokenSigner.generate("k1").privateKeyPkcs8());
        Path key = dir.resolve("signing-key.pem"); // absent: the first server makes it, the other reads it

        List<ServerProcess> servers = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(DEVICES);
        try {
            // Both start at once on the empty schema: one migrates and loads the catalog, the other waits or keeps.
            for (int s = 0; s < 2; s++) {
                servers.add(ServerProcess.start(dir.resolve("server-" + s + ".err"), pg, "--port", "0", "--threads", "8",
                        "--postgres", pg.url(), "--pg-schema", schema, "--catalog", catalog.toString(),
                        "--signing-key", key.toString(), "--token-key", tokenKey.toString()));
            }
            List<URI> bases = new ArrayList<>();
            for (ServerProcess server : servers) {
                bases.add(server.base());
            }
            // The catalog's product and license were created once between them.
            assertThat(servers.get(0).added() + servers.get(1).added()).isEqualTo(2);
            // Both sign with the one key the first wrote.
            assertThat(get(bases.get(0), "/api/v4/signature_public_key").body())
                    .isEqualTo(get(bases.get(1), "/api/v4/signature_public_key").body())
                    .isEqualTo(Files.readString(Path.of(key + ".pub.pem")));

            // 100 devices, each on its own thread, half through each server, check out at once.
            CyclicBarrier barrier = new CyclicBarrier(DEVICES);
            List<Future<HttpResponse<String>>> checks = new ArrayList<>();
            for (int d = 1; d <= DEVICES; d++) {
                URI base = bases.get(d % 2);
                String hw = device(d);
                checks.add(threads.submit(() -> {
                    barrier.await(2, TimeUnit.MINUTES);
                    return check(base, hw);
                }));
            }
            Set<String> granted = new TreeSet<>();
            int refused = 0;
            List<String> other = new ArrayList<>();
            for (int d = 1; d <= DEVICES; d++) {
                HttpResponse<String> r = checks.get(d - 1).get(4, TimeUnit.MINUTES);
                if (r.statusCode() == 200) {
                    granted.add(device(d));
                } else if (r.statusCode() == 400 && r.body().contains("\"floating_not_available\"")) {
                    refused++;
                } else {
                    other.add(r.statusCode() + " " + r.body());
                }
            }
            assertThat(other).isEmpty();
            assertThat(granted).hasSize(SEATS);
            assertThat(refused).isEqualTo(DEVICES - SEATS);
            // Either server lists exactly those five as the pool's holders.
            assertThat(holders(bases.get(0))).isEqualTo(granted);
            assertThat(holders(bases.get(1))).isEqualTo(granted);

            // Each holder releases through the server it did not check out through.
            for (String hw : granted) {
                int d = Integer.parseInt(hw.substring("dev-".length()));
                HttpResponse<String> r = release(bases.get((d + 1) % 2), hw);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            assertThat(holders(bases.get(0))).isEmpty();
            assertThat(holders(bases.get(1))).isEmpty();

            // A device that was refused gets a seat now, through either server.
            String late = device(DEVICES + 1);
            HttpResponse<String> first = check(bases.get(0), late);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            String refusedBefore = IntStream.rangeClosed(1, DEVICES).mapToObj(TwoServersOnePostgresTest::device)
                    .filter(hw -> !granted.contains(hw)).findFirst().orElseThrow();
            HttpResponse<String> second = check(bases.get(1), refusedBefore);
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            assertThat(holders(bases.get(1))).containsExactlyInAnyOrder(late, refusedBefore);
        } finally {
            threads.shutdownNow();
            for (ServerProcess server : servers) {
                server.kill();
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aServerThatCannotReachItsDatabaseStopsAtOnceWithOneLine(@TempDir Path dir) throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort(); // nothing listens there once the socket is closed
        }
        Path err = dir.resolve("server.err");
        ServerProcess server = ServerProcess.start(err, null, "--port", "0", "--postgres",
                "jdbc:postgresql://127.0.0.1:" + closed + "/licensing?password=secret",
                "--signing-key", dir.resolve("key.pem").toString());
        try {
            assertThat(server.process.waitFor(90, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(server.process.exitValue()).isEqualTo(1);
            List<String> lines = Files.readAllLines(err).stream().filter(l -> !l.isBlank()).toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).startsWith("licensor: store_failure: cannot connect to PostgreSQL at "
                    + "jdbc:postgresql://127.0.0.1:" + closed + "/licensing?password=***: ").doesNotContain("secret");
            assertThat(server.stdout).isEmpty();
        } finally {
            server.kill();
        }
    }

    private static String device(int d) {
        return "dev-" + d;
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> check(URI base, String hw) throws Exception {
        RequestSigner.Signed s = RequestSigner.sign("k", SHARED, Instant.now());
        return http.send(HttpRequest.newBuilder(base.resolve("/api/v4/check_license?product=p&license_key=K&hardware_id=" + hw))
                .header("Date", s.date()).header("Authorization", s.authorization()).timeout(Duration.ofMinutes(2))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> release(URI base, String hw) throws Exception {
        RequestSigner.Signed s = RequestSigner.sign("k", SHARED, Instant.now());
        return http.send(HttpRequest.newBuilder(base.resolve("/api/v4/floating/release"))
                .header("Date", s.date()).header("Authorization", s.authorization())
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"product\":\"p\",\"license_key\":\"K\",\"hardware_id\":\"" + hw + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The pool's holders, as {@code GET /admin/pools} of the server at {@code base} lists them. */
    private Set<String> holders(URI base) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/admin/pools"))
                .header("Authtoken", ADMIN).timeout(Duration.ofMinutes(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode pools = json.readTree(r.body()).get("pools");
        assertThat(pools).hasSize(1);
        assertThat(pools.get(0).get("floating_users").asInt()).isEqualTo(SEATS);
        Set<String> ids = new TreeSet<>();
        pools.get(0).get("holders").forEach(h -> ids.add(h.get("hardware_id").asText()));
        assertThat(pools.get(0).get("in_use").asInt()).isEqualTo(ids.size());
        return ids;
    }

    /** A {@code Main} server in its own JVM (the test class path), its stdout read line by line. */
}
