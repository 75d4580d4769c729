package dev.licensor.catalog;

import org.jspecify.annotations.Nullable;
import java.util.List;
import java.util.Objects;

/**
 * One page of the product listing ({@link Catalog#products}), in code point order of the codes
 * (the order of UTF-8 bytes, the same on every store). Pass {@link #next()} as the {@code after}
 * of the next request to continue exactly after the last code of this page: a product is never
 * read twice nor skipped because products were defined or deleted in the meantime (a product
 * defined with a code below the cursor is the only one a walk misses).
 *
 * <p>Immutable and thread-safe.
 *
 * @param items the products, by code (an unmodifiable list)
 * @param next  the cursor for the next page (the last code of this one), or null if this is the last page
 */
public record ProductPage(List<Product> items, @Nullable String next) {
    /** Copies the items. */
    public ProductPage {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }

    /** True if another page may hold more products: ask again with {@code after = next()}. */
    public boolean hasMore() {
        return next != null;
    }
}
