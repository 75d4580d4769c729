package dev.licensor.catalog;

/**
 * A floating license's pool with its usage at one moment ({@link Catalog#pools}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param license the floating license
 * @param seats   its purchased seats ({@code license.floatingSeats()})
 * @param held    seats held now by live leases (may exceed {@code seats} under an overdraft policy)
 */
public record PoolSummary(License license, int seats, int held) {
    /** Seats not held now (0 if the pool is full or over). */
    public int free() {
        return Math.max(0, seats - held);
    }
}
