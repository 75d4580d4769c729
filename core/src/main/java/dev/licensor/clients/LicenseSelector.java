package dev.licensor.clients;

import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code licensesInfo}: selects client licenses by platform type, license type,
 * application type and name. {@code licenseType} 0, {@code appType} 0 and a null or empty name
 * mean "any"; all three at once (the wildcard entry) select every license on the platform.
 *
 * <p>Immutable and thread-safe.
 *
 * @param platformType 1 (client/agent) or 2 (MediaAgent); required
 * @param licenseType  license kind, 0 for any
 * @param appType      application type, 0 for any (required for agent-level operations)
 * @param licenseName  exact license name, or null/empty for any
 */
public record LicenseSelector(int platformType, int licenseType, int appType, @Nullable String licenseName) {

    /** The wildcard entry: every license on the platform. */
    public static LicenseSelector everyLicense(int platformType) {
        return new LicenseSelector(platformType, 0, 0, null);
    }

    /** True for the all-zero wildcard entry. */
    public boolean isWildcard() {
        return licenseType == 0 && appType == 0 && (licenseName == null || licenseName.isEmpty());
    }
}
