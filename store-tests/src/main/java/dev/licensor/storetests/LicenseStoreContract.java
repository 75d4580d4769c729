package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.store.LicenseStore;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract every {@link LicenseStore} must pass, run through the engine (and, for the
 * store-level guarantees, against the store directly). A store's test only says how to build
 * the store:
 *
 * <pre>{@code
 * class MemoryLicenseStoreTest extends LicenseStoreContract {
 *     @Override
 *     protected LicenseStore newStore() {
 *         return new MemoryLicenseStore();
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh, empty store from {@link #newStore()} and an engine from
 * {@link #engine} on a {@link MutableClock}; the store is closed after the test. The tests are
 * grouped by area in {@code @Nested} classes, so one concrete subclass runs them all.
 *
 * <p>Not thread-safe: JUnit creates one instance per test.
 */
public abstract class LicenseStoreContract {

    /** Where every test's clock starts: whole seconds, so any store can keep instants exactly. */
    protected static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    /** The store under test, fresh for each test. */
    protected LicenseStore store;
    /** The engine's clock, at {@link #START} when a test begins. */
    protected MutableClock clock;
    /** The engine over {@link #store} and {@link #clock}. */
    protected Licensor licensor;

    /** A fresh, empty store; called once per test. */
    protected abstract LicenseStore newStore() throws Exception;

    /**
     * The engine builder the suite uses, with the store and clock set. Override to add options
     * (e.g. to turn a cache on); do not build it.
     */
    protected Licensor.Builder engine(LicenseStore store, Clock clock) {
        return Licensor.builder().store(store).clock(clock);
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
        assertThat(store).as("newStore()").isNotNull();
        clock = new MutableClock(START);
        licensor = engine(store, clock).build();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }
}
