/**
 * The shared contract suite every {@link dev.licensor.store.LicenseStore} must pass.
 */
package dev.licensor.storetests;
