/**
 * The shared contract suite every {@link dev.licensor.store.LicenseStore} must pass, one abstract
 * class per area (listed, store guarantees first, in {@link dev.licensor.storetests.StoreUnderTest#AREAS}),
 * and test helpers for hosts ({@link dev.licensor.storetests.MutableClock}). Published as
 * {@code licensor-core}'s test-jar; see {@code docs/testing.md}.
 */
package dev.licensor.storetests;
