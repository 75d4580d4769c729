package dev.licensor.store;

/**
 * Thrown by every store when a unit of work starts another unit of work on the same store (from
 * inside {@link StoreWork#run}, on the same thread). A unit is one transaction; a nested one
 * would either deadlock on the locks its caller holds or commit on its own, outside the caller's
 * atomicity, so stores refuse it before doing anything. The outer unit is unaffected by the
 * refusal unless it lets the exception escape (then it rolls back as for any exception).
 *
 * <p>Stores detect it with a {@link UnitGuard}. Immutable and thread-safe.
 */
public final class NestedUnitException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The refusal. */
    public NestedUnitException() {
        super("a unit of work cannot start another unit of work");
    }
}
