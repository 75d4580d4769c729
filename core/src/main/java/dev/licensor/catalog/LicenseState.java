package dev.licensor.catalog;

import java.time.Instant;

/**
 * A state a license listing can be filtered by, judged at the engine's clock. The states
 * overlap: an expired license may also be enabled or suspended. Immutable and thread-safe.
 */
public enum LicenseState {
    /** The vendor's switch is on ({@code enabled}). */
    ENABLED,
    /** The vendor's switch is off. */
    DISABLED,
    /** In service now: enabled, not suspended, started ({@code validFrom} passed) and not expired. */
    ACTIVE,
    /** Suspended: its {@code active} switch is off ({@link Catalog#suspend}). */
    SUSPENDED,
    /** Ended: {@code validUntil} is at or before now. */
    EXPIRED;

    /** Whether {@code license} is in this state at {@code now}. */
    public boolean holds(License license, Instant now) {
        return switch (this) {
            case ENABLED -> license.enabled();
            case DISABLED -> !license.enabled();
            case ACTIVE -> license.enabled() && license.active() && !license.isExpiredAt(now)
                    && (license.validFrom() == null || !now.isBefore(license.validFrom()));
            case SUSPENDED -> !license.active();
            case EXPIRED -> license.isExpiredAt(now);
        };
    }
}
