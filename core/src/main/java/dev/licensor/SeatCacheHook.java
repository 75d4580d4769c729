package dev.licensor;

/**
 * Told by the services after a store commit that something a cache may hold has changed, so
 * the cache drops it. Called only after the unit of work committed, never inside it.
 * Implementations must be thread-safe.
 */
interface SeatCacheHook {
    /** Does nothing: for an engine without a cache. */
    SeatCacheHook NONE = new SeatCacheHook() {
        @Override
        public void seatChanged(long licenseId, String hardwareId) {
        }

        @Override
        public void licenseChanged(long licenseId) {
        }

        @Override
        public void clientChanged(long clientId) {
        }
    };

    /** The device's seat of the license was granted, refreshed, borrowed or freed. */
    void seatChanged(long licenseId, String hardwareId);

    /** The license itself changed (switches, counters). */
    void licenseChanged(long licenseId);

    /** The client's consumed licenses changed. */
    void clientChanged(long clientId);
}
