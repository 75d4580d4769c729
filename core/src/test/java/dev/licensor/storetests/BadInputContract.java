package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Code;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refused call (bad input, not found, denial) leaves rows and views as they were; the ledger
 * too, but for one DENIED entry when the code is a licensing denial (3xx, 4xx).
 */
public abstract class BadInputContract extends ContractBase {

    License pool;
    License single;
    License metered;
    License borrowable;
    Client c1;
    Client c2;
    ClientLicense fs;
    ClientLicense ma;

    /** A world with something in every table, so a stray write anywhere would show. */
    @BeforeEach
    void world() {
        product("cad");
        product("cam");
        pool = license(License.builder("cad").key("POOL").maxActivations(3).floatingSeats(2));
        single = license(License.builder("cad").username("alice").maxActivations(1));
        metered = license(License.builder("cad").key("METER").type(LicenseType.CONSUMPTION).maxConsumptions(5)
                .overage(true, 2));
        borrowable = license(License.builder("cam").key("BORROW").maxActivations(3).floatingSeats(1).borrowAllowed(true)
                .type(LicenseType.TIME_LIMITED).validUntil(START.plus(Duration.ofDays(10))));
        activate(pool, "hw-a");
        activate(pool, "hw-b");
        activate(pool, "hw-c");
        activate(single, "hw-a");
        activate(metered, "hw-a");
        activate(borrowable, "hw-a");
        activate(borrowable, "hw-b");
        check(pool, "hw-a");
        check(pool, "hw-b");
        ok(licensor.floating().borrow(device(borrowable, "hw-a"), null));
        ok(licensor.floating().addConsumption(device(metered, "hw-a"), 4, false));
        ok(licensor.seats().blacklist("cad", "hw-x"));
        device(pool, "hw-x");
        device(pool, "hw-ghost");
        c1 = client("client001");
        c2 = client("client002");
        agent(c1, 33, "Windows File System");
        agent(c1, 1002, "MediaAgent Management");
        fs = clientLicense(1, 1, 33, "Windows File System", 2);
        ma = clientLicense(2, 11, 1002, "MediaAgent", 2);
        consume(c1, fs, false);
        consume(c1, fs, true);
        consume(c1, ma, true);
        ok(licensor.clients().release(request(true, c1, entry(ma))));
        consume(c2, ma, false);
        clock.advance(Duration.ofMinutes(1));
    }

    /** The snapshot must see every kind of change, or "nothing changed" would prove nothing. */
    @Test
    void theSnapshotSeesEveryKindOfChange() {
        Map<String, Runnable> changes = new LinkedHashMap<>();
        changes.put("activation", () -> activate(borrowable, "hw-ghost"));
        changes.put("force-release", () -> ok(licensor.seats().forceRelease(pool.id(), "hw-b")));
        changes.put("seat", () -> check(pool, "hw-c"));
        changes.put("seat refresh", () -> check(pool, "hw-a"));
        changes.put("borrow", () -> ok(licensor.floating().borrow(device(borrowable, "hw-a"),
                clock.instant().plus(MAX_BORROW))));
        changes.put("release", () -> ok(licensor.floating().release(device(pool, "hw-c"))));
        changes.put("deactivation", () -> ok(licensor.floating().deactivate(device(pool, "hw-c"))));
        changes.put("consumption", () -> ok(licensor.floating().addConsumption(device(metered, "hw-a"), 1, false)));
        changes.put("blacklist", () -> ok(licensor.seats().blacklist("cam", "hw-a")));
        changes.put("switch", () -> ok(licensor.seats().setEnabled(single.id(), false)));
        LicenseSelector agentFs = new LicenseSelector(1, 1, 33, null);
        changes.put("client release", () -> ok(licensor.clients().release(request(false, c1, agentFs))));
        changes.put("reconfigure", () -> ok(licensor.clients().reconfigure(request(false, c1, agentFs))));
        changes.put("client release again", () -> ok(licensor.clients().release(request(false, c1, agentFs))));
        changes.put("client consume", () -> consume(c2, fs, false));
        changes.put("agent", () -> agent(c2, 29, "Linux File System"));
        changes.put("client", () -> client("client003"));
        changes.put("client license", () -> clientLicense(1, 9, 0, "Extra", 1));
        changes.put("product", () -> product("cap"));
        changes.put("license", () -> license(License.builder("cap").key("NEW")));
        for (Map.Entry<String, Runnable> change : changes.entrySet()) {
            StateSnapshot before = snapshot();
            clock.advance(Duration.ofSeconds(1));
            change.getValue().run();
            assertThat(snapshot().state()).as(change.getKey()).isNotEqualTo(before.state());
        }
        // and a refused call is told apart from a successful one by the ledger alone
        StateSnapshot before = snapshot();
        fails(licensor.floating().check(device(borrowable, "hw-ghost")), Code.FLOATING_NOT_AVAILABLE);
        assertThat(snapshot().ledger()).isNotEqualTo(before.ledger());
    }

