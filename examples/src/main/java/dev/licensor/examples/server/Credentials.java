package dev.licensor.examples.server;

import java.util.Map;
import java.util.Set;

/**
 * Who may call the server: LicenseSpring API keys with their shared keys (for the HMAC
 * signature), fixed Commvault {@code Authtoken} values for machine clients, Commvault login users
 * with their {@link PasswordHash} strings, and admin tokens for {@code /admin/}.
 *
 * @param apiKeys         API key to shared key
 * @param commvaultTokens accepted fixed {@code Authtoken} values, without the {@code QSDK } prefix
 * @param adminTokens     accepted {@code Authtoken} values for {@code /admin/}
 * @param commvaultUsers  Commvault login user name to password hash
 *
 * <p>Immutable and thread-safe.
 */
public record Credentials(Map<String, String> apiKeys, Set<String> commvaultTokens, Set<String> adminTokens,
                          Map<String, String> commvaultUsers) {
    public Credentials {
        apiKeys = Map.copyOf(apiKeys);
        commvaultUsers = Map.copyOf(commvaultUsers);
        commvaultUsers.forEach((user, hash) -> {
            if (user.isBlank()) {
                throw new IllegalArgumentException("user names must not be blank");
            }
            PasswordHash.checkFormat(hash);
        });
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

    /** Credentials without login users. */
    public Credentials(Map<String, String> apiKeys, Set<String> commvaultTokens, Set<String> adminTokens) {
        this(apiKeys, commvaultTokens, adminTokens, Map.of());
    }

    /** No one may call anything. */
    public static Credentials none() {
        return new Credentials(Map.of(), Set.of(), Set.of(), Map.of());
    }
}
