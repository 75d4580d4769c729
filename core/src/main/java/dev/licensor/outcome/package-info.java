/**
 * What every engine call answers: {@link dev.licensor.outcome.Outcome} (a success or a failure
 * with a {@link dev.licensor.outcome.Code}) and {@link dev.licensor.outcome.LicensingException}.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor.outcome;

import org.jspecify.annotations.NullMarked;
