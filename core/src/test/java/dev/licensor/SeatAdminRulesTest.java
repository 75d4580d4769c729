package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.License;
import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.Change;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link SeatAdminRules} on plain values, no store: every code each decision can return, and its change set. */
class SeatAdminRulesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final License LICENSE = License.builder("cad").key("K").floatingSeats(2).build().withId(9);

    private static Lease lease(String hw, Instant expiresAt, Instant borrowedUntil) {
        return new Lease(9, hw, NOW.minusSeconds(600), NOW.minusSeconds(60), expiresAt, borrowedUntil, hw,
                Holder.NONE, false);
    }

    private static Code refusal(Runnable call) {
        try {
            call.run();
        } catch (Denied d) {
            return d.code();
        }
        throw new AssertionError("not refused");
    }

    private static LedgerEntry entry(Change change) {
        return ((Change.AppendLedger) change).entry();
    }

    @Test
    void forceReleaseDeletesTheLiveSeatAndRecordsWhoDidIt() {
        Lease live = lease("hw", NOW.plusSeconds(60), null);
        Decision<Lease> d = SeatAdminRules.forceRelease(Optional.of(LICENSE), Optional.of(live), 9, "hw", NOW,
                "admin:alice");
        assertThat(d.result()).isEqualTo(live);
        assertThat(d.changes()).hasSize(2);
        assertThat(d.changes().get(0)).isEqualTo(Change.deleteLease(9, "hw"));
        LedgerEntry e = entry(d.changes().get(1));
        assertThat(e.event()).isEqualTo(LedgerEvent.FORCE_RELEASED);
        assertThat(e.licenseId()).isEqualTo(9);
        assertThat(e.subject()).isEqualTo("hw");
        assertThat(e.actor()).isEqualTo("admin:alice");
        assertThat(e.at()).isEqualTo(NOW);
        assertThat(e.code()).isEqualTo(Code.OK);
    }

    @Test
    void forceReleaseAnswersLicenseNotFoundThenDeviceNotFoundThenSeatBorrowed() {
        assertThat(refusal(() -> SeatAdminRules.forceRelease(Optional.empty(), Optional.empty(), 9, "hw", NOW, "")))
                .isEqualTo(Code.LICENSE_NOT_FOUND);
        assertThat(refusal(() -> SeatAdminRules.forceRelease(Optional.of(LICENSE), Optional.empty(), 9, "hw", NOW, "")))
                .as("no seat").isEqualTo(Code.DEVICE_NOT_FOUND);
        assertThat(refusal(() -> SeatAdminRules.forceRelease(Optional.of(LICENSE), Optional.of(lease("hw", NOW, null)), 9,
                "hw", NOW, ""))).as("lapsed at now").isEqualTo(Code.DEVICE_NOT_FOUND);
        assertThat(refusal(() -> SeatAdminRules.forceRelease(Optional.of(LICENSE),
                Optional.of(lease("hw", NOW.plusSeconds(3600), NOW.plusSeconds(3600))), 9, "hw", NOW, "")))
                .isEqualTo(Code.SEAT_BORROWED);
        assertThat(SeatAdminRules.forceRelease(Optional.of(LICENSE),
                Optional.of(lease("hw", NOW.plusSeconds(60), NOW)), 9, "hw", NOW, "").result())
                .as("a borrow that ended at now no longer holds the seat").isNotNull();
    }

    @Test
    void blacklistPutsOrDeletesWithItsEntryAndNeedsTheProduct() {
        List<Change> add = SeatAdminRules.blacklist(true, "cad", "hw", true, NOW, "ops");
        assertThat(add.get(0)).isEqualTo(Change.putBlacklist("cad", "hw", NOW));
        assertThat(entry(add.get(1))).satisfies(e -> {
            assertThat(e.event()).isEqualTo(LedgerEvent.BLACKLISTED);
            assertThat(e.licenseId()).isZero();
            assertThat(e.subject()).isEqualTo("hw");
            assertThat(e.detail()).isEqualTo("product cad");
            assertThat(e.actor()).isEqualTo("ops");
        });
        List<Change> remove = SeatAdminRules.blacklist(true, "cad", "hw", false, NOW, "");
        assertThat(remove.get(0)).isEqualTo(Change.deleteBlacklist("cad", "hw"));
        assertThat(entry(remove.get(1)).event()).isEqualTo(LedgerEvent.UNBLACKLISTED);
        assertThat(refusal(() -> SeatAdminRules.blacklist(false, "cad", "hw", true, NOW, "")))
                .isEqualTo(Code.UNKNOWN_PRODUCT);
        assertThat(refusal(() -> SeatAdminRules.blacklist(false, "cad", "hw", false, NOW, "")))
                .isEqualTo(Code.UNKNOWN_PRODUCT);
    }

    @Test
    void switchesChangeOnlyTheGivenOneAndRecordBoth() {
        Decision<License> off = SeatAdminRules.switches(Optional.of(LICENSE), false, null, NOW, "");
        assertThat(off.result().enabled()).isFalse();
        assertThat(off.result().active()).isTrue();
        assertThat(off.changes().get(0)).isEqualTo(Change.putLicense(off.result()));
        assertThat(entry(off.changes().get(1))).satisfies(e -> {
            assertThat(e.event()).isEqualTo(LedgerEvent.SWITCHED);
            assertThat(e.licenseId()).isEqualTo(9);
            assertThat(e.subject()).isEmpty();
            assertThat(e.detail()).isEqualTo("enabled=false, active=true");
        });
        assertThat(SeatAdminRules.switches(Optional.of(LICENSE), null, false, NOW, "").result().enabled()).isTrue();
        assertThat(refusal(() -> SeatAdminRules.switches(Optional.empty(), true, null, NOW, "")))
                .isEqualTo(Code.LICENSE_NOT_FOUND);
    }

    @Test
    void purgeDeletesOnlyWhatIsStillLapsedRecordingWhenItLapsed() {
        Lease lapsed = lease("a", NOW.minusSeconds(30), null);
        Lease refreshed = lease("b", NOW.plusSeconds(30), null);
        Lease atNow = lease("c", NOW, null);
        Decision<List<Lease>> d = SeatAdminRules.purge(List.of(lapsed, refreshed, atNow), NOW);
        assertThat(d.result()).containsExactly(lapsed, atNow);
        assertThat(d.changes()).hasSize(4);
        assertThat(d.changes().get(0)).isEqualTo(Change.deleteLease(9, "a"));
        assertThat(entry(d.changes().get(1))).satisfies(e -> {
            assertThat(e.event()).isEqualTo(LedgerEvent.LAPSED);
            assertThat(e.at()).isEqualTo(lapsed.expiresAt());
            assertThat(e.subject()).isEqualTo("a");
            assertThat(e.detail()).isEqualTo("purged");
            assertThat(e.actor()).isEmpty();
        });
        assertThat(d.changes().get(2)).isEqualTo(Change.deleteLease(9, "c"));
        assertThat(SeatAdminRules.purge(List.of(refreshed), NOW).changes()).isEmpty();
    }
}
