package dev.licensor.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.Change;
import dev.licensor.store.Key;
import dev.licensor.store.Query;
import dev.licensor.store.StoreTransaction;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store driven through the engine: seats, persistence across reopen, exact instants, errors. */
class SqliteEngineTest {
    @TempDir
    Path dir;

    @Test
    void grantsExactlyTheSeatsAndKeepsThemAcrossReopen() {
        Path file = dir.resolve("licensor.db");
        long licenseId;
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            Licensor licensor = Fixtures.licensor(store);
            licenseId = Fixtures.define(licensor, 2, 1);
            for (int i = 0; i < 3; i++) {
                DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "hw-" + i);
                licensor.floating().activate(device).orElseThrow();
                Code code = licensor.floating().check(device).code();
                assertThat(code).isEqualTo(i < 2 ? Code.OK : Code.FLOATING_NOT_AVAILABLE);
            }
        }
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            Licensor licensor = Fixtures.licensor(store);
            assertThat(licensor.seats().holders(licenseId).orElseThrow()).extracting(Lease::hardwareId)
                    .containsExactly("hw-0", "hw-1");
            List<LedgerEntry> ledger = licensor.ledger().between(Instant.EPOCH, Instant.now().plusSeconds(60), 100);
            assertThat(ledger).extracting(LedgerEntry::event).containsExactly(LedgerEvent.PRODUCT_DEFINED,
                    LedgerEvent.LICENSE_CREATED, LedgerEvent.CLIENT_LICENSE_DEFINED, LedgerEvent.ACTIVATED,
                    LedgerEvent.GRANTED, LedgerEvent.ACTIVATED, LedgerEvent.GRANTED, LedgerEvent.ACTIVATED,
                    LedgerEvent.DENIED);
            assertThat(ledger).extracting(LedgerEntry::seq).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void instantsRoundTripWithNanosecondsAndFarFutureDates() {
        Instant now = Instant.parse("2026-11-23T03:04:05.123456789Z");
        Instant farFuture = Instant.parse("9999-12-31T23:59:59.999999999Z");
        try (SqliteLicenseStore store = SqliteLicenseStore.open(dir.resolve("t.db"))) {
            Licensor licensor = Fixtures.licensor(store, Clock.fixed(now, ZoneOffset.UTC));
            Fixtures.define(licensor, 1, 1);
            long id = licensor.catalog().defineClientLicense(ClientLicense.draft(ClientLicense.PLATFORM_CLIENT, 2, 0,
                    "eval", 1, 5, farFuture)).orElseThrow().id();
            DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "hw");
            licensor.floating().activate(device).orElseThrow();
            Lease lease = licensor.floating().check(device).orElseThrow().lease();
            assertThat(lease.grantedAt()).isEqualTo(now);
            assertThat(store.read(tx -> tx.find(Key.lease(lease.licenseId(), "hw"))).orElseThrow()).isEqualTo(lease);
            assertThat(store.read(tx -> tx.find(Key.clientLicense(id))).orElseThrow().evaluationExpiry()).isEqualTo(farFuture);
            // the fixture's three definitions, the client license, the activation and the grant
            assertThat(licensor.ledger().between(now, now.plusNanos(1), 10)).hasSize(6);
        }
    }

    @Test
    void consumesExactlyTheClientLicenses() {
        try (SqliteLicenseStore store = SqliteLicenseStore.open(dir.resolve("c.db"))) {
            Licensor licensor = Fixtures.licensor(store);
            Fixtures.define(licensor, 1, 2);
            int granted = 0;
            for (int i = 0; i < 4; i++) {
                long client = licensor.catalog().registerClient("client-" + i, 1, "host").orElseThrow().id();
                if (licensor.clients().consume(new ConsumeRequest(ClientRef.id(client), ClientLicense.PLATFORM_CLIENT,
                        1, 33, false)).isSuccess()) {
                    granted++;
                }
            }
            assertThat(granted).isEqualTo(2);
            assertThat(licensor.catalog().clientLicenses()).singleElement().extracting(ClientLicense::used).isEqualTo(2);
        }
    }

    @Test
    void aFailedUnitLeavesNoTraceAndItsExceptionPassesThrough() {
        try (SqliteLicenseStore store = SqliteLicenseStore.open(dir.resolve("r.db"))) {
            RuntimeException boom = new RuntimeException("boom");
            assertThatThrownBy(() -> store.write(tx -> {
                tx.apply(Change.appendLedger(entry()));
                throw boom;
            })).isSameAs(boom);
            List<LedgerEntry> none = store.read(tx -> tx.list(Query.ledger(Instant.EPOCH, Instant.MAX, 10)));
            assertThat(none).isEmpty();
            long seq = store.write(tx -> tx.apply(Change.appendLedger(entry()))[0]);
            List<LedgerEntry> one = store.read(tx -> tx.list(Query.ledger(Instant.EPOCH, Instant.MAX, 10)));
            assertThat(one).extracting(LedgerEntry::seq).containsExactly(seq);
        }
    }

    @Test
    void ledgerSeqsAreNeverReusedEvenAfterPruningEverything() {
        try (SqliteLicenseStore store = SqliteLicenseStore.open(dir.resolve("seq.db"))) {
            long first = append(store);
            long second = append(store);
            assertThat(second).isGreaterThan(first);
            int pruned = store.write(tx -> tx.prune(Instant.MAX, 10));
            assertThat(pruned).isEqualTo(2);
            long third = append(store);
            assertThat(third).isGreaterThan(second);
            long fourth = append(store);
            assertThat(fourth).isEqualTo(third + 1);
        }
        try (SqliteLicenseStore store = SqliteLicenseStore.open(dir.resolve("seq.db"))) {
            int pruned = store.write(tx -> tx.prune(Instant.MAX, 10));
            assertThat(pruned).isEqualTo(2);
            long fifth = append(store);
            assertThat(fifth).isEqualTo(5);
        }
    }

    private static long append(SqliteLicenseStore store) {
        return store.write(tx -> tx.apply(Change.appendLedger(entry()))[0]);
    }

    @Test
    void readUnitsCannotWriteAndTransactionsDieWithTheirUnit() {
        try (SqliteLicenseStore store = SqliteLicenseStore.open(dir.resolve("ro.db"))) {
            assertThatThrownBy(() -> store.read(tx -> tx.apply(Change.appendLedger(entry()))[0]))
                    .isInstanceOf(IllegalStateException.class);
            StoreTransaction escaped = store.read(tx -> tx);
            assertThatThrownBy(() -> escaped.list(Query.clientLicenses())).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.write(tx -> store.write(inner -> 1)))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aClosedStoreFailsWithStoreFailure() {
        SqliteLicenseStore store = SqliteLicenseStore.open(dir.resolve("closed.db"));
        store.close();
        store.close();
        assertThatThrownBy(() -> store.read(tx -> 1)).isInstanceOf(LicensingException.class)
                .extracting(e -> ((LicensingException) e).code()).isEqualTo(Code.STORE_FAILURE);
    }

    private static LedgerEntry entry() {
        return new LedgerEntry(0, Instant.parse("2026-01-01T00:00:00Z"), LedgerEvent.DENIED, 1, 0, "x",
                Code.FLOATING_NOT_AVAILABLE, "");
    }
}
