/**
 * The engine's entry point, {@link dev.licensor.Licensor}, and its builder. The engine's
 * implementation (the services behind the views, the floating rules, the lookup cache, event
 * publishing, token issuing) is package-private here, reached only through {@code Licensor} and
 * its views; see {@code docs/api.md}.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor;

import org.jspecify.annotations.NullMarked;
