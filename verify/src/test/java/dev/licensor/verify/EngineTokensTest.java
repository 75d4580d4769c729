package dev.licensor.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.floating.Activation;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.token.ActivationRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwa.AlgorithmConstraints;
import org.junit.jupiter.api.Test;

/** The engine's tokens on check, borrow and activate, read by our verifier and by jose4j. */
class EngineTokensTest {
    private final Vendor vendor = new Vendor();
    private final TestClock local = new TestClock(Vendor.START);

    @Test
    void checkOfAFloatingLicenseCarriesASignedLease() throws Exception {
        String token = vendor.lease("hw-1");

        Verification v = vendor.verifier("hw-1", local).build().verify(token);
        assertThat(v.status()).isEqualTo(Status.VALID);
        assertThat(v.claims().kind()).isEqualTo("lease");
        assertThat(v.claims().product()).isEqualTo("cad");
        assertThat(v.claims().hardwareId()).isEqualTo("hw-1");
        assertThat(v.claims().issuedAt()).isEqualTo(Vendor.START);
        assertThat(v.claims().expiresAt()).isEqualTo(Vendor.START.plus(Duration.ofMinutes(10)));
        assertThat(v.claims().time("granted_at")).isEqualTo(Vendor.START);
        assertThat(v.claims().values()).doesNotContainKey("borrowed_until");

        JwtClaims independent = jose4j(token, Vendor.START);
        assertThat(independent.getStringClaimValue("hardware_id")).isEqualTo("hw-1");
        assertThat(independent.getClaimValue("license_id", Long.class)).isEqualTo(v.claims().licenseId());
        assertThat(independent.getExpirationTime().getValue()).isEqualTo(Vendor.START.plusSeconds(600).getEpochSecond());
    }

    /** Issue 26, T1: under per-user and per-process leasing the seat key is not the device; the token names the device. */
    @Test
    void aLeaseOfAPerUserOrPerProcessPoolNamesTheDevice() {
        long id = vendor.licensor.catalog().licenseByKey("cad", "FLOAT").orElseThrow().id();
        for (dev.licensor.policy.LeasingStrategy leasing : List.of(dev.licensor.policy.LeasingStrategy.USER,
                dev.licensor.policy.LeasingStrategy.PROCESS)) {
            vendor.licensor.catalog().setPolicy(id, dev.licensor.policy.PoolPolicy.NONE.withLeasing(leasing)).orElseThrow();
            dev.licensor.floating.DeviceRequest request = Vendor.device("FLOAT", "hw-7")
                    .withHolder(dev.licensor.floating.Holder.of("alice", null).withProcess("pid-" + leasing));
            vendor.licensor.floating().activate(request).orElseThrow();
            Outcome<?> checked = vendor.licensor.floating().check(request);
            assertThat(checked.isSuccess()).as(leasing + ": " + checked.message()).isTrue();

            Verification v = vendor.verifier("hw-7", local).build().verify(checked.token());
            assertThat(v.status()).as(leasing.name()).isEqualTo(Status.VALID);
            assertThat(v.claims().hardwareId()).isEqualTo("hw-7");
            vendor.licensor.floating().release(request).orElseThrow();
        }
    }

    @Test
    void aLeaseLapsesForTheVerifierWhenItsTimeoutPasses() {
        String token = vendor.lease("hw-1");
        LicenseVerifier verifier = vendor.verifier("hw-1", local).build();

        local.advance(Duration.ofMinutes(11));
        assertThat(verifier.verify(token).status()).isEqualTo(Status.VALID); // within the 2-minute tolerance
        local.advance(Duration.ofMinutes(1));
        assertThat(verifier.verify(token).status()).isEqualTo(Status.EXPIRED);
    }

    @Test
    void borrowCarriesALeaseValidUntilTheBorrowEnds() throws Exception {
        vendor.licensor.floating().activate(Vendor.device("FLOAT", "hw-1")).orElseThrow();
        Instant until = Vendor.START.plus(Duration.ofDays(3));
        Outcome<?> borrowed = vendor.licensor.floating().borrow(Vendor.device("FLOAT", "hw-1"), until);

        Verification v = vendor.verifier("hw-1", local).build().verify(borrowed.token());
        assertThat(v.status()).isEqualTo(Status.VALID);
        assertThat(v.claims().time("borrowed_until")).isEqualTo(until);
        assertThat(v.claims().expiresAt()).isEqualTo(until);
        assertThat(jose4j(borrowed.token(), until.minusSeconds(60)).getStringClaimValue("kind")).isEqualTo("lease");

        local.set(until.minus(Duration.ofHours(1)));
        assertThat(vendor.verifier("hw-1", local).build().verify(borrowed.token()).status()).isEqualTo(Status.VALID);
        local.set(until.plus(Duration.ofMinutes(3)));
        assertThat(vendor.verifier("hw-1", local).build().verify(borrowed.token()).status()).isEqualTo(Status.EXPIRED);
    }

