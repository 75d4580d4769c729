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

    /** The live leases of a license with their holders, by grant time, then hardware id by Unicode code point. */
    Outcome<List<Lease>> holders(long licenseId);

    /** The pool's seats, holders with their identity, borrowed count and reservations. */
    Outcome<PoolSeats> pool(long licenseId);

    /**
     * Peak concurrent seats and licensing refusals per user, and per user group the pool's
     * policy names, over {@code from <= at < to}, replayed from the ledger (seats granted to a
     * request that named no user are not attributed). Reads at most 1,000,000 ledger entries.
     */
    Outcome<dev.licensor.policy.PoolUsage> usage(long licenseId, java.time.Instant from, java.time.Instant to);

    /** Frees a seat by its key (the hardware id under per-device leasing); {@code device_not_found} if none is held. */
    Outcome<Lease> forceRelease(long licenseId, String hardwareId);

    /** Deletes every lapsed lease (recording each lapse), in batches; returns how many. */
    @CanIgnoreReturnValue // the count is informative; the purge is done either way
    int purgeLapsed();

    /**
     * Blacklists a device for a product: every later call from it is refused with
     * {@code blacklisted}. Seats it holds are not taken away; they lapse or can be force-released.
     */
    Outcome<Void> blacklist(String product, String hardwareId);

    /** Removes a device from a product's blacklist. */
    Outcome<Void> unblacklist(String product, String hardwareId);

    /** Turns the license's {@code enabled} switch on or off. */
    Outcome<Void> setEnabled(long licenseId, boolean enabled);

    /** Turns the license's {@code active} switch on or off. */
    Outcome<Void> setActive(long licenseId, boolean active);
}
