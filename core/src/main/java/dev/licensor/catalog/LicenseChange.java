package dev.licensor.catalog;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import org.jspecify.annotations.Nullable;
import java.time.Instant;

/**
 * What {@link Catalog#changeLicense} changes on a license after it was sold: its floating seats,
 * its activation cap, and its validity. A null field (or {@code validity == false}) keeps the
 * current value. The product, key and username are never changed: clients hold them.
 *
 * <p>Build with {@link #builder()}. Immutable and thread-safe.
 *
 * @param floatingSeats  new seat count of a floating license, or null to keep it
 * @param maxActivations new activation cap, or null to keep it
 * @param validity       whether {@code validFrom} and {@code validUntil} replace the current pair
 * @param validFrom      the new start (null: since creation), used if {@code validity}
 * @param validUntil     the new end, exclusive (null: never), used if {@code validity}
 */
public record LicenseChange(@Nullable Integer floatingSeats, @Nullable Integer maxActivations, boolean validity,
                            @Nullable Instant validFrom, @Nullable Instant validUntil) {

    /** An empty change. */
    public static Builder builder() {
        return new Builder();
    }

    /** True if the change changes nothing. */
    public boolean isEmpty() {
        return floatingSeats == null && maxActivations == null && !validity;
    }

    /** Builds changes. Not thread-safe. */
    public static final class Builder {
        private Integer floatingSeats;
        private Integer maxActivations;
        private boolean validity;
        private Instant validFrom;
        private Instant validUntil;

        private Builder() {
        }

        /** Sets the floating seats. */
        @CanIgnoreReturnValue
        public Builder floatingSeats(int value) {
            this.floatingSeats = value;
            return this;
        }

        /** Sets the activation cap. */
        @CanIgnoreReturnValue
        public Builder maxActivations(int value) {
            this.maxActivations = value;
            return this;
        }

        /** Replaces the validity window (either end may be null: open). */
        @CanIgnoreReturnValue
        public Builder validity(@Nullable Instant from, @Nullable Instant until) {
            this.validity = true;
            this.validFrom = from;
            this.validUntil = until;
            return this;
        }

        /** The change. */
        public LicenseChange build() {
            return new LicenseChange(floatingSeats, maxActivations, validity, validFrom, validUntil);
        }
    }
}
