package dev.licensor.policy;

/**
 * What one seat of a floating pool belongs to. Immutable and thread-safe.
 *
 * <p>A re-checkout by the same owner always refreshes its seat, never takes a second one.
 */
public enum LeasingStrategy {
    /** One seat per device (hardware id): the default, and the rule before policies existed. */
    DEVICE,
    /** One seat per user, across all of the user's activated devices; requests must name a user. */
    USER,
    /** One seat per running instance (hardware id + process id) of an activated device; requests must name a process. */
    PROCESS
}