    @Test
    void badInputChangesNothing() {
        rejected("check without request", Code.MISSING_PARAMETERS, () -> licensor.floating().check(null));
        rejected("check without hardware id", Code.MISSING_PARAMETERS,
                () -> licensor.floating().check(DeviceRequest.byKey("cad", "POOL", null)));
        rejected("activate with key and user", Code.INVALID_REQUEST,
                () -> licensor.floating().activate(new DeviceRequest("cad", "POOL", "alice", null, "hw-ghost")));
        rejected("borrow with an oversize key", Code.INVALID_REQUEST,
                () -> licensor.floating().borrow(DeviceRequest.byKey("cam", "B".repeat(300), "hw-a"), null));
        rejected("release with a control character", Code.INVALID_REQUEST,
                () -> licensor.floating().release(DeviceRequest.byKey("cad", "POOL", "hw-a\n")));
        rejected("deactivate with license id 0", Code.INVALID_REQUEST,
                () -> licensor.floating().deactivate(new DeviceRequest("cad", "POOL", null, 0L, "hw-a")));
        rejected("consumption of 0", Code.INVALID_REQUEST,
                () -> licensor.floating().addConsumption(device(metered, "hw-a"), 0, true));
        rejected("consumption too large", Code.INVALID_REQUEST,
                () -> licensor.floating().addConsumption(device(metered, "hw-a"), Long.MAX_VALUE, true));
        rejected("force-release without hardware id", Code.MISSING_PARAMETERS,
                () -> licensor.seats().forceRelease(pool.id(), " "));
        rejected("blacklist a bad product code", Code.INVALID_REQUEST,
                () -> licensor.seats().blacklist("c a d", "hw-a"));
        rejected("switch license 0", Code.INVALID_REQUEST, () -> licensor.seats().setEnabled(0, false));
        rejected("consume on platform 9", Code.INVALID_REQUEST, () -> licensor.clients().consume(
                new ConsumeRequest(ClientRef.id(c1.id()), 9, 1, 33, false)));
        rejected("release without entries", Code.MISSING_PARAMETERS, () -> licensor.clients().release(
                new ClientLicensesRequest(true, ClientRef.id(c1.id()), List.of())));
        rejected("reconfigure agent-level without appType", Code.MISSING_PARAMETERS, () -> licensor.clients().reconfigure(
                request(false, c1, LicenseSelector.everyLicense(1))));
        rejected("list with id 0", Code.INVALID_REQUEST, () -> licensor.clients().consumed(ClientRef.id(0)));
        rejected("duplicate product", Code.ALREADY_EXISTS, () -> licensor.catalog().defineProduct(
                new Product("cad", "again", TIMEOUT, MAX_BORROW)));
        rejected("duplicate license key", Code.ALREADY_EXISTS, () -> licensor.catalog().createLicense(
                License.builder("cad").key("POOL").build()));
        rejected("time-limited license without end", Code.INVALID_REQUEST, () -> licensor.catalog().createLicense(
                License.builder("cad").key("NEW").type(LicenseType.TIME_LIMITED).build()));
        rejected("duplicate client", Code.ALREADY_EXISTS, () -> licensor.catalog().registerClient("client001", 1, ""));
        rejected("duplicate agent", Code.ALREADY_EXISTS, () -> licensor.catalog().addAgent(ClientRef.id(c1.id()), 33, ""));
        rejected("duplicate client license", Code.ALREADY_EXISTS, () -> licensor.catalog().defineClientLicense(
                ClientLicense.draft(1, 1, 33, "again", 1, 0, null)));
    }

