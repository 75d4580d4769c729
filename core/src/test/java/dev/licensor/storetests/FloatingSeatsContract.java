package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.License;
import dev.licensor.floating.Activation;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The device calls' seats: activation, seats taken and refreshed, lapses by the clock, borrowing,
 * release and deactivation (the other floating rules are in {@link FloatingRulesContract}).
 */
public abstract class FloatingSeatsContract extends ContractBase {

    @Test
    void activatesUpToMaxActivationsAndIsIdempotent() {
        product("cad");
        License l = license(License.builder("cad").key("K").maxActivations(2));
        Activation a = activate(l, "hw-a");
        assertThat(a).isEqualTo(new Activation(l.id(), "hw-a", START));
        clock.advance(Duration.ofMinutes(1));
        assertThat(activate(l, "hw-a")).as("activating again returns the first activation").isEqualTo(a);
        activate(l, "hw-b");
        // a bound device is still welcome at the limit
        assertThat(activate(l, "hw-b").hardwareId()).isEqualTo("hw-b");
        assertThat(count(LedgerEvent.ACTIVATED, l)).isEqualTo(2);
        // unbinding frees an activation
        ok(licensor.floating().deactivate(device(l, "hw-a")));
        assertThat(activate(l, "hw-c").activatedAt()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        fails(licensor.floating().check(device(l, "hw-a")), Code.DEVICE_NOT_FOUND);
    }

    @Test
    void userBasedLicensesWorkLikeKeyBasedOnes() {
        product("cad");
        License l = license(License.builder("cad").username("alice@example.com").maxActivations(3).floatingSeats(1));
        activate(l, "hw-a");
        activate(l, "hw-b");
        assertThat(check(l, "hw-a").hardwareId()).isEqualTo("hw-a");
        fails(tryCheck(l, "hw-b"), Code.FLOATING_NOT_AVAILABLE);
        fails(licensor.floating().check(DeviceRequest.byUser("cad", "bob@example.com", "hw-a")), Code.LICENSE_NOT_FOUND);
        fails(licensor.floating().check(DeviceRequest.byKey("cad", "alice@example.com", "hw-a")), Code.LICENSE_NOT_FOUND);
    }

    @Test
    void checkOfANonFloatingLicenseTakesNoSeat() {
        product("cad");
        License l = license(License.builder("cad").key("K"));
        activate(l, "hw-a");
        LicenseCheck c = ok(tryCheck(l, "hw-a"));
        assertThat(c.license()).isEqualTo(l);
        assertThat(c.lease()).isNull();
        assertThat(holders(l)).isEmpty();
        fails(tryCheck(l, "hw-b"), Code.DEVICE_NOT_FOUND);
    }

    @Test
    void checkTakesASeatAndRefreshesTheDevicesOwnSeat() {
        product("cad");
        License l = floating("cad", "K", 2);
        activate(l, "hw-a");
        Lease first = check(l, "hw-a");
        assertThat(first).isEqualTo(new Lease(l.id(), "hw-a", START, START, START.plus(TIMEOUT), null));
        assertThat(leases(l)).containsExactly(first);

        Instant later = clock.advance(Duration.ofMinutes(7));
        Lease refreshed = check(l, "hw-a");
        assertThat(refreshed).isEqualTo(new Lease(l.id(), "hw-a", START, later, later.plus(TIMEOUT), null));
        assertThat(leases(l)).containsExactly(refreshed);
        assertThat(count(LedgerEvent.GRANTED, l)).isEqualTo(1);
        assertThat(count(LedgerEvent.REFRESHED, l)).isEqualTo(1);
    }

    @Test
    void aDeviceNeverHoldsTwoSeats() {
        product("cad");
        License l = floating("cad", "K", 3);
        activate(l, "hw-a");
        for (int i = 0; i < 5; i++) {
            check(l, "hw-a");
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(holders(l)).containsExactly("hw-a");
        activate(l, "hw-b");
        activate(l, "hw-c");
        check(l, "hw-b");
        check(l, "hw-c");
        assertThat(holders(l)).containsExactly("hw-a", "hw-b", "hw-c");
    }

    @Test
    void aFullPoolRefusesNewDevicesButNotItsHolders() {
        product("cad");
        License l = floating("cad", "K", 2);
        for (String hw : List.of("hw-a", "hw-b", "hw-c")) {
            activate(l, hw);
        }
        check(l, "hw-a");
        check(l, "hw-b");
        fails(tryCheck(l, "hw-c"), Code.FLOATING_NOT_AVAILABLE);
        check(l, "hw-a");
        assertThat(holders(l)).containsExactly("hw-a", "hw-b");
        ok(licensor.floating().release(device(l, "hw-b")));
        check(l, "hw-c");
        assertThat(holders(l)).containsExactly("hw-a", "hw-c");
    }

    @Test
    void aLeaseLapsesWhenTheClockPassesItsTimeoutWithNoThread() {
        product("cad");
        License l = floating("cad", "K", 1);
        activate(l, "hw-a");
        activate(l, "hw-b");
        check(l, "hw-a");

        clock.set(START.plus(TIMEOUT).minusSeconds(1));
        assertThat(holders(l)).containsExactly("hw-a");
        fails(tryCheck(l, "hw-b"), Code.FLOATING_NOT_AVAILABLE);

        clock.set(START.plus(TIMEOUT)); // live while now < expiresAt
        assertThat(holders(l)).isEmpty();
        Lease b = check(l, "hw-b");
        assertThat(b.grantedAt()).isEqualTo(START.plus(TIMEOUT));
        List<LedgerEntry> lapsed = ledger(LedgerEvent.LAPSED);
        assertThat(lapsed).hasSize(1);
        assertThat(lapsed.get(0).subject()).isEqualTo("hw-a");
        assertThat(lapsed.get(0).at()).as("a lapse is stamped with the expiry").isEqualTo(START.plus(TIMEOUT));
        fails(tryCheck(l, "hw-a"), Code.FLOATING_NOT_AVAILABLE);
    }

    @Test
    void aDeviceWhoseSeatLapsedGetsANewOne() {
        product("cad");
        License l = floating("cad", "K", 1);
        activate(l, "hw-a");
        check(l, "hw-a");
        Instant later = clock.advance(TIMEOUT.plusMinutes(5));
        Lease again = check(l, "hw-a");
        assertThat(again.grantedAt()).isEqualTo(later);
        assertThat(again.expiresAt()).isEqualTo(later.plus(TIMEOUT));
        assertThat(count(LedgerEvent.GRANTED, l)).isEqualTo(2);
        assertThat(count(LedgerEvent.LAPSED, l)).isEqualTo(1);
        assertThat(count(LedgerEvent.REFRESHED, l)).isZero();
    }

    @Test
    void aDeviceGetsANewSeatEvenWhenManyOlderLeasesLapsedBeforeItsOwn() {
        // More lapsed leases than one sweep takes: the device's own lapsed lease is not among
        // the oldest, and taking a seat again must still work (and count it once).
        product("cad");
        int devices = 70;
        License l = floating("cad", "K", devices);
        for (int i = 0; i < devices; i++) {
            activate(l, String.format("hw-%03d", i));
        }
        for (int i = 0; i < devices; i++) {
            check(l, String.format("hw-%03d", i));
            clock.advance(Duration.ofSeconds(1));
        }
        String last = String.format("hw-%03d", devices - 1);
        clock.advance(TIMEOUT.multipliedBy(2));
        Lease again = check(l, last);
        assertThat(again.grantedAt()).isEqualTo(clock.instant());
        assertThat(holders(l)).containsExactly(last);
        licensor.seats().purgeLapsed();
        long granted = count(LedgerEvent.GRANTED, l);
        long lapsed = count(LedgerEvent.LAPSED, l);
        assertThat(granted).isEqualTo(devices + 1);
        assertThat(lapsed).as("every old lease lapsed once").isEqualTo(devices);
        assertThat(granted - lapsed).isEqualTo(holders(l).size());
    }

    /**
     * A seeded random walk of checks, borrows, releases, force-releases and clock moves over
     * six devices and three seats, each step's answer and the holders compared with a small
     * model of the rules (a seat is live while now < expiresAt; a refresh never shortens it; a
     * borrow extends its end, never shortens it, and expiresAt = max(now + timeout, borrowedUntil);
     * a borrowed seat is neither released nor force-released before its end).
     */
    @Test
    void randomStepsAgreeWithAModelOfThePool() {
        product("cad");
        int seats = 3;
        License l = license(License.builder("cad").key("K").maxActivations(10).floatingSeats(seats).borrowAllowed(true));
        List<String> devices = List.of("hw-0", "hw-1", "hw-2", "hw-3", "hw-4", "hw-5");
        for (String hw : devices) {
            activate(l, hw);
        }
        Map<String, Lease> model = new TreeMap<>();
        java.util.Random random = new java.util.Random(20_260_105L);
        Map<String, Integer> seen = new TreeMap<>(); // which answers the walk met
        for (int step = 0; step < 300; step++) {
            Instant now = clock.instant();
            model.values().removeIf(lease -> !lease.isLiveAt(now));
            String hw = devices.get(random.nextInt(devices.size()));
            Lease own = model.get(hw);
            boolean seatFree = own != null || model.size() < seats;
            int op = random.nextInt(10);
            String what = "step " + step + " op " + op + " " + hw;
            if (op < 4) { // check
                Outcome<LicenseCheck> o = tryCheck(l, hw);
                seen.merge("check " + o.code().key() + (own == null ? "" : " refresh"), 1, Integer::sum);
                if (!seatFree) {
                    fails(o, Code.FLOATING_NOT_AVAILABLE);
                } else {
                    Instant fresh = now.plus(TIMEOUT);
                    Lease expected = own == null ? new Lease(l.id(), hw, now, now, fresh, null)
                            : new Lease(l.id(), hw, own.grantedAt(), now,
                                    own.borrowedUntil() != null && own.borrowedUntil().isAfter(fresh) ? own.borrowedUntil() : fresh,
                                    own.borrowedUntil());
                    assertThat(ok(o).lease()).as(what).isEqualTo(expected);
                    model.put(hw, expected);
                }
            } else if (op < 6) { // borrow for 0..29 minutes, or 0..29 hours (over 24 is refused)
                Duration length = random.nextInt(4) > 0 ? Duration.ofMinutes(random.nextInt(30))
                        : Duration.ofHours(random.nextInt(30));
                Instant until = now.plus(length);
                Outcome<Lease> o = licensor.floating().borrow(device(l, hw), until);
                seen.merge("borrow " + o.code().key(), 1, Integer::sum);
                if (!seatFree) { // the seat answers first (docs/engine.md, order of checks)
                    fails(o, Code.FLOATING_NOT_AVAILABLE);
                } else if (length.isZero() || length.compareTo(MAX_BORROW) > 0) {
                    fails(o, Code.BORROW_UNTIL_NOT_VALID);
                } else if (own != null && own.isBorrowedAt(now) && until.isBefore(own.borrowedUntil())) {
                    fails(o, Code.BORROW_UNTIL_NOT_VALID);
                } else {
                    Instant seatEnd = now.plus(TIMEOUT);
                    Lease expected = new Lease(l.id(), hw, own == null ? now : own.grantedAt(), now,
                            until.isAfter(seatEnd) ? until : seatEnd, until);
                    assertThat(ok(o)).as(what).isEqualTo(expected);
                    model.put(hw, expected);
                }
            } else if (op < 7) { // release
                Outcome<Void> o = licensor.floating().release(device(l, hw));
                seen.merge("release " + o.code().key(), 1, Integer::sum);
                if (own != null && own.isBorrowedAt(now)) {
                    fails(o, Code.SEAT_BORROWED);
                } else {
                    assertThat(o.isSuccess()).as(what).isTrue();
                    model.remove(hw);
                }
            } else if (op < 8) { // force-release
                Outcome<Lease> o = licensor.seats().forceRelease(l.id(), hw);
                seen.merge("force " + o.code().key(), 1, Integer::sum);
                if (own == null) {
                    fails(o, Code.DEVICE_NOT_FOUND);
                } else if (own.isBorrowedAt(now)) {
                    fails(o, Code.SEAT_BORROWED);
                } else {
                    assertThat(ok(o)).as(what).isEqualTo(own);
                    model.remove(hw);
                }
            } else { // time passes: 0 to 14 minutes
                clock.advance(Duration.ofMinutes(random.nextInt(15)));
            }
            Instant after = clock.instant();
            List<Lease> expectedHolders = model.values().stream().filter(x -> x.isLiveAt(after))
                    .sorted(java.util.Comparator.comparing(Lease::grantedAt).thenComparing(Lease::hardwareId))
                    .collect(Collectors.toList());
            assertThat(leases(l)).as(what).isEqualTo(expectedHolders);
        }
        // every lease that ended is in the ledger once
        licensor.seats().purgeLapsed();
        long held = count(LedgerEvent.GRANTED, l) - count(LedgerEvent.RELEASED, l) - count(LedgerEvent.LAPSED, l)
                - count(LedgerEvent.FORCE_RELEASED, l);
        assertThat(held).isEqualTo(leases(l).size());
        assertThat(count(LedgerEvent.LAPSED, l)).as("lapses met").isPositive();
        assertThat(seen.keySet()).as("answers met").contains("check ok", "check ok refresh", "check floating_not_available",
                "borrow ok", "borrow borrow_until_not_valid", "borrow floating_not_available", "force ok",
                "force device_not_found", "force seat_borrowed", "release seat_borrowed");
    }

    @Test
    void aLicenseCanOverrideTheProductsTimeout() {
        product("cad");
        License l = license(License.builder("cad").key("K").maxActivations(2).floatingSeats(1)
                .floatingTimeout(Duration.ofMinutes(2)));
        activate(l, "hw-a");
        assertThat(check(l, "hw-a").expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(2)));
        clock.advance(Duration.ofMinutes(2));
        assertThat(holders(l)).isEmpty();
    }

    @Test
    void borrowDefaultsToTheMaximumBorrowTimeAndOutlivesTheTimeout() {
        product("cad");
        License l = license(License.builder("cad").key("K").maxActivations(3).floatingSeats(1).borrowAllowed(true));
        activate(l, "hw-a");
        activate(l, "hw-b");
        Lease borrowed = ok(licensor.floating().borrow(device(l, "hw-a"), null));
        Instant until = START.plus(MAX_BORROW);
        assertThat(borrowed).isEqualTo(new Lease(l.id(), "hw-a", START, START, until, until));
        assertThat(leases(l)).containsExactly(borrowed);

        clock.advance(TIMEOUT.multipliedBy(6));
        assertThat(holders(l)).as("a borrowed seat needs no refresh").containsExactly("hw-a");
        fails(tryCheck(l, "hw-b"), Code.FLOATING_NOT_AVAILABLE);
        // a check-in during the borrow keeps the borrow's end
        Lease refreshed = check(l, "hw-a");
        assertThat(refreshed.expiresAt()).isEqualTo(until);
        assertThat(refreshed.borrowedUntil()).isEqualTo(until);

        clock.set(until);
        assertThat(holders(l)).isEmpty();
        check(l, "hw-b");
        List<LedgerEntry> borrowedEntries = ledger(LedgerEvent.BORROWED);
        assertThat(borrowedEntries).hasSize(1);
        assertThat(borrowedEntries.get(0).until()).as("typed, not text").isEqualTo(until);
    }

    @Test
    void borrowOfAHeldSeatKeepsItAndALicenseMayCapTheBorrow() {
        product("cad");
        License l = license(License.builder("cad").key("K").maxActivations(3).floatingSeats(2).borrowAllowed(true)
                .maxBorrowTime(Duration.ofHours(2)));
        activate(l, "hw-a");
        check(l, "hw-a");
        Instant t = clock.advance(Duration.ofMinutes(1));
        Lease borrowed = ok(licensor.floating().borrow(device(l, "hw-a"), t.plus(Duration.ofHours(1))));
        assertThat(borrowed.grantedAt()).isEqualTo(START);
        assertThat(borrowed.borrowedUntil()).isEqualTo(t.plus(Duration.ofHours(1)));
        assertThat(borrowed.expiresAt()).isEqualTo(t.plus(Duration.ofHours(1)));
        assertThat(ok(licensor.floating().borrow(device(l, "hw-a"), null)).borrowedUntil())
                .isEqualTo(t.plus(Duration.ofHours(2)));
        fails(licensor.floating().borrow(device(l, "hw-a"), t.plus(Duration.ofHours(2)).plusSeconds(1)),
                Code.BORROW_UNTIL_NOT_VALID);
        assertThat(holders(l)).containsExactly("hw-a");
        assertThat(count(LedgerEvent.GRANTED, l)).isEqualTo(1);
    }

    @Test
    void borrowIsRefusedWhenNotAllowedInThePastOrBeyondTheCap() {
        product("cad");
        License no = license(License.builder("cad").key("NO").maxActivations(2).floatingSeats(1));
        License yes = license(License.builder("cad").key("YES").maxActivations(2).floatingSeats(1).borrowAllowed(true));
        activate(no, "hw-a");
        activate(yes, "hw-a");
        fails(licensor.floating().borrow(device(no, "hw-a"), START.plus(Duration.ofHours(1))), Code.LICENSE_BORROW_NOT_ALLOWED);
        fails(licensor.floating().borrow(device(yes, "hw-a"), START.minusSeconds(1)), Code.BORROW_UNTIL_NOT_VALID);
        fails(licensor.floating().borrow(device(yes, "hw-a"), START), Code.BORROW_UNTIL_NOT_VALID);
        fails(licensor.floating().borrow(device(yes, "hw-a"), START.plus(MAX_BORROW).plusSeconds(1)),
                Code.BORROW_UNTIL_NOT_VALID);
        assertThat(holders(yes)).isEmpty();
        assertThat(holders(no)).isEmpty();
        assertThat(ok(licensor.floating().borrow(device(yes, "hw-a"), START.plus(MAX_BORROW))).expiresAt())
                .isEqualTo(START.plus(MAX_BORROW));
        // a borrow needs a free seat like a check does
        activate(yes, "hw-b");
        fails(licensor.floating().borrow(device(yes, "hw-b"), null), Code.FLOATING_NOT_AVAILABLE);
    }

    @Test
    void releaseFreesTheSeatAndSucceedsWithNothingToRelease() {
        product("cad");
        License l = floating("cad", "K", 1);
        activate(l, "hw-a");
        activate(l, "hw-b");
        check(l, "hw-a");
        Outcome<Void> released = licensor.floating().release(device(l, "hw-a"));
        assertThat(released).isEqualTo(Outcome.success(null));
        assertThat(holders(l)).isEmpty();
        check(l, "hw-b");
        int entries = ledger().size();
        assertThat(licensor.floating().release(device(l, "hw-a")).isSuccess()).as("release of no seat").isTrue();
        assertThat(ledger()).hasSize(entries);
        assertThat(holders(l)).containsExactly("hw-b");
        assertThat(count(LedgerEvent.RELEASED, l)).isEqualTo(1);
    }

    @Test
    void releaseOfALapsedSeatRecordsTheLapse() {
        product("cad");
        License l = floating("cad", "K", 1);
        activate(l, "hw-a");
        check(l, "hw-a");
        clock.advance(TIMEOUT.plusMinutes(1));
        ok(licensor.floating().release(device(l, "hw-a")));
        assertThat(count(LedgerEvent.RELEASED, l)).isZero();
        assertThat(ledger(LedgerEvent.LAPSED)).extracting(LedgerEntry::at).containsExactly(START.plus(TIMEOUT));
    }

    @Test
    void deactivateFreesTheDevicesSeat() {
        product("cad");
        License l = license(License.builder("cad").key("K").maxActivations(1).floatingSeats(1));
        activate(l, "hw-a");
        check(l, "hw-a");
        Outcome<Void> gone = licensor.floating().deactivate(device(l, "hw-a"));
        assertThat(gone).isEqualTo(Outcome.success(null));
        assertThat(holders(l)).isEmpty();
        assertThat(count(LedgerEvent.RELEASED, l)).isEqualTo(1);
        assertThat(count(LedgerEvent.DEACTIVATED, l)).isEqualTo(1);
        fails(tryCheck(l, "hw-a"), Code.DEVICE_NOT_FOUND);
        fails(licensor.floating().deactivate(device(l, "hw-a")), Code.DEVICE_NOT_FOUND);
        // both the activation and the seat are free for another device
        activate(l, "hw-b");
        check(l, "hw-b");
    }
}
