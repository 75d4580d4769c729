package dev.licensor.floating;

import org.jspecify.annotations.Nullable;
import dev.licensor.catalog.License;

/**
 * The answer to a successful check: the license as it stands and, for a floating license,
 * the device's (new or refreshed) lease.
 *
 * <p>Immutable and thread-safe.
 *
 * @param license    the license checked
 * @param lease      the device's seat, or null when the license is not floating
 * @param seatsInUse the pool's live seats once the check took effect, the device's included (what
 *                   {@code seats().holders(...)} would list then, counted in the check's own unit:
 *                   a server answers it without a read of its own); 0 when the license is not floating
 */
public record LicenseCheck(License license, @Nullable Lease lease, int seatsInUse) {
}
