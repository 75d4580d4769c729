/**
 * How {@link dev.licensor.micrometer.LicensorMetrics} counts, reads pools and times calls. Not
 * API: not exported by the module.
 */
package dev.licensor.micrometer.internal;
