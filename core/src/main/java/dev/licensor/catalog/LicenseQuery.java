package dev.licensor.catalog;

import org.jspecify.annotations.Nullable;

/**
 * What a license listing asks for ({@link Catalog#licenses}): every license, a product's, or a
 * customer's (user-based licenses of one username, across products), optionally only those in one
 * {@link LicenseState}; then one page of at most {@code limit} rows with ids above {@code after}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param product  a product code, or null for every product
 * @param username a license user (the customer of user-based licenses), or null for any
 * @param state    a state to filter by, or null for every state
 * @param after    the cursor: the {@link Page#next()} of the previous page, or 0 for the first
 * @param limit    most rows in the page, 1 to {@link #MAX_LIMIT}
 */
public record LicenseQuery(@Nullable String product, @Nullable String username, @Nullable LicenseState state,
                           long after, int limit) {
    /** The largest page a listing returns. */
    public static final int MAX_LIMIT = 1000;
    /** The page size when none is given. */
    public static final int DEFAULT_LIMIT = 100;

    /** Every license, first page of {@value #DEFAULT_LIMIT}. */
    public static LicenseQuery all() {
        return new LicenseQuery(null, null, null, 0, DEFAULT_LIMIT);
    }

    /** A product's licenses, first page of {@value #DEFAULT_LIMIT}. */
    public static LicenseQuery ofProduct(String product) {
        return new LicenseQuery(product, null, null, 0, DEFAULT_LIMIT);
    }

    /** A customer's user-based licenses, first page of {@value #DEFAULT_LIMIT}. */
    public static LicenseQuery ofUser(String username) {
        return new LicenseQuery(null, username, null, 0, DEFAULT_LIMIT);
    }

    /** This query restricted to a state (null: any). */
    public LicenseQuery inState(@Nullable LicenseState newState) {
        return new LicenseQuery(product, username, newState, after, limit);
    }

    /** This query for the page after the cursor {@code newAfter}. */
    public LicenseQuery after(long newAfter) {
        return new LicenseQuery(product, username, state, newAfter, limit);
    }

    /** This query with another page size. */
    public LicenseQuery limit(int newLimit) {
        return new LicenseQuery(product, username, state, after, newLimit);
    }
}
