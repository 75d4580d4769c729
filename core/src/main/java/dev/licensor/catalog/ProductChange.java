package dev.licensor.catalog;

import org.jspecify.annotations.Nullable;
import java.time.Duration;

/**
 * What {@link Catalog#changeProduct} changes on a product after it was defined: its display name
 * and the defaults its licenses inherit. A null field keeps the current value. The code is never
 * changed: licenses and devices name the product by it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name            the new display name, or null to keep it
 * @param floatingTimeout the new default floating timeout, or null to keep it; applies to seats
 *                        taken or refreshed from then on by licenses without a timeout of their own
 * @param maxBorrowTime   the new default longest borrow, or null to keep it; applies to the next borrow
 */
public record ProductChange(@Nullable String name, @Nullable Duration floatingTimeout,
                            @Nullable Duration maxBorrowTime) {

    /** A change of the name only. */
    public static ProductChange name(String name) {
        return new ProductChange(name, null, null);
    }

    /** True if the change changes nothing. */
    public boolean isEmpty() {
        return name == null && floatingTimeout == null && maxBorrowTime == null;
    }
}
