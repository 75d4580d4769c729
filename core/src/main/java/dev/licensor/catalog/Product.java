package dev.licensor.catalog;

import java.time.Duration;

/**
 * A product that licenses are sold for, known by a short code.
 *
 * <p>Any field may be null here: {@link Catalog#defineProduct} answers {@code missing_parameters}
 * for it (see the package's null rule). Immutable and thread-safe.
 *
 * @param code            short unique code, e.g. {@code "cad-pro"}
 * @param name            display name
 * @param floatingTimeout default time a floating seat lives without a refresh; a license may override it
 * @param maxBorrowTime   default longest borrow; a license may override it
 */
public record Product(String code, String name, Duration floatingTimeout, Duration maxBorrowTime) {
}
