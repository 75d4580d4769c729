package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.store.postgresql.PostgresLicenseStore;
import dev.licensor.store.postgresql.testing.CountingSockets;
import dev.licensor.store.postgresql.testing.PgServer;
import dev.licensor.store.postgresql.testing.WireCounts;
import dev.licensor.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What one device call to the license server costs its PostgreSQL store: statements
 * ({@code pg_stat_statements}) and round trips ({@link CountingSockets}) of a LicenseSpring
 * {@code check_license} that takes a seat and a {@code floating/release}, over real HTTP, on a
 * server of this test's own. The bounds are what the server reaches today, so a request that
 * starts costing more fails here; the figures are printed for docs/performance.md. Each is the
 * least over several cycles (a pool may validate a connection idle for more than half a second).
 */
class ServerRoundTripsTest {
    /**
     * The engine's unit only: the answer's floating_in_use_devices comes with the check's outcome.
     * Its statements: the settings, the pool lock, the load, the apply (one statement each on
     * PostgreSQL); 14 and 10 at {@code 6736f71}, 5 and 5 while group commit still sent a lock
     * timeout before the {@code COMMIT}.
     */
    static final int CHECK_ROUND_TRIPS = 3;
    static final int RELEASE_ROUND_TRIPS = 3;
    static final int CHECK_STATEMENTS = 4;
    static final int RELEASE_STATEMENTS = 4;
    private static final int CYCLES = 8;
    private static final String QUERY = "product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001";
    private static final String BODY = "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":\"ws-0001\"}";

    private static PgServer pg;

    @BeforeAll
    static void ownServer() {
        pg = PgServer.startCluster(); // alone on it: pg_stat_statements counts only this test
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void aCheckAndAReleaseCostTheStoreNoMoreThanTheirBounds() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.url());
        config.setUsername(pg.user());
        config.setMaximumPoolSize(2);
        CountingSockets.properties("server").forEach(config::addDataSourceProperty);
        MutableClock clock = new MutableClock(ServerFixture.START);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (HikariDataSource pool = new HikariDataSource(config);
             PostgresLicenseStore store = PostgresLicenseStore.builder(pool).schema("server").notifications(false).open();
             WireCounts wire = new WireCounts(pg, "server")) {
            Licensor licensor = Licensor.builder().store(store).clock(clock).build();
            CatalogFile demo = CatalogFile.demo();
            CatalogFile.Applied catalog = demo.applyTo(licensor);
            try (LicenseServer server = LicenseServer.builder(licensor).credentials(demo.credentials()).clock(clock).port(0)
                    .pools(catalog.pools()).signer(ServerFixture.SIGNER).start()) {
                List<WireCounts.Counts> checks = new ArrayList<>();
                List<WireCounts.Counts> releases = new ArrayList<>();
                for (int i = 0; i < CYCLES; i++) {
                    checks.add(wire.measure(() -> expectOk(() -> send(http, signed(server.uri(), clock,
                            "/api/v4/check_license?" + QUERY).GET()))));
                    releases.add(wire.measure(() -> expectOk(() -> send(http, signed(server.uri(), clock,
                            "/api/v4/floating/release").header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(BODY))))));
                }
                WireCounts.Counts check = least(checks);
                WireCounts.Counts release = least(releases);
                report("server check_license (takes the seat)", check);
                report("server floating/release", release);
                assertThat(check.roundTrips()).as("check round trips").isLessThanOrEqualTo(CHECK_ROUND_TRIPS);
                assertThat(release.roundTrips()).as("release round trips").isLessThanOrEqualTo(RELEASE_ROUND_TRIPS);
                assertThat(check.statements()).as("check statements").isLessThanOrEqualTo(CHECK_STATEMENTS);
                assertThat(release.statements()).as("release statements").isLessThanOrEqualTo(RELEASE_STATEMENTS);
            }
        }
    }

    private static HttpRequest.Builder signed(URI base, MutableClock clock, String pathAndQuery) {
        RequestSigner.Signed s = RequestSigner.sign(ServerFixture.API_KEY, ServerFixture.SHARED_KEY, clock.instant());
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .header("Date", s.date()).header("Authorization", s.authorization());
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expectOk(Supplier<HttpResponse<String>> call) {
        HttpResponse<String> r = call.get();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static WireCounts.Counts least(List<WireCounts.Counts> all) {
        return all.stream().min(Comparator.comparingLong(WireCounts.Counts::roundTrips)
                .thenComparingLong(WireCounts.Counts::statements)).orElseThrow();
    }

    private static void report(String what, WireCounts.Counts c) {
        System.out.printf("%s: %d statements, %d round trips%n", what, c.statements(), c.roundTrips());
        c.byStatement().forEach(s -> System.out.println("    " + (s.length() > 150 ? s.substring(0, 150) + "…" : s)));
    }
}
