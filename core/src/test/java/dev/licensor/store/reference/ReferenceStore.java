package dev.licensor.store.reference;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.CodePointOrder;
import dev.licensor.store.HeldLocks;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.LockKey;
import dev.licensor.store.StoreTransaction;
import dev.licensor.store.StoreWork;
import dev.licensor.store.UnitGuard;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The simplest store that can pass the contract suite, so core runs its rules without a store
 * module: one fair lock around every unit, one flat map per table (keys are {@code List.of(...)}
 * tuples), queries that filter and sort the whole table, and rollback by putting back a copy of
 * every table taken when the unit began. Simple over fast: a write unit copies the whole state.
 * Nothing survives the process.
 *
 * <p>Thread-safe: every unit runs under the lock, one at a time. A unit may not start another
 * unit (refused with {@link dev.licensor.store.NestedUnitException}, through {@link UnitGuard}).
 */
public final class ReferenceStore implements LicenseStore {

    private final ReentrantLock lock = new ReentrantLock(true);
    private final UnitGuard guard = new UnitGuard();
    private Tables tables = new Tables();

    @Override
    public <T> T write(StoreWork<T> work) {
        return run(work, false);
    }

    @Override
    public <T> T read(StoreWork<T> work) {
        return run(work, true);
    }

    private <T> T run(StoreWork<T> work, boolean readOnly) {
        guard.enter(); // a unit must not start another unit
        lock.lock();
        try {
            Tables before = tables.copy();
            Tx tx = new Tx(tables, readOnly);
            try {
                return work.run(tx);
            } catch (RuntimeException | Error e) {
                tables = before;
                throw e;
            } finally {
                tx.over = true;
            }
        } finally {
            lock.unlock();
            guard.exit();
        }
    }

    @Override
    public void close() {
        // nothing to release
    }

    /** Every table; a shallow copy is a snapshot since rows and keys are immutable. */
    private static final class Tables {
        Map<String, Product> products = new HashMap<>();
        Map<Long, License> licenses = new HashMap<>();
        Map<List<Object>, Activation> activations = new HashMap<>();
        Map<List<Object>, Instant> blacklist = new HashMap<>();
        Map<List<Object>, Lease> leases = new HashMap<>();
        Map<Long, Client> clients = new HashMap<>();
        Map<List<Object>, Agent> agents = new HashMap<>();
        Map<Long, ClientLicense> clientLicenses = new HashMap<>();
        Map<List<Object>, ConsumedLicense> consumptions = new HashMap<>();
        Map<Long, LedgerEntry> ledger = new HashMap<>();
        Map<Long, PoolPolicy> policies = new HashMap<>();
        Map<List<Object>, SeatGroup> groups = new HashMap<>();
        Map<List<Object>, QueueEntry> queues = new HashMap<>();
        Map<List<Object>, Boolean> retired = new HashMap<>(); // (product, "key" or "user", name)
        long lastLicense;
        long lastClient;
        long lastClientLicense;
        long lastLedger;

        Tables copy() {
            Tables c = new Tables();
            c.products = new HashMap<>(products);
            c.licenses = new HashMap<>(licenses);
            c.activations = new HashMap<>(activations);
            c.blacklist = new HashMap<>(blacklist);
            c.leases = new HashMap<>(leases);
            c.clients = new HashMap<>(clients);
            c.agents = new HashMap<>(agents);
            c.clientLicenses = new HashMap<>(clientLicenses);
            c.consumptions = new HashMap<>(consumptions);
            c.ledger = new HashMap<>(ledger);
            c.policies = new HashMap<>(policies);
            c.groups = new HashMap<>(groups);
            c.queues = new HashMap<>(queues);
            c.retired = new HashMap<>(retired);
            c.lastLicense = lastLicense;
            c.lastClient = lastClient;
            c.lastClientLicense = lastClientLicense;
            c.lastLedger = lastLedger;
            return c;
        }
    }

    private static <T> List<T> select(Map<?, T> table, Predicate<T> where, Comparator<T> order, int limit) {
        return table.values().stream().filter(where).sorted(order).limit(limit).toList();
    }

