package dev.licensor.store.memory;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.store.CodePointOrder;
import dev.licensor.store.HeldLocks;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.LockKey;
import dev.licensor.store.NestedUnitException;
import dev.licensor.store.StoreTransaction;
import dev.licensor.store.StoreWork;
import java.time.Instant;
import dev.licensor.store.TransientStoreException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link LicenseStore} held in memory: the default for hosts' offline tests and for
 * single-process deployments that need no persistence. Rows and indexes only; no rule.
 *
 * <p><b>Locking.</b> {@link StoreTransaction#lock} takes real locks: each {@link LockKey} maps to
 * one of {@value #STRIPES} <em>fair</em> locks (threads served in arrival order), so write units
 * on different pools run in parallel and units on one pool queue. A lock whose stripe is below
 * one the unit holds is only tried for a while (locks stripes taken out of order could otherwise
 * deadlock); if it stays busy the unit rolls back with a {@link TransientStoreException} and the
 * engine runs it again. Write units share a fair gate that read units take alone, so a read unit
 * sees committed rows only, all from one state. A write unit sees the rows its keys guard as
 * committed; a row it reads without holding its key (core does so only for rows named by keys
 * that never change: a product, a license by key, a client by name, a client license by type,
 * an agent, the blacklist) may come from a unit still running. Rows live in concurrent maps; every write
 * inside a unit is logged with its inverse, so a unit that throws leaves no trace (it is undone
 * before its locks are released).
 *
 * <p>Nothing survives the process: durability is the one guarantee of {@link LicenseStore} this
 * store does not give.
 *
 * <p>Thread-safe.
 */
public final class MemoryLicenseStore implements LicenseStore {
    private static final Comparator<Lease> BY_EXPIRY = Comparator.comparing(Lease::expiresAt)
            .thenComparingLong(Lease::licenseId).thenComparing(Lease::hardwareId, CodePointOrder.INSTANCE);
    private static final Comparator<Lease> POOL_BY_EXPIRY = Comparator.comparing(Lease::expiresAt)
            .thenComparing(Lease::hardwareId, CodePointOrder.INSTANCE);
    private static final Comparator<Lease> BY_GRANT = Comparator.comparing(Lease::grantedAt)
            .thenComparing(Lease::hardwareId, CodePointOrder.INSTANCE);

    /** Lock stripes; a power of two. */
    static final int STRIPES = 1024;
    private static final long OUT_OF_ORDER_WAIT_MS = 200;

    /** Shared by write units, taken alone by read units. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    /**
     * Held from a unit's first ledger append to its end, so seqs are handed out in commit order
     * (the feed rule of {@link StoreTransaction#ledgerAfter}, which change events rely on too).
     * Core takes every key lock before it appends, so this lock is always the last one taken.
     */
    private final ReentrantLock ledgerLock = new ReentrantLock(true);

    // All rows and indexes: each row written only under the lock key that guards it.
    private final Map<String, Product> products = new ConcurrentHashMap<>();
    private final Map<Long, License> licenses = new ConcurrentHashMap<>();
    private final Map<Pair, Long> licenseByKey = new ConcurrentHashMap<>();
    private final Map<Pair, Long> licenseByUser = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, Activation>> activations = new ConcurrentHashMap<>();
    private final Map<Pair, Instant> blacklist = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, Lease>> leases = new ConcurrentHashMap<>();
    /**
     * Every lease by the minute it expires in. Not one sorted map of all leases: with a million
     * leases each seat change would walk twenty tree levels of cold memory; a few hundred minute
     * buckets stay in cache and a bucket is a hash set. {@code leasesLapsedBy(t, limit)} (the
     * purge, a batch job) sorts the buckets it reads. A bucket is created and dropped inside
     * {@code compute} on its minute, so units on other pools never lose an entry to a race.
     */
    private final Map<Long, Map<Lease, Lease>> leasesByMinute = new ConcurrentHashMap<>();
    private final NavigableSet<Long> minutes = new ConcurrentSkipListSet<>();
    private final Map<Long, PoolPolicy> policies = new ConcurrentHashMap<>();
    private final Map<Pair, SeatGroup> groups = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, QueueEntry>> queues = new ConcurrentHashMap<>();
    private final Map<Long, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Long> clientByName = new ConcurrentHashMap<>();
    private final Map<Long, NavigableMap<Integer, Agent>> agents = new ConcurrentHashMap<>();
    private final NavigableMap<Long, ClientLicense> clientLicenses = new ConcurrentSkipListMap<>();
    private final Map<TypeKey, Long> clientLicenseByType = new ConcurrentHashMap<>();
    private final Map<Long, NavigableMap<Sub, ConsumedLicense>> consumptionsByClient = new ConcurrentHashMap<>();
    private final Map<Long, NavigableMap<Sub, ConsumedLicense>> consumptionsByLicense = new ConcurrentHashMap<>();
    private final NavigableMap<At, LedgerEntry> ledger = new ConcurrentSkipListMap<>();
    private final NavigableMap<Long, LedgerEntry> ledgerBySeq = new ConcurrentSkipListMap<>();
    private final AtomicLong[] lastIds = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};

    /** An empty store. */
    public MemoryLicenseStore() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock(true);
        }
    }

    /** Two parts of a key: (product, key), (product, username), (product, hardware id). */
    private record Pair(String first, String second) {
    }

    private record TypeKey(int platformType, int licenseType, int appType) {
    }

    /** A consumption within a client (by client license) or within a client license (by client). */
    private record Sub(long id, boolean agentLevel) implements Comparable<Sub> {
        @Override
        public int compareTo(Sub o) {
            int c = Long.compare(id, o.id);
            return c != 0 ? c : Boolean.compare(agentLevel, o.agentLevel);
        }
    }

    private record At(Instant at, long seq) implements Comparable<At> {
        @Override
        public int compareTo(At o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private static long minute(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 60);
    }

    @Override
    public <T> T write(StoreWork<T> work) {
        return run(work, gate.readLock(), false);
    }

    @Override
    public <T> T read(StoreWork<T> work) {
        return run(work, gate.writeLock(), true);
    }

    private <T> T run(StoreWork<T> work, Lock side, boolean readOnly) {
        if (gate.isWriteLockedByCurrentThread() || gate.getReadHoldCount() > 0) {
            throw new NestedUnitException();
        }
        side.lock();
        Tx tx = new Tx(readOnly);
        try {
            T result = work.run(tx);
            tx.undo = null;
            return result;
        } catch (RuntimeException | Error e) {
            tx.rollback();
            throw e;
        } finally {
            tx.over = true;
            tx.unlock();
            if (ledgerLock.isHeldByCurrentThread()) {
                ledgerLock.unlock();
            }
            side.unlock();
        }
    }

    private static int stripe(LockKey key) {
        long h = (key.id() + 1) * 0x9E3779B97F4A7C15L + key.kind().ordinal();
        return (int) (h ^ (h >>> 32)) & (STRIPES - 1);
    }

    @Override
    public void close() {
        // nothing to release
    }

    /** One unit's view: direct access to the rows plus an undo log. */
    private final class Tx implements StoreTransaction {
        private final boolean readOnly;
        private ArrayDeque<Runnable> undo; // created on the first write
        private HeldLocks held;
        private int[] taken; // stripe indexes locked, in order
        private int takenCount;
        private int highestStripe = -1;
        private boolean over;

        Tx(boolean readOnly) {
            this.readOnly = readOnly;
        }

        void rollback() {
            while (undo != null && !undo.isEmpty()) {
                undo.pop().run();
            }
        }

        private void writable() {
            if (over || readOnly) {
                throw new IllegalStateException(over ? "the unit of work is over" : "write inside a read-only unit of work");
            }
            if (undo == null) {
                undo = new ArrayDeque<>();
            }
        }

        private <K, V> V put(Map<K, V> map, K key, V value) {
            writable();
            V old = map.put(key, value);
            undo.push(old == null ? () -> map.remove(key) : () -> map.put(key, old));
            return old;
        }

        private <K, V> V remove(Map<K, V> map, K key) {
            writable();
            V old = map.remove(key);
            if (old != null) {
                undo.push(() -> map.put(key, old));
            }
            return old;
        }

        private long nextId(int sequence) {
            writable();
            return lastIds[sequence].incrementAndGet(); // not undone: ids are never reused, gaps are allowed
        }

        void unlock() {
            for (int i = takenCount - 1; i >= 0; i--) {
                stripes[taken[i]].unlock();
            }
            takenCount = 0;
        }

        private boolean holds(int stripe) {
            for (int i = 0; i < takenCount; i++) {
                if (taken[i] == stripe) {
                    return true;
                }
            }
            return false;
        }

        private void take(int stripe) {
            if (holds(stripe)) {
                return;
            }
            ReentrantLock lock = stripes[stripe];
            if (stripe > highestStripe) {
                lock.lock(); // stripes ascending: cannot deadlock
                highestStripe = stripe;
            } else {
                try {
                    if (!lock.tryLock(OUT_OF_ORDER_WAIT_MS, TimeUnit.MILLISECONDS)) {
                        throw new TransientStoreException("lock stripe " + stripe + " stayed busy", null);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransientStoreException("interrupted while waiting for a lock", e);
                }
            }
            if (taken == null) {
                taken = new int[4];
            } else if (takenCount == taken.length) {
                taken = Arrays.copyOf(taken, takenCount * 2);
            }
            taken[takenCount++] = stripe;
        }

        private <K, M> M inner(Map<K, M> outer, K key, java.util.function.Supplier<M> empty) {
            return outer.computeIfAbsent(key, k -> empty.get()); // an empty inner map left by a rollback is harmless
        }

        /** Adds or drops {@code lease} in its minute's bucket, atomically with the bucket's creation or removal. */
        private void index(Lease lease, boolean add) {
            leasesByMinute.compute(minute(lease.expiresAt()), (minute, bucket) -> {
                if (add) {
                    if (bucket == null) {
                        bucket = new ConcurrentHashMap<>();
                        minutes.add(minute);
                    }
                    bucket.put(lease, lease);
                    return bucket;
                }
                if (bucket == null || (bucket.remove(lease) != null && bucket.isEmpty())) {
                    minutes.remove(minute);
                    return null;
                }
                return bucket;
            });
        }

        private void indexed(Lease lease, boolean add) {
            writable();
            index(lease, add);
            undo.push(() -> index(lease, !add));
        }

        private static <K, V> Optional<V> find(Map<Long, ? extends Map<K, V>> outer, long id, K key) {
            Map<K, V> m = outer.get(id);
            return m == null ? Optional.empty() : Optional.ofNullable(m.get(key));
        }

        private <T> Optional<T> byId(Map<Long, T> rows, Long id) {
            return id == null ? Optional.empty() : Optional.ofNullable(rows.get(id));
        }

        @Override
        public void lock(LockKey... keys) {
            if (over || readOnly) {
                throw new IllegalStateException(over ? "the unit of work is over" : "lock inside a read-only unit of work");
            }
            for (LockKey key : (held == null ? held = new HeldLocks() : held).admit(keys)) {
                take(stripe(key));
            }
        }

        @Override
        public Optional<Product> product(String code) {
            return Optional.ofNullable(products.get(code));
        }

        @Override
        public void putProduct(Product product) {
            put(products, product.code(), product);
        }

        @Override
        public Optional<License> license(long id) {
            return Optional.ofNullable(licenses.get(id));
        }

        @Override
        public Optional<License> licenseByKey(String product, String key) {
            return byId(licenses, licenseByKey.get(new Pair(product, key)));
        }

        @Override
        public Optional<License> licenseByUser(String product, String username) {
            return byId(licenses, licenseByUser.get(new Pair(product, username)));
        }

        @Override
        public long insertLicense(License license) {
            Pair byKey = new Pair(license.product(), license.key());
            Pair byUser = new Pair(license.product(), license.username());
            if ((license.key() != null && licenseByKey.containsKey(byKey))
                    || (license.username() != null && licenseByUser.containsKey(byUser))) {
                throw new IllegalStateException("duplicate license key or username in " + license.product());
            }
            long id = nextId(0);
            put(licenses, id, license.withId(id));
            if (license.key() != null) {
                put(licenseByKey, byKey, id);
            }
            if (license.username() != null) {
                put(licenseByUser, byUser, id);
            }
            return id;
        }

        @Override
        public void putLicense(License license) {
            if (!licenses.containsKey(license.id())) {
                throw new IllegalStateException("no license " + license.id());
            }
            put(licenses, license.id(), license);
        }

        @Override
        public Optional<Activation> activation(long licenseId, String hardwareId) {
            return find(activations, licenseId, hardwareId);
        }

        @Override
        public int countActivations(long licenseId) {
            Map<String, Activation> m = activations.get(licenseId);
            return m == null ? 0 : m.size();
        }

        @Override
        public void putActivation(Activation a) {
            put(inner(activations, a.licenseId(), ConcurrentHashMap::new), a.hardwareId(), a);
        }

        @Override
        public boolean deleteActivation(long licenseId, String hardwareId) {
            writable();
            Map<String, Activation> m = activations.get(licenseId);
            return m != null && remove(m, hardwareId) != null;
        }

        @Override
        public boolean isBlacklisted(String product, String hardwareId) {
            return blacklist.containsKey(new Pair(product, hardwareId));
        }

        @Override
        public boolean putBlacklist(String product, String hardwareId, Instant at) {
            writable();
            Pair key = new Pair(product, hardwareId);
            return !blacklist.containsKey(key) && put(blacklist, key, at) == null;
        }

        @Override
        public boolean deleteBlacklist(String product, String hardwareId) {
            return remove(blacklist, new Pair(product, hardwareId)) != null;
        }

        @Override
        public Optional<PoolPolicy> poolPolicy(long licenseId) {
            return Optional.ofNullable(policies.get(licenseId));
        }

        @Override
        public void putPoolPolicy(long licenseId, PoolPolicy policy) {
            put(policies, licenseId, policy);
        }

        @Override
        public Optional<SeatGroup> seatGroup(GroupKind kind, String name) {
            return Optional.ofNullable(groups.get(new Pair(kind.name(), name)));
        }

        @Override
        public void putSeatGroup(SeatGroup group) {
            put(groups, new Pair(group.kind().name(), group.name()), group);
        }

        @Override
        public List<QueueEntry> queue(long licenseId) {
            Map<String, QueueEntry> m = queues.get(licenseId);
            if (m == null) {
                return List.of();
            }
            List<QueueEntry> entries = new ArrayList<>(m.values());
            entries.sort(Comparator.comparingLong(QueueEntry::ticket));
            return entries;
        }

        @Override
        public void putQueueEntry(QueueEntry entry) {
            put(inner(queues, entry.licenseId(), ConcurrentHashMap::new), entry.hardwareId(), entry);
        }

        @Override
        public boolean deleteQueueEntry(long licenseId, String hardwareId) {
            writable();
            Map<String, QueueEntry> m = queues.get(licenseId);
            return m != null && remove(m, hardwareId) != null;
        }

        @Override
        public Optional<Lease> lease(long licenseId, String hardwareId) {
            return find(leases, licenseId, hardwareId);
        }

        /** The pool's leases matching {@code filter}, sorted; a pool holds its seats plus unswept lapsed leases. */
        private List<Lease> pool(long licenseId, java.util.function.Predicate<Lease> filter, Comparator<Lease> order) {
            Map<String, Lease> m = leases.get(licenseId);
            if (m == null) {
                return List.of();
            }
            List<Lease> found = new ArrayList<>();
            for (Lease lease : m.values()) {
                if (filter.test(lease)) {
                    found.add(lease);
                }
            }
            found.sort(order);
            return found;
        }

        @Override
        public int countLeasesLiveAfter(long licenseId, Instant t) {
            Map<String, Lease> m = leases.get(licenseId);
            int live = 0;
            for (Lease lease : m == null ? List.<Lease>of() : m.values()) {
                live += lease.expiresAt().isAfter(t) ? 1 : 0;
            }
            return live;
        }

        @Override
        public List<Lease> leasesLapsedBy(long licenseId, Instant t, int limit) {
            List<Lease> lapsed = pool(licenseId, l -> !l.expiresAt().isAfter(t), POOL_BY_EXPIRY);
            return lapsed.size() > limit ? List.copyOf(lapsed.subList(0, limit)) : lapsed;
        }

        @Override
        public List<Lease> leasesLapsedBy(Instant t, int limit) {
            List<Lease> lapsed = new ArrayList<>();
            for (Long minute : minutes.headSet(minute(t), true)) {
                Map<Lease, Lease> bucket = leasesByMinute.getOrDefault(minute, Map.of());
                List<Lease> due = new ArrayList<>();
                for (Lease lease : bucket.keySet()) {
                    if (!lease.expiresAt().isAfter(t)) {
                        due.add(lease);
                    }
                }
                due.sort(BY_EXPIRY);
                for (Lease lease : due) {
                    if (lapsed.size() == limit) {
                        return lapsed;
                    }
                    lapsed.add(lease);
                }
            }
            return lapsed;
        }

        @Override
        public List<Lease> leasesLiveAfter(long licenseId, Instant t) {
            return pool(licenseId, l -> l.expiresAt().isAfter(t), BY_GRANT);
        }

        @Override
        public void putLease(Lease lease) {
            Lease old = put(inner(leases, lease.licenseId(), ConcurrentHashMap::new), lease.hardwareId(), lease);
            if (old != null) {
                indexed(old, false);
            }
            indexed(lease, true);
        }

        @Override
        public boolean deleteLease(long licenseId, String hardwareId) {
            writable();
            Map<String, Lease> m = leases.get(licenseId);
            Lease old = m == null ? null : remove(m, hardwareId);
            if (old != null) {
                indexed(old, false);
            }
            return old != null;
        }

        @Override
        public Optional<Client> client(long id) {
            return Optional.ofNullable(clients.get(id));
        }

        @Override
        public Optional<Client> clientByName(String name) {
            return byId(clients, clientByName.get(name));
        }

        @Override
        public long insertClient(Client client) {
            if (clientByName.containsKey(client.name())) {
                throw new IllegalStateException("duplicate client name " + client.name());
            }
            long id = nextId(1);
            put(clients, id, new Client(id, client.name(), client.platformType(), client.hostName()));
            put(clientByName, client.name(), id);
            return id;
        }

        @Override
        public Optional<Agent> agent(long clientId, int appType) {
            return find(agents, clientId, appType);
        }

        @Override
        public List<Agent> agents(long clientId) {
            NavigableMap<Integer, Agent> m = agents.get(clientId);
            return m == null ? List.of() : List.copyOf(m.values());
        }

        @Override
        public void putAgent(Agent agent) {
            put(inner(agents, agent.clientId(), ConcurrentSkipListMap::new), agent.appType(), agent);
        }

        @Override
        public Optional<ClientLicense> clientLicense(long id) {
            return Optional.ofNullable(clientLicenses.get(id));
        }

        @Override
        public Optional<ClientLicense> clientLicenseByType(int platformType, int licenseType, int appType) {
            return byId(clientLicenses, clientLicenseByType.get(new TypeKey(platformType, licenseType, appType)));
        }

        @Override
        public List<ClientLicense> clientLicenses() {
            return List.copyOf(clientLicenses.values());
        }

        @Override
        public long insertClientLicense(ClientLicense c) {
            TypeKey type = new TypeKey(c.platformType(), c.licenseType(), c.appType());
            if (clientLicenseByType.containsKey(type)) {
                throw new IllegalStateException("duplicate client license " + type);
            }
            long id = nextId(2);
            put(clientLicenses, id, c.withId(id));
            put(clientLicenseByType, type, id);
            return id;
        }

        @Override
        public void putClientLicense(ClientLicense c) {
            if (!clientLicenses.containsKey(c.id())) {
                throw new IllegalStateException("no client license " + c.id());
            }
            put(clientLicenses, c.id(), c);
        }

        @Override
        public Optional<ConsumedLicense> consumption(long clientId, long clientLicenseId, boolean agentLevel) {
            return find(consumptionsByClient, clientId, new Sub(clientLicenseId, agentLevel));
        }

        @Override
        public List<ConsumedLicense> consumptionsOfClient(long clientId) {
            NavigableMap<Sub, ConsumedLicense> m = consumptionsByClient.get(clientId);
            return m == null ? List.of() : List.copyOf(m.values());
        }

        @Override
        public List<ConsumedLicense> heldConsumptionsOf(long clientLicenseId) {
            NavigableMap<Sub, ConsumedLicense> m = consumptionsByLicense.get(clientLicenseId);
            return m == null ? List.of() : m.values().stream().filter(c -> !c.released()).toList();
        }

        @Override
        public void putConsumption(ConsumedLicense c) {
            put(inner(consumptionsByClient, c.clientId(), ConcurrentSkipListMap::new), new Sub(c.clientLicenseId(), c.agentLevel()), c);
            put(inner(consumptionsByLicense, c.clientLicenseId(), ConcurrentSkipListMap::new), new Sub(c.clientId(), c.agentLevel()), c);
        }

        @Override
        public long appendLedger(LedgerEntry e) {
            writable();
            if (!ledgerLock.isHeldByCurrentThread()) {
                ledgerLock.lock();
            }
            long seq = nextId(3);
            LedgerEntry stored = new LedgerEntry(seq, e.at(), e.event(), e.licenseId(),
                    e.clientLicenseId(), e.subject(), e.code(), e.detail());
            put(ledger, new At(e.at(), seq), stored);
            put(ledgerBySeq, seq, stored);
            return seq;
        }

        @Override
        public List<LedgerEntry> ledgerAfter(long after, int limit) {
            // Read units run alone (the gate), so every entry seen here is committed: no gap.
            List<LedgerEntry> result = new ArrayList<>();
            for (LedgerEntry e : ledgerBySeq.tailMap(after, false).values()) {
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
            for (LedgerEntry e : ledger.subMap(new At(from, Long.MIN_VALUE), true, new At(to, Long.MIN_VALUE), false).values()) {
                if (result.size() == limit) {
                    break;
                }
                result.add(e);
            }
            return result;
        }

        @Override
        public int pruneLedger(Instant before, int limit) {
            writable();
            List<At> doomed = new ArrayList<>();
            for (At at : ledger.headMap(new At(before, Long.MIN_VALUE), false).keySet()) {
                if (doomed.size() == limit) {
                    break;
                }
                doomed.add(at);
            }
            int pruned = 0;
            for (At at : doomed) {
                if (remove(ledger, at) != null) { // a concurrent prune may have taken it
                    remove(ledgerBySeq, at.seq());
                    pruned++;
                }
            }
            return pruned;
        }
    }
}
