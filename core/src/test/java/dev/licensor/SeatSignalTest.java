package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wake-up of {@code awaitSeat}: a commit that frees a seat wakes a registered waiter at once
 * (not at its next 5-second re-check), and without a waiter it touches nothing shared.
 */
class SeatSignalTest {

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aFreedSeatWakesARegisteredWaiter() throws Exception {
        SeatSignal signal = new SeatSignal();
        CountDownLatch registered = new CountDownLatch(1);
        AtomicLong waitedNanos = new AtomicLong(-1);
        Thread waiter = new Thread(() -> {
            signal.enter();
            try {
                long seen = signal.version();
                registered.countDown();
                long start = System.nanoTime();
                signal.awaitChange(seen, TimeUnit.SECONDS.toNanos(60));
                waitedNanos.set(System.nanoTime() - start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                signal.leave();
            }
        });
        waiter.start();
        assertThat(registered.await(10, TimeUnit.SECONDS)).isTrue();
        signal.seatFreed();
        waiter.join(10_000);
        assertThat(waiter.isAlive()).as("the waiter was woken, not left to its 60 s bound").isFalse();
        assertThat(waitedNanos.get()).isBetween(0L, TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void withoutAWaiterAFreedSeatLeavesTheVersionAlone() {
        SeatSignal signal = new SeatSignal();
        long before = signal.version();
        signal.seatFreed();
        assertThat(signal.version()).isEqualTo(before);
        signal.enter();
        signal.seatFreed();
        signal.leave();
        assertThat(signal.version()).isEqualTo(before + 1);
    }
}
