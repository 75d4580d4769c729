package dev.licensor.catalog;

/**
 * The commercial kind of a license. Immutable and thread-safe.
 */
public enum LicenseType {
    /** Never expires; {@code validUntil} must be absent. */
    PERPETUAL,
    /** Valid until a fixed date, which is required. */
    TIME_LIMITED,
    /** Valid until the end of the paid period, which is required and moves on renewal. */
    SUBSCRIPTION,
    /** Metered: each use adds to a counter capped by {@code maxConsumptions} (plus overage). */
    CONSUMPTION
}
