package dev.licensor.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.postgresql.testing.CuttingProxy;
import dev.licensor.store.postgresql.testing.CuttingProxy.Cut;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A connection that drops around {@code COMMIT} leaves the caller not knowing whether the call
 * took effect: the engine answers {@link Code#STORE_FAILURE} and does not retry by itself. What a
 * caller may assume, tested here: every one of these calls is safe to repeat. A repeated check
 * refreshes the same seat (one GRANTED), a repeated release is a no-op, a repeated consume does
 * not consume twice; and when the cut came before the COMMIT reached the server, nothing changed.
 */
@ExtendWith(PgExtension.class)
class InDoubtCommitTest {
    private PgServer server;
    private CuttingProxy proxy;
    private HikariDataSource pool;
    private PostgresLicenseStore store;
    private Licensor licensor;
    private long licenseId;

    @BeforeEach
    void openThroughProxy() throws Exception {
        server = PgServer.shared();
        proxy = CuttingProxy.start(server.address().getHostString(), server.address().getPort());
        pool = Fixtures.pool(server.urlThrough(proxy.port()), server.user(), server.password(), 4, Duration.ofSeconds(5));
        store = PostgresLicenseStore.builder(pool).schema(PgServer.freshSchema("doubt")).notifications(false).open();
        licensor = Fixtures.licensor(store);
        licenseId = Fixtures.define(licensor, 2, 2);
        licensor.catalog().registerClient("client-1", 1, "host").orElseThrow();
        licensor.floating().activate(device("hw-1")).orElseThrow();
    }

    @AfterEach
    void close() {
        store.close();
        pool.close();
        proxy.close();
    }

    @Test
    void aCheckWhoseCommitAnswerIsLostCommittedAndRepeatsAsARefresh() throws Exception {
        DeviceRequest device = device("hw-1");
        proxy.arm(Cut.AFTER_COMMIT);
        assertThat(Fixtures.code(() -> licensor.floating().check(device))).isEqualTo(Code.STORE_FAILURE);
        assertThat(proxy.awaitCut(5, TimeUnit.SECONDS)).isTrue();
        assertThat(holders()).containsExactly("hw-1"); // it did commit

        assertThat(Fixtures.code(() -> licensor.floating().check(device))).isEqualTo(Code.OK);
        assertThat(holders()).containsExactly("hw-1");
        assertThat(events(LedgerEvent.GRANTED)).isEqualTo(1);
    }

    @Test
    void aCheckCutBeforeItsCommitChangedNothing() throws Exception {
        DeviceRequest device = device("hw-1");
        proxy.arm(Cut.BEFORE_COMMIT);
        assertThat(Fixtures.code(() -> licensor.floating().check(device))).isEqualTo(Code.STORE_FAILURE);
        assertThat(proxy.awaitCut(5, TimeUnit.SECONDS)).isTrue();
        assertThat(holders()).isEmpty();
        assertThat(events(LedgerEvent.GRANTED)).isZero();

        assertThat(Fixtures.code(() -> licensor.floating().check(device))).isEqualTo(Code.OK);
        assertThat(holders()).containsExactly("hw-1");
    }

    @Test
    void aRepeatedReleaseIsANoOp() throws Exception {
        DeviceRequest device = device("hw-1");
        licensor.floating().check(device).orElseThrow();
        proxy.arm(Cut.AFTER_COMMIT);
        assertThat(Fixtures.code(() -> licensor.floating().release(device))).isEqualTo(Code.STORE_FAILURE);
        assertThat(proxy.awaitCut(5, TimeUnit.SECONDS)).isTrue();

        assertThat(Fixtures.code(() -> licensor.floating().release(device))).isEqualTo(Code.OK);
        assertThat(holders()).isEmpty();
        assertThat(events(LedgerEvent.RELEASED)).isEqualTo(1);
    }

    @Test
    void aRepeatedConsumeDoesNotConsumeTwice() throws Exception {
        ConsumeRequest consume = new ConsumeRequest(ClientRef.name("client-1"), ClientLicense.PLATFORM_CLIENT, 1, 33, false);
        proxy.arm(Cut.AFTER_COMMIT);
        assertThat(Fixtures.code(() -> licensor.clients().consume(consume))).isEqualTo(Code.STORE_FAILURE);
        assertThat(proxy.awaitCut(5, TimeUnit.SECONDS)).isTrue();

        assertThat(Fixtures.code(() -> licensor.clients().consume(consume))).isEqualTo(Code.OK);
        assertThat(licensor.catalog().clientLicenses()).singleElement().extracting(ClientLicense::used).isEqualTo(1);
        assertThat(licensor.clients().consumed(ClientRef.name("client-1")).orElseThrow()).hasSize(1);
        assertThat(events(LedgerEvent.CONSUMED)).isEqualTo(1);
    }

    private static DeviceRequest device(String hw) {
        return DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, hw);
    }

    private java.util.List<String> holders() {
        return licensor.seats().holders(licenseId).orElseThrow().stream().map(Lease::hardwareId).toList();
    }

    private long events(LedgerEvent event) {
        return licensor.ledger().between(Instant.EPOCH, Instant.now().plusSeconds(3600), 10_000).stream()
                .map(LedgerEntry::event).filter(event::equals).count();
    }
}
