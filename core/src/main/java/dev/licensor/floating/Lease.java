package dev.licensor.floating;

import org.jspecify.annotations.Nullable;
import java.time.Instant;

/**
 * A seat of a floating pool held by one device. It is live while {@code now < expiresAt}; a lease
 * that is not refreshed lapses by itself at {@code expiresAt}, with no thread involved.
 *
 * <p>Immutable and thread-safe.
 *
 * @param licenseId     the floating license
 * @param hardwareId    the seat's key in its pool: the device's hardware id under per-device leasing
 *                      (the default); the user name under per-user leasing; hardware id, U+001F and
 *                      process id under per-process leasing
 * @param grantedAt     when the seat was taken
 * @param refreshedAt   last check-in
 * @param expiresAt     when it lapses: the later of {@code refreshedAt + timeout} and {@code borrowedUntil}
 * @param borrowedUntil end of a borrow, or null if not borrowed
 * @param device        the device's hardware id (null means {@code hardwareId})
 * @param holder        who holds the seat beyond the device (null means {@link Holder#NONE})
 * @param overLimit     granted past the purchased seats, within the pool's overdraft
 */
public record Lease(long licenseId, String hardwareId, Instant grantedAt, Instant refreshedAt, Instant expiresAt,
                    @Nullable Instant borrowedUntil, String device, Holder holder, boolean overLimit) {

    public Lease {
        device = device == null ? hardwareId : device;
        holder = holder == null ? Holder.NONE : holder;
    }

    /** A per-device lease with no holder beyond the device, within the purchased seats. */
    public Lease(long licenseId, String hardwareId, Instant grantedAt, Instant refreshedAt,
                 Instant expiresAt, Instant borrowedUntil) {
        this(licenseId, hardwareId, grantedAt, refreshedAt, expiresAt, borrowedUntil, hardwareId, Holder.NONE, false);
    }

    /** This lease with other times (same key, device, holder and over-limit mark). */
    public Lease withTimes(Instant newRefreshedAt, Instant newExpiresAt, Instant newBorrowedUntil) {
        return new Lease(licenseId, hardwareId, grantedAt, newRefreshedAt, newExpiresAt, newBorrowedUntil, device,
                holder, overLimit);
    }

    /** True while the lease holds its seat at {@code now}. */
    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** True if this lease is borrowed at {@code now}. */
    public boolean isBorrowedAt(Instant now) {
        return borrowedUntil != null && now.isBefore(borrowedUntil);
    }
}
