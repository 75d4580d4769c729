package dev.licensor.floating;

import java.time.Instant;

/**
 * A device bound to a license; counted against the license's {@code maxActivations}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param licenseId   the license
 * @param hardwareId  the device
 * @param activatedAt when it was bound, by the engine's clock
 */
public record Activation(long licenseId, String hardwareId, Instant activatedAt) {
}
