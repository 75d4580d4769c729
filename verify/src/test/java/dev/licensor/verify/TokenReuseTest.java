package dev.licensor.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.outcome.Outcome;
import dev.licensor.storetests.MutableClock;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.token.TokenSigner;
import dev.licensor.json.internal.FlatJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Signing less (docs/offline.md, "Reusing a lease token"): a refreshing device gets its last
 * lease token again while the rule allows, and no answered token ever claims more than the lease
 * it answers for, whatever the clock does.
 */
class TokenReuseTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final MutableClock clock = new MutableClock(START);
    private final TokenSigner signer = TokenSigner.generate("k1");
    private final Licensor licensor = Licensor.builder().store(new MemoryLicenseStore()).clock(clock).signer(signer).build();
    private final DeviceRequest device = DeviceRequest.byKey("cad", "FLOAT", "hw-1");
    private final DeviceRequest other = DeviceRequest.byKey("cad", "FLOAT", "hw-2");

    TokenReuseTest() {
        licensor.catalog().defineProduct(new Product("cad", "CAD", TIMEOUT, Duration.ofDays(7))).orElseThrow();
        licensor.catalog().createLicense(License.builder("cad").key("FLOAT").maxActivations(5).floatingSeats(2)
                .borrowAllowed(true).build()).orElseThrow();
        licensor.floating().activate(device).orElseThrow();
        licensor.floating().activate(other).orElseThrow();
    }

    private static Map<String, Object> claims(String token) {
        return FlatJson.parse(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    @Test
    void aDeviceRefreshingEveryFiveSecondsGetsANewTokenOncePerHalfItsTimeout() {
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 360; i++) { // 30 minutes
            distinct.add(licensor.floating().check(device).token());
            clock.advance(Duration.ofSeconds(5));
        }
        // A token issued at t lives until t+600 s; it is reused while (t+600-now) >= 600/2, i.e.
        // through t+300 s: a new signature at 0, 305, 610, ... s, every 61st check: ceil(360/61).
        assertThat(distinct).hasSize(6);
        // The other device's seat has its own token, never this one's.
        String others = licensor.floating().check(other).token();
        assertThat(distinct).doesNotContain(others);
        assertThat(claims(others)).containsEntry("hardware_id", "hw-2");
    }

    @Test
    void aReusedTokenIsTheSameStringAndVerifies() {
        String first = licensor.floating().check(device).token();
        clock.advance(Duration.ofSeconds(30));
        String again = licensor.floating().check(device).token();
        assertThat(again).isSameAs(first);
        LicenseVerifier verifier = LicenseVerifier.builder().trust("k1", signer.publicKey()).product("cad")
                .hardwareId("hw-1").clock(clock).build();
        assertThat(verifier.verify(again).status()).isEqualTo(Status.VALID);
    }

    @Test
    void aNewGrantOrBorrowGetsANewToken() {
        String first = licensor.floating().check(device).token();
        clock.advance(Duration.ofSeconds(2));
        licensor.floating().release(device).orElseThrow();
        String regranted = licensor.floating().check(device).token();
        assertThat(regranted).isNotEqualTo(first);
        assertThat(claims(regranted).get("granted_at")).isEqualTo(START.getEpochSecond() + 2);

        clock.advance(Duration.ofSeconds(2));
        String borrowed = licensor.floating().borrow(device, START.plus(Duration.ofDays(2))).token();
        assertThat(borrowed).isNotEqualTo(regranted);
        assertThat(claims(borrowed)).containsEntry("borrowed_until", START.plus(Duration.ofDays(2)).getEpochSecond());
        // While borrowed, a check answers the borrowed lease: its claims are unchanged, so reused.
        clock.advance(Duration.ofHours(1));
        assertThat(licensor.floating().check(device).token()).isEqualTo(borrowed);
    }

    @Test
    void noAnsweredTokenEverClaimsMoreThanItsLeaseWhateverTheClockDoes() {
        Random random = new Random(22);
        LicenseVerifier verifier = LicenseVerifier.builder().trust("k1", signer.publicKey()).product("cad")
                .hardwareId("hw-1").clock(clock).tolerance(Duration.ofDays(1)).build();
        Set<String> distinct = new HashSet<>();
        int answers = 0;
        for (int step = 0; step < 3000; step++) {
            int action = random.nextInt(100);
            if (action < 70) {
                clock.advance(Duration.ofMillis(random.nextInt(20_000)));
            } else if (action < 80) {
                clock.set(clock.instant().minusMillis(random.nextInt(15_000))); // the clock goes back
            } else if (action < 85) {
                clock.advance(TIMEOUT.plusSeconds(random.nextInt(60))); // the seat lapses
            } else if (action < 90) {
                licensor.floating().release(device);
            } else if (action < 93) {
                // short borrows: a borrowed seat can be neither released nor shortened (issue 27, S2), so long
                // ones would hold one token for most of the walk
                licensor.floating().borrow(device, clock.instant().plus(Duration.ofMinutes(1 + random.nextInt(10))));
            } else {
                licensor.floating().check(other); // another seat's tokens interleave
            }
            Outcome<?> answer = licensor.floating().check(device);
            if (!answer.isSuccess()) {
                continue;
            }
            Lease lease = ((dev.licensor.floating.LicenseCheck) answer.orElseThrow()).lease();
            String token = answer.token();
            Map<String, Object> c = claims(token);
            long now = clock.instant().getEpochSecond();
            long leaseEnd = lease.expiresAt().getEpochSecond();
            assertThat(c).as("step %d", step)
                    .containsEntry("kind", "lease").containsEntry("product", "cad")
                    .containsEntry("license_id", lease.licenseId()).containsEntry("hardware_id", "hw-1")
                    .containsEntry("granted_at", lease.grantedAt().getEpochSecond());
            assertThat(c.get("borrowed_until")).as("step %d", step)
                    .isEqualTo(lease.borrowedUntil() == null ? null : lease.borrowedUntil().getEpochSecond());
            long exp = (Long) c.get("exp");
            long iat = (Long) c.get("iat");
            assertThat(exp).as("step %d: never more than the lease holds", step).isLessThanOrEqualTo(leaseEnd);
            assertThat(iat).as("step %d: never issued after now", step).isLessThanOrEqualTo(now);
            assertThat((exp - now) * 2).as("step %d: long enough to live", step).isGreaterThanOrEqualTo(leaseEnd - now);
            if (distinct.add(token)) {
                assertThat(verifier.verify(token).status()).as("step %d", step).isIn(Status.VALID, Status.CLOCK_TAMPERED);
            }
            answers++;
        }
        // Reuse happened, and new grants, borrows and clock moves still produced new tokens.
        assertThat(distinct.size()).isLessThan(answers / 2).isGreaterThan(100);
        assertThat(answers).isGreaterThan(2000);
    }
}
