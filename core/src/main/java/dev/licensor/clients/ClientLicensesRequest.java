package dev.licensor.clients;

import org.jspecify.annotations.Nullable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Release License (or Reconfigure) request: which client, at which level, which licenses.
 * A client-level operation covers everything the client holds, client-level and agent-level;
 * an agent-level operation covers one agent, so every entry's {@code appType} must name one.
 * With no level given ({@code clientLevel} null, as the vendor's SDK sends it) an entry matches a
 * license at whichever level it was consumed, and {@code appType} may be 0.
 * The request is all-or-nothing: if any entry fails, nothing changes.
 *
 * <p>{@code client}, {@code licenses} and its entries may be null: the engine answers
 * {@code missing_parameters} or {@code invalid_request}. Immutable and thread-safe.
 *
 * @param clientLevel {@code isClientLevelOperation}: true, false, or null for "whichever level it was consumed at"
 * @param client      the client, by id or name
 * @param licenses    at least one entry
 */
public record ClientLicensesRequest(@Nullable Boolean clientLevel, ClientRef client, List<LicenseSelector> licenses) {
    public ClientLicensesRequest {
        // Not List.copyOf: it throws on a null entry, which the engine answers with invalid_request.
        licenses = licenses == null ? null : Collections.unmodifiableList(new ArrayList<>(licenses));
    }

    /** True only for an explicitly agent-level request ({@code isClientLevelOperation} false). */
    public boolean agentLevelOnly() {
        return Boolean.FALSE.equals(clientLevel);
    }
}
