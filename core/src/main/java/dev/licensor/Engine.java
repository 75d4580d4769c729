package dev.licensor;

import dev.licensor.event.LicensorListener;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.Change;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.StoreWork;
import dev.licensor.outcome.Code;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service shares: the store, the clock, and the one place where a refusal becomes
 * an {@link Outcome.Failure} (and, for licensing denials, a ledger entry). Not API.
 *
 * <p>Thread-safe: immutable, and the store is thread-safe.
 */
final class Engine {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final LicenseStore store;
    private final Clock clock;
    private final FixedRows fixed;

    /**
     * With listeners, the services write through a store that publishes each committed unit's
     * events; under it, the retry of transient conflicts (a re-run restarts the unit's events).
     */
    Engine(LicenseStore store, Clock clock, List<LicensorListener> listeners) {
        LicenseStore retrying = new Retrying(Objects.requireNonNull(store, "store"));
        this.store = listeners.isEmpty() ? retrying : new EventPublisher(listeners).wrap(retrying);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.fixed = new FixedRows(clock);
    }

    /** The host's store, behind the engine's retry of transient conflicts ({@link Retrying}). */
    LicenseStore store() {
        return store;
    }

    /** The rows device calls read before locking: read once per engine (products: see {@link FixedRows}). */
    FixedRows fixed() {
        return fixed;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Runs {@code body} (validation, then one or more store calls) and turns a {@link Denied}
     * into a failure. The store has already rolled back whatever the refused unit wrote; a
     * licensing denial is then recorded in a transaction of its own.
     */
    <T> Outcome<T> attempt(Supplier<T> body) {
        try {
            return Outcome.success(body.get());
        } catch (Denied denied) {
            if (denied.isRecorded()) {
                record(denied);
            }
            log.debug("refused: {} {}", denied.code().key(), denied.getMessage());
            return Outcome.failure(denied.code(), denied.getMessage());
        } catch (DateTimeException | ArithmeticException e) {
            // Input is bounded so this cannot happen for rows the engine wrote; a row from elsewhere
            // or a clock at the end of time still gets an answer. The store rolled the unit back.
            log.warn("refused: a time or count is out of range", e);
            return Outcome.failure(Code.INVALID_REQUEST, "a time or count is out of range: " + e.getMessage());
        }
    }

    /** Shorthand for a single write unit. */
    <T> Outcome<T> write(StoreWork<T> work) {
        return attempt(() -> store.write(work));
    }

    /** Shorthand for a single read unit. */
    <T> Outcome<T> read(StoreWork<T> work) {
        return attempt(() -> store.read(work));
    }

    private void record(Denied denied) {
        Instant at = now();
        store.write(tx -> tx.apply(Change.appendLedger(new LedgerEntry(0, at, LedgerEvent.DENIED, denied.licenseId(),
                denied.clientLicenseId(), denied.subject(), denied.code(), denied.getMessage())
                .withHolder(denied.user(), denied.host())))[0]);
    }
}
