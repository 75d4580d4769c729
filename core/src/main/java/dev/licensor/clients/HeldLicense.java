package dev.licensor.clients;

import java.time.Instant;

/**
 * One line of a client's consumed licenses, in the four fields of {@code licensesInfo}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param platformType platform type
 * @param licenseType  license kind
 * @param appType      application type
 * @param licenseName  license name
 * @param agentLevel   consumed for an agent rather than the client
 * @param consumedAt   when it was consumed
 */
public record HeldLicense(int platformType, int licenseType, int appType, String licenseName,
                          boolean agentLevel, Instant consumedAt) {
}
