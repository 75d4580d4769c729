/**
 * Capacity reports computed from the ledger: how many seats a pool used, how often it was full,
 * who held its seats. Start at {@link dev.licensor.report.CapacityReports}. Values are immutable
 * records; the report streams over the ledger in bounded memory (see
 * {@link dev.licensor.report.CapacityReports#utilisation}). The what-if replay, which needs a
 * scratch store, lives in the {@code licensor-report} module.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor.report;

import org.jspecify.annotations.NullMarked;
