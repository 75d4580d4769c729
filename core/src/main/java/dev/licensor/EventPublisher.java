package dev.licensor;

import dev.licensor.event.LicensorEvent;
import dev.licensor.event.LicensorListener;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.store.Change;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.StoreTransaction;
import dev.licensor.store.StoreWork;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one engine's change events. {@link #wrap} decorates the store so that each unit of
 * work collects the ledger entries it appends (the ledger already records every change an event
 * reports, so no service needs to know about events) and hands them to the {@link Sequencer}
 * only once the store's {@code write} has returned, i.e. after the commit. Not API.
 *
 * <p><b>Re-runs.</b> A store (or the engine's retry) may run a unit more than once; each run
 * starts a fresh collection and cancels the previous run's place in the sequence, so only the
 * last run's events are published, and none if {@code write} throws.
 *
 * <p><b>Commit order.</b> A run takes its place in the sequence at the end of its body, while it
 * still holds the store's write lock (memory: from its first ledger append; SQLite and PostgreSQL:
 * the writer lock of the store's group commit, held from a unit's first write to its commit; the
 * rule is stated on {@link dev.licensor.store.Change.AppendLedger}): so places are taken in commit order,
 * and events are delivered in place order.
 *
 * <p>Thread-safe.
 */
final class EventPublisher {
    private static final Logger log = LoggerFactory.getLogger("dev.licensor.event");
    private static final Method APPLY_CHANGES;
    private static final Method APPLY;

    static {
        try {
            APPLY_CHANGES = StoreTransaction.class.getMethod("apply", Change[].class);
            APPLY = StoreTransaction.class.getMethod("apply", PoolChanges.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final List<LicensorListener> listeners;
    private final Sequencer sequencer = new Sequencer(this::deliver);

    /** A publisher to these listeners (at least one). */
    EventPublisher(List<LicensorListener> listeners) {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("no listener");
        }
        this.listeners = List.copyOf(listeners);
    }

    /** The store, decorated so that its committed units publish their events. */
    public LicenseStore wrap(LicenseStore store) {
        return new LicenseStore() {
            @Override
            public <T> T write(StoreWork<T> work) {
                return publishing(store, work);
            }

            @Override
            public <T> T read(StoreWork<T> work) {
                return store.read(work);
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }

    /** One call of {@code write}: the current run's events and its place in the sequence. */
    private static final class Unit {
        List<LicensorEvent> events = new ArrayList<>();
        Sequencer.Place place;
    }

    private <T> T publishing(LicenseStore store, StoreWork<T> work) {
        Unit unit = new Unit();
        T result;
        try {
            result = store.write(tx -> {
                restart(unit);
                T value = work.run(collecting(tx, unit));
                if (!unit.events.isEmpty()) {
                    unit.place = sequencer.reserve();
                }
                return value;
            });
        } catch (RuntimeException | Error e) {
            restart(unit);
            throw e;
        }
        if (unit.place != null) {
            sequencer.complete(unit.place, List.copyOf(unit.events));
        }
        return result;
    }

    /** Forgets an earlier run of the unit: its events and its place. */
    private void restart(Unit unit) {
        unit.events = new ArrayList<>();
        if (unit.place != null) {
            sequencer.cancel(unit.place);
            unit.place = null;
        }
    }

    /** The transaction, with each ledger append also collected as an event of the run. */
    private static StoreTransaction collecting(StoreTransaction tx, Unit unit) {
        List<LicensorEvent> events = unit.events;
        // A proxy, not a hand-written delegate: it forwards whatever methods the SPI has.
        return (StoreTransaction) Proxy.newProxyInstance(StoreTransaction.class.getClassLoader(),
                new Class<?>[] {StoreTransaction.class}, (proxy, method, args) -> {
                    Object value;
                    try {
                        value = method.invoke(tx, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.equals(APPLY_CHANGES)) {
                        Change[] changes = (Change[]) args[0];
                        long[] results = (long[]) value;
                        for (int i = 0; i < changes.length; i++) {
                            if (changes[i] instanceof Change.AppendLedger a) {
                                events.add(LicensorEvent.of(a.entry().withSeq(results[i])));
                            }
                        }
                    } else if (method.equals(APPLY)) {
                        // a store's apply may append without calling appendLedger: its seqs say which
                        List<LedgerEntry> ledger = ((PoolChanges) args[0]).ledger();
                        long[] seqs = (long[]) value;
                        for (int i = 0; i < seqs.length; i++) {
                            events.add(LicensorEvent.of(ledger.get(i).withSeq(seqs[i])));
                        }
                    }
                    return value;
                });
    }

    /** Calls every listener with every event; a listener's exception is logged and goes no further. */
    private void deliver(List<LicensorEvent> events) {
        for (LicensorEvent event : events) {
            for (LicensorListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (VirtualMachineError e) {
                    throw e; // the JVM is failing: nothing to contain
                } catch (Throwable e) {
                    // anything else, a checked exception thrown sneakily (Kotlin) or an
                    // AssertionError included: the unit has committed, later listeners still hear
                    log.warn("listener {} failed on {}", listener, event, e);
                }
            }
        }
    }
}
