/**
 * Change events: what the engine committed, delivered to a host's {@link
 * dev.licensor.event.LicensorListener}
 * ({@code Licensor.builder().listener(...)}) after the store committed, in commit order.
 *
 * <p>Events are the in-process view of the ledger: every event is one ledger entry of this engine,
 * with the {@code seq} the store assigned. Across processes and hosts, read the ledger feed
 * ({@link dev.licensor.ledger.Ledger#after}) and map its entries with {@link dev.licensor.event.LicensorEvent#of}.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor.event;

import org.jspecify.annotations.NullMarked;
