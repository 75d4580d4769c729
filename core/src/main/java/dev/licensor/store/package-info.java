/**
 * The store SPI: {@link dev.licensor.store.LicenseStore} and the types a store persists and
 * locks; stores hold no licensing rules.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor.store;

import org.jspecify.annotations.NullMarked;
