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
import dev.licensor.store.Change;
import dev.licensor.store.CodePointOrder;
import dev.licensor.store.Count;
import dev.licensor.store.HeldLocks;
import dev.licensor.store.Key;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.LockKey;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.PoolLoad;
import dev.licensor.store.PoolState;
import dev.licensor.store.Query;
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
        @SuppressWarnings("unchecked") // each Key type fixes its row type
        public <R> Optional<R> find(Key<R> key) {
            Optional<?> row;
            if (key instanceof Key.ProductByCode k) {
                row = product(k.code());
            } else if (key instanceof Key.LicenseById k) {
                row = license(k.id());
            } else if (key instanceof Key.LicenseByKey k) {
                row = licenseByKey(k.product(), k.key());
            } else if (key instanceof Key.LicenseByUser k) {
                row = licenseByUser(k.product(), k.username());
            } else if (key instanceof Key.RetiredName k) {
                row = yes(isLicenseNameRetired(k.product(), k.key(), k.username()));
            } else if (key instanceof Key.ActivationOf k) {
                row = activation(k.licenseId(), k.hardwareId());
            } else if (key instanceof Key.Blacklisted k) {
                row = yes(isBlacklisted(k.product(), k.hardwareId()));
            } else if (key instanceof Key.LeaseOf k) {
                row = lease(k.licenseId(), k.hardwareId());
            } else if (key instanceof Key.PolicyOf k) {
                row = poolPolicy(k.licenseId());
            } else if (key instanceof Key.GroupByName k) {
                row = seatGroup(k.kind(), k.name());
            } else if (key instanceof Key.ClientById k) {
                row = client(k.id());
            } else if (key instanceof Key.ClientByName k) {
                row = clientByName(k.name());
            } else if (key instanceof Key.AgentOf k) {
                row = agent(k.clientId(), k.appType());
            } else if (key instanceof Key.ClientLicenseById k) {
                row = clientLicense(k.id());
            } else if (key instanceof Key.ClientLicenseByType k) {
                row = clientLicenseByType(k.platformType(), k.licenseType(), k.appType());
            } else if (key instanceof Key.ConsumptionOf k) {
                row = consumption(k.clientId(), k.clientLicenseId(), k.agentLevel());
            } else {
                throw new IllegalArgumentException("unknown key " + key);
            }
            return (Optional<R>) row;
        }

        private static Optional<Boolean> yes(boolean present) {
            return present ? Optional.of(Boolean.TRUE) : Optional.empty();
        }

        @Override
        @SuppressWarnings("unchecked") // each Query type fixes its row type
        public <R> List<R> list(Query<R> query) {
            List<?> rows;
            if (query instanceof Query.ProductsAfter q) {
                rows = productsAfter(q.afterCode(), q.limit());
            } else if (query instanceof Query.LicensesAfter q) {
                rows = licensesAfter(q.afterId(), q.limit());
            } else if (query instanceof Query.LicensesOfProduct q) {
                rows = licensesOfProductAfter(q.product(), q.afterId(), q.limit());
            } else if (query instanceof Query.LicensesOfUser q) {
                rows = licensesOfUserAfter(q.username(), q.afterId(), q.limit());
            } else if (query instanceof Query.ClientsAfter q) {
                rows = clientsAfter(q.afterId(), q.limit());
            } else if (query instanceof Query.LiveLeases q) {
                rows = leasesLiveAfter(q.licenseId(), q.after());
            } else if (query instanceof Query.LapsedLeases q) {
                rows = q.licenseId() == 0 ? leasesLapsedBy(q.by(), q.limit()) : leasesLapsedBy(q.licenseId(), q.by(), q.limit());
            } else if (query instanceof Query.Queue q) {
                rows = queue(q.licenseId());
            } else if (query instanceof Query.Agents q) {
                rows = agents(q.clientId());
            } else if (query instanceof Query.ClientLicenses) {
                rows = clientLicenses();
            } else if (query instanceof Query.ConsumptionsOfClient q) {
                rows = consumptionsOfClient(q.clientId());
            } else if (query instanceof Query.HeldConsumptions q) {
                rows = heldConsumptionsOf(q.clientLicenseId());
            } else if (query instanceof Query.LedgerAfter q) {
                rows = ledgerAfter(q.after(), q.limit());
            } else if (query instanceof Query.LedgerBetween q) {
                rows = ledger(q.from(), q.to(), q.limit());
            } else {
                throw new IllegalArgumentException("unknown query " + query);
            }
            return (List<R>) rows;
        }

        @Override
        public int count(Count count) {
            if (count instanceof Count.Activations c) {
                return countActivations(c.licenseId());
            } else if (count instanceof Count.LiveLeases c) {
                return countLeasesLiveAfter(c.licenseId(), c.after());
            }
            throw new IllegalArgumentException("unknown count " + count);
        }

        @Override
        public long[] apply(Change... changes) {
            long[] results = new long[changes.length];
            for (int i = 0; i < changes.length; i++) {
                results[i] = write(changes[i]);
            }
            return results;
        }

        private long write(Change change) {
            if (change instanceof Change.PutProduct c) {
                putProduct(c.product());
            } else if (change instanceof Change.DeleteProduct c) {
                deleteProduct(c.code());
            } else if (change instanceof Change.InsertLicense c) {
                return insertLicense(c.license());
            } else if (change instanceof Change.PutLicense c) {
                putLicense(c.license());
            } else if (change instanceof Change.DeleteLicense c) {
                deleteLicense(c.license());
            } else if (change instanceof Change.PutActivation c) {
                putActivation(c.activation());
            } else if (change instanceof Change.DeleteActivation c) {
                return deleteActivation(c.licenseId(), c.hardwareId()) ? 1 : 0;
            } else if (change instanceof Change.PutBlacklist c) {
                return putBlacklist(c.product(), c.hardwareId(), c.at()) ? 1 : 0;
            } else if (change instanceof Change.DeleteBlacklist c) {
                return deleteBlacklist(c.product(), c.hardwareId()) ? 1 : 0;
            } else if (change instanceof Change.PutLease c) {
                putLease(c.lease());
            } else if (change instanceof Change.DeleteLease c) {
                return deleteLease(c.licenseId(), c.hardwareId()) ? 1 : 0;
            } else if (change instanceof Change.PutPolicy c) {
                putPoolPolicy(c.licenseId(), c.policy());
            } else if (change instanceof Change.PutGroup c) {
                putSeatGroup(c.group());
            } else if (change instanceof Change.PutQueueEntry c) {
                putQueueEntry(c.entry());
            } else if (change instanceof Change.DeleteQueueEntry c) {
                return deleteQueueEntry(c.licenseId(), c.hardwareId()) ? 1 : 0;
            } else if (change instanceof Change.InsertClient c) {
                return insertClient(c.client());
            } else if (change instanceof Change.PutClient c) {
                putClient(c.client());
            } else if (change instanceof Change.DeleteClient c) {
                deleteClient(c.client());
            } else if (change instanceof Change.PutAgent c) {
                putAgent(c.agent());
            } else if (change instanceof Change.InsertClientLicense c) {
                return insertClientLicense(c.clientLicense());
            } else if (change instanceof Change.PutClientLicense c) {
                putClientLicense(c.clientLicense());
            } else if (change instanceof Change.PutConsumption c) {
                putConsumption(c.consumption());
            } else if (change instanceof Change.AppendLedger c) {
                return appendLedger(c.entry());
            } else {
                throw new IllegalArgumentException("unknown change " + change);
            }
            return 0;
        }

        @Override
        public Optional<PoolState> loadPool(PoolLoad load) {
            long id = load.licenseId();
            Optional<License> license = find(Key.license(id));
            if (license.isEmpty()) {
                return Optional.empty();
            }
            boolean blacklisted = find(Key.blacklisted(load.product(), load.hardwareId())).isPresent();
            Optional<Activation> activation = find(Key.activation(id, load.hardwareId()));
            int activations = load.countActivations() ? count(Count.activations(id)) : -1;
            PoolPolicy policy = find(Key.poolPolicy(id)).orElse(PoolPolicy.NONE);
            Map<String, Lease> seatLeases = new HashMap<>();
            for (String key : load.seatKeys()) {
                find(Key.lease(id, key)).ifPresent(l -> seatLeases.put(key, l));
            }
            List<Lease> live = List.of();
            int liveCount = -1;
            List<SeatGroup> groups = new ArrayList<>();
            PoolLoad.Live mode = load.live();
            if (mode == PoolLoad.Live.LIST || (mode == PoolLoad.Live.LIST_IF_POLICY && !policy.isNone())) {
                live = list(Query.leasesLiveAfter(id, load.now()));
                liveCount = live.size();
            } else if (mode != PoolLoad.Live.NONE) {
                liveCount = count(Count.liveLeases(id, load.now()));
            }
            if (mode != PoolLoad.Live.NONE) {
                for (Map.Entry<GroupKind, String> named : PoolState.groupsNamedBy(policy)) {
                    find(Key.seatGroup(named.getKey(), named.getValue())).ifPresent(groups::add);
                }
            }
            List<Lease> lapsed = load.lapsedLimit() > 0 ? list(Query.leasesLapsedBy(id, load.now(), load.lapsedLimit())) : List.of();
            List<QueueEntry> queue = load.queue() && policy.queueLength() > 0 ? list(Query.queue(id)) : List.of();
            return Optional.of(new PoolState(load, license.get(), blacklisted, activation, activations, policy, groups,
                    seatLeases, liveCount, live, lapsed, queue));
        }

        @Override
        public long[] apply(PoolChanges changes) {
            if (changes.license() != null) {
                putLicense(changes.license());
            }
            if (changes.activationPut() != null) {
                putActivation(changes.activationPut());
            }
            for (String key : changes.leaseDeletes()) {
                deleteLease(changes.licenseId(), key);
            }
            for (Lease lease : changes.leasePuts()) {
                putLease(lease);
            }
            for (String key : changes.queueDeletes()) {
                deleteQueueEntry(changes.licenseId(), key);
            }
            for (QueueEntry entry : changes.queuePuts()) {
                putQueueEntry(entry);
            }
            if (changes.activationDelete() != null) {
                deleteActivation(changes.licenseId(), changes.activationDelete());
            }
            for (PoolChanges.BlacklistChange b : changes.blacklist()) {
                if (b.add()) {
                    putBlacklist(b.product(), b.hardwareId(), b.at());
                } else {
                    deleteBlacklist(b.product(), b.hardwareId());
                }
            }
            long[] seqs = new long[changes.ledger().size()];
            for (int i = 0; i < seqs.length; i++) {
                seqs[i] = appendLedger(changes.ledger().get(i));
            }
            return seqs;
        }

        public Optional<Product> product(String code) {
            return Optional.ofNullable(r().products.get(code));
        }

        private void putProduct(Product product) {
            w().products.put(product.code(), product);
        }

        public List<Product> productsAfter(String afterCode, int limit) {
            return select(r().products, p -> CodePointOrder.INSTANCE.compare(p.code(), afterCode) > 0,
                    Comparator.comparing(Product::code, CodePointOrder.INSTANCE), limit);
        }

        private void deleteProduct(String code) {
            existing(w().products.remove(code), "product " + code);
            t.blacklist.keySet().removeIf(k -> k.get(0).equals(code));
        }

        public Optional<License> license(long id) {
            return Optional.ofNullable(r().licenses.get(id));
        }

        public Optional<License> licenseByKey(String product, String key) {
            return r().licenses.values().stream()
                    .filter(l -> l.product().equals(product) && key.equals(l.key())).findFirst();
        }

        public Optional<License> licenseByUser(String product, String username) {
            return r().licenses.values().stream()
                    .filter(l -> l.product().equals(product) && username.equals(l.username())).findFirst();
        }

        private long insertLicense(License license) {
            long id = ++w().lastLicense;
            t.licenses.put(id, license.withId(id));
            return id;
        }

        private void putLicense(License license) {
            existing(w().licenses.get(license.id()), "license " + license.id());
            t.licenses.put(license.id(), license);
        }

        private static final Comparator<License> BY_ID = Comparator.comparingLong(License::id);

        public List<License> licensesAfter(long afterId, int limit) {
            return select(r().licenses, l -> l.id() > afterId, BY_ID, limit);
        }

        public List<License> licensesOfProductAfter(String product, long afterId, int limit) {
            return select(r().licenses, l -> l.id() > afterId && l.product().equals(product), BY_ID, limit);
        }

        public List<License> licensesOfUserAfter(String username, long afterId, int limit) {
            return select(r().licenses, l -> l.id() > afterId && username.equals(l.username()), BY_ID, limit);
        }

        private void deleteLicense(License license) {
            long id = license.id();
            License row = existing(w().licenses.remove(id), "license " + id);
            t.activations.values().removeIf(a -> a.licenseId() == id);
            t.leases.values().removeIf(l -> l.licenseId() == id);
            t.queues.values().removeIf(q -> q.licenseId() == id);
            t.policies.remove(id);
            t.retired.put(row.key() != null ? List.of(row.product(), "key", row.key())
                    : List.of(row.product(), "user", row.username()), Boolean.TRUE);
        }

        public boolean isLicenseNameRetired(String product, String key, String username) {
            return r().retired.containsKey(key != null ? List.of(product, "key", key) : List.of(product, "user", username));
        }

        public Optional<Activation> activation(long licenseId, String hardwareId) {
            return Optional.ofNullable(r().activations.get(List.of(licenseId, hardwareId)));
        }

        public int countActivations(long licenseId) {
            return (int) r().activations.values().stream().filter(a -> a.licenseId() == licenseId).count();
        }

        private void putActivation(Activation activation) {
            w().activations.put(List.of(activation.licenseId(), activation.hardwareId()), activation);
        }

        private boolean deleteActivation(long licenseId, String hardwareId) {
            return w().activations.remove(List.of(licenseId, hardwareId)) != null;
        }

        public boolean isBlacklisted(String product, String hardwareId) {
            return r().blacklist.containsKey(List.of(product, hardwareId));
        }

        private boolean putBlacklist(String product, String hardwareId, Instant at) {
            return w().blacklist.putIfAbsent(List.of(product, hardwareId), at) == null;
        }

        private boolean deleteBlacklist(String product, String hardwareId) {
            return w().blacklist.remove(List.of(product, hardwareId)) != null;
        }

        public Optional<PoolPolicy> poolPolicy(long licenseId) {
            return Optional.ofNullable(r().policies.get(licenseId));
        }

        private void putPoolPolicy(long licenseId, PoolPolicy policy) {
            w().policies.put(licenseId, policy);
        }

        public Optional<SeatGroup> seatGroup(GroupKind kind, String name) {
            return Optional.ofNullable(r().groups.get(List.of(kind, name)));
        }

        private void putSeatGroup(SeatGroup group) {
            w().groups.put(List.of(group.kind(), group.name()), group);
        }

        public List<QueueEntry> queue(long licenseId) {
            return select(r().queues, e -> e.licenseId() == licenseId, Comparator.comparingLong(QueueEntry::ticket),
                    Integer.MAX_VALUE);
        }

        private void putQueueEntry(QueueEntry entry) {
            w().queues.put(List.of(entry.licenseId(), entry.hardwareId()), entry);
        }

        private boolean deleteQueueEntry(long licenseId, String hardwareId) {
            return w().queues.remove(List.of(licenseId, hardwareId)) != null;
        }

        public Optional<Lease> lease(long licenseId, String hardwareId) {
            return Optional.ofNullable(r().leases.get(List.of(licenseId, hardwareId)));
        }

        public int countLeasesLiveAfter(long licenseId, Instant when) {
            return leasesLiveAfter(licenseId, when).size();
        }

        public List<Lease> leasesLapsedBy(long licenseId, Instant when, int limit) {
            return select(r().leases, l -> l.licenseId() == licenseId && !l.expiresAt().isAfter(when), BY_EXPIRY, limit);
        }

        public List<Lease> leasesLapsedBy(Instant when, int limit) {
            return select(r().leases, l -> !l.expiresAt().isAfter(when), BY_EXPIRY, limit);
        }

        public List<Lease> leasesLiveAfter(long licenseId, Instant when) {
            return select(r().leases, l -> l.licenseId() == licenseId && l.expiresAt().isAfter(when),
                    Comparator.comparing(Lease::grantedAt).thenComparing(Lease::hardwareId, CodePointOrder.INSTANCE),
                    Integer.MAX_VALUE);
        }

        private void putLease(Lease lease) {
            w().leases.put(List.of(lease.licenseId(), lease.hardwareId()), lease);
        }

        private boolean deleteLease(long licenseId, String hardwareId) {
            return w().leases.remove(List.of(licenseId, hardwareId)) != null;
        }

        public Optional<Client> client(long id) {
            return Optional.ofNullable(r().clients.get(id));
        }

        public List<Client> clientsAfter(long afterId, int limit) {
            return select(r().clients, c -> c.id() > afterId, Comparator.comparingLong(Client::id), limit);
        }

        public Optional<Client> clientByName(String name) {
            return r().clients.values().stream().filter(c -> c.name().equals(name)).findFirst();
        }

        private long insertClient(Client client) {
            if (clientByName(client.name()).isPresent()) {
                throw new IllegalStateException("client name taken: " + client.name());
            }
            long id = ++w().lastClient;
            t.clients.put(id, new Client(id, client.name(), client.platformType(), client.hostName()));
            return id;
        }

        private void putClient(Client client) {
            Client old = existing(w().clients.get(client.id()), "client " + client.id());
            t.clients.put(client.id(), new Client(client.id(), old.name(), client.platformType(), client.hostName()));
        }

        private void deleteClient(Client client) {
            existing(w().clients.remove(client.id()), "client " + client.id());
            t.agents.keySet().removeIf(k -> k.get(0).equals(client.id()));
            t.consumptions.keySet().removeIf(k -> k.get(0).equals(client.id()));
        }

        public Optional<Agent> agent(long clientId, int appType) {
            return Optional.ofNullable(r().agents.get(List.of(clientId, appType)));
        }

        public List<Agent> agents(long clientId) {
            return select(r().agents, a -> a.clientId() == clientId, Comparator.comparingInt(Agent::appType),
                    Integer.MAX_VALUE);
        }

        private void putAgent(Agent agent) {
            w().agents.put(List.of(agent.clientId(), agent.appType()), agent);
        }

        public Optional<ClientLicense> clientLicense(long id) {
            return Optional.ofNullable(r().clientLicenses.get(id));
        }

        public Optional<ClientLicense> clientLicenseByType(int platformType, int licenseType, int appType) {
            return r().clientLicenses.values().stream().filter(l -> l.platformType() == platformType
                    && l.licenseType() == licenseType && l.appType() == appType).findFirst();
        }

        public List<ClientLicense> clientLicenses() {
            return select(r().clientLicenses, l -> true, Comparator.comparingLong(ClientLicense::id), Integer.MAX_VALUE);
        }

        private long insertClientLicense(ClientLicense clientLicense) {
            long id = ++w().lastClientLicense;
            t.clientLicenses.put(id, clientLicense.withId(id));
            return id;
        }

        private void putClientLicense(ClientLicense c) {
            existing(w().clientLicenses.get(c.id()), "client license " + c.id());
            t.clientLicenses.put(c.id(), c);
        }

        public Optional<ConsumedLicense> consumption(long clientId, long clientLicenseId, boolean agentLevel) {
            return Optional.ofNullable(r().consumptions.get(List.of(clientId, clientLicenseId, agentLevel)));
        }

        public List<ConsumedLicense> consumptionsOfClient(long clientId) {
            return select(r().consumptions, c -> c.clientId() == clientId,
                    Comparator.comparingLong(ConsumedLicense::clientLicenseId).thenComparing(ConsumedLicense::agentLevel),
                    Integer.MAX_VALUE);
        }

        public List<ConsumedLicense> heldConsumptionsOf(long clientLicenseId) {
            return select(r().consumptions, c -> c.clientLicenseId() == clientLicenseId && !c.released(),
                    Comparator.comparingLong(ConsumedLicense::clientId).thenComparing(ConsumedLicense::agentLevel),
                    Integer.MAX_VALUE);
        }

        private void putConsumption(ConsumedLicense c) {
            w().consumptions.put(List.of(c.clientId(), c.clientLicenseId(), c.agentLevel()), c);
        }

        private long appendLedger(LedgerEntry entry) {
            long seq = ++w().lastLedger;
            t.ledger.put(seq, entry.withSeq(seq));
            return seq;
        }

        public List<LedgerEntry> ledger(Instant from, Instant to, int limit) {
            return select(r().ledger, e -> !e.at().isBefore(from) && e.at().isBefore(to), BY_TIME, limit);
        }

        public List<LedgerEntry> ledgerAfter(long after, int limit) {
            return select(r().ledger, e -> e.seq() > after, Comparator.comparingLong(LedgerEntry::seq), limit);
        }

        @Override
        public int prune(Instant before, int limit) {
            List<LedgerEntry> old = select(w().ledger, e -> e.at().isBefore(before), BY_TIME, limit);
            old.forEach(e -> t.ledger.remove(e.seq()));
            return old.size();
        }
    }
}
