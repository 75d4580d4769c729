/**
 * Micrometer metrics for a Licensor engine: {@link dev.licensor.micrometer.LicensorMetrics}. The
 * {@code internal} package is not exported.
 */
module dev.licensor.micrometer {
    requires transitive dev.licensor.core;
    requires transitive micrometer.core;

    exports dev.licensor.micrometer;
}
