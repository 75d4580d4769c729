/**
 * Floating and device licenses: activation, seats, borrowing, queues and consumption, and seat
 * administration.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor.floating;

import org.jspecify.annotations.NullMarked;