    private static final Comparator<Lease> BY_EXPIRY = Comparator.comparing(Lease::expiresAt)
            .thenComparingLong(Lease::licenseId).thenComparing(Lease::hardwareId, CodePointOrder.INSTANCE);
    private static final Comparator<LedgerEntry> BY_TIME = Comparator.comparing(LedgerEntry::at)
            .thenComparingLong(LedgerEntry::seq);

    /** One unit's view of the tables. */
    private static final class Tx implements StoreTransaction {
        private final Tables t;
        private final boolean readOnly;
        private final HeldLocks held = new HeldLocks();
        boolean over;

        Tx(Tables t, boolean readOnly) {
            this.t = t;
            this.readOnly = readOnly;
        }

        private Tables r() {
            if (over) {
                throw new IllegalStateException("transaction is over");
            }
            return t;
        }

        private Tables w() {
            if (readOnly) {
                throw new IllegalStateException("write inside a read-only unit of work");
            }
            return r();
        }

        private static <T> T existing(T row, Object what) {
            if (row == null) {
                throw new IllegalStateException("no " + what);
            }
            return row;
        }

        @Override
        public void lock(LockKey... keys) {
            // One lock around every unit already serialises them: only the order is checked.
            if (readOnly) {
                throw new IllegalStateException("lock inside a read-only unit of work");
            }
            held.admit(keys);
        }

        @Override
        public Optional<Product> product(String code) {
            return Optional.ofNullable(r().products.get(code));
        }

        @Override
        public void putProduct(Product product) {
            w().products.put(product.code(), product);
        }

        @Override
        public List<Product> productsAfter(String afterCode, int limit) {
            return select(r().products, p -> CodePointOrder.INSTANCE.compare(p.code(), afterCode) > 0,
                    Comparator.comparing(Product::code, CodePointOrder.INSTANCE), limit);
        }

        @Override
        public void deleteProduct(String code) {
            existing(w().products.remove(code), "product " + code);
            t.blacklist.keySet().removeIf(k -> k.get(0).equals(code));
        }

        @Override
        public Optional<License> license(long id) {
            return Optional.ofNullable(r().licenses.get(id));
        }

        @Override
        public Optional<License> licenseByKey(String product, String key) {
            return r().licenses.values().stream()
                    .filter(l -> l.product().equals(product) && key.equals(l.key())).findFirst();
        }

        @Override
        public Optional<License> licenseByUser(String product, String username) {
            return r().licenses.values().stream()
                    .filter(l -> l.product().equals(product) && username.equals(l.username())).findFirst();
        }

        @Override
        public long insertLicense(License license) {
            long id = ++w().lastLicense;
            t.licenses.put(id, license.withId(id));
            return id;
        }

        @Override
        public void putLicense(License license) {
            existing(w().licenses.get(license.id()), "license " + license.id());
            t.licenses.put(license.id(), license);
        }

        private static final Comparator<License> BY_ID = Comparator.comparingLong(License::id);

        @Override
        public List<License> licensesAfter(long afterId, int limit) {
            return select(r().licenses, l -> l.id() > afterId, BY_ID, limit);
        }

        @Override
        public List<License> licensesOfProductAfter(String product, long afterId, int limit) {
            return select(r().licenses, l -> l.id() > afterId && l.product().equals(product), BY_ID, limit);
        }

        @Override
        public List<License> licensesOfUserAfter(String username, long afterId, int limit) {
            return select(r().licenses, l -> l.id() > afterId && username.equals(l.username()), BY_ID, limit);
        }

        @Override
        public void deleteLicense(License license) {
            long id = license.id();
            License row = existing(w().licenses.remove(id), "license " + id);
            t.activations.values().removeIf(a -> a.licenseId() == id);
            t.leases.values().removeIf(l -> l.licenseId() == id);
            t.queues.values().removeIf(q -> q.licenseId() == id);
            t.policies.remove(id);
            t.retired.put(row.key() != null ? List.of(row.product(), "key", row.key())
                    : List.of(row.product(), "user", row.username()), Boolean.TRUE);
        }

        @Override
        public boolean isLicenseNameRetired(String product, String key, String username) {
            return r().retired.containsKey(key != null ? List.of(product, "key", key) : List.of(product, "user", username));
        }

        @Override
        public Optional<Activation> activation(long licenseId, String hardwareId) {
            return Optional.ofNullable(r().activations.get(List.of(licenseId, hardwareId)));
        }

