package dev.licensor;

import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * {@code awaitSeat}: waiting in a pool's queue for a seat, bounded by the caller's timeout. Each
 * round is a check-or-queue unit; between rounds the caller sleeps on the {@link SeatSignal}
 * (woken by this engine's commits that free a seat) for at most {@link #RECHECK}, which also
 * keeps its queue entry alive and sees seats that other engines and processes freed. Not API.
 *
 * <p>Thread-safe: the signal is; each waiting caller keeps its state on its own stack.
 */
final class SeatWaiter {
    /** Longest {@code awaitSeat} timeout. */
    static final Duration MAX_WAIT = Duration.ofDays(1);
    /** How often a waiting caller re-checks without a wake-up (keeps its queue entry alive). */
    private static final Duration RECHECK = Duration.ofSeconds(5);

    private final SeatSignal signal;

    SeatWaiter(SeatSignal signal) {
        this.signal = signal;
    }

    /**
     * Waits for a seat.
     *
     * @param request      the device asking
     * @param timeout      how long to wait, 0 to {@link #MAX_WAIT}
     * @param checkOrQueue one round: a seat, a refusal, or {@code queued}
     * @param leaveQueue   deletes the caller's queue entry when it gives up, recording why
     * @return the first answer that is not {@code queued}, or {@code floating_not_available} at
     *     the timeout
     */
    Outcome<LicenseCheck> await(DeviceRequest request, Duration timeout,
                                Function<DeviceRequest, Outcome<LicenseCheck>> checkOrQueue,
                                BiConsumer<DeviceRequest, String> leaveQueue) {
        if (timeout == null || timeout.isNegative() || timeout.compareTo(MAX_WAIT) > 0) {
            return Outcome.failure(Code.INVALID_REQUEST, "timeout must be between 0 and " + MAX_WAIT);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        signal.enter();
        try {
            while (true) {
                long seen = signal.version();
                Outcome<LicenseCheck> outcome = checkOrQueue.apply(request);
                if (outcome.code() != Code.QUEUED) {
                    return outcome;
                }
                long left = deadline - System.nanoTime();
                try {
                    if (left > 0) {
                        // woken by a commit that freed a seat; the bounded wait refreshes the entry
                        // and sees what other engines and processes freed
                        signal.awaitChange(seen, Math.min(left, RECHECK.toNanos()));
                        continue;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                String message = "no seat within " + timeout;
                leaveQueue.accept(request, message);
                return Outcome.failure(Code.FLOATING_NOT_AVAILABLE, message);
            }
        } finally {
            signal.leave();
        }
    }
}
