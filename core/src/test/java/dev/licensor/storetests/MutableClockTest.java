package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MutableClockTest {
    private static final Instant T = Instant.parse("2026-01-05T09:00:00Z");

    @Test
    void standsStillUntilMoved() {
        MutableClock clock = new MutableClock(T);
        assertThat(clock.instant()).isEqualTo(T);
        assertThat(clock.millis()).isEqualTo(T.toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(clock.advance(Duration.ofMinutes(10))).isEqualTo(T.plusSeconds(600));
        assertThat(clock.instant()).isEqualTo(T.plusSeconds(600));
        assertThat(clock.advance(Duration.ofMinutes(-15))).isEqualTo(T.minusSeconds(300));
        clock.set(T);
        assertThat(clock.instant()).isEqualTo(T);
        assertThatThrownBy(() -> clock.set(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MutableClock(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aZonedCopySharesTheInstant() {
        MutableClock clock = new MutableClock(T);
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        clock.advance(Duration.ofHours(1));
        assertThat(paris.instant()).isEqualTo(T.plusSeconds(3600));
        ((MutableClock) paris).advance(Duration.ofHours(1));
        assertThat(clock.instant()).isEqualTo(T.plusSeconds(7200));
    }

    @Test
    void advancesFromManyThreadsLoseNoStep() throws Exception {
        MutableClock clock = new MutableClock(T);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        clock.advance(Duration.ofMillis(1));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(clock.instant()).isEqualTo(T.plusMillis(40_000));
    }
}
