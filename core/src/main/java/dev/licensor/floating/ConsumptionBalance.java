package dev.licensor.floating;

/**
 * The counter of a consumption license after a successful {@code addConsumption}.
 *
 * @param licenseId       the license
 * @param consumed        uses so far, including this call
 * @param maxConsumptions uses included
 * @param overage         how far {@code consumed} exceeds {@code maxConsumptions} (0 if not)
 *
 * <p>Immutable and thread-safe.
 */
public record ConsumptionBalance(long licenseId, long consumed, long maxConsumptions, long overage) {
}
