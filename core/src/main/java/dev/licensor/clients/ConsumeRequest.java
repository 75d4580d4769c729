package dev.licensor.clients;

/**
 * Consume one client license for a client as a whole ({@code agentLevel} false) or for its agent
 * of the license's application type ({@code agentLevel} true).
 *
 * <p>Immutable and thread-safe.
 *
 * @param client       the client, by id or name
 * @param platformType platform type of the license
 * @param licenseType  license kind
 * @param appType      application type of the license (0 for client-level-only licenses)
 * @param agentLevel   consume for the agent of {@code appType} rather than the client
 */
public record ConsumeRequest(ClientRef client, int platformType, int licenseType, int appType, boolean agentLevel) {
}
