package dev.licensor.store;

/**
 * A unit of work run by a {@link LicenseStore} inside one transaction. It must have no side
 * effects outside the transaction, since the engine may run it again after a transient conflict ({@link TransientStoreException}).
 * It runs on the calling thread; it need not be thread-safe itself.
 *
 * @param <T> what the unit returns
 */
@FunctionalInterface
public interface StoreWork<T> {
    /** Does the work with the given transaction. */
    T run(StoreTransaction tx);
}
