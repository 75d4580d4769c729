package dev.licensor.store;

/**
 * Knows whether the current thread is inside a unit of work of one store, so the store can
 * refuse a nested unit with {@link NestedUnitException} the same way every store does. A store
 * keeps one guard and calls {@link #enter()} before it begins a unit and {@link #exit()} when
 * the unit is over (in a {@code finally}).
 *
 * <p>Thread-safe: the state is per thread.
 */
public final class UnitGuard {
    private final ThreadLocal<Boolean> inside = new ThreadLocal<>();

    /** A guard for one store. */
    public UnitGuard() {
    }

    /**
     * Marks the current thread as inside a unit.
     *
     * @throws NestedUnitException if it already is
     */
    public void enter() {
        if (inside.get() != null) {
            throw new NestedUnitException();
        }
        inside.set(Boolean.TRUE);
    }

    /** Marks the current thread as outside any unit. */
    public void exit() {
        inside.remove();
    }
}
