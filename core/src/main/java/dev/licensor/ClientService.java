package dev.licensor;

import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.clients.ClientLicenses;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.clients.UsageSummary;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.Change;
import dev.licensor.store.Key;
import dev.licensor.store.LockKey;
import dev.licensor.store.Query;
import dev.licensor.store.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The client/agent license rules of the Release License family: consume, list, release (by id or
 * name, client- or agent-level, wildcard, MediaAgent first, all-or-nothing), reconfigure and the
 * summary report. Thread-safe (stateless beyond the engine).
 */
final class ClientService implements ClientLicenses {
    private final Engine engine;
    private final SeatCacheHook cache;

    ClientService(Engine engine, SeatCacheHook cache) {
        this.engine = engine;
        this.cache = cache;
    }

    /** Validates a client reference: an id or a name (or both). */
    static ClientRef validate(ClientRef ref) {
        if (ref == null || (ref.id() == null && (ref.name() == null || ref.name().isBlank()))) {
            throw Denied.of(Code.MISSING_PARAMETERS, "clientEntity needs clientId or clientName");
        }
        if (ref.id() != null) {
            Check.positive("clientId", ref.id());
        }
        if (ref.name() != null && !ref.name().isBlank()) {
            Check.text("clientName", ref.name());
        }
        return ref;
    }

    /** The client a validated reference names; {@code client_not_found} if none or if id and name disagree. */
    static Client resolve(StoreTransaction tx, ClientRef ref) {
        boolean byName = ref.name() != null && !ref.name().isBlank();
        Optional<Client> client = ref.id() != null ? tx.find(Key.client(ref.id())) : tx.find(Key.clientByName(ref.name()));
        return client.filter(c -> !byName || c.name().equals(ref.name()))
                .orElseThrow(() -> Denied.of(Code.CLIENT_NOT_FOUND));
    }

    /**
     * Reads the client again under its key: a delete that committed after {@link #resolve} read it
     * held that key, so a unit never writes consumptions for a client that no longer exists.
     */
    private static void stillThere(StoreTransaction tx, Client client) {
        if (tx.find(Key.client(client.id())).isEmpty()) {
            throw Denied.of(Code.CLIENT_NOT_FOUND, "client " + client.name() + " was deleted");
        }
    }

    private static void validatePlatform(int platformType) {
        if (platformType != ClientLicense.PLATFORM_CLIENT && platformType != ClientLicense.PLATFORM_MEDIA_AGENT) {
            throw Denied.of(Code.INVALID_REQUEST, "platformType must be 1 or 2");
        }
    }

    private static List<LicenseSelector> validate(ClientLicensesRequest request) {
        if (request == null) {
            throw Denied.of(Code.MISSING_PARAMETERS, "request is required");
        }
        validate(request.client());
        List<LicenseSelector> entries = request.licenses();
        if (entries == null || entries.isEmpty()) {
            throw Denied.of(Code.MISSING_PARAMETERS, "licensesInfo needs at least one entry");
        }
        Check.that(entries.size() <= Check.MAX_ENTRIES, "licensesInfo has more than " + Check.MAX_ENTRIES + " entries");
        for (LicenseSelector entry : entries) {
            if (entry == null) {
                throw Denied.of(Code.INVALID_REQUEST, "licensesInfo has an empty entry");
            }
            validatePlatform(entry.platformType());
            Check.notNegative("licenseType", entry.licenseType());
            Check.notNegative("appType", entry.appType());
            Check.optionalText("licenseName", entry.licenseName(), Check.MAX_TEXT);
            if (request.agentLevelOnly() && entry.appType() == 0) {
                throw Denied.of(Code.MISSING_PARAMETERS, "appType is required for an agent-level operation");
            }
        }
        return entries;
    }

