package dev.licensor.policy;

/** What a {@link SeatGroup} lists. Immutable and thread-safe. */
public enum GroupKind {
    /** User names (FlexNet {@code GROUP}). */
    USER,
    /** Host names (FlexNet {@code HOST_GROUP}). */
    HOST
}
