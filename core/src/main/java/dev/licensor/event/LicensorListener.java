package dev.licensor.event;

/**
 * Receives the engine's change events ({@code Licensor.builder().listener(...)}).
 *
 * <p><b>Delivery.</b> An event is delivered only after the store committed the unit of work that
 * made it, never for a unit that rolled back, and in commit order per engine. Events are delivered
 * one at a time (never concurrently to one engine's listeners), on the thread of a call that
 * committed: usually the call that made them, before it returns; if an earlier-committed call is
 * still delivering, that call's thread delivers them. Delivery is not durable: an event of a
 * unit committed just before the process dies may never be delivered; use the ledger feed
 * ({@link dev.licensor.ledger.Ledger#after}) for at-least-once processing.
 *
 * <p><b>Failures.</b> Anything a listener throws (a runtime exception, a checked exception thrown
 * undeclared as Kotlin does, an {@code AssertionError}; all but a {@code VirtualMachineError}) is
 * logged through SLF4J (logger {@code dev.licensor.event}) and otherwise ignored: it affects
 * neither the call nor the other listeners nor later events.
 *
 * <p>Keep {@link #onEvent} short and non-blocking (hand work to a queue): it delays the delivery
 * of later events and the return of the call delivering them. It may call the engine: the events of
 * such a call are delivered after this {@code onEvent} returns. Implementations need not be
 * thread-safe with respect to one engine, since one engine never calls them concurrently.
 */
@FunctionalInterface
public interface LicensorListener {

    /**
     * Called once per committed event, in commit order.
     *
     * @param event the committed change
     */
    void onEvent(LicensorEvent event);
}
