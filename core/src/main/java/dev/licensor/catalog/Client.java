package dev.licensor.catalog;

import java.util.Objects;

/**
 * A machine registered with the licensing system.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id           store-assigned numeric id, positive; 0 in a draft
 * @param name         unique client name
 * @param platformType the client's platform type (free-form numeric id from the host)
 * @param hostName     host name, may be empty
 */
public record Client(long id, String name, int platformType, String hostName) {
    public Client {
        Objects.requireNonNull(name, "name");
        hostName = hostName == null ? "" : hostName;
    }
}
