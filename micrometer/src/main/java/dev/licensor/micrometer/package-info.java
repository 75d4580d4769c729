/**
 * Micrometer metrics for a Licensor engine: {@link dev.licensor.micrometer.LicensorMetrics}.
 */
package dev.licensor.micrometer;
