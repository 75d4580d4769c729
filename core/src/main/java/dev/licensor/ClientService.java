package dev.licensor;

import dev.licensor.catalog.Agent;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

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
                    return ClientRules.held(license, g.consumption());
                }
                return ClientRules.held(license, ((ClientRules.Consumed.AlreadyHeld) decision).consumption());
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
                result.add(ClientRules.held(tx.find(Key.clientLicense(c.clientLicenseId())).orElseThrow(), c));
            }
        }
        result.sort(Comparator.comparingInt(HeldLicense::platformType).thenComparingInt(HeldLicense::licenseType)
                .thenComparingInt(HeldLicense::appType).thenComparing(HeldLicense::agentLevel));
        return List.copyOf(result);
    }

    @Override
    public Outcome<List<HeldLicense>> release(ClientLicensesRequest request) {
        return changeHoldings(request, true);
    }

    @Override
    public Outcome<List<HeldLicense>> reconfigure(ClientLicensesRequest request) {
        return changeHoldings(request, false);
    }

    /**
     * Release ({@code forRelease}) or reconfigure as one unit: lock the client and load its
     * holdings, lock the client licenses the request selects (ascending, after the client's key) and
     * read them again, decide in {@link ClientRules} with no store call, apply the change set.
     */
    private Outcome<List<HeldLicense>> changeHoldings(ClientLicensesRequest request, boolean forRelease) {
        return engine.attempt(() -> {
            validate(request);
            long[] clientId = new long[1];
            List<HeldLicense> answer = engine.store().write(tx -> {
                Instant now = engine.now();
                Client client = resolve(tx, request.client());
                clientId[0] = client.id();
                tx.lock(LockKey.client(client.id()));
                stillThere(tx, client);
                ClientRules.Holdings holdings = holdings(tx, client, request, forRelease);
                Set<Long> ids = ClientRules.licensesToLock(holdings, request, forRelease);
                tx.lock(ids.stream().map(LockKey::clientLicense).toArray(LockKey[]::new));
                Map<Long, ClientLicense> fresh = new HashMap<>();
                ids.forEach(id -> fresh.put(id, tx.find(Key.clientLicense(id)).orElseThrow()));
                holdings = holdings.withLicenses(fresh);
                Decision<List<HeldLicense>> decided = forRelease ? ClientRules.release(holdings, request, now)
                        : ClientRules.reconfigure(holdings, request, now);
                tx.apply(decided.toApply());
                return decided.result();
            });
            cache.clientChanged(clientId[0]);
            return answer;
        });
    }

    /**
     * The client's consumptions, the client licenses of those a release (held) or reconfigure
     * (released) can touch, and its agents' app types when the decision reads them.
     */
    private static ClientRules.Holdings holdings(StoreTransaction tx, Client client, ClientLicensesRequest request,
                                                 boolean forRelease) {
        List<ConsumedLicense> consumptions = tx.list(Query.consumptionsOfClient(client.id()));
        Map<Long, ClientLicense> licenses = new HashMap<>();
        boolean readsAgents = request.agentLevelOnly();
        for (ConsumedLicense c : consumptions) {
            if (c.released() != forRelease) {
                licenses.computeIfAbsent(c.clientLicenseId(), id -> tx.find(Key.clientLicense(id)).orElseThrow());
                readsAgents |= !forRelease && c.agentLevel();
            }
        }
        Set<Integer> agents = readsAgents
                ? tx.list(Query.agents(client.id())).stream().map(Agent::appType).collect(Collectors.toSet()) : Set.of();
        return new ClientRules.Holdings(client, consumptions, licenses, agents);
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
