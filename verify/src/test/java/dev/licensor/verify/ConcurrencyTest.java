package dev.licensor.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.token.TokenSigner;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One signer and one verifier shared by racing threads (their Signature instances are pooled). */
class ConcurrencyTest {

    @Test
    void racingThreadsSignAndVerifyGoodAndBadTokensCorrectly() throws Exception {
        TokenSigner signer = TokenSigner.generate("k1");
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        LicenseVerifier verifier = LicenseVerifier.builder().trust("k1", signer.publicKey()).anyProduct().anyDevice()
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
        int threads = 6;
        int rounds = 40;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger valid = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Thread> all = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        String token = signer.sign(Map.of("kind", "lease", "product", "cad", "license_id", (long) i,
                                "hardware_id", "hw-" + id, "iat", now.getEpochSecond()));
                        String bad = token.substring(0, token.length() - 3) + (token.endsWith("AAA") ? "BAA" : "AAA");
                        if (verifier.verify(token).status() == Status.VALID) {
                            valid.incrementAndGet();
                        }
                        if (verifier.verify(bad).status() != Status.VALID) {
                            refused.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            thread.start();
            all.add(thread);
        }
        start.countDown();
        for (Thread thread : all) {
            thread.join();
        }
        assertThat(errors).isEmpty();
        assertThat(valid.get()).isEqualTo(threads * rounds);
        assertThat(refused.get()).isEqualTo(threads * rounds);
    }
}
