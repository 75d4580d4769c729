package dev.licensor;

import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.Change;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Client-license decisions as functions of the rows a unit loaded under its locks, the request and
 * the engine's {@code now}: no store call and no clock read, so {@code ClientRulesTest} checks each
 * code on plain values. {@link ClientService} resolves and locks, loads, calls these, and applies
 * the changes in one {@code apply(Change...)}. So far: {@code consume}.
 *
 * <p>Not API. Stateless and thread-safe.
 */
final class ClientRules {
    private ClientRules() {
    }

    /** What consuming one client license decides (a refusal is thrown as {@link Denied}). */
    sealed interface Consumed {
        /** The client already holds the license at that level: nothing changes. */
        record AlreadyHeld(ConsumedLicense consumption) implements Consumed {
        }

        /**
         * A new consumption (or one released before, taken again): {@code changes} write it, the
         * license's used count plus one and the {@code CONSUMED} ledger entry, in that order.
         */
        record Granted(ConsumedLicense consumption, List<Change> changes) implements Consumed {
        }
    }

    /**
     * Consumes {@code license} for {@code client}, at client level or for the agent of the
     * license's app type. In the documented order of checks: {@code agent_not_found} (agent level
     * only), an existing held consumption answers as it is, then {@code not_enough_licenses} when
     * every license counting at {@code now} (permanent, plus evaluation before its expiry) is used.
     *
     * @param client         the client, read again under its lock
     * @param license        the client license, read under its lock
     * @param agentLevel     consume for the agent rather than the client
     * @param agentInstalled whether the client has the agent of the license's app type (read only
     *                       at agent level)
     * @param existing       the client's consumption of the license at that level, held or released
     * @param now            the engine's time
     * @throws Denied with {@code agent_not_found} or {@code not_enough_licenses}
     */
    static Consumed consume(Client client, ClientLicense license, boolean agentLevel, boolean agentInstalled,
                            Optional<ConsumedLicense> existing, Instant now) {
        if (agentLevel && !agentInstalled) {
            throw Denied.of(Code.AGENT_NOT_FOUND, "client " + client.name() + " has no agent of appType " + license.appType());
        }
        if (existing.isPresent() && !existing.get().released()) {
            return new Consumed.AlreadyHeld(existing.get());
        }
        int capacity = license.capacityAt(now);
        if ((long) license.used() + 1 > capacity) {
            throw Denied.clientLicense(Code.NOT_ENOUGH_LICENSES,
                    "all " + capacity + " licenses of " + license.licenseName() + " are in use", license.id(), client.name());
        }
        ConsumedLicense consumption = new ConsumedLicense(client.id(), license.id(), agentLevel, false, now);
        LedgerEntry entry = new LedgerEntry(0, now, LedgerEvent.CONSUMED, 0, license.id(), client.name(), Code.OK, "")
                .withAgentLevel(agentLevel);
        return new Consumed.Granted(consumption, List.of(Change.putConsumption(consumption),
                Change.putClientLicense(license.withUsed(license.used() + 1)), Change.appendLedger(entry)));
    }
}
