package dev.licensor.floating;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.Nullable;
import dev.licensor.outcome.Outcome;
import java.time.Instant;

/**
 * The device-side calls of the LicenseSpring-style API: activate, check (takes or refreshes a
 * floating seat), borrow, release, deactivate and add consumption.
 *
 * <p>Every call validates the request, then checks in this order, answering the first failure:
 * product ({@code unknown_product}), license ({@code license_not_found}), blacklist
 * ({@code blacklisted}), {@code license_not_enabled}, {@code license_not_active},
 * {@code license_expired}, then the device ({@code device_not_found}, except for activate) and
 * finally the call's own rule (seats, borrow limits, activations, consumptions). Time comes only
 * from the engine's clock.
 *
 * <p>Thread-safe.
 */
@CheckReturnValue
public interface FloatingLicenses {

    /**
     * Binds the device to the license; idempotent for a device already bound. With a signer the
     * answer carries a signed license file, except for a floating license: a floating seat leaves
     * the engine only as a lease that ends ({@link #check}, {@link #borrow}), never as a file that
     * would grant the license offline without a seat.
     *
     * @param request the device: product, license key or username, hardware id, holder
     * @return the activation (with a signed license file as its token, if any); a refusal in the
     *     order above, or {@code license_activated_max_times}
     */
    Outcome<Activation> activate(DeviceRequest request);

    /**
     * Validates the license for the device. For a floating license this takes a seat, or
     * refreshes the seat the device already holds (a device never holds two).
     *
     * @param request the device: product, license key or username, hardware id, holder
     * @return the license and the device's lease (with a signed lease as its token, if any); a
     *     refusal in the order above, or a seat refusal ({@code floating_not_available},
     *     {@code excluded}, {@code not_included}, {@code user_cap_reached}, ...)
     */
    Outcome<LicenseCheck> check(DeviceRequest request);

    /**
     * As {@link #check}, but a caller refused for lack of a seat, on a pool whose options allow
     * a queue ({@code QUEUE n}), joins the queue (or keeps its place) and gets {@code queued}
     * with its 1-based position in the message. A freed seat goes to the first live entry; an
     * entry not refreshed by a check within the pool's seat timeout lapses by itself.
     *
     * @param request the device: product, license key or username, hardware id, holder
     * @return as {@link #check}, or {@code queued} with the caller's position
     */
    Outcome<LicenseCheck> checkOrQueue(DeviceRequest request);

    /**
     * Queues (as {@link #checkOrQueue}) and waits for the seat, woken after this engine's
     * commits that free seats (and re-checking every few seconds for other processes and
     * lapses), up to {@code timeout} of real time (at most a day). At the timeout it leaves the
     * queue and answers {@code floating_not_available}. Any other refusal is answered at once.
     * Blocks the calling thread; an interrupt ends the wait the same way, with the flag kept.
     *
     * @param request the device: product, license key or username, hardware id, holder
     * @param timeout how long to wait, from zero to one day
     * @return as {@link #check}; {@code floating_not_available} at the timeout; {@code invalid_request}
     *     for a timeout out of range
     */
    Outcome<LicenseCheck> awaitSeat(DeviceRequest request, java.time.Duration timeout);

    /**
     * Keeps the device's seat until {@code until} (null means now plus the maximum borrow time),
     * taking a seat first if the device holds none. A later borrow may extend the end, never
     * shorten it ({@code borrow_until_not_valid}): a token signed for the earlier end is still
     * out. The seat lives until the later of the end and now plus the floating timeout.
     *
     * @param request the device: product, license key or username, hardware id, holder
     * @param until the end of the borrow, or null for now plus the maximum borrow time
     * @return the borrowed lease (signed, if the engine has a signer); {@code license_borrow_not_allowed},
     *     {@code borrow_until_not_valid}, {@code borrow_cap_reached}, {@code borrow_lowwater_reached}, or
     *     a refusal as {@link #check}
     */
    Outcome<Lease> borrow(DeviceRequest request, @Nullable Instant until);

    /**
     * Gives the device's seat back; succeeds (changing nothing) if it holds none. A borrowed seat
     * is refused with {@code seat_borrowed}: it stays counted until its end or
     * {@link #returnBorrow}.
     *
     * @param request the device: product, license key or username, hardware id, holder
     * @return success (no value); a refusal in the order above, or {@code seat_borrowed}
     */
    Outcome<Void> release(DeviceRequest request);

    /**
     * Returns a borrowed seat before its end. {@code borrowToken} is the proof: a lease this
     * engine signed (any key it publishes) for this license and seat, with the seat's current
     * {@code borrowed_until} (the latest borrow; an earlier end would leave a later token out).
     * Anything else is {@code invalid_request}, changing nothing; an engine without a signer
     * issued no token and so cannot check a return (the seat ends with its borrow). A seat that
     * is not borrowed is released as by {@link #release}.
     *
     * @param request the device: product, license key or username, hardware id, holder
     * @param borrowToken the lease this engine signed for the seat's current borrow
     * @return success (no value); {@code invalid_request} for a token that does not prove the borrow
     */
    Outcome<Void> returnBorrow(DeviceRequest request, String borrowToken);

    /**
     * Unbinds the device, freeing its seat if it holds one; refused with {@code seat_borrowed}
     * while the device's seat is borrowed (return it first, or wait for its end).
     *
     * @param request the device: product, license key or username, hardware id, holder
     * @return success (no value); a refusal in the order above, or {@code seat_borrowed}
     */
    Outcome<Void> deactivate(DeviceRequest request);

    /**
     * Adds {@code count} uses to a consumption license; beyond {@code maxConsumptions} only
     * if the license allows overage (up to its {@code maxOverage}, 0 meaning unlimited) and the
     * caller asks for it.
     *
     * @param request the device: product, license key or username, hardware id, holder
     * @param count the uses to add, 1 to 1,000,000,000
     * @param allowOverage whether the caller accepts going beyond {@code maxConsumptions}
     * @return the balance after the addition; {@code license_not_consumption},
     *     {@code license_not_enough_consumptions}, or a refusal in the order above
     */
    default Outcome<ConsumptionBalance> addConsumption(DeviceRequest request, long count, boolean allowOverage) {
        return addConsumption(request, count, allowOverage, null);
    }

    /**
     * As {@link #addConsumption(DeviceRequest, long, boolean)}, with the caller's own overage
     * cap ({@code max_overages}; null for none): the tighter of it and the license's applies,
     * 0 from both meaning unlimited.
     *
     * @param request the device: product, license key or username, hardware id, holder
     * @param count the uses to add, 1 to 1,000,000,000
     * @param allowOverage whether the caller accepts going beyond {@code maxConsumptions}
     * @param maxOverage the caller's overage cap, not negative, or null for none
     * @return as {@link #addConsumption(DeviceRequest, long, boolean)}
     */
    Outcome<ConsumptionBalance> addConsumption(DeviceRequest request, long count, boolean allowOverage,
                                                @Nullable Long maxOverage);
}
