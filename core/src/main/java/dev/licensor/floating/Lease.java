package dev.licensor.floating;

import java.time.Instant;

/**
 * A seat of a floating pool held by one device. It is live while {@code now < expiresAt}; a lease
 * that is not refreshed lapses by itself at {@code expiresAt}, with no thread involved.
 *
 * <p>Immutable and thread-safe.
 *
 * @param licenseId     the floating license
 * @param hardwareId    the device holding the seat
 * @param grantedAt     when the seat was taken
 * @param refreshedAt   last check-in
 * @param expiresAt     when it lapses: the later of {@code refreshedAt + timeout} and {@code borrowedUntil}
 * @param borrowedUntil end of a borrow, or null if not borrowed
 */
public record Lease(long licenseId, String hardwareId, Instant grantedAt, Instant refreshedAt,
                    Instant expiresAt, Instant borrowedUntil) {

    /** True while the lease holds its seat at {@code now}. */
    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** True if this lease is borrowed at {@code now}. */
    public boolean isBorrowedAt(Instant now) {
        return borrowedUntil != null && now.isBefore(borrowedUntil);
    }
}