    @Test
    void activateCarriesASignedLicenseFile() throws Exception {
        String token = vendor.licenseFile("hw-9");

        Verification v = vendor.verifier("hw-9", local).build().verify(token);
        assertThat(v.status()).isEqualTo(Status.VALID);
        assertThat(v.claims().kind()).isEqualTo("license");
        assertThat(v.claims().values()).containsEntry("license_type", "time_limited")
                .containsEntry("max_activations", 3L).containsEntry("floating_seats", 0L)
                .containsEntry("borrow_allowed", false)
                .containsEntry("activated_at", Vendor.START.getEpochSecond());
        assertThat(v.claims().notBefore()).isEqualTo(Vendor.VALID_FROM);
        assertThat(v.claims().expiresAt()).isEqualTo(Vendor.VALID_UNTIL);
        assertThat(jose4j(token, Vendor.START).getNotBefore().getValue()).isEqualTo(Vendor.VALID_FROM.getEpochSecond());
    }

    @Test
    void checkOfANonFloatingLicenseCarriesALicenseFile() {
        vendor.licenseFile("hw-2");
        Outcome<?> checked = vendor.licensor.floating().check(Vendor.device("NODE", "hw-2"));

        Verification v = vendor.verifier("hw-2", local).build().verify(checked.token());
        assertThat(v.status()).isEqualTo(Status.VALID);
        assertThat(v.claims().kind()).isEqualTo("license");
        assertThat(v.claims().values()).doesNotContainKey("activated_at");
    }

