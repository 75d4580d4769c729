package dev.licensor.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.postgresql.PostgresLicenseStore;
import dev.licensor.store.postgresql.testing.PgServer;
import dev.licensor.store.sqlite.SqliteLicenseStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample application over real HTTP on a random port: seats checked out and released through its
 * controller, threads racing for the two seats, on SQLite (the no-configuration default) and on
 * PostgreSQL (the standard spring.datasource.* properties, the tests' own server).
 */
class SeatControllerTest {

    /** The scenario both stores run. */
    abstract static class Scenario {
        @Autowired
        TestRestTemplate http;
        @Autowired
        LicenseStore store;

        @Test
        void seatsAreCheckedOutRacedForAndReleased() throws Exception {
            String base = "/seats/cad/TEAM-1/";
            // eight threads race for the two seats: exactly two win
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ResponseEntity<JsonNode>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String device = "dev-" + i;
                Callable<ResponseEntity<JsonNode>> call = () -> {
                    start.await();
                    return http.postForEntity(base + device, null, JsonNode.class);
                };
                answers.add(pool.submit(call));
            }
            start.countDown();
            List<String> winners = new ArrayList<>();
            int refused = 0;
            for (Future<ResponseEntity<JsonNode>> answer : answers) {
                ResponseEntity<JsonNode> response = answer.get(60, TimeUnit.SECONDS);
                if (response.getStatusCode() == HttpStatus.OK) {
                    winners.add(response.getBody().get("device").asText());
                } else {
                    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
                    assertThat(response.getBody().get("code").asText()).isEqualTo("floating_not_available");
                    refused++;
                }
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(winners).hasSize(2);
            assertThat(refused).isEqualTo(6);
            assertThat(http.getForEntity("/seats/cad/TEAM-1", JsonNode.class).getBody().size()).isEqualTo(2);

            // a winner releases; a loser gets the seat
            assertThat(http.exchange(base + winners.get(0), HttpMethod.DELETE, null, Void.class).getStatusCode())
                    .isEqualTo(HttpStatus.NO_CONTENT);
            String loser = java.util.stream.IntStream.range(0, 8).mapToObj(i -> "dev-" + i)
                    .filter(d -> !winners.contains(d)).findFirst().orElseThrow();
            assertThat(http.postForEntity(base + loser, null, JsonNode.class).getStatusCode()).isEqualTo(HttpStatus.OK);
            for (String device : List.of(winners.get(1), loser)) {
                http.exchange(base + device, HttpMethod.DELETE, null, Void.class);
            }
            assertThat(http.getForEntity("/seats/cad/TEAM-1", JsonNode.class).getBody().size()).isZero();
        }

        @Test
        void refusalsAreTypedJson() {
            ResponseEntity<JsonNode> unknown = http.postForEntity("/seats/cad/NO-SUCH-KEY/d", null, JsonNode.class);
            assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(unknown.getBody().get("code").asText()).isNotBlank();
        }

        @Test
        void actuatorShowsHealthAndThePool() {
            ResponseEntity<JsonNode> health = http.getForEntity("/actuator/health/licensor", JsonNode.class);
            assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(health.getBody().get("status").asText()).isEqualTo("UP");
            http.postForEntity("/seats/cad/TEAM-1/actuator-probe", null, JsonNode.class);
            ResponseEntity<JsonNode> pools = http.getForEntity("/actuator/licensor", JsonNode.class);
            assertThat(pools.getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(pools.getBody().get("pools").size()).isPositive();
            http.exchange("/seats/cad/TEAM-1/actuator-probe", HttpMethod.DELETE, null, Void.class);
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnSqlite extends Scenario {
        @DynamicPropertySource
        static void file(DynamicPropertyRegistry registry) throws Exception {
            Path dir = Files.createTempDirectory("licensor-sample-");
            registry.add("licensor.store.sqlite.path", () -> dir.resolve("licensor.db").toString());
        }

        @Test
        void noDatabaseConfiguredMeansSqlite() {
            assertThat(store).isInstanceOf(SqliteLicenseStore.class);
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnPostgresql extends Scenario {
        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            PgServer server = PgServer.shared();
            registry.add("spring.datasource.url", server::url);
            registry.add("spring.datasource.username", server::user);
            registry.add("licensor.store.postgresql.schema", () -> PgServer.freshSchema("sample"));
        }

        @Test
        void spring_datasourceMeansPostgresql() {
            assertThat(store).isInstanceOf(PostgresLicenseStore.class);
        }
    }
}
