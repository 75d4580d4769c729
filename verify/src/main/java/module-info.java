/**
 * Offline verification of Licensor's signed leases and license files, for the applications a
 * vendor ships: {@link dev.licensor.verify.LicenseVerifier}. JDK only, with
 * {@code licensor-json} (the claims parser shared with core); the {@code internal} package is not exported.
 */
module dev.licensor.verify {
    requires dev.licensor.json;

    exports dev.licensor.verify;
}