    @Test
    void notFoundChangesNothing() {
        rejected("unknown product", Code.UNKNOWN_PRODUCT,
                () -> licensor.floating().activate(DeviceRequest.byKey("nope", "POOL", "hw-ghost")));
        rejected("unknown key", Code.LICENSE_NOT_FOUND,
                () -> licensor.floating().activate(DeviceRequest.byKey("cad", "NOPE", "hw-ghost")));
        rejected("key of another product", Code.LICENSE_NOT_FOUND,
                () -> licensor.floating().check(DeviceRequest.byKey("cam", "POOL", "hw-a")));
        rejected("license id of another license", Code.LICENSE_NOT_FOUND,
                () -> licensor.floating().check(new DeviceRequest("cad", "POOL", null, single.id(), "hw-a")));
        rejected("check of a device never activated", Code.DEVICE_NOT_FOUND,
                () -> licensor.floating().check(device(pool, "hw-ghost")));
        rejected("borrow of a device never activated", Code.DEVICE_NOT_FOUND,
                () -> licensor.floating().borrow(device(borrowable, "hw-ghost"), null));
        rejected("deactivate of a device never activated", Code.DEVICE_NOT_FOUND,
                () -> licensor.floating().deactivate(device(pool, "hw-ghost")));
        rejected("consumption by a device never activated", Code.DEVICE_NOT_FOUND,
                () -> licensor.floating().addConsumption(device(metered, "hw-ghost"), 1, false));
        rejected("force-release of no seat", Code.DEVICE_NOT_FOUND, () -> licensor.seats().forceRelease(pool.id(), "hw-c"));
        rejected("force-release on an unknown license", Code.LICENSE_NOT_FOUND,
                () -> licensor.seats().forceRelease(999_999, "hw-a"));
        rejected("holders of an unknown license", Code.LICENSE_NOT_FOUND, () -> licensor.seats().holders(999_999));
        rejected("switch of an unknown license", Code.LICENSE_NOT_FOUND, () -> licensor.seats().setActive(999_999, false));
        rejected("blacklist on an unknown product", Code.UNKNOWN_PRODUCT, () -> licensor.seats().blacklist("nope", "hw-a"));
        rejected("license for an unknown product", Code.UNKNOWN_PRODUCT,
                () -> licensor.catalog().createLicense(License.builder("nope").key("K").build()));
        rejected("agent of an unknown client", Code.CLIENT_NOT_FOUND,
                () -> licensor.catalog().addAgent(ClientRef.name("ghost"), 33, ""));
        rejected("consume by an unknown client", Code.CLIENT_NOT_FOUND, () -> licensor.clients().consume(
                new ConsumeRequest(ClientRef.name("ghost"), 1, 1, 33, false)));
        rejected("consume of an unknown client license", Code.CLIENT_LICENSE_NOT_FOUND, () -> licensor.clients().consume(
                new ConsumeRequest(ClientRef.id(c1.id()), 1, 1, 34, false)));
        rejected("consume for a missing agent", Code.AGENT_NOT_FOUND, () -> licensor.clients().consume(
                new ConsumeRequest(ClientRef.id(c2.id()), 1, 1, 33, true)));
        rejected("release of an unheld license", Code.LICENSE_NOT_CONSUMED,
                () -> licensor.clients().release(request(true, c2, entry(fs))));
        rejected("release by mismatched id and name", Code.CLIENT_NOT_FOUND, () -> licensor.clients().release(
                new ClientLicensesRequest(true, new ClientRef(c1.id(), "client002"), List.of(entry(fs)))));
        rejected("reconfigure of nothing released", Code.LICENSE_NOT_RELEASED,
                () -> licensor.clients().reconfigure(request(true, c1, entry(fs))));
        rejected("agent-level release for a missing agent", Code.AGENT_NOT_FOUND,
                () -> licensor.clients().release(request(false, c2, new LicenseSelector(2, 11, 1002, null))));
    }

