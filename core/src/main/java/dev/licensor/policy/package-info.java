/**
 * Seat policies of a floating pool: {@link dev.licensor.policy.PoolPolicy} (RESERVE, MAX,
 * INCLUDE,
 * EXCLUDE, BORROW_LOWWATER, MAX_BORROW, QUEUE, OVERDRAFT), leasing strategies, user and host
 * groups, and the usage report. The rules that apply them live in the engine, once. See
 * {@code docs/policies.md}.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor.policy;

import org.jspecify.annotations.NullMarked;
