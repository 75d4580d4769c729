package dev.licensor.store;

import java.util.Arrays;

/**
 * The lock keys one unit of work holds, and the check that it takes them in the global order
 * ({@link LockKey}). A store keeps one per unit and asks it, on each
 * {@link StoreTransaction#lock} call, which keys are new; it then takes those, in the order
 * given. Every store refuses an out-of-order key the same way, through this class.
 *
 * <p>Not thread-safe: one per unit, used on the unit's thread.
 */
public final class HeldLocks {
    private static final LockKey[] NONE = new LockKey[0];

    private LockKey highest;

    /** No key held. */
    public HeldLocks() {
    }

    /**
     * The keys of {@code keys} not yet held, ascending and without duplicates; records them as
     * held. Keys already held are skipped (taking a lock twice is allowed).
     *
     * @throws IllegalStateException if a new key is below the highest key already held: the
     *                               unit would break the global order (a bug in the engine)
     * @throws NullPointerException  if {@code keys} or one of them is null
     */
    public LockKey[] admit(LockKey... keys) {
        if (keys.length == 0) {
            return NONE;
        }
        if (keys.length == 1 && keys[0] != null && (highest == null || keys[0].compareTo(highest) > 0)) {
            highest = keys[0];
            return keys; // the common case: one new key above those held; nothing to sort or copy
        }
        LockKey[] sorted = sortedCopy(keys);
        int n = 0;
        for (LockKey key : sorted) {
            if (highest != null) {
                int c = key.compareTo(highest);
                if (c == 0) {
                    continue;
                }
                if (c < 0) {
                    throw new IllegalStateException("lock " + key + " taken after " + highest
                            + ": a unit takes its locks in the global order");
                }
            }
            sorted[n++] = key;
            highest = key;
        }
        return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
    }

    /** Whether the unit holds at least one key (stores may use it to refuse a lock in a read unit). */
    public boolean any() {
        return highest != null;
    }

    private static LockKey[] sortedCopy(LockKey[] keys) {
        LockKey[] sorted = keys.clone();
        for (LockKey key : sorted) {
            if (key == null) {
                throw new NullPointerException("lock key");
            }
        }
        if (sorted.length > 1) {
            Arrays.sort(sorted);
        }
        return sorted;
    }
}