    /**
     * Issue 27 S1: activate of a floating license answered a license file with no exp, VALID
     * forever, 4 devices on a 2-seat pool; now the pool's seats are the only tokens out.
     */
    @Test
    void aFloatingLicenseIsHandedOutOnlyAsLeasesThatEnd() {
        int valid = 0;
        for (String hw : List.of("hw-1", "hw-2", "hw-3", "hw-4")) {
            assertThat(vendor.licensor.floating().activate(Vendor.device("FLOAT", hw)).token()).as(hw).isNull();
            String lease = vendor.licensor.floating().check(Vendor.device("FLOAT", hw)).token();
            if (lease != null && vendor.verifier(hw, local).build().verify(lease).status() == Status.VALID) {
                valid++;
            }
        }
        assertThat(valid).as("2 seats, 2 valid tokens").isEqualTo(2);
        Outcome<Activation> offline = vendor.licensor.offline().activate(ActivationRequests.encode("cad", "FLOAT", null, "hw-5"));
        assertThat(offline.code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(offline.token()).isNull();
    }

    /** A file like the old engine's (floating, no exp) is refused by the verifier, whatever it accepts. */
    @Test
    void aLicenseFileOfAFloatingLicenseIsRefused() {
        String old = vendor.signer.sign(java.util.Map.of("kind", "license", "product", "cad", "license_id", 1L,
                "hardware_id", "hw-1", "license_type", "perpetual", "max_activations", 5L, "floating_seats", 2L,
                "borrow_allowed", true, "iat", Vendor.START.getEpochSecond()));
        Verification v = vendor.verifier("hw-1", local).build().verify(old);
        assertThat(v.status()).isEqualTo(Status.WRONG_KIND);
        assertThat(v.status().key()).isEqualTo("wrong_kind");
    }

    @Test
    void aVerifierAcceptsOnlyTheKindsItAsksFor() {
        String lease = vendor.lease("hw-1");
        String file = vendor.licenseFile("hw-1");
        LicenseVerifier leasesOnly = vendor.verifier("hw-1", local).kinds(TokenKind.LEASE).build();
        LicenseVerifier filesOnly = vendor.verifier("hw-1", local).kinds(TokenKind.LICENSE).build();
        assertThat(leasesOnly.verify(lease).status()).isEqualTo(Status.VALID);
        assertThat(leasesOnly.verify(file).status()).isEqualTo(Status.WRONG_KIND);
        assertThat(filesOnly.verify(file).status()).isEqualTo(Status.VALID);
        assertThat(filesOnly.verify(lease).status()).isEqualTo(Status.WRONG_KIND);
    }

    /**
     * Issue 27 S2: a borrowed lease stays VALID offline until its end, so its seat stays counted:
     * release is refused; the borrowed token itself returns it.
     */
    @Test
    void aBorrowedSeatIsFreedOnlyByItsEndOrAReturnWithTheBorrowedLease() {
        vendor.licensor.floating().activate(Vendor.device("FLOAT", "hw-1")).orElseThrow();
        String borrowed = vendor.licensor.floating().borrow(Vendor.device("FLOAT", "hw-1"), null).token();
        assertThat(vendor.verifier("hw-1", local).kinds(TokenKind.LEASE).build().verify(borrowed).status())
                .isEqualTo(Status.VALID);
        assertThat(vendor.licensor.floating().release(Vendor.device("FLOAT", "hw-1")).code()).isEqualTo(Code.SEAT_BORROWED);
        vendor.lease("hw-2");
        vendor.licensor.floating().activate(Vendor.device("FLOAT", "hw-3")).orElseThrow();
        assertThat(vendor.licensor.floating().check(Vendor.device("FLOAT", "hw-3")).code())
                .isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(vendor.licensor.floating().returnBorrow(Vendor.device("FLOAT", "hw-1"), borrowed).isSuccess()).isTrue();
        assertThat(vendor.licensor.floating().check(Vendor.device("FLOAT", "hw-3")).isSuccess()).isTrue();
    }

    @Test
    void failuresAndOtherCallsCarryNoToken() {
        assertThat(vendor.licensor.floating().check(Vendor.device("FLOAT", "never-activated")).token()).isNull();
        vendor.lease("hw-1");
        assertThat(vendor.licensor.floating().release(Vendor.device("FLOAT", "hw-1")).token()).isNull();
    }

    @Test
    void anEngineWithoutSignerIssuesNoTokenAndRefusesOfflineActivation() {
        Licensor plain = Licensor.builder().store(new MemoryLicenseStore()).build();
        assertThat(plain.floating().check(Vendor.device("FLOAT", "hw")).token()).isNull();
        // a programmer error (the engine was built without a signer), not a wire code
        assertThatThrownBy(plain::offline).isExactlyInstanceOf(IllegalStateException.class);
    }

    @Test
    void offlineActivationRoundTrip() throws Exception {
        // Device: no network; it writes a request string and hands it over.
        String request = ActivationRequests.encode("cad", "NODE", null, "air-gapped-7");
        // Vendor: activates through the engine, answers the signed license file.
        Outcome<Activation> answered = vendor.licensor.offline().activate(request);
        assertThat(answered.isSuccess()).isTrue();
        assertThat(answered.orElseThrow().hardwareId()).isEqualTo("air-gapped-7");
        // Device: verifies the file it was handed.
        Verification v = vendor.verifier("air-gapped-7", local).build().verify(answered.token());
        assertThat(v.status()).isEqualTo(Status.VALID);
        assertThat(v.claims().kind()).isEqualTo("license");
        assertThat(jose4j(answered.token(), Vendor.START).getStringClaimValue("hardware_id")).isEqualTo("air-gapped-7");
        // The same request again is idempotent, like activate.
        assertThat(vendor.licensor.offline().activate(request).isSuccess()).isTrue();
        assertThat(ActivationRequest.parse(request)).isEqualTo(new ActivationRequest("cad", "NODE", null, "air-gapped-7"));
    }

    @Test
    void offlineActivationRefusesWhatIsNotARequest() {
        String valid = ActivationRequests.encode("cad", "NODE", null, "hw");
        for (String bad : List.of("", "   ", "not base64!", valid + "=", valid.substring(1), "e30",
                valid.substring(0, valid.length() - 4))) {
            Outcome<Activation> o = vendor.licensor.offline().activate(bad);
            assertThat(o.isSuccess()).as(bad).isFalse();
            assertThat(o.code().isBadRequest()).as(bad).isTrue();
        }
        assertThat(vendor.licensor.offline().activate(null).code()).isEqualTo(Code.MISSING_PARAMETERS);
        assertThat(vendor.licensor.offline().activate(ActivationRequests.encode("cad", "NOPE", null, "hw")).code())
                .isEqualTo(Code.LICENSE_NOT_FOUND);
    }

    @Test
    void jwksIsAValidKeySetThatVerifiesTheTokens() throws Exception {
        String token = vendor.lease("hw-1");
        JsonWebKeySet set = new JsonWebKeySet(vendor.signer.jwks());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        JsonWebKey key = new VerificationJwkSelector().select(jws, set.getJsonWebKeys());
        assertThat(key.getKeyId()).isEqualTo("k1");
        jws.setKey(key.getKey());
        assertThat(jws.verifySignature()).isTrue();
    }

    /** Verification by an independent, maintained JOSE library (EdDSA on JDK 15+). */
    private JwtClaims jose4j(String token, Instant at) throws Exception {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKey(vendor.signer.publicKey())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.EDDSA)
                .setEvaluationTime(NumericDate.fromSeconds(at.getEpochSecond()))
                .setRequireIssuedAt()
                .build();
        return consumer.processToClaims(token);
    }
}
