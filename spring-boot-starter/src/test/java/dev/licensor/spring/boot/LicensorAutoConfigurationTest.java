package dev.licensor.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.event.LicensorEvent;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.micrometer.LicensorMetrics;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.store.postgresql.PostgresLicenseStore;
import dev.licensor.store.postgresql.testing.PgServer;
import dev.licensor.store.sqlite.SqliteLicenseStore;
import dev.licensor.token.TokenSigner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Every {@code licensor.*} combination, on real stores (memory, a SQLite file, the tests' PostgreSQL). */
class LicensorAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LicensorAutoConfiguration.class,
                    LicensorMetricsAutoConfiguration.class, LicensorActuatorAutoConfiguration.class));

    @TempDir
    Path dir;

    @Test
    void memoryStore() {
        runner.withPropertyValues("licensor.store.type=memory").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Licensor.class).hasSingleBean(LicensorEventPublisher.class)
                    .doesNotHaveBean(TokenSigner.class).doesNotHaveBean(LicensorMetrics.class);
            assertThat(context.getBean(LicenseStore.class)).isInstanceOf(MemoryLicenseStore.class);
            assertThat(grant(context.getBean(Licensor.class), "a")).isInstanceOf(Outcome.Success.class);
        });
    }

    @Test
    void autoWithoutADataSourcePicksSqliteAtItsPath() {
        Path file = dir.resolve("nested/licensor.db");
        runner.withPropertyValues("licensor.store.sqlite.path=" + file).run(context -> {
            assertThat(context.getBean(LicenseStore.class)).isInstanceOf(SqliteLicenseStore.class);
            assertThat(grant(context.getBean(Licensor.class), "a")).isInstanceOf(Outcome.Success.class);
            assertThat(file).exists();
        });
    }

    @Test
    void explicitSqliteKeepsItsRowsAcrossContexts() {
        Path file = dir.resolve("kept.db");
        ApplicationContextRunner sqlite = runner.withPropertyValues("licensor.store.type=sqlite",
                "licensor.store.sqlite.path=" + file);
        sqlite.run(context -> assertThat(grant(context.getBean(Licensor.class), "a")).isInstanceOf(Outcome.Success.class));
        sqlite.run(context -> assertThat(context.getBean(Licensor.class).catalog().product("cad")).isPresent());
    }

    @Test
    void autoWithoutTheSqliteStoreFallsBackToMemory() {
        runner.withClassLoader(new FilteredClassLoader(SqliteLicenseStore.class)).run(context ->
                assertThat(context.getBean(LicenseStore.class)).isInstanceOf(MemoryLicenseStore.class));
    }

    @Test
    void sqliteWithoutTheSqliteStoreSaysWhichArtifactIsMissing() {
        runner.withClassLoader(new FilteredClassLoader(SqliteLicenseStore.class))
                .withPropertyValues("licensor.store.type=sqlite").run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining("licensor-store-sqlite"));
    }

    @Test
    void autoWithADataSourcePicksPostgresqlInItsSchema() {
        String schema = PgServer.freshSchema("spring");
        runner.withBean(DataSource.class, () -> PgServer.shared().dataSource())
                .withPropertyValues("licensor.store.postgresql.schema=" + schema).run(context -> {
                    LicenseStore store = context.getBean(LicenseStore.class);
                    assertThat(store).isInstanceOf(PostgresLicenseStore.class);
                    assertThat(((PostgresLicenseStore) store).schema()).isEqualTo(schema);
                    assertThat(grant(context.getBean(Licensor.class), "a")).isInstanceOf(Outcome.Success.class);
                });
        PgServer.shared().execute("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void postgresqlWithoutADataSourceFailsClearly() {
        runner.withPropertyValues("licensor.store.type=postgresql").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("DataSource"));
    }

    @Test
    void memoryIgnoresTheApplicationsDataSource() {
        runner.withBean(DataSource.class, () -> PgServer.shared().dataSource())
                .withPropertyValues("licensor.store.type=memory").run(context ->
                        assertThat(context.getBean(LicenseStore.class)).isInstanceOf(MemoryLicenseStore.class));
    }

    @Test
    void theLookupCacheIsOnWhenSizedAndTimed() {
        runner.withPropertyValues("licensor.store.type=memory", "licensor.cache.maximum-size=100",
                "licensor.cache.time-to-live=5s").run(context -> {
                    Licensor licensor = context.getBean(Licensor.class);
                    grant(licensor, "a");
                    licensor.lookups().licenseByKey("cad", "TEAM-1");
                    licensor.lookups().licenseByKey("cad", "TEAM-1");
                    assertThat(licensor.lookups().stats().hits()).isEqualTo(1);
                });
        runner.withPropertyValues("licensor.store.type=memory").run(context -> {
            Licensor licensor = context.getBean(Licensor.class);
            grant(licensor, "a");
            licensor.lookups().licenseByKey("cad", "TEAM-1");
            licensor.lookups().licenseByKey("cad", "TEAM-1");
            assertThat(licensor.lookups().stats().hits()).isZero();
        });
    }

    @Test
    void theSignerReadsPemAndDerKeyFiles() throws Exception {
        TokenSigner generated = TokenSigner.generate("k1");
        Path pkcs8 = Files.write(dir.resolve("private.der"), generated.privateKeyPkcs8());
        Path x509 = Files.writeString(dir.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generated.publicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        runner.withPropertyValues("licensor.store.type=memory", "licensor.signer.key-id=k1",
                "licensor.signer.private-key=file:" + pkcs8, "licensor.signer.public-key=file:" + x509).run(context -> {
                    assertThat(context.getBean(TokenSigner.class).keyId()).isEqualTo("k1");
                    assertThat(context.getBean(TokenSigner.class).publicKey()).isEqualTo(generated.publicKey());
                    assertThat(grant(context.getBean(Licensor.class), "a").token()).isNotNull();
                });
    }

    @Test
    void aPrivateKeyWithoutItsPublicKeyFailsClearly() throws Exception {
        Path pkcs8 = Files.write(dir.resolve("private.der"), TokenSigner.generate("k1").privateKeyPkcs8());
        runner.withPropertyValues("licensor.signer.private-key=file:" + pkcs8).run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("licensor.signer.public-key"));
    }

    @Test
    void everyBeanBacksOffForTheApplicationsOwn() {
        MemoryLicenseStore store = new MemoryLicenseStore();
        TokenSigner signer = TokenSigner.generate("mine");
        runner.withPropertyValues("licensor.store.type=sqlite")
                .withBean(LicenseStore.class, () -> store)
                .withBean(TokenSigner.class, () -> signer)
                .run(context -> {
                    assertThat(context.getBean(LicenseStore.class)).isSameAs(store);
                    assertThat(context.getBean(TokenSigner.class)).isSameAs(signer);
                    assertThat(grant(context.getBean(Licensor.class), "a").token()).isNotNull();
                });
        Licensor own = Licensor.builder().store(new MemoryLicenseStore()).build();
        runner.withBean(Licensor.class, () -> own).run(context -> assertThat(context.getBean(Licensor.class)).isSameAs(own));
        LicensorEventPublisher publisher = new LicensorEventPublisher(e -> { });
        runner.withBean(LicensorEventPublisher.class, () -> publisher)
                .run(context -> assertThat(context.getBean(LicensorEventPublisher.class)).isSameAs(publisher));
    }

    @Test
    void theApplicationsClockIsTheEnginesTime() {
        Instant start = Instant.parse("2030-01-01T00:00:00Z");
        runner.withPropertyValues("licensor.store.type=memory")
                .withBean(Clock.class, () -> Clock.fixed(start, ZoneOffset.UTC)).run(context -> {
                    Outcome<LicenseCheck> seat = grant(context.getBean(Licensor.class), "a");
                    assertThat(seat.orElseThrow().lease().grantedAt()).isEqualTo(start);
                });
    }

    @Test
    void eventsArriveAsApplicationEventsAfterTheirCommit() {
        runner.withPropertyValues("licensor.store.type=memory").withUserConfiguration(Recorder.class).run(context -> {
            Licensor licensor = context.getBean(Licensor.class);
            grant(licensor, "a");
            grant(licensor, "b"); // refused: one seat
            List<Object> events = context.getBean(Recorder.class).events;
            assertThat(events).filteredOn(LicensorEvent.SeatGranted.class::isInstance).hasSize(1);
            assertThat(events).filteredOn(LicensorEvent.Denied.class::isInstance).hasSize(1);
            // delivered after commit: the seat the event announces is already visible
            LicensorEvent.SeatGranted granted = (LicensorEvent.SeatGranted) events.stream()
                    .filter(LicensorEvent.SeatGranted.class::isInstance).findFirst().orElseThrow();
            assertThat(licensor.seats().holders(granted.licenseId()).orElseThrow()).hasSize(1);
        });
        runner.withPropertyValues("licensor.store.type=memory", "licensor.events.enabled=false")
                .withUserConfiguration(Recorder.class).run(context -> {
                    assertThat(context).doesNotHaveBean(LicensorEventPublisher.class);
                    grant(context.getBean(Licensor.class), "a");
                    assertThat(context.getBean(Recorder.class).events).noneMatch(LicensorEvent.class::isInstance);
                });
    }

    @Test
    void metricsWhenAMeterRegistryExists() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("licensor.store.type=memory").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(LicensorMetrics.class);
                    grant(context.getBean(Licensor.class), "a");
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("licensor.grants").tag("kind", "seat").meter().measure())
                            .singleElement().satisfies(m -> assertThat(m.getValue()).isEqualTo(1.0));
                    assertThat(registry.find("licensor.seats.in.use").gauge().value()).isEqualTo(1.0);
                });
    }

    @Test
    void noMetricsWithoutARegistryOrWithoutLicensorMicrometer() {
        runner.withPropertyValues("licensor.store.type=memory")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LicensorMetrics.class));
        runner.withClassLoader(new FilteredClassLoader(LicensorMetrics.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("licensor.store.type=memory")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Licensor.class)
                        .doesNotHaveBean("licensorMetrics"));
    }

    @Test
    void withoutActuatorOrMicrometerTheEngineStillStarts() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "io.micrometer"))
                .withPropertyValues("licensor.store.type=memory", "management.endpoints.web.exposure.include=licensor")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Licensor.class)
                            .doesNotHaveBean("licensorHealthIndicator").doesNotHaveBean("licensorEndpoint")
                            .doesNotHaveBean("licensorMetrics");
                    assertThat(grant(context.getBean(Licensor.class), "a")).isInstanceOf(Outcome.Success.class);
                });
    }

    @Test
    void healthIsUpWhileTheStoreAnswersAndDownWhenItDoesNot() {
        PgServer own = PgServer.startCluster();
        try {
            runner.withBean(DataSource.class, own::dataSource).run(context -> {
                LicensorHealthIndicator health = context.getBean(LicensorHealthIndicator.class);
                assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                assertThat(health.health().getDetails()).containsEntry("store", "PostgresLicenseStore");
                own.close(); // the server is gone
                assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            });
        } finally {
            own.close();
        }
        runner.withPropertyValues("licensor.store.type=memory", "management.health.licensor.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LicensorHealthIndicator.class));
    }

    @Test
    void theEndpointListsPoolsAndHoldersAndOnlyReads() {
        runner.withPropertyValues("licensor.store.type=memory", "management.endpoints.web.exposure.include=licensor")
                .run(context -> {
                    Licensor licensor = context.getBean(Licensor.class);
                    Outcome<LicenseCheck> seat = grant(licensor, "a");
                    LicensorEndpoint endpoint = context.getBean(LicensorEndpoint.class);
                    long id = seat.orElseThrow().license().id();
                    assertThat(endpoint.pools().pools()).singleElement().satisfies(pool -> {
                        assertThat(pool.licenseId()).isEqualTo(id);
                        assertThat(pool.seats()).isEqualTo(1);
                        assertThat(pool.inUse()).isEqualTo(1);
                        assertThat(pool.holders()).extracting(LicensorEndpoint.SeatHolder::hardwareId).containsExactly("a");
                    });
                    assertThat(endpoint.pool(id).holders()).hasSize(1);
                    assertThat(endpoint.pool(id + 1000)).isNull();
                    // from the catalog's listings, not from events: a pool nobody used yet is listed too
                    licensor.catalog().defineProduct(new Product("cam", "CAM", Duration.ofMinutes(5), Duration.ofHours(1)));
                    long unused = licensor.catalog().createLicense(License.builder("cam").key("IDLE").floatingSeats(2)
                            .build()).orElseThrow().id();
                    licensor.catalog().createLicense(License.builder("cam").key("NODE-LOCKED").build()).orElseThrow();
                    LicensorEndpoint.Pools all = endpoint.pools();
                    assertThat(all.pools()).extracting(LicensorEndpoint.Pool::licenseId, LicensorEndpoint.Pool::product,
                            LicensorEndpoint.Pool::inUse).containsExactly(tuple(id, "cad", 1), tuple(unused, "cam", 0));
                    assertThat(all.products()).extracting(LicensorEndpoint.ProductInfo::code).containsExactly("cad", "cam");
                    assertThat(all.truncated()).isFalse();
                });
        runner.withPropertyValues("licensor.store.type=memory", "management.endpoints.web.exposure.include=licensor",
                        "licensor.endpoint.max-pools=1")
                .run(context -> {
                    Licensor licensor = context.getBean(Licensor.class);
                    grant(licensor, "a");
                    licensor.catalog().defineProduct(new Product("cam", "CAM", Duration.ofMinutes(5), Duration.ofHours(1)));
                    licensor.catalog().createLicense(License.builder("cam").key("IDLE").floatingSeats(2).build());
                    LicensorEndpoint.Pools capped = context.getBean(LicensorEndpoint.class).pools();
                    assertThat(capped.pools()).hasSize(1);
                    assertThat(capped.products()).hasSize(1);
                    assertThat(capped.truncated()).isTrue();
                });
        runner.withPropertyValues("licensor.store.type=memory")
                .run(context -> assertThat(context).doesNotHaveBean(LicensorEndpoint.class));
        assertThat(LicensorEndpoint.class.getMethods()).noneMatch(m -> m.isAnnotationPresent(WriteOperation.class)
                || m.isAnnotationPresent(DeleteOperation.class));
    }

    /** Defines a one-seat pool (once) and asks for a seat for {@code device}. */
    private static Outcome<LicenseCheck> grant(Licensor licensor, String device) {
        if (licensor.catalog().product("cad").isEmpty()) {
            licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(15), Duration.ofHours(72)));
            licensor.catalog().createLicense(License.builder("cad").key("TEAM-1").maxActivations(10).floatingSeats(1).build());
        }
        DeviceRequest request = DeviceRequest.byKey("cad", "TEAM-1", device);
        licensor.floating().activate(request);
        return licensor.floating().check(request);
    }

    @Configuration(proxyBeanMethods = false)
    static class Recorder {
        final List<Object> events = new ArrayList<>();

        @EventListener
        void on(LicensorEvent event) {
            events.add(event);
        }

        @Bean
        String marker() {
            return "recorder";
        }
    }
}
