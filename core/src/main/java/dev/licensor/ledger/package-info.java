/**
 * The ledger: the administrator's record of every seat and client-license decision, read and
 * pruned through {@link dev.licensor.ledger.Ledger}.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor.ledger;

import org.jspecify.annotations.NullMarked;