    @Test
    void denialsChangeNothingButTheLedger() {
        rejected("pool full", Code.FLOATING_NOT_AVAILABLE, () -> licensor.floating().check(device(pool, "hw-c")));
        rejected("borrow from a full pool", Code.FLOATING_NOT_AVAILABLE,
                () -> licensor.floating().borrow(device(borrowable, "hw-b"), null));
        rejected("release of a non-floating license", Code.FLOATING_NOT_AVAILABLE,
                () -> licensor.floating().release(device(single, "hw-a")));
        rejected("activation limit", Code.LICENSE_ACTIVATED_MAX_TIMES,
                () -> licensor.floating().activate(device(single, "hw-b")));
        rejected("blacklisted device", Code.BLACKLISTED, () -> licensor.floating().activate(device(pool, "hw-x")));
        rejected("borrow not allowed", Code.LICENSE_BORROW_NOT_ALLOWED,
                () -> licensor.floating().borrow(device(pool, "hw-a"), null));
        rejected("borrow in the past", Code.BORROW_UNTIL_NOT_VALID,
                () -> licensor.floating().borrow(device(borrowable, "hw-a"), START));
        rejected("borrow beyond the cap", Code.BORROW_UNTIL_NOT_VALID,
                () -> licensor.floating().borrow(device(borrowable, "hw-a"), clock.instant().plus(MAX_BORROW).plusSeconds(1)));
        rejected("not a consumption license", Code.LICENSE_NOT_CONSUMPTION,
                () -> licensor.floating().addConsumption(device(pool, "hw-a"), 1, true));
        rejected("not enough consumptions", Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS,
                () -> licensor.floating().addConsumption(device(metered, "hw-a"), 2, false));
        rejected("not enough consumptions even with overage", Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS,
                () -> licensor.floating().addConsumption(device(metered, "hw-a"), 4, true));
        rejected("not enough client licenses", Code.NOT_ENOUGH_LICENSES,
                () -> licensor.clients().consume(new ConsumeRequest(ClientRef.id(c2.id()), 1, 1, 33, false)));
        consume(c1, ma, true);
        rejected("MediaAgent license held", Code.MEDIA_AGENT_LICENSES_HELD,
                () -> licensor.clients().release(request(true, c1, entry(fs))));
        ok(licensor.clients().release(request(true, c1, entry(fs), entry(ma))));
        consume(c2, fs, false);
        rejected("reconfigure beyond capacity", Code.NOT_ENOUGH_LICENSES,
                () -> licensor.clients().reconfigure(request(true, c1, entry(fs))));
        ok(licensor.seats().setEnabled(pool.id(), false));
        rejected("disabled license", Code.LICENSE_NOT_ENABLED, () -> licensor.floating().check(device(pool, "hw-a")));
        rejected("blacklisted beats disabled", Code.BLACKLISTED, () -> licensor.floating().check(device(pool, "hw-x")));
        ok(licensor.seats().setEnabled(pool.id(), true));
        ok(licensor.seats().setActive(pool.id(), false));
        rejected("inactive license", Code.LICENSE_NOT_ACTIVE, () -> licensor.floating().release(device(pool, "hw-a")));
        clock.set(START.plus(Duration.ofDays(10)));
        rejected("expired license", Code.LICENSE_EXPIRED, () -> licensor.floating().check(device(borrowable, "hw-a")));
    }
}
