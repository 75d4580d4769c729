package dev.licensor.catalog;

import java.time.Duration;
import java.util.Objects;

/**
 * A product that licenses are sold for, known by a short code.
 *
 * <p>Immutable and thread-safe.
 *
 * @param code            short unique code, e.g. {@code "cad-pro"}
 * @param name            display name
 * @param floatingTimeout default time a floating seat lives without a refresh; a license may override it
 * @param maxBorrowTime   default longest borrow; a license may override it
 */
public record Product(String code, String name, Duration floatingTimeout, Duration maxBorrowTime) {
    public Product {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(floatingTimeout, "floatingTimeout");
        Objects.requireNonNull(maxBorrowTime, "maxBorrowTime");
    }
}
