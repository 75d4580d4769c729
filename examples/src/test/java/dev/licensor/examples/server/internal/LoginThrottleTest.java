package dev.licensor.examples.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.examples.server.ResponseSigner;
import dev.licensor.examples.server.api.ApiRequest;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 27 S3 and S12, unit by unit: the login throttle's counts and the reuse of refusal signatures. */
class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));

    @Test
    void blocksDoubleAfterTheFreeFailuresAndASuccessClearsTheUser() {
        LoginThrottle t = new LoginThrottle(clock, 1);
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            t.failed("u", "10.0.0.1");
        }
        assertThat(t.retryAfter("u", "10.0.0.2")).isZero();
        t.failed("u", "10.0.0.2");
        assertThat(t.retryAfter("u", "10.0.0.3")).isEqualTo(1);
        t.failed("u", "10.0.0.2");
        t.failed("u", "10.0.0.2");
        assertThat(t.retryAfter("u", null)).isEqualTo(4);
        clock.advance(Duration.ofSeconds(4));
        assertThat(t.retryAfter("u", null)).isZero();
        for (int i = 0; i < 40; i++) {
            t.failed("v", null);
        }
        assertThat(t.retryAfter("v", null)).isEqualTo(LoginThrottle.MAX_BLOCK_SECONDS);
        t.succeeded("u");
        assertThat(t.retryAfter("u", null)).isZero();
        for (int i = 0; i < 3; i++) {
            t.failed("x" + i, "10.0.0.2");
        }
        assertThat(t.retryAfter("w", "10.0.0.2")).as("the address keeps its count").isPositive();
    }

    @Test
    void atMostTheGivenNumberOfHashesRunAtOnce() {
        LoginThrottle t = new LoginThrottle(clock, 2);
        assertThat(t.tryHash()).isTrue();
        assertThat(t.tryHash()).isTrue();
        assertThat(t.tryHash()).isFalse();
        t.doneHashing();
        assertThat(t.tryHash()).isTrue();
    }

    /** S12: refusals before authentication reuse one RSA signature instead of signing each (2.3–3.8 ms apiece). */
    @Test
    void unauthenticatedRefusalsAreNotSignedAgainAndAgain() {
        Licensor licensor = Licensor.builder().store(new MemoryLicenseStore()).clock(clock).build();
        LicenseSpringApi api = new LicenseSpringApi(licensor, new HmacAuth(Map.of("k", "shared-secret-1"), clock), clock,
                ResponseSigner.ephemeral());
        for (int i = 0; i < 100; i++) {
            String path = "/api/v4/" + (i % 2 == 0 ? "check_license" : "nothing-" + i);
            var reply = api.handle(new Call(new ApiRequest("GET", path, null,
                    Map.of("Date", "garbage " + i, "Authorization", "x"), null)));
            assertThat(reply.status()).isBetween(400, 404);
            assertThat(reply.headers()).containsKey(ResponseSigner.HEADER);
        }
        assertThat(api.signaturesComputed()).as("one per distinct refusal body").isLessThanOrEqualTo(3);
    }
}
