package dev.licensor;

import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.Change;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Client-license decisions as functions of the rows a unit loaded under its locks, the request and
 * the engine's {@code now}: no store call and no clock read, so {@code ClientRulesTest} checks each
 * code on plain values. {@link ClientService} resolves and locks, loads, calls these, and applies
 * the changes in one {@code apply(Change...)}: {@code consume}, {@code release} and
 * {@code reconfigure}.
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

    /**
     * What release and reconfigure decide on, loaded by {@link ClientService} under the client's
     * lock: the client (read again under it), every consumption of the client in the store's order,
     * the client licenses of the consumptions the operation can touch (held ones for a release,
     * released ones for a reconfigure; those it selects read again under their locks), and the app
     * types of the client's agents (loaded when the operation reads them: an agent-level request,
     * or a reconfigure of an agent-level consumption).
     */
    record Holdings(Client client, List<ConsumedLicense> consumptions, Map<Long, ClientLicense> licenses,
                    Set<Integer> agents) {
        Holdings {
            consumptions = List.copyOf(consumptions);
            licenses = Map.copyOf(licenses);
            agents = Set.copyOf(agents);
        }

        /** The same holdings with {@code fresh} license rows (read under their locks) in place of the old. */
        Holdings withLicenses(Map<Long, ClientLicense> fresh) {
            Map<Long, ClientLicense> merged = new HashMap<>(licenses);
            merged.putAll(fresh);
            return new Holdings(client, consumptions, merged, agents);
        }

        private ClientLicense license(ConsumedLicense c) {
            ClientLicense license = licenses.get(c.clientLicenseId());
            if (license == null) {
                // a consumption always names an existing client license: the rows disagree
                throw new IllegalStateException("client license " + c.clientLicenseId() + " was not loaded");
            }
            return license;
        }
    }

    /** The licenses as a client holds them: the answer of consume, release, reconfigure and consumed. */
    static HeldLicense held(ClientLicense license, ConsumedLicense consumption) {
        return new HeldLicense(license.platformType(), license.licenseType(), license.appType(),
                license.licenseName(), consumption.agentLevel(), consumption.changedAt());
    }

    /** An agent-level entry matches only that agent's consumptions; otherwise any level matches. */
    private static boolean matches(LicenseSelector entry, boolean agentLevelOnly, ClientLicense license,
                                   ConsumedLicense consumption) {
        if (agentLevelOnly && !(consumption.agentLevel() && license.appType() == entry.appType())) {
            return false;
        }
        String name = entry.licenseName();
        return license.platformType() == entry.platformType()
                && (entry.licenseType() == 0 || license.licenseType() == entry.licenseType())
                && (entry.appType() == 0 || license.appType() == entry.appType())
                && (name == null || name.isEmpty() || license.licenseName().equalsIgnoreCase(name));
    }

    /**
     * The consumptions of the client, held or released as asked, that the entries of a validated
     * request select (entry order, then the store's order); each entry must select at least one
     * ({@code noneCode} otherwise). Agent-level requests need every entry's agent first
     * ({@code agent_not_found}): every agent first, then every entry, the documented order.
     */
    private static Map<ConsumedLicense, ClientLicense> select(Holdings h, ClientLicensesRequest request,
                                                              boolean released, Code noneCode) {
        if (request.agentLevelOnly()) {
            for (LicenseSelector entry : request.licenses()) {
                if (!h.agents().contains(entry.appType())) {
                    throw Denied.of(Code.AGENT_NOT_FOUND, "client " + h.client().name() + " has no agent of appType " + entry.appType());
                }
            }
        }
        Map<ConsumedLicense, ClientLicense> selected = new LinkedHashMap<>();
        for (LicenseSelector entry : request.licenses()) {
            boolean any = false;
            for (ConsumedLicense c : h.consumptions()) {
                if (c.released() == released && matches(entry, request.agentLevelOnly(), h.license(c), c)) {
                    selected.put(c, h.license(c));
                    any = true;
                }
            }
            if (!any) {
                throw Denied.of(noneCode, noneCode.defaultMessage() + ": platformType " + entry.platformType()
                        + ", licenseType " + entry.licenseType() + ", appType " + entry.appType());
            }
        }
        return selected;
    }

    /**
     * The client licenses a release ({@code forRelease}) or reconfigure of a validated request
     * changes, ascending: the keys the unit locks before it reads them again and decides. Selection
     * reads only what never changes on a client license (its platform, types and name), so the
     * codes it answers here are the ones the decision would answer.
     *
     * @throws Denied with {@code agent_not_found}, {@code license_not_consumed} or {@code license_not_released}
     */
    static Set<Long> licensesToLock(Holdings h, ClientLicensesRequest request, boolean forRelease) {
        Set<Long> ids = new TreeSet<>();
        select(h, request, !forRelease, forRelease ? Code.LICENSE_NOT_CONSUMED : Code.LICENSE_NOT_RELEASED)
                .values().forEach(l -> ids.add(l.id()));
        return ids;
    }

    /**
     * Releases what the entries of a validated request select, all or nothing, MediaAgent (platform
     * 2) licenses first. In order: {@code agent_not_found} (agent level), {@code license_not_consumed}
     * per entry, then {@code media_agent_licenses_held} when a platform-1 license is released while
     * a MediaAgent license not released stays held. Each released consumption writes, in this order,
     * the consumption marked released at {@code now}, its license's used count minus one and a
     * {@code CLIENT_RELEASED} entry; the answer is the consumptions as they were held.
     *
     * @param h the holdings, with the selected licenses read under their locks
     */
    static Decision<List<HeldLicense>> release(Holdings h, ClientLicensesRequest request, Instant now) {
        Map<ConsumedLicense, ClientLicense> selected = select(h, request, false, Code.LICENSE_NOT_CONSUMED);
        checkMediaAgentFirst(h, selected);
        List<Map.Entry<ConsumedLicense, ClientLicense>> ordered = new ArrayList<>(selected.entrySet());
        ordered.sort(Comparator.comparingInt(e -> -e.getValue().platformType()));
        Map<Long, Integer> used = new HashMap<>();
        List<HeldLicense> result = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<ConsumedLicense, ClientLicense> e : ordered) {
            ConsumedLicense c = e.getKey();
            ClientLicense license = e.getValue();
            changes.add(Change.putConsumption(new ConsumedLicense(c.clientId(), c.clientLicenseId(), c.agentLevel(), true, now)));
            int newUsed = used.getOrDefault(license.id(), license.used()) - 1;
            if (newUsed < 0) {
                // a held consumption always counts in used; a negative count means the rows disagree
                throw new IllegalStateException("client license " + license.id() + " would have a negative used count");
            }
            used.put(license.id(), newUsed);
            changes.add(Change.putClientLicense(license.withUsed(newUsed)));
            changes.add(Change.appendLedger(entry(now, LedgerEvent.CLIENT_RELEASED, license.id(), h.client(), c.agentLevel())));
            result.add(held(license, c));
        }
        return new Decision<>(List.copyOf(result), changes);
    }

    /** A platform-1 license may be released only if no MediaAgent license stays held after the request. */
    private static void checkMediaAgentFirst(Holdings h, Map<ConsumedLicense, ClientLicense> selected) {
        boolean releasesPlatform1 = selected.values().stream()
                .anyMatch(l -> l.platformType() == ClientLicense.PLATFORM_CLIENT);
        if (!releasesPlatform1) {
            return;
        }
        for (ConsumedLicense c : h.consumptions()) {
            if (!c.released() && !selected.containsKey(c)) {
                ClientLicense license = h.license(c);
                if (license.platformType() == ClientLicense.PLATFORM_MEDIA_AGENT) {
                    throw Denied.clientLicense(Code.MEDIA_AGENT_LICENSES_HELD,
                            "client " + h.client().name() + " still holds MediaAgent license " + license.licenseName(),
                            license.id(), h.client().name());
                }
            }
        }
    }

    /**
     * Consumes again what the entries of a validated request select among the released
     * consumptions, all or nothing. In order: {@code agent_not_found} (agent-level request), {@code
     * license_not_released} per entry, {@code agent_not_found} for a selected agent-level
     * consumption whose agent is gone, then {@code not_enough_licenses} when a license lacks room
     * at {@code now} for all it would take. Writes each consumption held again at {@code now} with a
     * {@code RECONFIGURED} entry (selection order), then each license's used count (ascending id).
     *
     * @param h the holdings, with the selected licenses read under their locks
     */
    static Decision<List<HeldLicense>> reconfigure(Holdings h, ClientLicensesRequest request, Instant now) {
        Map<ConsumedLicense, ClientLicense> selected = select(h, request, true, Code.LICENSE_NOT_RELEASED);
        Map<Long, Integer> wanted = new TreeMap<>();
        for (Map.Entry<ConsumedLicense, ClientLicense> e : selected.entrySet()) {
            if (e.getKey().agentLevel() && !h.agents().contains(e.getValue().appType())) {
                throw Denied.of(Code.AGENT_NOT_FOUND, "client " + h.client().name()
                        + " has no agent of appType " + e.getValue().appType());
            }
            wanted.merge(e.getValue().id(), 1, Integer::sum);
        }
        Map<Long, ClientLicense> byId = new LinkedHashMap<>();
        selected.values().forEach(l -> byId.putIfAbsent(l.id(), l));
        for (ClientLicense license : byId.values()) {
            int capacity = license.capacityAt(now);
            if ((long) license.used() + wanted.get(license.id()) > capacity) {
                throw Denied.clientLicense(Code.NOT_ENOUGH_LICENSES,
                        "not enough licenses of " + license.licenseName() + " to reconfigure",
                        license.id(), h.client().name());
            }
        }
        List<HeldLicense> result = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<ConsumedLicense, ClientLicense> e : selected.entrySet()) {
            ConsumedLicense c = e.getKey();
            ConsumedLicense again = new ConsumedLicense(c.clientId(), c.clientLicenseId(), c.agentLevel(), false, now);
            changes.add(Change.putConsumption(again));
            changes.add(Change.appendLedger(entry(now, LedgerEvent.RECONFIGURED, c.clientLicenseId(), h.client(), c.agentLevel())));
            result.add(held(e.getValue(), again));
        }
        for (Map.Entry<Long, Integer> w : wanted.entrySet()) {
            ClientLicense license = byId.get(w.getKey());
            changes.add(Change.putClientLicense(license.withUsed(license.used() + w.getValue())));
        }
        return new Decision<>(List.copyOf(result), changes);
    }

    private static LedgerEntry entry(Instant at, LedgerEvent event, long clientLicenseId, Client client, boolean agentLevel) {
        return new LedgerEntry(0, at, event, 0, clientLicenseId, client.name(), Code.OK, "").withAgentLevel(agentLevel);
    }
}
