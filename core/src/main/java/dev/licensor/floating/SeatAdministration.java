package dev.licensor.floating;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import dev.licensor.outcome.Outcome;
import java.util.List;

/**
 * The administrator's side of floating pools and licenses (FlexNet's {@code lmstat} and
 * {@code lmremove}): who holds which seat until when, freeing a seat, lapsed-lease purge,
 * the device blacklist and the license switches.
 *
 * <p>Thread-safe.
 */
@CheckReturnValue
public interface SeatAdministration {

    /**
     * The live leases of a license with their holders, by grant time, then hardware id by Unicode code point.
     *
     * @param licenseId the license
     * @return the live leases; {@code license_not_found}
     */
    Outcome<List<Lease>> holders(long licenseId);

    /**
     * The pool's seats, holders with their identity, borrowed count and reservations.
     *
     * @param licenseId the license
     * @return the pool's seats; {@code license_not_found}
     */
    Outcome<PoolSeats> pool(long licenseId);

    /**
     * Peak concurrent seats and licensing refusals per user, and per user group the pool's
     * policy names, over {@code from <= at < to}, replayed from the ledger (seats granted to a
     * request that named no user are not attributed). Reads at most 1,000,000 ledger entries.
     *
     * @param licenseId the license
     * @param from the start, inclusive
     * @param to the end, exclusive
     * @return peaks and refusals per user and group; {@code license_not_found}, {@code invalid_request} for a bad range
     */
    Outcome<dev.licensor.policy.PoolUsage> usage(long licenseId, java.time.Instant from, java.time.Instant to);

    /**
     * Frees a seat by its key (the hardware id under per-device leasing); {@code device_not_found} if none is held.
     *
     * @param licenseId the license
     * @param hardwareId the seat's key
     * @return the freed lease; {@code device_not_found}, {@code seat_borrowed} for a borrowed seat, or {@code license_not_found}
     */
    Outcome<Lease> forceRelease(long licenseId, String hardwareId);

    /**
     * Deletes every lapsed lease (recording each lapse), in batches; returns how many.
     *
     * @return how many lapsed leases were deleted
     */
    @CanIgnoreReturnValue // the count is informative; the purge is done either way
    int purgeLapsed();

    /**
     * Blacklists a device for a product: every later call from it is refused with
     * {@code blacklisted}. Seats it holds are not taken away; they lapse or can be force-released.
     *
     * @param product the product code
     * @param hardwareId the device
     * @return success (no value); {@code unknown_product} or bad input
     */
    Outcome<Void> blacklist(String product, String hardwareId);

    /**
     * Removes a device from a product's blacklist.
     *
     * @param product the product code
     * @param hardwareId the device
     * @return success (no value), also if the device was not blacklisted; {@code unknown_product} or bad input
     */
    Outcome<Void> unblacklist(String product, String hardwareId);

    /**
     * Turns the license's {@code enabled} switch on or off.
     *
     * @param licenseId the license
     * @param enabled the new value
     * @return success (no value); {@code license_not_found}
     */
    Outcome<Void> setEnabled(long licenseId, boolean enabled);

    /**
     * Turns the license's {@code active} switch on or off.
     *
     * @param licenseId the license
     * @param active the new value
     * @return success (no value); {@code license_not_found}
     */
    Outcome<Void> setActive(long licenseId, boolean active);
}
