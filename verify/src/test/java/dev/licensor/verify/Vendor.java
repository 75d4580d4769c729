package dev.licensor.verify;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.token.TokenSigner;
import java.time.Duration;
import java.time.Instant;

/**
 * The vendor's side in tests: a real engine on the memory store with a signer, a product
 * {@code cad} and two licenses: {@code FLOAT} (floating, 2 seats, borrowable) and {@code NODE}
 * (time-limited, not floating, valid from {@link #VALID_FROM} until {@link #VALID_UNTIL}).
 */
final class Vendor {
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant VALID_FROM = Instant.parse("2026-02-01T00:00:00Z");
    static final Instant VALID_UNTIL = Instant.parse("2026-06-01T00:00:00Z");

    final TestClock clock = new TestClock(START);
    final TokenSigner signer;
    final Licensor licensor;

    Vendor(TokenSigner signer) {
        this.signer = signer;
        this.licensor = Licensor.builder().store(new MemoryLicenseStore()).clock(clock).signer(signer).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofDays(7))).orElseThrow();
        licensor.catalog().createLicense(License.builder("cad").key("FLOAT").maxActivations(5).floatingSeats(2)
                .borrowAllowed(true).build()).orElseThrow();
        licensor.catalog().createLicense(License.builder("cad").key("NODE").type(LicenseType.TIME_LIMITED)
                .maxActivations(3).validFrom(VALID_FROM).validUntil(VALID_UNTIL).build()).orElseThrow();
    }

    Vendor() {
        this(TokenSigner.generate("k1"));
    }

    static DeviceRequest device(String key, String hardwareId) {
        return DeviceRequest.byKey("cad", key, hardwareId);
    }

    /** A signed lease from check, for {@code hardwareId} on FLOAT (activating it first). */
    String lease(String hardwareId) {
        licensor.floating().activate(device("FLOAT", hardwareId)).orElseThrow();
        return licensor.floating().check(device("FLOAT", hardwareId)).token();
    }

    /** A signed license file from activate, for {@code hardwareId} on NODE. */
    String licenseFile(String hardwareId) {
        return licensor.floating().activate(device("NODE", hardwareId)).token();
    }

    /** A verifier trusting this vendor's published keys, for product cad and {@code hardwareId}. */
    LicenseVerifier.Builder verifier(String hardwareId, TestClock local) {
        LicenseVerifier.Builder b = LicenseVerifier.builder().product("cad").hardwareId(hardwareId).clock(local)
                .tolerance(Duration.ofMinutes(2));
        signer.publishedKeys().forEach(b::trust);
        return b;
    }
}
