package dev.licensor.catalog;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.time.Instant;

/**
 * A license of a product: key-based ({@code key}) or user-based ({@code username}), exactly one.
 *
 * <p>{@code enabled} is the vendor's on/off switch; {@code active} says the license is in service.
 * A license with {@code floatingSeats > 0} is floating: at most that many activated devices may
 * hold a seat at once. Nullable fields: {@code key}/{@code username} (one of them),
 * {@code validFrom}, {@code validUntil}, {@code floatingTimeout} and {@code maxBorrowTime}
 * (null means the product's default).
 *
 * <p>Build drafts with {@link #builder(String)}; the engine assigns {@code id}. A null
 * {@code product} or {@code type} is accepted here and answered by {@link Catalog#createLicense}
 * with {@code missing_parameters} (see the package's null rule). Immutable and thread-safe.
 *
 * @param id               store-assigned id, positive; 0 in a draft
 * @param product          product code
 * @param key              license key, or null for a user-based license
 * @param username         license user, or null for a key-based license
 * @param type             commercial kind
 * @param enabled          vendor's on/off switch
 * @param active           in service
 * @param validFrom        start of validity, or null for "since creation"
 * @param validUntil       end of validity (exclusive), or null for never
 * @param maxActivations   most devices that may be activated at once, at least 1
 * @param floatingSeats    seats in the floating pool; 0 means not floating
 * @param floatingTimeout  seat lifetime without refresh, or null for the product's
 * @param borrowAllowed    whether seats may be borrowed
 * @param maxBorrowTime    longest borrow, or null for the product's
 * @param maxConsumptions  for {@link LicenseType#CONSUMPTION}: uses included
 * @param consumed         for {@link LicenseType#CONSUMPTION}: uses so far
 * @param overageAllowed   whether consumption may exceed {@code maxConsumptions}
 * @param maxOverage       how far beyond {@code maxConsumptions}; 0 with overage allowed means unlimited
 */
public record License(long id, String product, @Nullable String key, @Nullable String username, LicenseType type,
                      boolean enabled, boolean active, @Nullable Instant validFrom, @Nullable Instant validUntil,
                      int maxActivations, int floatingSeats, @Nullable Duration floatingTimeout,
                      boolean borrowAllowed, @Nullable Duration maxBorrowTime,
                      long maxConsumptions, long consumed, boolean overageAllowed, long maxOverage) {

    /** True if this license has a floating pool. */
    public boolean isFloating() {
        return floatingSeats > 0;
    }

    /** True for a key-based license, false for a user-based one. */
    public boolean isKeyBased() {
        return key != null;
    }

    /** True if the license has ended at {@code now}: {@code validUntil} is exclusive, null never ends. */
    public boolean isExpiredAt(Instant now) {
        return validUntil != null && !now.isBefore(validUntil);
    }

    /** How long a seat lives without a refresh: this license's timeout, else {@code product}'s. */
    public Duration effectiveFloatingTimeout(Product product) {
        return floatingTimeout != null ? floatingTimeout : product.floatingTimeout();
    }

    /** The longest borrow: this license's, else {@code product}'s. */
    public Duration effectiveMaxBorrowTime(Product product) {
        return maxBorrowTime != null ? maxBorrowTime : product.maxBorrowTime();
    }

    /** This license with another id. */
    public License withId(long newId) {
        return new License(newId, product, key, username, type, enabled, active, validFrom, validUntil,
                maxActivations, floatingSeats, floatingTimeout, borrowAllowed, maxBorrowTime,
                maxConsumptions, consumed, overageAllowed, maxOverage);
    }

    /** This license with other switches. */
    public License withSwitches(boolean newEnabled, boolean newActive) {
        return new License(id, product, key, username, type, newEnabled, newActive, validFrom, validUntil,
                maxActivations, floatingSeats, floatingTimeout, borrowAllowed, maxBorrowTime,
                maxConsumptions, consumed, overageAllowed, maxOverage);
    }

    /** This license with another consumption counter. */
    public License withConsumed(long newConsumed) {
        return new License(id, product, key, username, type, enabled, active, validFrom, validUntil,
                maxActivations, floatingSeats, floatingTimeout, borrowAllowed, maxBorrowTime,
                maxConsumptions, newConsumed, overageAllowed, maxOverage);
    }

    /** Starts a draft: perpetual, enabled, active, one activation, not floating. */
    public static Builder builder(String product) {
        return new Builder(product);
    }

    /** Builds license drafts. Not thread-safe; use one builder per thread. */
    public static final class Builder {
        private final String product;
        private @Nullable String key;
        private @Nullable String username;
        private LicenseType type = LicenseType.PERPETUAL;
        private boolean enabled = true;
        private boolean active = true;
        private @Nullable Instant validFrom;
        private @Nullable Instant validUntil;
        private int maxActivations = 1;
        private int floatingSeats;
        private @Nullable Duration floatingTimeout;
        private boolean borrowAllowed;
        private @Nullable Duration maxBorrowTime;
        private long maxConsumptions;
        private boolean overageAllowed;
        private long maxOverage;

        private Builder(String product) {
            this.product = product;
        }

        @CanIgnoreReturnValue
        public Builder key(@Nullable String value) { this.key = value; return this; }
        @CanIgnoreReturnValue
        public Builder username(@Nullable String value) { this.username = value; return this; }
        @CanIgnoreReturnValue
        public Builder type(LicenseType value) { this.type = value; return this; }
        @CanIgnoreReturnValue
        public Builder enabled(boolean value) { this.enabled = value; return this; }
        @CanIgnoreReturnValue
        public Builder active(boolean value) { this.active = value; return this; }
        @CanIgnoreReturnValue
        public Builder validFrom(@Nullable Instant value) { this.validFrom = value; return this; }
        @CanIgnoreReturnValue
        public Builder validUntil(@Nullable Instant value) { this.validUntil = value; return this; }
        @CanIgnoreReturnValue
        public Builder maxActivations(int value) { this.maxActivations = value; return this; }
        @CanIgnoreReturnValue
        public Builder floatingSeats(int value) { this.floatingSeats = value; return this; }
        @CanIgnoreReturnValue
        public Builder floatingTimeout(@Nullable Duration value) { this.floatingTimeout = value; return this; }
        @CanIgnoreReturnValue
        public Builder borrowAllowed(boolean value) { this.borrowAllowed = value; return this; }
        @CanIgnoreReturnValue
        public Builder maxBorrowTime(@Nullable Duration value) { this.maxBorrowTime = value; return this; }
        @CanIgnoreReturnValue
        public Builder maxConsumptions(long value) { this.maxConsumptions = value; return this; }
        @CanIgnoreReturnValue
        public Builder overage(boolean allowed, long max) { this.overageAllowed = allowed; this.maxOverage = max; return this; }

        /** The draft; the engine validates it when it is created. */
        public License build() {
            return new License(0, product, key, username, type, enabled, active, validFrom, validUntil,
                    maxActivations, floatingSeats, floatingTimeout, borrowAllowed, maxBorrowTime,
                    maxConsumptions, 0, overageAllowed, maxOverage);
        }
    }
}
