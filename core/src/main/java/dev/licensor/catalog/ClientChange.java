package dev.licensor.catalog;

import org.jspecify.annotations.Nullable;

/**
 * What {@link Catalog#changeClient} changes on a registered client: its platform type and host
 * name. A null field keeps the current value. The name is never changed: Commvault calls name
 * the client by it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param platformType the new platform type (not negative), or null to keep it
 * @param hostName     the new host name ({@code ""} clears it), or null to keep it
 */
public record ClientChange(@Nullable Integer platformType, @Nullable String hostName) {

    /** A change of the host name only. */
    public static ClientChange hostName(String hostName) {
        return new ClientChange(null, hostName);
    }

    /** True if the change changes nothing. */
    public boolean isEmpty() {
        return platformType == null && hostName == null;
    }
}
