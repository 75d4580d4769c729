package dev.licensor;

import dev.licensor.catalog.License;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.Change;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Seat administration's decisions (force release, the blacklist, the license switches, the purge
 * of lapsed leases) as functions of the rows {@link SeatAdminService} loaded under its locks, the
 * request and the engine's {@code now}: no store call and no clock read, so
 * {@code SeatAdminRulesTest} checks each code on plain values. Each returns a {@link Decision}: its
 * answer and one change set (rows, then the ledger entry) that the service applies in one
 * {@code apply(Change...)}.
 *
 * <p>Not API. Stateless and thread-safe.
 */
final class SeatAdminRules {
    private SeatAdminRules() {
    }

    /**
     * Frees the device's seat: {@code license_not_found} if the license row is gone,
     * {@code device_not_found} if the device holds no seat live at {@code now}, {@code seat_borrowed}
     * if the seat is borrowed (its signed lease is out until the end). Deletes the lease and records
     * {@code FORCE_RELEASED} by {@code actor}; answers the lease freed.
     *
     * @param license the license, read under the pool's lock
     * @param lease   the lease of seat key {@code seatKey}, read under the same lock
     */
    static Decision<Lease> forceRelease(Optional<License> license, Optional<Lease> lease, long licenseId, String seatKey,
                                       Instant now, String actor) {
        if (license.isEmpty()) {
            throw Denied.of(Code.LICENSE_NOT_FOUND);
        }
        Lease live = lease.filter(l -> l.isLiveAt(now))
                .orElseThrow(() -> Denied.of(Code.DEVICE_NOT_FOUND, "the device holds no live seat"));
        Admission.refuseIfBorrowed(live, now);
        return new Decision<>(live, List.of(Change.deleteLease(licenseId, seatKey),
                Audit.entry(now, LedgerEvent.FORCE_RELEASED, licenseId, seatKey, "", actor)));
    }

    /**
     * Adds ({@code add}) or removes the device on the product's blacklist: {@code unknown_product}
     * if the product does not exist; otherwise the put or delete and a {@code BLACKLISTED} or
     * {@code UNBLACKLISTED} entry (license id 0, subject the hardware id, detail {@code product
     * <code>}), whether or not the device was listed.
     *
     * @param productExists whether the product exists, read under the catalog's lock
     */
    static List<Change> blacklist(boolean productExists, String product, String hardwareId, boolean add, Instant now,
                                  String actor) {
        if (!productExists) {
            throw Denied.of(Code.UNKNOWN_PRODUCT);
        }
        return List.of(add ? Change.putBlacklist(product, hardwareId, now) : Change.deleteBlacklist(product, hardwareId),
                Audit.entry(now, add ? LedgerEvent.BLACKLISTED : LedgerEvent.UNBLACKLISTED, 0, hardwareId,
                        "product " + product, actor));
    }

    /**
     * Sets the license's {@code enabled} and {@code active} switches ({@code null} keeps one):
     * {@code license_not_found} if the license row is gone; otherwise the license row and a
     * {@code SWITCHED} entry ({@code enabled=..., active=...}), even when nothing changed.
     *
     * @param license the license, read under the pool's lock
     */
    static Decision<License> switches(Optional<License> license, Boolean enabled, Boolean active, Instant now,
                                     String actor) {
        License old = license.orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
        License changed = old.withSwitches(enabled != null ? enabled : old.enabled(), active != null ? active : old.active());
        return new Decision<>(changed, List.of(Change.putLicense(changed), Audit.entry(now, LedgerEvent.SWITCHED,
                old.id(), "", "enabled=" + changed.enabled() + ", active=" + changed.active(), actor)));
    }

    /**
     * One purge batch: of {@code current} (the leases a lapsed listing named, read again under their
     * pools' locks; those gone are left out), deletes each that is not live at {@code now}, recording
     * {@code LAPSED} at the moment it lapsed (detail {@code purged}, no actor). A lease refreshed
     * since the listing is kept. Answers the leases deleted, in {@code current}'s order.
     */
    static Decision<List<Lease>> purge(List<Lease> current, Instant now) {
        List<Lease> deleted = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        for (Lease lease : current) {
            if (!lease.isLiveAt(now)) {
                changes.add(Change.deleteLease(lease.licenseId(), lease.hardwareId()));
                changes.add(Audit.entry(lease.expiresAt(), LedgerEvent.LAPSED, lease.licenseId(), lease.hardwareId(), "purged"));
                deleted.add(lease);
            }
        }
        return new Decision<>(List.copyOf(deleted), changes);
    }
}
