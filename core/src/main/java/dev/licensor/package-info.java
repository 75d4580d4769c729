/**
 * The engine's entry point, {@link dev.licensor.Licensor}, and its builder.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor;

import org.jspecify.annotations.NullMarked;
