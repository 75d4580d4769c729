package dev.licensor.storetests;

import dev.licensor.store.LicenseStore;
import dev.licensor.store.StoreWork;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link LicenseStore} that passes every unit of work through to another store and counts
 * them, so a test can tell a cache hit (no unit) from a store read, or count a batched
 * operation's write units. Closing it closes the store it wraps.
 *
 * <p>Thread-safe if the wrapped store is: the counters are atomic.
 */
public final class CountingStore implements LicenseStore {
    private final LicenseStore store;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();

    /** Counts the units run on {@code store}. */
    public CountingStore(LicenseStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public <T> T write(StoreWork<T> work) {
        writes.incrementAndGet();
        return store.write(work);
    }

    @Override
    public <T> T read(StoreWork<T> work) {
        reads.incrementAndGet();
        return store.read(work);
    }

    /** Write units run so far. */
    public long writes() {
        return writes.get();
    }

    /** Read units run so far. */
    public long reads() {
        return reads.get();
    }

    /** Units run so far, read and write. */
    public long calls() {
        return reads.get() + writes.get();
    }

    @Override
    public void close() {
        store.close();
    }
}
