package dev.licensor.store.memory;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.StoreTransaction;
import dev.licensor.store.StoreWork;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link LicenseStore} held in memory: the default for hosts' offline tests and for
 * single-process deployments that need no persistence.
 *
 * <p>Units of work run one at a time under a single lock, which gives the serializable isolation
 * the contract asks for. Every write inside a unit is logged with its inverse, so a unit that
 * throws leaves no trace. Nothing survives the process: durability is the one guarantee of
 * {@link LicenseStore} this store does not give.
 *
 * <p>Thread-safe.
 */
public final class MemoryLicenseStore implements LicenseStore {

    private final ReentrantLock lock = new ReentrantLock();
    private final Tables tables = new Tables();

    /** An empty store. */
    public MemoryLicenseStore() {
    }

    @Override
    public <T> T write(StoreWork<T> work) {
        return run(work, false);
    }

    @Override
    public <T> T read(StoreWork<T> work) {
        return run(work, true);
    }

    private <T> T run(StoreWork<T> work, boolean readOnly) {
        lock.lock();
        try {
            Tx tx = new Tx(tables, readOnly);
            try {
                T result = work.run(tx);
                tx.closed = true;
                return result;
            } catch (RuntimeException | Error e) {
                tx.rollback();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        // nothing to release
    }

    private record ConsumptionKey(long clientId, long clientLicenseId, boolean agentLevel) {
        static ConsumptionKey of(ConsumedLicense c) {
            return new ConsumptionKey(c.clientId(), c.clientLicenseId(), c.agentLevel());
        }
    }

    private record ExpiryKey(Instant expiresAt, long licenseId, String hardwareId) implements Comparable<ExpiryKey> {
        static ExpiryKey of(Lease l) {
            return new ExpiryKey(l.expiresAt(), l.licenseId(), l.hardwareId());
        }

        // Written out rather than a Comparator.comparing chain: this runs on every seat change and
        // the chain of lambdas was the largest single cost of checkout+release in the benchmarks.
        @Override
        public int compareTo(ExpiryKey o) {
            int c = expiresAt.compareTo(o.expiresAt);
            if (c != 0) {
                return c;
            }
            c = Long.compare(licenseId, o.licenseId);
            return c != 0 ? c : hardwareId.compareTo(o.hardwareId);
        }
    }

    private record LedgerKey(Instant at, long seq) implements Comparable<LedgerKey> {
        @Override
        public int compareTo(LedgerKey o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /**
     * A two-part key (product and key, product and hardware id). A record rather than a joined
     * string: the parts' hash codes are cached, so a lookup neither copies nor rehashes text.
     */
    private record Pair(String first, String second) {
    }

    private static Pair pair(String a, String b) {
        return new Pair(a, b);
    }

    /** All rows and indexes; guarded by the store's lock. */
    private static final class Tables {
        final Map<String, Product> products = new HashMap<>();
        final Map<Long, License> licenses = new HashMap<>();
        final Map<Pair, Long> licenseByKey = new HashMap<>();
        final Map<Pair, Long> licenseByUser = new HashMap<>();
        final Map<Long, Map<String, Activation>> activations = new HashMap<>();
        final Set<Pair> blacklist = new HashSet<>();
        final Map<Long, Map<String, Lease>> leases = new HashMap<>();
        final NavigableMap<ExpiryKey, Lease> leasesByExpiry = new TreeMap<>();
        final Map<Long, Client> clients = new HashMap<>();
        final Map<String, Long> clientByName = new HashMap<>();
        final Map<Long, Map<Integer, Agent>> agents = new HashMap<>();
        final NavigableMap<Long, ClientLicense> clientLicenses = new TreeMap<>();
        final Map<String, Long> clientLicenseByKey = new HashMap<>();
        final Map<Long, Map<ConsumptionKey, ConsumedLicense>> consumptionsByClient = new HashMap<>();
        final Map<Long, Map<ConsumptionKey, ConsumedLicense>> consumptionsByLicense = new HashMap<>();
        final NavigableMap<LedgerKey, LedgerEntry> ledger = new TreeMap<>();
        final NavigableMap<Long, LedgerEntry> ledgerBySeq = new TreeMap<>();
        final long[] sequences = new long[4]; // license, client, client license, ledger
    }

    private static final int LICENSE_SEQ = 0;
    private static final int CLIENT_SEQ = 1;
    private static final int CLIENT_LICENSE_SEQ = 2;
    private static final int LEDGER_SEQ = 3;

    /** One unit of work's view: direct access to the tables plus an undo log. */
    private static final class Tx implements StoreTransaction {
        private final Tables t;
        private final boolean readOnly;
        /** Created on the first write, so read units allocate none. */
        private ArrayDeque<Runnable> undo;
        private boolean closed;

        Tx(Tables tables, boolean readOnly) {
            this.t = tables;
            this.readOnly = readOnly;
        }

        void rollback() {
            while (undo != null && !undo.isEmpty()) {
                undo.pop().run();
            }
            closed = true;
        }

        private void writable() {
            if (readOnly) {
                throw new IllegalStateException("write inside a read-only unit of work");
            }
            if (closed) {
                throw new IllegalStateException("transaction is over");
            }
        }

        private void log(Runnable inverse) {
            if (undo == null) {
                undo = new ArrayDeque<>();
            }
            undo.push(inverse);
        }

        private <K, V> void put(Map<K, V> map, K key, V value) {
            writable();
            V previous = map.put(key, value);
            log(() -> {
                if (previous == null) {
                    map.remove(key);
                } else {
                    map.put(key, previous);
                }
            });
        }

        private <K, V> V remove(Map<K, V> map, K key) {
            writable();
            V previous = map.remove(key);
            if (previous != null) {
                log(() -> map.put(key, previous));
            }
            return previous;
        }

        private <T> void add(Set<T> set, T value) {
            writable();
            if (set.add(value)) {
                log(() -> set.remove(value));
            }
        }

        private <T> void drop(Set<T> set, T value) {
            writable();
            if (set.remove(value)) {
                log(() -> set.add(value));
            }
        }

        private long nextId(int sequence) {
            writable();
            long id = ++t.sequences[sequence];
            log(() -> t.sequences[sequence]--);
            return id;
        }

        private static <K, V> Map<K, V> inner(Map<Long, Map<K, V>> outer, long id) {
            return outer.computeIfAbsent(id, k -> new LinkedHashMap<>());
        }

        private static <K, V> Optional<V> find(Map<Long, Map<K, V>> outer, long id, K key) {
            Map<K, V> m = outer.get(id);
            return m == null ? Optional.empty() : Optional.ofNullable(m.get(key));
        }

        // ---- products

        @Override
        public Optional<Product> product(String code) {
            return Optional.ofNullable(t.products.get(code));
        }

        @Override
        public void insertProduct(Product product) {
            put(t.products, product.code(), product);
        }

        // ---- licenses

        @Override
        public Optional<License> license(long id) {
            return Optional.ofNullable(t.licenses.get(id));
        }

        @Override
        public Optional<License> licenseByKey(String product, String key) {
            Long id = t.licenseByKey.get(pair(product, key));
            return id == null ? Optional.empty() : license(id);
        }

        @Override
        public Optional<License> licenseByUser(String product, String username) {
            Long id = t.licenseByUser.get(pair(product, username));
            return id == null ? Optional.empty() : license(id);
        }

        @Override
        public long insertLicense(License license) {
            long id = nextId(LICENSE_SEQ);
            put(t.licenses, id, license.withId(id));
            if (license.key() != null) {
                put(t.licenseByKey, pair(license.product(), license.key()), id);
            }
            if (license.username() != null) {
                put(t.licenseByUser, pair(license.product(), license.username()), id);
            }
            return id;
        }

        @Override
        public void updateLicense(License license) {
            if (!t.licenses.containsKey(license.id())) {
                throw new IllegalStateException("no license " + license.id());
            }
            put(t.licenses, license.id(), license);
        }

        // ---- activations

        @Override
        public Optional<Activation> activation(long licenseId, String hardwareId) {
            return find(t.activations, licenseId, hardwareId);
        }

        @Override
        public int countActivations(long licenseId) {
            Map<String, Activation> m = t.activations.get(licenseId);
            return m == null ? 0 : m.size();
        }

        @Override
        public void insertActivation(Activation activation) {
            put(inner(t.activations, activation.licenseId()), activation.hardwareId(), activation);
        }

        @Override
        public boolean deleteActivation(long licenseId, String hardwareId) {
            Map<String, Activation> m = t.activations.get(licenseId);
            return m != null && remove(m, hardwareId) != null;
        }

        // ---- blacklist

        @Override
        public boolean isBlacklisted(String product, String hardwareId) {
            return !t.blacklist.isEmpty() && t.blacklist.contains(pair(product, hardwareId));
        }

        @Override
        public boolean insertBlacklist(String product, String hardwareId, Instant at) {
            boolean absent = !isBlacklisted(product, hardwareId);
            add(t.blacklist, pair(product, hardwareId));
            return absent;
        }

        @Override
        public boolean deleteBlacklist(String product, String hardwareId) {
            boolean present = isBlacklisted(product, hardwareId);
            drop(t.blacklist, pair(product, hardwareId));
            return present;
        }

        // ---- leases

        @Override
        public Optional<Lease> lease(long licenseId, String hardwareId) {
            return find(t.leases, licenseId, hardwareId);
        }

        @Override
        public int countLeasesLiveAfter(long licenseId, Instant when) {
            Map<String, Lease> m = t.leases.get(licenseId);
            if (m == null) {
                return 0;
            }
            int live = 0;
            for (Lease lease : m.values()) {
                if (lease.expiresAt().isAfter(when)) {
                    live++;
                }
            }
            return live;
        }

        @Override
        public List<Lease> leasesLapsedBy(long licenseId, Instant when, int limit) {
            Map<String, Lease> m = t.leases.get(licenseId);
            if (m == null) {
                return List.of();
            }
            List<Lease> lapsed = null; // most calls find none: allocate nothing then
            for (Lease lease : m.values()) {
                if (!lease.expiresAt().isAfter(when)) {
                    if (lapsed == null) {
                        lapsed = new ArrayList<>();
                    }
                    lapsed.add(lease);
                }
            }
            if (lapsed == null) {
                return List.of();
            }
            lapsed.sort(Comparator.comparing(Lease::expiresAt).thenComparing(Lease::hardwareId));
            return lapsed.size() > limit ? List.copyOf(lapsed.subList(0, limit)) : lapsed;
        }

        @Override
        public List<Lease> leasesLapsedBy(Instant when, int limit) {
            List<Lease> lapsed = new ArrayList<>();
            for (Lease lease : t.leasesByExpiry.values()) {
                if (lease.expiresAt().isAfter(when) || lapsed.size() == limit) {
                    break;
                }
                lapsed.add(lease);
            }
            return lapsed;
        }

        @Override
        public List<Lease> leasesLiveAfter(long licenseId, Instant when) {
            Map<String, Lease> m = t.leases.get(licenseId);
            if (m == null) {
                return List.of();
            }
            List<Lease> live = new ArrayList<>();
            for (Lease lease : m.values()) {
                if (lease.expiresAt().isAfter(when)) {
                    live.add(lease);
                }
            }
            live.sort(Comparator.comparing(Lease::grantedAt).thenComparing(Lease::hardwareId, MemoryLicenseStore::byCodePoint));
            return live;
        }

        @Override
        public void insertLease(Lease lease) {
            if (lease(lease.licenseId(), lease.hardwareId()).isPresent()) {
                throw new IllegalStateException("lease exists: " + lease.licenseId() + "/" + lease.hardwareId());
            }
            put(inner(t.leases, lease.licenseId()), lease.hardwareId(), lease);
            put(t.leasesByExpiry, ExpiryKey.of(lease), lease);
        }

        @Override
        public void updateLease(Lease lease) {
            Lease old = lease(lease.licenseId(), lease.hardwareId())
                    .orElseThrow(() -> new IllegalStateException("no lease " + lease.licenseId() + "/" + lease.hardwareId()));
            remove(t.leasesByExpiry, ExpiryKey.of(old));
            put(t.leases.get(lease.licenseId()), lease.hardwareId(), lease);
            put(t.leasesByExpiry, ExpiryKey.of(lease), lease);
        }

        @Override
        public boolean deleteLease(long licenseId, String hardwareId) {
            Map<String, Lease> m = t.leases.get(licenseId);
            Lease old = m == null ? null : remove(m, hardwareId);
            if (old == null) {
                return false;
            }
            remove(t.leasesByExpiry, ExpiryKey.of(old));
            return true;
        }

        // ---- clients and agents

        @Override
        public Optional<Client> client(long id) {
            return Optional.ofNullable(t.clients.get(id));
        }

        @Override
        public Optional<Client> clientByName(String name) {
            Long id = t.clientByName.get(name);
            return id == null ? Optional.empty() : client(id);
        }

        @Override
        public long insertClient(Client client) {
            if (t.clientByName.containsKey(client.name())) {
                throw new IllegalStateException("client name taken: " + client.name());
            }
            long id = nextId(CLIENT_SEQ);
            put(t.clients, id, new Client(id, client.name(), client.platformType(), client.hostName()));
            put(t.clientByName, client.name(), id);
            return id;
        }

        @Override
        public Optional<Agent> agent(long clientId, int appType) {
            return find(t.agents, clientId, appType);
        }

        @Override
        public List<Agent> agents(long clientId) {
            Map<Integer, Agent> m = t.agents.get(clientId);
            if (m == null) {
                return List.of();
            }
            List<Agent> result = new ArrayList<>(m.values());
            result.sort(Comparator.comparingInt(Agent::appType));
            return result;
        }

        @Override
        public void insertAgent(Agent agent) {
            put(inner(t.agents, agent.clientId()), agent.appType(), agent);
        }

        // ---- client licenses

        private static String clientLicenseKey(int platformType, int licenseType, int appType) {
            return platformType + ":" + licenseType + ":" + appType;
        }

        @Override
        public Optional<ClientLicense> clientLicense(long id) {
            return Optional.ofNullable(t.clientLicenses.get(id));
        }

        @Override
        public Optional<ClientLicense> clientLicense(int platformType, int licenseType, int appType) {
            Long id = t.clientLicenseByKey.get(clientLicenseKey(platformType, licenseType, appType));
            return id == null ? Optional.empty() : clientLicense(id);
        }

        @Override
        public List<ClientLicense> clientLicenses() {
            return new ArrayList<>(t.clientLicenses.values());
        }

        @Override
        public long insertClientLicense(ClientLicense clientLicense) {
            long id = nextId(CLIENT_LICENSE_SEQ);
            put(t.clientLicenses, id, clientLicense.withId(id));
            put(t.clientLicenseByKey, clientLicenseKey(clientLicense.platformType(), clientLicense.licenseType(),
                    clientLicense.appType()), id);
            return id;
        }

        @Override
        public void updateClientLicenseUsed(long id, int used) {
            ClientLicense current = clientLicense(id).orElseThrow(() -> new IllegalStateException("no client license " + id));
            put(t.clientLicenses, id, current.withUsed(used));
        }

        // ---- consumptions

        @Override
        public Optional<ConsumedLicense> consumption(long clientId, long clientLicenseId, boolean agentLevel) {
            return find(t.consumptionsByClient, clientId, new ConsumptionKey(clientId, clientLicenseId, agentLevel));
        }

        @Override
        public List<ConsumedLicense> consumptionsOfClient(long clientId) {
            Map<ConsumptionKey, ConsumedLicense> m = t.consumptionsByClient.get(clientId);
            return m == null ? List.of() : new ArrayList<>(m.values());
        }

        @Override
        public List<ConsumedLicense> heldConsumptionsOf(long clientLicenseId) {
            Map<ConsumptionKey, ConsumedLicense> m = t.consumptionsByLicense.get(clientLicenseId);
            if (m == null) {
                return List.of();
            }
            List<ConsumedLicense> held = new ArrayList<>();
            for (ConsumedLicense c : m.values()) {
                if (!c.released()) {
                    held.add(c);
                }
            }
            return held;
        }

        @Override
        public void upsertConsumption(ConsumedLicense consumption) {
            ConsumptionKey key = ConsumptionKey.of(consumption);
            put(inner(t.consumptionsByClient, consumption.clientId()), key, consumption);
            put(inner(t.consumptionsByLicense, consumption.clientLicenseId()), key, consumption);
        }

        // ---- ledger

        @Override
        public long appendLedger(LedgerEntry entry) {
            long seq = nextId(LEDGER_SEQ);
            LedgerEntry stored = entry.withSeq(seq);
            put(t.ledger, new LedgerKey(entry.at(), seq), stored);
            put(t.ledgerBySeq, seq, stored);
            return seq;
        }

        @Override
        public List<LedgerEntry> ledgerAfter(long after, int limit) {
            List<LedgerEntry> result = new ArrayList<>();
            for (LedgerEntry e : t.ledgerBySeq.tailMap(after, false).values()) {
                if (result.size() == limit) {
                    break;
                }
                result.add(e);
            }
            return result;
        }

        @Override
        public List<LedgerEntry> ledger(Instant from, Instant to, int limit) {
            List<LedgerEntry> result = new ArrayList<>();
            for (LedgerEntry e : t.ledger.subMap(new LedgerKey(from, Long.MIN_VALUE), true,
                    new LedgerKey(to, Long.MIN_VALUE), false).values()) {
                if (result.size() == limit) {
                    break;
                }
                result.add(e);
            }
            return result;
        }

        @Override
        public int pruneLedger(Instant before, int limit) {
            List<LedgerKey> old = new ArrayList<>();
            for (LedgerKey key : t.ledger.headMap(new LedgerKey(before, Long.MIN_VALUE), false).keySet()) {
                if (old.size() == limit) {
                    break;
                }
                old.add(key);
            }
            for (LedgerKey key : old) {
                remove(t.ledger, key);
                remove(t.ledgerBySeq, key.seq());
            }
            return old.size();
        }
    }

    /** Unicode code point order (String.compareTo orders UTF-16 units, which differs above U+FFFF). */
    private static int byCodePoint(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }
}