        @Override
        public int countActivations(long licenseId) {
            return (int) r().activations.values().stream().filter(a -> a.licenseId() == licenseId).count();
        }

        @Override
        public void putActivation(Activation activation) {
            w().activations.put(List.of(activation.licenseId(), activation.hardwareId()), activation);
        }

        @Override
        public boolean deleteActivation(long licenseId, String hardwareId) {
            return w().activations.remove(List.of(licenseId, hardwareId)) != null;
        }

        @Override
        public boolean isBlacklisted(String product, String hardwareId) {
            return r().blacklist.containsKey(List.of(product, hardwareId));
        }

        @Override
        public boolean putBlacklist(String product, String hardwareId, Instant at) {
            return w().blacklist.putIfAbsent(List.of(product, hardwareId), at) == null;
        }

        @Override
        public boolean deleteBlacklist(String product, String hardwareId) {
            return w().blacklist.remove(List.of(product, hardwareId)) != null;
        }

        @Override
        public Optional<PoolPolicy> poolPolicy(long licenseId) {
            return Optional.ofNullable(r().policies.get(licenseId));
        }

        @Override
        public void putPoolPolicy(long licenseId, PoolPolicy policy) {
            w().policies.put(licenseId, policy);
        }

        @Override
        public Optional<SeatGroup> seatGroup(GroupKind kind, String name) {
            return Optional.ofNullable(r().groups.get(List.of(kind, name)));
        }

        @Override
        public void putSeatGroup(SeatGroup group) {
            w().groups.put(List.of(group.kind(), group.name()), group);
        }

        @Override
        public List<QueueEntry> queue(long licenseId) {
            return select(r().queues, e -> e.licenseId() == licenseId, Comparator.comparingLong(QueueEntry::ticket),
                    Integer.MAX_VALUE);
        }

        @Override
        public void putQueueEntry(QueueEntry entry) {
            w().queues.put(List.of(entry.licenseId(), entry.hardwareId()), entry);
        }

        @Override
        public boolean deleteQueueEntry(long licenseId, String hardwareId) {
            return w().queues.remove(List.of(licenseId, hardwareId)) != null;
        }

        @Override
        public Optional<Lease> lease(long licenseId, String hardwareId) {
            return Optional.ofNullable(r().leases.get(List.of(licenseId, hardwareId)));
        }

        @Override
        public int countLeasesLiveAfter(long licenseId, Instant when) {
            return leasesLiveAfter(licenseId, when).size();
        }

        @Override
        public List<Lease> leasesLapsedBy(long licenseId, Instant when, int limit) {
            return select(r().leases, l -> l.licenseId() == licenseId && !l.expiresAt().isAfter(when), BY_EXPIRY, limit);
        }

        @Override
        public List<Lease> leasesLapsedBy(Instant when, int limit) {
            return select(r().leases, l -> !l.expiresAt().isAfter(when), BY_EXPIRY, limit);
        }

        @Override
        public List<Lease> leasesLiveAfter(long licenseId, Instant when) {
            return select(r().leases, l -> l.licenseId() == licenseId && l.expiresAt().isAfter(when),
                    Comparator.comparing(Lease::grantedAt).thenComparing(Lease::hardwareId, CodePointOrder.INSTANCE),
                    Integer.MAX_VALUE);
        }

        @Override
        public void putLease(Lease lease) {
            w().leases.put(List.of(lease.licenseId(), lease.hardwareId()), lease);
        }

        @Override
        public boolean deleteLease(long licenseId, String hardwareId) {
            return w().leases.remove(List.of(licenseId, hardwareId)) != null;
        }

        @Override
        public Optional<Client> client(long id) {
            return Optional.ofNullable(r().clients.get(id));
        }

        @Override
        public List<Client> clientsAfter(long afterId, int limit) {
            return select(r().clients, c -> c.id() > afterId, Comparator.comparingLong(Client::id), limit);
        }

        @Override
        public Optional<Client> clientByName(String name) {
            return r().clients.values().stream().filter(c -> c.name().equals(name)).findFirst();
        }

        @Override
        public long insertClient(Client client) {
            if (clientByName(client.name()).isPresent()) {
                throw new IllegalStateException("client name taken: " + client.name());
            }
            long id = ++w().lastClient;
            t.clients.put(id, new Client(id, client.name(), client.platformType(), client.hostName()));
            return id;
        }

