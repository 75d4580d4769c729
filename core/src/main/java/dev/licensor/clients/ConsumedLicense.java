package dev.licensor.clients;

import java.time.Instant;

/**
 * A client's consumption of one client license, at client level or for its agent. Released
 * consumptions are kept (with {@code released} true) so a reconfigure can consume them again.
 * Identity is ({@code clientId}, {@code clientLicenseId}, {@code agentLevel}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param clientId        the client
 * @param clientLicenseId the client license
 * @param agentLevel      true if consumed for the client's agent of the license's app type
 * @param released        true once released (and not consumed again)
 * @param changedAt       when it was last consumed or released
 */
public record ConsumedLicense(long clientId, long clientLicenseId, boolean agentLevel, boolean released,
                              Instant changedAt) {
}
