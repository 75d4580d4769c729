package dev.licensor.clients;

import org.jspecify.annotations.Nullable;

/**
 * Names a client by numeric id or by name, as the Release License request does. When both are
 * given they must name the same client.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id   client id, or null
 * @param name client name, or null
 */
public record ClientRef(@Nullable Long id, @Nullable String name) {
    /** The client with this id. */
    public static ClientRef id(long id) {
        return new ClientRef(id, null);
    }

    /** The client with this name. */
    public static ClientRef name(String name) {
        return new ClientRef(null, name);
    }
}