        @Override
        public void putClient(Client client) {
            Client old = existing(w().clients.get(client.id()), "client " + client.id());
            t.clients.put(client.id(), new Client(client.id(), old.name(), client.platformType(), client.hostName()));
        }

        @Override
        public void deleteClient(Client client) {
            existing(w().clients.remove(client.id()), "client " + client.id());
            t.agents.keySet().removeIf(k -> k.get(0).equals(client.id()));
            t.consumptions.keySet().removeIf(k -> k.get(0).equals(client.id()));
        }

        @Override
        public Optional<Agent> agent(long clientId, int appType) {
            return Optional.ofNullable(r().agents.get(List.of(clientId, appType)));
        }

        @Override
        public List<Agent> agents(long clientId) {
            return select(r().agents, a -> a.clientId() == clientId, Comparator.comparingInt(Agent::appType),
                    Integer.MAX_VALUE);
        }

        @Override
        public void putAgent(Agent agent) {
            w().agents.put(List.of(agent.clientId(), agent.appType()), agent);
        }

        @Override
        public Optional<ClientLicense> clientLicense(long id) {
            return Optional.ofNullable(r().clientLicenses.get(id));
        }

        @Override
        public Optional<ClientLicense> clientLicenseByType(int platformType, int licenseType, int appType) {
            return r().clientLicenses.values().stream().filter(l -> l.platformType() == platformType
                    && l.licenseType() == licenseType && l.appType() == appType).findFirst();
        }

        @Override
        public List<ClientLicense> clientLicenses() {
            return select(r().clientLicenses, l -> true, Comparator.comparingLong(ClientLicense::id), Integer.MAX_VALUE);
        }

        @Override
        public long insertClientLicense(ClientLicense clientLicense) {
            long id = ++w().lastClientLicense;
            t.clientLicenses.put(id, clientLicense.withId(id));
            return id;
        }

        @Override
        public void putClientLicense(ClientLicense c) {
            existing(w().clientLicenses.get(c.id()), "client license " + c.id());
            t.clientLicenses.put(c.id(), c);
        }

        @Override
        public Optional<ConsumedLicense> consumption(long clientId, long clientLicenseId, boolean agentLevel) {
            return Optional.ofNullable(r().consumptions.get(List.of(clientId, clientLicenseId, agentLevel)));
        }

        @Override
        public List<ConsumedLicense> consumptionsOfClient(long clientId) {
            return select(r().consumptions, c -> c.clientId() == clientId,
                    Comparator.comparingLong(ConsumedLicense::clientLicenseId).thenComparing(ConsumedLicense::agentLevel),
                    Integer.MAX_VALUE);
        }

        @Override
        public List<ConsumedLicense> heldConsumptionsOf(long clientLicenseId) {
            return select(r().consumptions, c -> c.clientLicenseId() == clientLicenseId && !c.released(),
                    Comparator.comparingLong(ConsumedLicense::clientId).thenComparing(ConsumedLicense::agentLevel),
                    Integer.MAX_VALUE);
        }

        @Override
        public void putConsumption(ConsumedLicense c) {
            w().consumptions.put(List.of(c.clientId(), c.clientLicenseId(), c.agentLevel()), c);
        }

        @Override
        public long appendLedger(LedgerEntry entry) {
            long seq = ++w().lastLedger;
            t.ledger.put(seq, entry.withSeq(seq));
            return seq;
        }

        @Override
        public List<LedgerEntry> ledger(Instant from, Instant to, int limit) {
            return select(r().ledger, e -> !e.at().isBefore(from) && e.at().isBefore(to), BY_TIME, limit);
        }

        @Override
        public List<LedgerEntry> ledgerAfter(long after, int limit) {
            return select(r().ledger, e -> e.seq() > after, Comparator.comparingLong(LedgerEntry::seq), limit);
        }

        @Override
        public int pruneLedger(Instant before, int limit) {
            List<LedgerEntry> old = select(w().ledger, e -> e.at().isBefore(before), BY_TIME, limit);
            old.forEach(e -> t.ledger.remove(e.seq()));
            return old.size();
        }
    }
}
