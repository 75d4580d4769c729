package dev.licensor;

import dev.licensor.catalog.License;
import dev.licensor.floating.Lease;
import dev.licensor.outcome.Code;
import dev.licensor.store.PoolState;
import java.time.Instant;

/**
 * The checks every floating call makes once the license row is loaded, in the documented order
 * ({@code docs/engine.md}): blacklist, switches, validity, then the device and the license kind;
 * and the rule that a borrowed seat is not freed early. Each refusal throws {@link Denied}. Not API.
 *
 * <p>Thread-safe: static, stateless.
 */
final class Admission {
    private Admission() {
    }

    /** The checks every call shares once the license row is loaded: blacklist, switches, validity. */
    static License admit(PoolState s, DeviceTarget t, Instant now) {
        License license = s.license();
        if (s.blacklisted()) {
            throw Denied.license(Code.BLACKLISTED, license.id(), t.hardwareId());
        }
        checkUsable(license, now, t.hardwareId());
        return license;
    }

    /** The switch and validity checks, in documented order. */
    static void checkUsable(License license, Instant now, String subject) {
        if (!license.enabled()) {
            throw Denied.license(Code.LICENSE_NOT_ENABLED, license.id(), subject);
        }
        if (!license.active() || (license.validFrom() != null && now.isBefore(license.validFrom()))) {
            throw Denied.license(Code.LICENSE_NOT_ACTIVE, license.id(), subject);
        }
        if (license.isExpiredAt(now)) {
            throw Denied.license(Code.LICENSE_EXPIRED, license.id(), subject);
        }
    }

    static void requireDevice(PoolState s, DeviceTarget t) {
        if (s.activation().isEmpty()) {
            throw Denied.license(Code.DEVICE_NOT_FOUND, s.license().id(), t.hardwareId());
        }
    }

    static void requireFloating(License license, String hardwareId) {
        if (!license.isFloating()) {
            throw Denied.license(Code.FLOATING_NOT_AVAILABLE, "the license is not floating", license.id(), hardwareId);
        }
    }

    /** Refuses to free a borrowed seat: its signed lease is out until the borrow ends. */
    static void refuseIfBorrowed(Lease lease, Instant now) {
        if (lease.isBorrowedAt(now)) {
            throw Denied.license(Code.SEAT_BORROWED, "the seat is borrowed until " + lease.borrowedUntil()
                    + "; it is freed then, or when the device returns it", lease.licenseId(), lease.hardwareId());
        }
    }
}
