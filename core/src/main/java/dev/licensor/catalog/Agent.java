package dev.licensor.catalog;

import java.util.Objects;

/**
 * A component installed on a client, identified on it by its application type
 * ({@code appType}, e.g. 33 Windows File System, 1002 MediaAgent Management).
 *
 * <p>Immutable and thread-safe.
 *
 * @param clientId the client it is installed on
 * @param appType  positive application type id, unique per client
 * @param name     display name, may be empty
 */
public record Agent(long clientId, int appType, String name) {
    public Agent {
        name = name == null ? "" : name;
        Objects.requireNonNull(name);
    }
}
