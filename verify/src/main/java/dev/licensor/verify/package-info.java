/**
 * Offline verification of Licensor's signed tokens for client applications:
 * {@link dev.licensor.verify.LicenseVerifier} (signature, key id, product, device, validity,
 * clock-rollback guard) and {@link dev.licensor.verify.ActivationRequests} (the device's half of
 * offline activation). JDK only (Ed25519 since Java 15).
 */
package dev.licensor.verify;
