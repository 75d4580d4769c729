/**
 * Capacity reports computed from the ledger: how many seats a pool used, how often it was full,
 * who held its seats. Start at {@link dev.licensor.report.CapacityReports}. Values are immutable
 * records; the report streams over the ledger in bounded memory (see
 * {@link dev.licensor.report.CapacityReports#utilisation}). The what-if replay, which needs a
 * scratch store, lives in the {@code licensor-report} module.
 */
package dev.licensor.report;
