package dev.licensor.examples.server;

import java.util.Map;
import java.util.Set;

/**
 * Who may call the server: LicenseSpring API keys with their shared keys (for the HMAC
 * signature), Commvault {@code Authtoken} values and admin tokens for the read-only views.
 *
 * @param apiKeys         API key to shared key
 * @param commvaultTokens accepted {@code Authtoken} values, without the {@code QSDK } prefix
 * @param adminTokens     accepted {@code Authtoken} values for {@code /admin/}
 *
 * <p>Immutable and thread-safe.
 */
public record Credentials(Map<String, String> apiKeys, Set<String> commvaultTokens, Set<String> adminTokens) {
    public Credentials {
        apiKeys = Map.copyOf(apiKeys);
        commvaultTokens = Set.copyOf(commvaultTokens);
        adminTokens = Set.copyOf(adminTokens);
        apiKeys.forEach((key, secret) -> {
            if (key.isBlank() || secret.isEmpty()) {
                throw new IllegalArgumentException("API keys and shared keys must not be empty");
            }
        });
        if (commvaultTokens.stream().anyMatch(String::isBlank) || adminTokens.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("tokens must not be blank");
        }
    }

    /** No one may call anything. */
    public static Credentials none() {
        return new Credentials(Map.of(), Set.of(), Set.of());
    }
}
