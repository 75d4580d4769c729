package dev.licensor.clients;

import org.jspecify.annotations.Nullable;
import java.time.Instant;
import java.util.Map;

/**
 * The license summary report of one client license: what was purchased, what is used and
 * available, and who uses it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param clientLicenseId  the client license
 * @param platformType     platform type
 * @param licenseType      license kind
 * @param appType          application type
 * @param licenseName      license name
 * @param permanent        permanently purchased
 * @param evaluation       evaluation count
 * @param evaluationExpiry when the evaluation count ends, or null
 * @param used             consumed now
 * @param available        capacity now minus used (never negative)
 * @param byClient         client name to consumptions (client-level and agent-level)
 * @param byAgent          client name to agent-level consumptions
 */
public record UsageSummary(long clientLicenseId, int platformType, int licenseType, int appType, String licenseName,
                           int permanent, int evaluation, @Nullable Instant evaluationExpiry, int used, int available,
                           Map<String, Integer> byClient, Map<String, Integer> byAgent) {
    public UsageSummary {
        byClient = Map.copyOf(byClient);
        byAgent = Map.copyOf(byAgent);
    }
}
