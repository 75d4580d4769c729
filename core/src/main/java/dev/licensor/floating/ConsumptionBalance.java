package dev.licensor.floating;

/**
 * The counter of a consumption license after a successful {@code addConsumption}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param licenseId       the license
 * @param consumed        uses so far, including this call
 * @param maxConsumptions uses included
 * @param overage         how far {@code consumed} exceeds {@code maxConsumptions} (0 if not)
 */
public record ConsumptionBalance(long licenseId, long consumed, long maxConsumptions, long overage) {
}
