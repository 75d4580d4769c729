package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.License;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who holds which seat until when, force-release, purge of lapsed leases, blacklist, switches. */
public abstract class SeatAdministrationContract extends ContractBase {

    @Test
    void holdersSayWhoHoldsWhichSeatUntilWhen() {
        product("cad");
        License l = license(License.builder("cad").key("K").maxActivations(5).floatingSeats(3).borrowAllowed(true));
        activate(l, "hw-b");
        activate(l, "hw-a");
        activate(l, "hw-c");
        Lease b = check(l, "hw-b");
        Instant t1 = clock.advance(Duration.ofMinutes(2));
        Lease a = check(l, "hw-a");
        Lease c = ok(licensor.floating().borrow(device(l, "hw-c"), t1.plus(Duration.ofHours(3))));
        assertThat(leases(l)).as("by grant time, then hardware id").containsExactly(b, a, c);
        assertThat(a.expiresAt()).isEqualTo(t1.plus(TIMEOUT));
        assertThat(b.expiresAt()).isEqualTo(START.plus(TIMEOUT));
        assertThat(c.expiresAt()).isEqualTo(t1.plus(Duration.ofHours(3)));
        assertThat(c.borrowedUntil()).isEqualTo(t1.plus(Duration.ofHours(3)));

        clock.set(START.plus(TIMEOUT));
        assertThat(holders(l)).containsExactly("hw-a", "hw-c");
        fails(licensor.seats().holders(999_999), Code.LICENSE_NOT_FOUND);
        fails(licensor.seats().holders(0), Code.INVALID_REQUEST);
        assertThat(ok(licensor.seats().holders(license(License.builder("cad").key("EMPTY")).id()))).isEmpty();
    }

    @Test
    void forceReleaseFreesALiveSeat() {
        product("cad");
        License l = floating("cad", "K", 1);
        activate(l, "hw-a");
        activate(l, "hw-b");
        Lease a = check(l, "hw-a");
        Instant t = clock.advance(Duration.ofMinutes(1));
        assertThat(ok(licensor.seats().forceRelease(l.id(), "hw-a"))).isEqualTo(a);
        assertThat(holders(l)).isEmpty();
        List<LedgerEntry> forced = ledger(LedgerEvent.FORCE_RELEASED);
        assertThat(forced).hasSize(1);
        assertThat(forced.get(0).at()).isEqualTo(t);
        assertThat(forced.get(0).subject()).isEqualTo("hw-a");
        assertThat(forced.get(0).licenseId()).isEqualTo(l.id());
        check(l, "hw-b");

        fails(licensor.seats().forceRelease(l.id(), "hw-a"), Code.DEVICE_NOT_FOUND);
        fails(licensor.seats().forceRelease(999_999, "hw-b"), Code.LICENSE_NOT_FOUND);
        fails(licensor.seats().forceRelease(l.id(), ""), Code.MISSING_PARAMETERS);
        fails(licensor.seats().forceRelease(-1, "hw-b"), Code.INVALID_REQUEST);
        clock.advance(TIMEOUT);
        fails(licensor.seats().forceRelease(l.id(), "hw-b"), Code.DEVICE_NOT_FOUND);
        // the device itself was not touched: it can check in again
        check(l, "hw-a");
    }

    @Test
    void purgeLapsedDeletesLapsedLeasesAndRecordsEachLapseAtItsExpiry() {
        product("cad");
        License one = floating("cad", "ONE", 3);
        License two = floating("cad", "TWO", 3);
        for (String hw : List.of("hw-a", "hw-b", "hw-c")) {
            activate(one, hw);
            activate(two, hw);
        }
        check(one, "hw-a");
        check(two, "hw-a");
        clock.advance(Duration.ofMinutes(5));
        check(one, "hw-b");
        check(two, "hw-c");
        clock.advance(Duration.ofMinutes(5)); // the first two lapse now
        assertThat(licensor.seats().purgeLapsed()).isEqualTo(2);
        List<LedgerEntry> lapsed = ledger(LedgerEvent.LAPSED);
        assertThat(lapsed).extracting(LedgerEntry::licenseId).containsExactlyInAnyOrder(one.id(), two.id());
        assertThat(lapsed).extracting(LedgerEntry::at).containsOnly(START.plus(TIMEOUT));
        assertThat(lapsed).extracting(LedgerEntry::subject).containsOnly("hw-a");
        assertThat(holders(one)).containsExactly("hw-b");
        assertThat(holders(two)).containsExactly("hw-c");
        assertThat(licensor.seats().purgeLapsed()).isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(licensor.seats().purgeLapsed()).isEqualTo(2);
        assertThat(ledger(LedgerEvent.LAPSED)).hasSize(4);
        // a purged lease is not swept again
        check(one, "hw-a");
        assertThat(ledger(LedgerEvent.LAPSED)).hasSize(4);
    }

    @Test
    void blacklistAndUnblacklistAreIdempotentPerProduct() {
        product("cad");
        License l = floating("cad", "K", 1);
        activate(l, "hw-a");
        ok(licensor.seats().blacklist("cad", "hw-a"));
        ok(licensor.seats().blacklist("cad", "hw-a"));
        fails(tryCheck(l, "hw-a"), Code.BLACKLISTED);
        ok(licensor.seats().unblacklist("cad", "hw-a"));
        check(l, "hw-a");
        ok(licensor.seats().unblacklist("cad", "hw-a"));
        ok(licensor.seats().unblacklist("cad", "never-listed"));
        check(l, "hw-a");
        fails(licensor.seats().blacklist("nope", "hw-a"), Code.UNKNOWN_PRODUCT);
        fails(licensor.seats().unblacklist("nope", "hw-a"), Code.UNKNOWN_PRODUCT);
        fails(licensor.seats().blacklist("cad", null), Code.MISSING_PARAMETERS);
        fails(licensor.seats().blacklist("", "hw-a"), Code.MISSING_PARAMETERS);
        fails(licensor.seats().blacklist("cad", "hw\u0001"), Code.INVALID_REQUEST);
    }

    @Test
    void switchesChangeOnlyTheirSwitchAndKeepSeats() {
        product("cad");
        License l = floating("cad", "K", 1);
        activate(l, "hw-a");
        check(l, "hw-a");
        ok(licensor.seats().setEnabled(l.id(), false));
        ok(licensor.seats().setActive(l.id(), false));
        License off = fresh(l);
        assertThat(off.enabled()).isFalse();
        assertThat(off.active()).isFalse();
        assertThat(off.withSwitches(true, true)).isEqualTo(l);
        assertThat(holders(l)).as("switching off frees no seat").containsExactly("hw-a");
        ok(licensor.seats().setEnabled(l.id(), true));
        assertThat(fresh(l).enabled()).isTrue();
        assertThat(fresh(l).active()).isFalse();
        ok(licensor.seats().setActive(l.id(), true));
        assertThat(fresh(l)).isEqualTo(l);
        fails(licensor.seats().setEnabled(999_999, false), Code.LICENSE_NOT_FOUND);
        fails(licensor.seats().setActive(0, false), Code.INVALID_REQUEST);
    }
}
