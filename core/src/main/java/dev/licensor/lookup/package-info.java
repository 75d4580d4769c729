/**
 * Read-only lookups for hosts (does this device hold a live seat, a license by key or user, a
 * client's consumed licenses), answered from an optional in-process cache.
 *
 * <p>Nothing here grants or refuses a seat: {@code check} and {@code borrow} always decide inside
 * a store transaction. The cache only answers questions a host asks to render, route or report.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor.lookup;

import org.jspecify.annotations.NullMarked;
