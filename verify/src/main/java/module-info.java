/**
 * Offline verification of Licensor's signed leases and license files, for the applications a
 * vendor ships: {@link dev.licensor.verify.LicenseVerifier}. JDK only; the {@code internal}
 * package is not exported.
 */
module dev.licensor.verify {
    exports dev.licensor.verify;
}
