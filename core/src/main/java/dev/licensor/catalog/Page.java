package dev.licensor.catalog;

import java.util.List;
import java.util.Objects;

/**
 * One page of a keyset (cursor) listing, in ascending id order. Pass {@link #next()} as the
 * {@code after} of the next request to continue exactly where this page stopped: a row is never
 * read twice nor skipped because rows were added or deleted elsewhere in the meantime (rows
 * added with a lower id than the cursor, which ids never are, would be the only ones missed).
 *
 * <p>A page may hold fewer items than asked, even none, and still not be the last: a filtered
 * listing stops after examining a bounded number of rows, so no page costs more than a few
 * index range reads. Only {@link #hasMore()} says whether to continue.
 *
 * <p>Immutable and thread-safe if the items are.
 *
 * @param items the rows, by ascending id (an unmodifiable list)
 * @param next  the cursor for the next page (the last id examined), or 0 if this is the last page
 * @param <T>   the row type
 */
public record Page<T>(List<T> items, long next) {
    /** Copies the items. */
    public Page {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
        if (next < 0) {
            throw new IllegalArgumentException("next must not be negative");
        }
    }

    /** True if another page may hold more rows: ask again with {@code after = next()}. */
    public boolean hasMore() {
        return next > 0;
    }
}
