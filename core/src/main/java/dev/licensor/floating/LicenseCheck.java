package dev.licensor.floating;

import dev.licensor.catalog.License;

/**
 * The answer to a successful check: the license as it stands and, for a floating license,
 * the device's (new or refreshed) lease.
 *
 * <p>Immutable and thread-safe.
 *
 * @param license the license checked
 * @param lease   the device's seat, or null when the license is not floating
 */
public record LicenseCheck(License license, Lease lease) {
}
