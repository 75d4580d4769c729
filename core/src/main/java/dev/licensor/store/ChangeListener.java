package dev.licensor.store;

/**
 * Told by a {@link ChangeFeed} that committed rows changed. Implementations must be thread-safe
 * and quick: they run on the feed's thread.
 */
public interface ChangeListener {

    /** The device's lease of the license was written or deleted. */
    void seatChanged(long licenseId, String hardwareId);

    /** The license row was written. */
    void licenseChanged(long licenseId);

    /** The client's consumption rows were written or deleted. */
    void clientChanged(long clientId);

    /** Anything may have changed (notices may have been lost): drop everything cached. */
    void everythingChanged();
}
