package dev.licensor.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A number of rows, for {@link StoreTransaction#count}: the closed set of counts core makes, each
 * an index range count (SQL: {@code count(*)} over an index range), whatever the table's size.
 *
 * <p>Values: immutable and thread-safe.
 */
public sealed interface Count {

    /** The license's activations: a range on the (licenseId, hardwareId) key. */
    record Activations(long licenseId) implements Count {
    }

    /** The license's leases with {@code expiresAt > after}: a range on (licenseId, expiresAt). */
    record LiveLeases(long licenseId, Instant after) implements Count {
        /** Checks for null. */
        public LiveLeases {
            Objects.requireNonNull(after, "after");
        }
    }

    /** {@link Activations}. */
    static Count activations(long licenseId) {
        return new Activations(licenseId);
    }

    /** {@link LiveLeases}. */
    static Count liveLeases(long licenseId, Instant after) {
        return new LiveLeases(licenseId, after);
    }
}
