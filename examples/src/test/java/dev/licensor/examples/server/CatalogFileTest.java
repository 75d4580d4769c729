package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.clients.ClientRef;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.memory.MemoryLicenseStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Loading catalog files into an engine. */
class CatalogFileTest {

    private static CatalogFile parse(String json) {
        return CatalogFile.parse(json.getBytes(StandardCharsets.UTF_8), "test");
    }

    @Test
    void theDemoCatalogLoadsAndLoadingAgainAddsNothing() {
        try (MemoryLicenseStore store = new MemoryLicenseStore()) {
            Licensor licensor = Licensor.builder().store(store).build();
            CatalogFile demo = CatalogFile.demo();

            CatalogFile.Applied first = demo.applyTo(licensor);
            // Release one license, then load again: nothing is re-added or re-consumed.
            licensor.clients().release(demo.exampleRelease().orElseThrow()).orElseThrow();
            CatalogFile.Applied second = demo.applyTo(licensor);

            assertThat(first.added()).isEqualTo(3 + 5 + 4 + 4);
            assertThat(second.added()).isZero();
            assertThat(second.pools()).isEqualTo(first.pools()).hasSize(4);
            assertThat(second.clientIds()).isEqualTo(first.clientIds());
            assertThat(licensor.clients().consumed(ClientRef.name("client001")).orElseThrow()).isEmpty();
            assertThat(licensor.catalog().clientLicenses()).hasSize(4);
            assertThat(demo.credentials().apiKeys()).containsEntry("demo-api-key", "demo-shared-key");
        }
    }

    @Test
    void unknownFieldsAndWrongTypesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> parse("{\"products\":[{\"code\":\"a\",\"floatingTimeout\":5}]}"))
                .isInstanceOf(LicensingException.class).hasMessageContaining("products[0].floatingTimeout");
        assertThatThrownBy(() -> parse("{\"licenses\":[{\"product\":\"a\",\"key\":\"k\",\"floatingSeats\":\"5\"}]}"))
                .hasMessageContaining("licenses[0].floatingSeats must be an integer");
        assertThatThrownBy(() -> parse("{\"licenses\":[{\"product\":\"a\",\"key\":\"k\",\"type\":\"forever\"}]}"))
                .hasMessageContaining("licenses[0].type");
        assertThatThrownBy(() -> parse("{\"clients\":[{\"hostName\":\"h\"}]}"))
                .hasMessageContaining("clients[0].name is required");
        assertThatThrownBy(() -> parse("{\"products\": ")).hasMessageContaining("not well-formed JSON");
    }

    @Test
    void aDefinitionTheEngineRefusesStopsTheLoadNamingIt() {
        CatalogFile file = parse("{\"products\":[{\"code\":\"a\"}],"
                + "\"licenses\":[{\"product\":\"a\",\"key\":\"k\",\"type\":\"time_limited\"}]}");
        try (MemoryLicenseStore store = new MemoryLicenseStore()) {
            Licensor licensor = Licensor.builder().store(store).build();
            assertThatThrownBy(() -> file.applyTo(licensor)).isInstanceOf(LicensingException.class)
                    .hasMessageContaining("license a/k").hasMessageContaining("validUntil")
                    .satisfies(e -> assertThat(((LicensingException) e).code()).isEqualTo(Code.INVALID_REQUEST));
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void serversLoadingTheCatalogAtOnceIntoOneEmptyStoreCreateEachEntryOnceAndAllStart() throws Exception {
        int servers = 6;
        ExecutorService threads = Executors.newFixedThreadPool(servers);
        try {
            for (int round = 0; round < 25; round++) {
                try (MemoryLicenseStore store = new MemoryLicenseStore()) {
                    // One engine per "server", all on one store, like processes on one database.
                    CyclicBarrier start = new CyclicBarrier(servers);
                    List<Future<CatalogFile.Applied>> loads = new ArrayList<>();
                    for (int s = 0; s < servers; s++) {
                        Licensor licensor = Licensor.builder().store(store).build();
                        loads.add(threads.submit(() -> {
                            start.await(1, TimeUnit.MINUTES);
                            return CatalogFile.demo().applyTo(licensor);
                        }));
                    }
                    List<CatalogFile.Applied> applied = new ArrayList<>();
                    for (Future<CatalogFile.Applied> load : loads) {
                        applied.add(load.get(1, TimeUnit.MINUTES)); // none fails with already_exists
                    }

                    Licensor licensor = Licensor.builder().store(store).build();
                    assertThat(applied.stream().mapToInt(CatalogFile.Applied::added).sum()).as("round " + round)
                            .isEqualTo(3 + 5 + 4 + 4);
                    assertThat(applied).extracting(CatalogFile.Applied::pools).containsOnly(applied.get(0).pools());
                    assertThat(applied).extracting(CatalogFile.Applied::clientIds).containsOnly(applied.get(0).clientIds());
                    assertThat(licensor.catalog().clientLicenses()).hasSize(4);
                    // The clients' held licenses were taken once (by whoever created the client), not per server.
                    assertThat(licensor.catalog().clientLicenses().stream().mapToInt(c -> c.used()).sum()).isEqualTo(6);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