    private static HeldLicense held(ClientLicense license, ConsumedLicense consumption) {
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
     * The consumptions of the client, held or released as asked, that the entries select; each
     * entry must select at least one. Agent-level entries need the agent to exist.
     */
    private static Map<ConsumedLicense, ClientLicense> select(StoreTransaction tx, Client client,
                                                              ClientLicensesRequest request,
                                                              List<LicenseSelector> entries,
                                                              boolean released, Code noneCode) {
        Map<Long, ClientLicense> licenses = new HashMap<>();
        List<ConsumedLicense> candidates = new ArrayList<>();
        for (ConsumedLicense c : tx.list(Query.consumptionsOfClient(client.id()))) {
            if (c.released() == released) {
                candidates.add(c);
                licenses.computeIfAbsent(c.clientLicenseId(), id -> tx.find(Key.clientLicense(id)).orElseThrow());
            }
        }
        // Every agent first, then every entry: the documented order of checks.
        if (request.agentLevelOnly()) {
            for (LicenseSelector entry : entries) {
                if (tx.find(Key.agent(client.id(), entry.appType())).isEmpty()) {
                    throw Denied.of(Code.AGENT_NOT_FOUND, "client " + client.name() + " has no agent of appType " + entry.appType());
                }
            }
        }
        Map<ConsumedLicense, ClientLicense> selected = new LinkedHashMap<>();
        for (LicenseSelector entry : entries) {
            boolean any = false;
            for (ConsumedLicense c : candidates) {
                ClientLicense license = licenses.get(c.clientLicenseId());
                if (matches(entry, request.agentLevelOnly(), license, c)) {
                    selected.put(c, license);
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
     * Locks the client licenses of {@code selected} (ascending, after the client's key) and
     * returns the selection with each license read again under its lock: the used counts the
     * unit decides from.
     */
    private static Map<ConsumedLicense, ClientLicense> lockLicenses(StoreTransaction tx,
                                                                    Map<ConsumedLicense, ClientLicense> selected) {
        TreeMap<Long, ClientLicense> fresh = new TreeMap<>();
        selected.values().forEach(l -> fresh.put(l.id(), l));
        tx.lock(fresh.keySet().stream().map(LockKey::clientLicense).toArray(LockKey[]::new));
        fresh.replaceAll((id, stale) -> tx.find(Key.clientLicense(id)).orElseThrow());
        Map<ConsumedLicense, ClientLicense> result = new LinkedHashMap<>();
        selected.forEach((c, l) -> result.put(c, fresh.get(l.id())));
        return result;
    }

    private void appendClient(StoreTransaction tx, Instant at, LedgerEvent event, long clientLicenseId,
                              Client client, boolean agentLevel) {
        tx.apply(Change.appendLedger(new LedgerEntry(0, at, event, 0, clientLicenseId, client.name(), Code.OK, "")
                .withAgentLevel(agentLevel)));
    }

    @Override
    public Outcome<HeldLicense> consume(ConsumeRequest request) {
        return engine.attempt(() -> {
            if (request == null) {
                throw Denied.of(Code.MISSING_PARAMETERS, "request is required");
            }
            validate(request.client());
            validatePlatform(request.platformType());
            Check.positive("licenseType", request.licenseType());
            Check.notNegative("appType", request.appType());
            if (request.agentLevel() && request.appType() == 0) {
                throw Denied.of(Code.MISSING_PARAMETERS, "appType is required to consume for an agent");
            }
            long[] clientId = new long[1];
            HeldLicense result = engine.store().write(tx -> {
                Instant now = engine.now();
                Client client = resolve(tx, request.client());
                clientId[0] = client.id();
                long licenseId = tx.find(Key.clientLicenseByType(request.platformType(), request.licenseType(), request.appType()))
                        .orElseThrow(() -> Denied.of(Code.CLIENT_LICENSE_NOT_FOUND)).id();
                // Client and license are named by keys that never change; their counts are read under the
                // locks, and the client again: a delete that committed meanwhile took its key too.
                tx.lock(LockKey.client(client.id()), LockKey.clientLicense(licenseId));
                stillThere(tx, client);
                // load what the rule reads, decide on values (ClientRules), apply the decision's changes
                ClientLicense license = tx.find(Key.clientLicense(licenseId)).orElseThrow();
                boolean agent = request.agentLevel() && tx.find(Key.agent(client.id(), request.appType())).isPresent();
                Optional<ConsumedLicense> existing = tx.find(Key.consumption(client.id(), license.id(), request.agentLevel()));
                ClientRules.Consumed decision = ClientRules.consume(client, license, request.agentLevel(), agent, existing, now);
                if (decision instanceof ClientRules.Consumed.Granted g) {
                    tx.apply(g.changes().toArray(Change[]::new));
                    return held(license, g.consumption());
                }
                return held(license, ((ClientRules.Consumed.AlreadyHeld) decision).consumption());
            });
            cache.clientChanged(clientId[0]);
            return result;
        });
    }

    @Override
    public Outcome<List<HeldLicense>> consumed(ClientRef ref) {
        return engine.attempt(() -> {
            validate(ref);
            return engine.store().read(tx -> heldBy(tx, resolve(tx, ref)));
        });
    }

    /** The licenses the client holds now, by platform, license type, app type and level. */
    static List<HeldLicense> heldBy(StoreTransaction tx, Client client) {
        List<HeldLicense> result = new ArrayList<>();
        for (ConsumedLicense c : tx.list(Query.consumptionsOfClient(client.id()))) {
            if (!c.released()) {
                result.add(held(tx.find(Key.clientLicense(c.clientLicenseId())).orElseThrow(), c));
            }
        }
        result.sort(Comparator.comparingInt(HeldLicense::platformType).thenComparingInt(HeldLicense::licenseType)
                .thenComparingInt(HeldLicense::appType).thenComparing(HeldLicense::agentLevel));
        return List.copyOf(result);
    }

    @Override
    public Outcome<List<HeldLicense>> release(ClientLicensesRequest request) {
        return engine.attempt(() -> {
            List<LicenseSelector> entries = validate(request);
            long[] clientId = new long[1];
            List<HeldLicense> released = engine.store().write(tx -> {
                Instant now = engine.now();
                Client client = resolve(tx, request.client());
                clientId[0] = client.id();
                tx.lock(LockKey.client(client.id()));
                stillThere(tx, client);
                Map<ConsumedLicense, ClientLicense> selected = lockLicenses(tx,
                        select(tx, client, request, entries, false, Code.LICENSE_NOT_CONSUMED));
                checkMediaAgentFirst(tx, client, selected);
                // MediaAgent (platform 2) licenses go first, as the documented rule requires.
                List<Map.Entry<ConsumedLicense, ClientLicense>> ordered = new ArrayList<>(selected.entrySet());
                ordered.sort(Comparator.comparingInt(e -> -e.getValue().platformType()));
                Map<Long, Integer> used = new HashMap<>();
                List<HeldLicense> result = new ArrayList<>();
                for (Map.Entry<ConsumedLicense, ClientLicense> e : ordered) {
                    ConsumedLicense c = e.getKey();
                    ClientLicense license = e.getValue();
                    tx.apply(Change.putConsumption(new ConsumedLicense(c.clientId(), c.clientLicenseId(), c.agentLevel(), true, now)));
                    int newUsed = used.getOrDefault(license.id(), license.used()) - 1;
                    if (newUsed < 0) {
                        // a held consumption always counts in used; a negative count means the rows disagree
                        throw new IllegalStateException("client license " + license.id() + " would have a negative used count");
                    }
                    used.put(license.id(), newUsed);
                    tx.apply(Change.putClientLicense(license.withUsed(newUsed)));
                    appendClient(tx, now, LedgerEvent.CLIENT_RELEASED, license.id(), client, c.agentLevel());
                    result.add(held(license, c));
                }
                return List.copyOf(result);
            });
            cache.clientChanged(clientId[0]);
            return released;
        });
    }

    /** A platform-1 license may be released only if no MediaAgent license stays held after the request. */
    private static void checkMediaAgentFirst(StoreTransaction tx, Client client, Map<ConsumedLicense, ClientLicense> selected) {
        boolean releasesPlatform1 = selected.values().stream()
                .anyMatch(l -> l.platformType() == ClientLicense.PLATFORM_CLIENT);
        if (!releasesPlatform1) {
            return;
        }
        for (ConsumedLicense c : tx.list(Query.consumptionsOfClient(client.id()))) {
            if (!c.released() && !selected.containsKey(c)) {
                ClientLicense license = tx.find(Key.clientLicense(c.clientLicenseId())).orElseThrow();
                if (license.platformType() == ClientLicense.PLATFORM_MEDIA_AGENT) {
                    throw Denied.clientLicense(Code.MEDIA_AGENT_LICENSES_HELD,
                            "client " + client.name() + " still holds MediaAgent license " + license.licenseName(),
                            license.id(), client.name());
                }
            }
        }
    }

    @Override
    public Outcome<List<HeldLicense>> reconfigure(ClientLicensesRequest request) {
        return engine.attempt(() -> {
            List<LicenseSelector> entries = validate(request);
            long[] clientId = new long[1];
            List<HeldLicense> consumed = engine.store().write(tx -> {
                Instant now = engine.now();
                Client client = resolve(tx, request.client());
                clientId[0] = client.id();
                tx.lock(LockKey.client(client.id()));
                stillThere(tx, client);
                Map<ConsumedLicense, ClientLicense> selected = lockLicenses(tx,
                        select(tx, client, request, entries, true, Code.LICENSE_NOT_RELEASED));
                Map<Long, Integer> wanted = new TreeMap<>();
                for (Map.Entry<ConsumedLicense, ClientLicense> e : selected.entrySet()) {
                    if (e.getKey().agentLevel() && tx.find(Key.agent(client.id(), e.getValue().appType())).isEmpty()) {
                        throw Denied.of(Code.AGENT_NOT_FOUND, "client " + client.name()
                                + " has no agent of appType " + e.getValue().appType());
                    }
                    wanted.merge(e.getValue().id(), 1, Integer::sum);
                }
                Set<Long> checked = new LinkedHashSet<>();
                for (ClientLicense license : selected.values()) {
                    if (checked.add(license.id())) {
                        int capacity = license.capacityAt(now);
                        if ((long) license.used() + wanted.get(license.id()) > capacity) {
                            throw Denied.clientLicense(Code.NOT_ENOUGH_LICENSES,
                                    "not enough licenses of " + license.licenseName() + " to reconfigure",
                                    license.id(), client.name());
                        }
                    }
                }
                List<HeldLicense> result = new ArrayList<>();
                for (Map.Entry<ConsumedLicense, ClientLicense> e : selected.entrySet()) {
                    ConsumedLicense c = e.getKey();
                    ConsumedLicense again = new ConsumedLicense(c.clientId(), c.clientLicenseId(), c.agentLevel(), false, now);
                    tx.apply(Change.putConsumption(again));
                    appendClient(tx, now, LedgerEvent.RECONFIGURED, c.clientLicenseId(), client, c.agentLevel());
                    result.add(held(e.getValue(), again));
                }
                for (Map.Entry<Long, Integer> w : wanted.entrySet()) {
                    ClientLicense license = tx.find(Key.clientLicense(w.getKey())).orElseThrow();
                    tx.apply(Change.putClientLicense(license.withUsed(license.used() + w.getValue())));
                }
                return List.copyOf(result);
            });
            cache.clientChanged(clientId[0]);
            return consumed;
        });
    }

    @Override
    public List<UsageSummary> usage() {
        return engine.store().read(tx -> {
            Instant now = engine.now();
            Map<Long, String> names = new HashMap<>();
            List<UsageSummary> result = new ArrayList<>();
            for (ClientLicense license : tx.list(Query.clientLicenses())) {
                Map<String, Integer> byClient = new TreeMap<>();
                Map<String, Integer> byAgent = new TreeMap<>();
                for (ConsumedLicense c : tx.list(Query.heldConsumptionsOf(license.id()))) {
                    String name = names.computeIfAbsent(c.clientId(),
                            id -> tx.find(Key.client(id)).map(Client::name).orElse("#" + id));
                    byClient.merge(name, 1, Integer::sum);
                    if (c.agentLevel()) {
                        byAgent.merge(name, 1, Integer::sum);
                    }
                }
                int capacity = license.capacityAt(now);
                result.add(new UsageSummary(license.id(), license.platformType(), license.licenseType(),
                        license.appType(), license.licenseName(), license.permanent(), license.evaluation(),
                        license.evaluationExpiry(), license.used(), Math.max(0, capacity - license.used()),
                        byClient, byAgent));
            }
            return List.copyOf(result);
        });
    }
}
