package dev.licensor.store;

import org.jspecify.annotations.Nullable;

/**
 * The one signal a store gives for a conflict that may pass if the unit is run again: the
 * database was busy, a serialization failure, a deadlock victim (PostgreSQL SQLSTATE
 * {@code 40001}, {@code 40P01}), a lock wait that timed out. The store has rolled the unit back
 * before throwing it.
 *
 * <p>Stores never retry themselves: the engine re-runs the unit a bounded number of times with
 * jittered backoff and then fails with {@link dev.licensor.outcome.Code#STORE_FAILURE}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TransientStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A transient conflict described by {@code message}, caused by {@code cause} (may be null). */
    public TransientStoreException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
