package dev.licensor;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.StoreWork;
import dev.licensor.store.TransientStoreException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's view of the host's store: every unit is re-run when the store reports a
 * {@link TransientStoreException}, up to {@link #ATTEMPTS} runs in all, sleeping a random time
 * between 0 and a doubling bound ("full jitter") before each new run, so units that collided do
 * not collide again in step. When the last run fails too, the call fails with
 * {@link Code#STORE_FAILURE}. This is the only retry loop in Licensor: stores never retry. Not API.
 *
 * <p>Thread-safe if the store is (it is stateless).
 */
final class Retrying implements LicenseStore {
    private static final Logger log = LoggerFactory.getLogger(Retrying.class);

    /** Runs of one unit at most, the first included. */
    static final int ATTEMPTS = 8;
    /** The bound of the first backoff; it doubles up to {@link #MAX_BACKOFF_NANOS}. */
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final LicenseStore store;

    Retrying(LicenseStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public <T> T write(StoreWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return store.write(work);
            } catch (TransientStoreException e) {
                backOff(attempt, e);
            }
        }
    }

    @Override
    public <T> T read(StoreWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return store.read(work);
            } catch (TransientStoreException e) {
                backOff(attempt, e);
            }
        }
    }

    /** Sleeps before run {@code failed + 1}, or gives up after the last. */
    private static void backOff(int failed, TransientStoreException e) {
        if (failed >= ATTEMPTS) {
            throw new LicensingException(Code.STORE_FAILURE,
                    "the store reported a conflict " + ATTEMPTS + " times in a row: " + e.getMessage(), e);
        }
        log.debug("transient store conflict (run {} of {}), retrying: {}", failed, ATTEMPTS, e.getMessage());
        long bound = Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << (failed - 1));
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(bound + 1));
        if (Thread.currentThread().isInterrupted()) {
            throw new LicensingException(Code.STORE_FAILURE, "interrupted while retrying a store conflict", e);
        }
    }

    /** The engine never closes the host's store. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("the host closes its store");
    }
}
