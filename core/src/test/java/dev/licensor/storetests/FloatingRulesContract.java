package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.floating.ConsumptionBalance;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The floating rules beyond taking a seat: consumptions and overage, the enabled and active
 * switches, validity, the blacklist, every error code of the device calls and the order of checks.
 */
public abstract class FloatingRulesContract extends ContractBase {

    @Test
    void addsConsumptionsWithAndWithoutOverage() {
        product("cad");
        License l = license(License.builder("cad").key("M").type(LicenseType.CONSUMPTION).maxConsumptions(10)
                .overage(true, 5));
        activate(l, "hw-a");
        assertThat(ok(licensor.floating().addConsumption(device(l, "hw-a"), 3, false)))
                .isEqualTo(new ConsumptionBalance(l.id(), 3, 10, 0));
        assertThat(ok(licensor.floating().addConsumption(device(l, "hw-a"), 7, false)).consumed()).isEqualTo(10);
        fails(licensor.floating().addConsumption(device(l, "hw-a"), 1, false), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
        assertThat(ok(licensor.floating().addConsumption(device(l, "hw-a"), 5, true)))
                .isEqualTo(new ConsumptionBalance(l.id(), 15, 10, 5));
        fails(licensor.floating().addConsumption(device(l, "hw-a"), 1, true), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
        assertThat(fresh(l).consumed()).isEqualTo(15);
        assertThat(ledger(LedgerEvent.CONSUMPTION_ADDED)).extracting(LedgerEntry::count).containsExactly(3L, 7L, 5L);
        fails(licensor.floating().addConsumption(device(l, "hw-a"), 0, false), Code.INVALID_REQUEST);
        fails(licensor.floating().addConsumption(device(l, "hw-a"), -2, true), Code.INVALID_REQUEST);
        fails(licensor.floating().addConsumption(device(l, "hw-b"), 1, false), Code.DEVICE_NOT_FOUND);
    }

    @Test
    void overageNeedsTheLicenseAndMaxOverageZeroIsUnlimited() {
        product("cad");
        License strict = license(License.builder("cad").key("S").type(LicenseType.CONSUMPTION).maxConsumptions(2));
        License open = license(License.builder("cad").key("U").type(LicenseType.CONSUMPTION).maxConsumptions(2)
                .overage(true, 0));
        License plain = license(License.builder("cad").key("P"));
        activate(strict, "hw-a");
        activate(open, "hw-a");
        activate(plain, "hw-a");
        fails(licensor.floating().addConsumption(device(strict, "hw-a"), 3, true), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
        assertThat(ok(licensor.floating().addConsumption(device(strict, "hw-a"), 2, true)).consumed()).isEqualTo(2);
        fails(licensor.floating().addConsumption(device(open, "hw-a"), 3, false), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
        assertThat(ok(licensor.floating().addConsumption(device(open, "hw-a"), 1_000, true)).overage()).isEqualTo(998);
        fails(licensor.floating().addConsumption(device(plain, "hw-a"), 1, false), Code.LICENSE_NOT_CONSUMPTION);
        assertThat(fresh(plain).consumed()).isZero();
    }

    @Test
    void theCallersOverageCapTightensTheLicensesNeverLoosensIt() {
        product("cad");
        License capped = license(License.builder("cad").key("C").type(LicenseType.CONSUMPTION).maxConsumptions(10)
                .overage(true, 5));
        License open = license(License.builder("cad").key("U").type(LicenseType.CONSUMPTION).maxConsumptions(10)
                .overage(true, 0));
        activate(capped, "hw-a");
        activate(open, "hw-a");
        fails(licensor.floating().addConsumption(device(capped, "hw-a"), 13, true, 2L), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
        assertThat(ok(licensor.floating().addConsumption(device(capped, "hw-a"), 12, true, 2L)).overage()).isEqualTo(2);
        fails(licensor.floating().addConsumption(device(capped, "hw-a"), 4, true, 100L), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
        assertThat(ok(licensor.floating().addConsumption(device(capped, "hw-a"), 3, true, 0L)).overage()).isEqualTo(5);
        fails(licensor.floating().addConsumption(device(open, "hw-a"), 14, true, 3L), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
        assertThat(ok(licensor.floating().addConsumption(device(open, "hw-a"), 13, true, 3L)).overage()).isEqualTo(3);
        fails(licensor.floating().addConsumption(device(open, "hw-a"), 1, true, -1L), Code.INVALID_REQUEST);
    }

    @Test
    void aHugeOverageCapDoesNotOverflow() {
        product("cad");
        License l = license(License.builder("cad").key("M").type(LicenseType.CONSUMPTION).maxConsumptions(10)
                .overage(true, Long.MAX_VALUE));
        activate(l, "hw-a");
        assertThat(ok(licensor.floating().addConsumption(device(l, "hw-a"), 1, true)).consumed()).isEqualTo(1);
        assertThat(ok(licensor.floating().addConsumption(device(l, "hw-a"), 1_000, true)).overage()).isEqualTo(991);
        fails(licensor.floating().addConsumption(device(l, "hw-a"), 1, false), Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS);
    }

    @Test
    void theEnabledAndActiveSwitchesTurnTheLicenseOffAndOn() {
        product("cad");
        License l = floating("cad", "K", 1);
        activate(l, "hw-a");
        ok(licensor.seats().setEnabled(l.id(), false));
        assertThat(fresh(l).enabled()).isFalse();
        fails(tryCheck(l, "hw-a"), Code.LICENSE_NOT_ENABLED);
        fails(licensor.floating().activate(device(l, "hw-b")), Code.LICENSE_NOT_ENABLED);
        ok(licensor.seats().setEnabled(l.id(), true));
        check(l, "hw-a");
        ok(licensor.seats().setActive(l.id(), false));
        assertThat(fresh(l).active()).isFalse();
        assertThat(fresh(l).enabled()).isTrue();
        fails(tryCheck(l, "hw-a"), Code.LICENSE_NOT_ACTIVE);
        ok(licensor.seats().setActive(l.id(), true));
        check(l, "hw-a");
        // a license created off is off
        License off = license(License.builder("cad").key("OFF").enabled(false));
        fails(licensor.floating().activate(device(off, "hw-a")), Code.LICENSE_NOT_ENABLED);
        License idle = license(License.builder("cad").key("IDLE").active(false));
        fails(licensor.floating().activate(device(idle, "hw-a")), Code.LICENSE_NOT_ACTIVE);
    }

    @Test
    void aLicenseWorksOnlyWithinItsValidity() {
        product("cad");
        Instant from = START.plus(Duration.ofHours(1));
        Instant until = START.plus(Duration.ofDays(1));
        License l = license(License.builder("cad").key("K").type(LicenseType.TIME_LIMITED).validFrom(from)
                .validUntil(until).maxActivations(2).floatingSeats(1));
        fails(licensor.floating().activate(device(l, "hw-a")), Code.LICENSE_NOT_ACTIVE);
        clock.set(from);
        activate(l, "hw-a");
        check(l, "hw-a");
        clock.set(until.minusSeconds(1));
        check(l, "hw-a");
        clock.set(until); // validUntil is exclusive
        fails(tryCheck(l, "hw-a"), Code.LICENSE_EXPIRED);
        fails(licensor.floating().activate(device(l, "hw-b")), Code.LICENSE_EXPIRED);
        fails(licensor.floating().release(device(l, "hw-a")), Code.LICENSE_EXPIRED);
    }

    @Test
    void aBlacklistedDeviceIsRefusedEverywhereUntilUnblacklisted() {
        product("cad");
        License l = license(License.builder("cad").key("K").maxActivations(3).floatingSeats(2).borrowAllowed(true)
                .type(LicenseType.PERPETUAL));
        activate(l, "hw-a");
        activate(l, "hw-b");
        check(l, "hw-a");
        ok(licensor.seats().blacklist("cad", "hw-a"));
        fails(tryCheck(l, "hw-a"), Code.BLACKLISTED);
        fails(licensor.floating().borrow(device(l, "hw-a"), null), Code.BLACKLISTED);
        fails(licensor.floating().release(device(l, "hw-a")), Code.BLACKLISTED);
        fails(licensor.floating().deactivate(device(l, "hw-a")), Code.BLACKLISTED);
        fails(licensor.floating().addConsumption(device(l, "hw-a"), 1, false), Code.BLACKLISTED);
        assertThat(holders(l)).as("its seat is not taken away").containsExactly("hw-a");
        check(l, "hw-b");
        ok(licensor.seats().unblacklist("cad", "hw-a"));
        check(l, "hw-a");
        // the blacklist is per product
        product("cam");
        License other = floating("cam", "K", 1);
        ok(licensor.seats().blacklist("cam", "hw-x"));
        fails(licensor.floating().activate(device(other, "hw-x")), Code.BLACKLISTED);
        activate(l, "hw-x");
    }

    @Test
    void releaseAnswersEveryErrorCodeOfTheApi() {
        product("cad");
        product("cam");
        License l = license(License.builder("cad").key("K").maxActivations(5).floatingSeats(1));
        License single = license(License.builder("cad").key("SINGLE").maxActivations(5));
        activate(l, "hw-a");
        activate(single, "hw-a");
        check(l, "hw-a");

        fails(licensor.floating().release(DeviceRequest.byKey("nope", "K", "hw-a")), Code.UNKNOWN_PRODUCT);
        fails(licensor.floating().release(DeviceRequest.byKey("cad", "NOPE", "hw-a")), Code.LICENSE_NOT_FOUND);
        fails(licensor.floating().release(DeviceRequest.byKey("cam", "K", "hw-a")), Code.LICENSE_NOT_FOUND);
        fails(licensor.floating().release(new DeviceRequest("cad", "K", null, single.id(), "hw-a")), Code.LICENSE_NOT_FOUND);
        fails(licensor.floating().release(device(l, "hw-unknown")), Code.DEVICE_NOT_FOUND);
        fails(licensor.floating().release(device(single, "hw-a")), Code.FLOATING_NOT_AVAILABLE);
        ok(licensor.seats().setActive(l.id(), false));
        fails(licensor.floating().release(device(l, "hw-a")), Code.LICENSE_NOT_ACTIVE);
        ok(licensor.seats().setEnabled(l.id(), false));
        fails(licensor.floating().release(device(l, "hw-a")), Code.LICENSE_NOT_ENABLED);
        ok(licensor.seats().blacklist("cad", "hw-a"));
        fails(licensor.floating().release(device(l, "hw-a")), Code.BLACKLISTED);
        assertThat(holders(l)).containsExactly("hw-a");

        ok(licensor.seats().unblacklist("cad", "hw-a"));
        ok(licensor.seats().setEnabled(l.id(), true));
        ok(licensor.seats().setActive(l.id(), true));
        assertThat(licensor.floating().release(new DeviceRequest("cad", "K", null, l.id(), "hw-a")).isSuccess()).isTrue();
        assertThat(holders(l)).isEmpty();
    }

    @Test
    void checksRunInTheDocumentedOrder() {
        product("cad");
        License l = license(License.builder("cad").key("K").type(LicenseType.TIME_LIMITED)
                .validUntil(START.plus(Duration.ofDays(1))).maxActivations(5).floatingSeats(1));
        activate(l, "hw-a");
        clock.set(START.plus(Duration.ofDays(2)));
        ok(licensor.seats().setActive(l.id(), false));
        ok(licensor.seats().setEnabled(l.id(), false));
        ok(licensor.seats().blacklist("cad", "hw-a"));
        ok(licensor.seats().blacklist("cad", "hw-new"));

        // product, then license, then blacklist, enabled, active, expiry, then the device
        fails(licensor.floating().check(DeviceRequest.byKey("nope", "NOPE", "hw-a")), Code.UNKNOWN_PRODUCT);
        fails(licensor.floating().check(DeviceRequest.byKey("cad", "NOPE", "hw-a")), Code.LICENSE_NOT_FOUND);
        fails(tryCheck(l, "hw-a"), Code.BLACKLISTED);
        fails(tryCheck(l, "hw-new"), Code.BLACKLISTED);
        ok(licensor.seats().unblacklist("cad", "hw-a"));
        fails(tryCheck(l, "hw-a"), Code.LICENSE_NOT_ENABLED);
        fails(tryCheck(l, "hw-unknown"), Code.LICENSE_NOT_ENABLED);
        ok(licensor.seats().setEnabled(l.id(), true));
        fails(tryCheck(l, "hw-a"), Code.LICENSE_NOT_ACTIVE);
        ok(licensor.seats().setActive(l.id(), true));
        fails(tryCheck(l, "hw-unknown"), Code.LICENSE_EXPIRED);
        clock.set(START);
        fails(tryCheck(l, "hw-unknown"), Code.DEVICE_NOT_FOUND);
        check(l, "hw-a");
        // bad input is answered before anything is looked up
        fails(licensor.floating().check(DeviceRequest.byKey("nope", "NOPE", "")), Code.MISSING_PARAMETERS);
    }

    @Test
    void refusesMalformedDeviceRequests() {
        product("cad");
        License l = floating("cad", "K", 1);
        activate(l, "hw-a");
        fails(licensor.floating().check(null), Code.MISSING_PARAMETERS);
        fails(licensor.floating().check(DeviceRequest.byKey(null, "K", "hw-a")), Code.MISSING_PARAMETERS);
        fails(licensor.floating().check(DeviceRequest.byKey("cad", "K", null)), Code.MISSING_PARAMETERS);
        fails(licensor.floating().check(DeviceRequest.byKey("cad", "K", " ")), Code.MISSING_PARAMETERS);
        fails(licensor.floating().check(new DeviceRequest("cad", null, null, null, "hw-a")), Code.MISSING_PARAMETERS);
        fails(licensor.floating().check(new DeviceRequest("cad", "K", "alice", null, "hw-a")), Code.INVALID_REQUEST);
        fails(licensor.floating().check(new DeviceRequest("cad", "K", null, 0L, "hw-a")), Code.INVALID_REQUEST);
        fails(licensor.floating().check(DeviceRequest.byKey("cad", "K", "h".repeat(257))), Code.INVALID_REQUEST);
        fails(licensor.floating().check(DeviceRequest.byKey("cad", "K\u0085", "hw-a")), Code.INVALID_REQUEST);
        fails(licensor.floating().check(DeviceRequest.byKey("c d", "K", "hw-a")), Code.INVALID_REQUEST);
        assertThat(holders(l)).isEmpty();
        assertThat(ledgerWithoutDefinitions()).extracting(LedgerEntry::event).containsExactly(LedgerEvent.ACTIVATED);
    }
}
