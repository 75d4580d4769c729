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
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.Change;
import dev.licensor.store.CodePointOrder;
import dev.licensor.store.Count;
import dev.licensor.store.HeldLocks;
import dev.licensor.store.Key;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.LockKey;
import dev.licensor.store.NestedUnitException;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.PoolLoad;
import dev.licensor.store.PoolState;
import dev.licensor.store.Query;
import dev.licensor.store.StoreTransaction;
import dev.licensor.store.StoreWork;
import dev.licensor.store.TransientStoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A {@link LicenseStore} held in memory: the default for hosts' offline tests and for
 * single-process deployments that need no persistence. Rows and indexes only; no rule.
 *
 * <p><b>Pools.</b> Each pool's rows (license, activations, leases, policy, queue) are one immutable
 * {@code Pool} value in a concurrent map: {@link StoreTransaction#loadPool} reads it as it is, and a
 * unit that changes a pool builds the next value, which it sees itself and swaps in at commit. A unit
 * that throws swaps nothing. Other rows sit in plain concurrent maps, written in place with an undo log.
 *
 * <p><b>Locking.</b> Each {@link LockKey} maps to one of {@value #STRIPES} <em>fair</em> locks, so
 * units on different pools run in parallel and units on one pool queue. A stripe below one the unit
 * already holds is only tried for a while (stripes taken out of order could deadlock); if it stays
 * busy the unit rolls back with a {@link TransientStoreException} and the engine runs it again.
 * Write units share a fair gate that read units take alone, so a read unit sees committed rows only,
 * all from one state. A unit that locks {@link LockKey#CATALOG} trades its shared side of the gate
 * for the exclusive one and runs alone, so rows read without a key (a product, a license by key, a
 * client by name, the blacklist...) are only ever seen committed. The ledger has a lock of its own,
 * held from a unit's first ledger call to its end, so seqs are taken in commit order.
 *
 * <p>Nothing survives the process: durability is the one guarantee of {@link LicenseStore} this
 * store does not give. Thread-safe.
 */
public final class MemoryLicenseStore implements LicenseStore {
    private static final Comparator<Lease> BY_EXPIRY = Comparator.comparing(Lease::expiresAt)
            .thenComparingLong(Lease::licenseId).thenComparing(Lease::hardwareId, CodePointOrder.INSTANCE);
    private static final Comparator<Lease> BY_GRANT = Comparator.comparing(Lease::grantedAt)
            .thenComparing(Lease::hardwareId, CodePointOrder.INSTANCE);
    /** Lock stripes; a power of two. */
    static final int STRIPES = 1024;
    private static final long OUT_OF_ORDER_WAIT_MS = 200;
    private static final Pool DELETED = new Pool(null, Map.of(), Map.of(), null, Map.of());

    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final ReentrantLock ledgerLock = new ReentrantLock(true);
    private final LedgerLog ledger = new LedgerLog();
    private final long[] lastIds = new long[3]; // license, client, client license: under the catalog lock

    private final Map<Long, Pool> pools = new ConcurrentHashMap<>();
    /** Every committed lease by the minute it expires in, for the purge: identity sets, changed at commit. */
    private final Map<Long, Map<Lease, Lease>> byMinute = new ConcurrentHashMap<>();
    private final NavigableSet<Long> minutes = new ConcurrentSkipListSet<>();
    // Other rows, written in place under the lock that guards them; owners' rows in inner maps. A
    // deleted license's name stays in licenseByKey/licenseByUser (never given again).
    private final NavigableMap<String, Product> products = new ConcurrentSkipListMap<>(CodePointOrder.INSTANCE);
    private final NavigableMap<Long, Boolean> licenseIds = new ConcurrentSkipListMap<>();
    private final Map<String, NavigableMap<Long, Boolean>> licensesOfProduct = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Long, Boolean>> licensesOfUser = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> licenseByKey = new ConcurrentHashMap<>(); // product, key
    private final Map<String, Map<String, Long>> licenseByUser = new ConcurrentHashMap<>(); // product, username
    private final Map<String, Map<String, Instant>> blacklist = new ConcurrentHashMap<>(); // product, hardware id
    private final Map<List<Object>, SeatGroup> groups = new ConcurrentHashMap<>(); // kind, name
    private final NavigableMap<Long, Client> clients = new ConcurrentSkipListMap<>();
    private final Map<String, Long> clientIds = new ConcurrentHashMap<>();
    private final Map<Long, Map<Integer, Agent>> agents = new ConcurrentHashMap<>();
    private final NavigableMap<Long, ClientLicense> clientLicenses = new ConcurrentSkipListMap<>();
    private final Map<List<Integer>, Long> clientLicenseIds = new ConcurrentHashMap<>();
    private final Map<Long, Map<List<Object>, ConsumedLicense>> consumptions = new ConcurrentHashMap<>(); // by client
    private final Map<Long, Map<List<Object>, ConsumedLicense>> consumers = new ConcurrentHashMap<>(); // by client license

    /** An empty store. */
    public MemoryLicenseStore() {
        Arrays.setAll(stripes, i -> new ReentrantLock(true));
    }

    /**
     * One pool's rows, never changed once made (its maps neither). {@code license} is null only in
     * DELETED; {@code policy} is null while none was put.
     */
    private record Pool(License license, Map<String, Activation> activations, Map<String, Lease> leases,
                        PoolPolicy policy, Map<String, QueueEntry> queue) {
        PoolPolicy rules() {
            return policy == null ? PoolPolicy.NONE : policy;
        }

        Pool activation(String hw, Activation a) {
            return new Pool(license, with(activations, hw, a), leases, policy, queue);
        }

        Pool queued(String key, QueueEntry e) {
            return new Pool(license, activations, leases, policy, with(queue, key, e));
        }
    }

    /**
     * {@code map} with {@code key} set to {@code value} (removed if null): {@code map} itself if
     * unchanged, else a copy; an immutable one when it holds at most one row (a pool's usual lot).
     */
    private static <V> Map<String, V> with(Map<String, V> map, String key, V value) {
        if (value == null && !map.containsKey(key)) {
            return map;
        } else if (map.isEmpty() || (map.size() == 1 && map.containsKey(key))) {
            return value == null ? Map.of() : Map.of(key, value);
        }
        Map<String, V> next = new HashMap<>(map);
        if (value == null) {
            next.remove(key);
        } else {
            next.put(key, value);
        }
        return next;
    }

    /** {@code map} without the rows of {@code deletes}, then with {@code puts}: one copy at most. */
    private static <V> Map<String, V> with(Map<String, V> map, List<String> deletes, List<V> puts,
                                           Function<V, String> keyOf) {
        if (deletes.size() + puts.size() <= 1) {
            return deletes.isEmpty() ? puts.isEmpty() ? map : with(map, keyOf.apply(puts.get(0)), puts.get(0))
                    : with(map, deletes.get(0), null);
        }
        Map<String, V> next = new HashMap<>(map);
        deletes.forEach(next::remove);
        puts.forEach(v -> next.put(keyOf.apply(v), v));
        return next;
    }

    @Override
    public <T> T write(StoreWork<T> work) {
        return run(work, gate.readLock(), false);
    }

    @Override
    public <T> T read(StoreWork<T> work) {
        return run(work, gate.writeLock(), true);
    }

    @Override
    public void close() {
        // nothing to release
    }

    private <T> T run(StoreWork<T> work, Lock side, boolean readOnly) {
        if (gate.isWriteLockedByCurrentThread() || gate.getReadHoldCount() > 0) {
            throw new NestedUnitException();
        }
        side.lock();
        Tx tx = new Tx(readOnly, side);
        try {
            T result = work.run(tx);
            tx.end(true);
            return result;
        } catch (RuntimeException | Error e) {
            tx.end(false);
            throw e;
        } finally {
            tx.side.unlock(); // the exclusive side, if the unit locked the catalog
        }
    }

    private void swap(long id, Pool next) {
        if (next.license == null) {
            pools.remove(id);
        } else {
            pools.put(id, next);
        }
    }

    @SuppressWarnings("IdentityHashMapUsage") // a bucket is an identity set of the lease objects indexed
    private void index(Lease lease, boolean add) {
        byMinute.compute(Math.floorDiv(lease.expiresAt().getEpochSecond(), 60), (minute, bucket) -> {
            if (add) {
                if (bucket == null) {
                    minutes.add(minute);
                    bucket = new IdentityHashMap<>(8);
                }
                bucket.put(lease, lease);
            } else if (bucket != null) {
                bucket.remove(lease); // an empty bucket stays for the next lease of its minute; the purge drops it
            }
            return bucket;
        });
    }

    /** One unit: its locks, the pool states it built, and an undo log of (map, key, replaced value). */
    private final class Tx implements StoreTransaction {
        private final boolean readOnly;
        private Lock side; // the gate lock held: shared for a write unit until it locks the catalog
        private boolean exclusive;
        private boolean over;
        private long pendingId; // pool states to swap in at commit: the first pool's here, others in pendingMore
        private Pool pending;
        private Map<Long, Pool> pendingMore;
        private Object[] indexed; // (lease, added) pairs for the expiry index at commit, made on the first
        private int indexedCount;
        private Object[] undo; // triples, made on the first write
        private int undoSize;
        private HeldLocks held;
        private int[] taken = new int[4]; // stripes locked, in order
        private int takenCount;
        private boolean ledgerHeld;

        Tx(boolean readOnly, Lock side) {
            this.readOnly = readOnly;
            this.side = side;
        }

        @SuppressWarnings("unchecked")
        void end(boolean commit) {
            over = true;
            try {
                if (commit && pending != null) {
                    swap(pendingId, pending);
                    if (pendingMore != null) {
                        pendingMore.forEach(MemoryLicenseStore.this::swap);
                    }
                    for (int i = 0; i < indexedCount; i += 2) {
                        index((Lease) indexed[i], (Boolean) indexed[i + 1]);
                    }
                }
                for (int i = commit ? -1 : undoSize - 3; i >= 0; i -= 3) {
                    Map<Object, Object> map = (Map<Object, Object>) undo[i];
                    if (undo[i + 2] == null) {
                        map.remove(undo[i + 1]);
                    } else {
                        map.put(undo[i + 1], undo[i + 2]);
                    }
                }
            } finally {
                if (ledgerHeld) {
                    if (commit) {
                        ledger.commit();
                    } else {
                        ledger.rollback();
                    }
                    ledgerLock.unlock();
                }
                while (takenCount > 0) {
                    stripes[taken[--takenCount]].unlock();
                }
            }
        }

        private void writable() {
            if (over || readOnly) {
                throw new IllegalStateException(over ? "the unit of work is over" : "write inside a read-only unit of work");
            }
        }

        private <K, V> V put(Map<K, V> map, K key, V value) {
            writable();
            V old = value == null ? map.remove(key) : map.put(key, value);
            if (old != null || value != null) {
                if (undo == null) {
                    undo = new Object[12];
                } else if (undoSize == undo.length) {
                    undo = Arrays.copyOf(undo, undoSize * 2);
                }
                undo[undoSize++] = map;
                undo[undoSize++] = key;
                undo[undoSize++] = old;
            }
            return old;
        }

        private <O, K, V> Map<K, V> inner(Map<O, Map<K, V>> outer, O owner) {
            return outer.computeIfAbsent(owner, k -> new ConcurrentHashMap<>());
        }

        private <O, K, V> Optional<V> find(Map<O, Map<K, V>> outer, O owner, K key) {
            Map<K, V> m = outer.get(owner);
            return m == null ? Optional.empty() : Optional.ofNullable(m.get(key));
        }

        private <K, V> Collection<V> all(Map<Long, Map<K, V>> outer, long id) {
            Map<K, V> m = outer.get(id);
            return m == null ? List.of() : m.values();
        }

        private <V> List<V> sorted(Collection<V> rows, Predicate<V> filter, Comparator<? super V> order) {
            List<V> out = null; // made on the first match: the sweep's query usually finds none
            for (V row : rows) {
                if (filter.test(row)) {
                    (out == null ? out = new ArrayList<>(rows.size()) : out).add(row);
                }
            }
            if (out == null) {
                return List.of();
            }
            out.sort(order);
            return out;
        }

        /**
         * {@code map} without {@code deletes}, then with {@code puts} (one copy at most); each lease
         * that goes or comes is noted for the expiry index, which changes at commit.
         */
        private Map<String, Lease> leases(Map<String, Lease> map, List<String> deletes, List<Lease> puts) {
            boolean bulk = deletes.size() + puts.size() > 1;
            Map<String, Lease> next = bulk ? new HashMap<>(map) : map;
            for (String key : deletes) {
                indexLater(bulk ? next.remove(key) : next.get(key), false);
                next = bulk ? next : with(next, key, null);
            }
            for (Lease lease : puts) {
                String key = lease.hardwareId();
                indexLater(bulk ? next.put(key, lease) : next.get(key), false);
                indexLater(lease, true);
                next = bulk ? next : with(next, key, lease);
            }
            return next;
        }

        private void indexLater(Lease lease, boolean add) {
            if (lease != null) {
                if (indexed == null || indexedCount == indexed.length) {
                    indexed = indexed == null ? new Object[4] : Arrays.copyOf(indexed, indexedCount * 2);
                }
                indexed[indexedCount++] = lease;
                indexed[indexedCount++] = add;
            }
        }

        /** The pool as this unit sees it: its own next state, else the committed one; null if none. */
        private Pool pool(long id) {
            Pool p = pending != null && pendingId == id ? pending : pendingMore == null ? null : pendingMore.get(id);
            p = p == null ? pools.get(id) : p;
            return p == null || p.license == null ? null : p;
        }

        private Pool existing(long id) {
            Pool p = pool(id);
            if (p == null) {
                throw new IllegalStateException("no license " + id);
            }
            return p;
        }

        private void stage(long id, Pool next) {
            writable();
            if (pending == null || pendingId == id) {
                pendingId = id;
                pending = next;
            } else {
                (pendingMore == null ? pendingMore = new HashMap<>() : pendingMore).put(id, next);
            }
        }

        private LedgerLog ledger() {
            if (!readOnly && !ledgerHeld) { // read units run alone and need no lock
                writable();
                // Held briefly (appends come last in a unit): spin a little before parking, since a
                // park and wake-up costs more than the whole hold.
                for (int spins = 0; !ledgerLock.tryLock(); spins++) {
                    if (spins == 100) {
                        ledgerLock.lock();
                        break;
                    }
                    Thread.onSpinWait();
                }
                ledgerHeld = true;
                ledger.begin();
            }
            return ledger;
        }

        @Override
        @SuppressWarnings("EnumOrdinal") // only hashes the key to a stripe; no order or value is kept
        public void lock(LockKey... keys) {
            if (over || readOnly) {
                throw new IllegalStateException(over ? "the unit of work is over" : "lock inside a read-only unit of work");
            }
            for (LockKey key : (held == null ? held = new HeldLocks() : held).admit(keys)) {
                if (key.kind() == LockKey.Kind.CATALOG && !ledgerHeld) {
                    // The catalog key sorts first, so the unit holds no stripe yet; without the ledger
                    // lock either, waiting for the exclusive side here cannot deadlock.
                    side.unlock();
                    side = gate.writeLock();
                    side.lock();
                    exclusive = true;
                }
                if (!exclusive) {
                    long h = (key.id() + 1) * 0x9E3779B97F4A7C15L + key.kind().ordinal();
                    take((int) (h ^ (h >>> 32)) & (STRIPES - 1));
                }
            }
        }

        private void take(int stripe) {
            for (int i = 0; i < takenCount; i++) {
                if (taken[i] == stripe) {
                    return;
                }
            }
            ReentrantLock lock = stripes[stripe];
            if (!ledgerHeld && (takenCount == 0 || stripe > taken[takenCount - 1])) {
                lock.lock(); // stripes ascending, the ledger lock (always last) not held: cannot deadlock
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
            if (takenCount == taken.length) {
                taken = Arrays.copyOf(taken, takenCount * 2);
            }
            taken[takenCount++] = stripe;
        }

        @Override
        public Optional<PoolState> loadPool(PoolLoad load) {
            Pool p = pool(load.licenseId());
            if (p == null) {
                return Optional.empty();
            }
            Map<String, Lease> seatLeases = Map.of();
            for (String key : load.seatKeys()) {
                Lease lease = p.leases.get(key);
                if (lease != null) {
                    seatLeases = seatLeases.isEmpty() ? Map.of(key, lease) : with(seatLeases, key, lease);
                }
            }
            PoolLoad.Live mode = load.live();
            List<Lease> live = List.of();
            int liveCount = -1;
            if (mode == PoolLoad.Live.LIST || (mode == PoolLoad.Live.LIST_IF_POLICY && !p.rules().isNone())) {
                live = live(p, load.now());
                liveCount = live.size();
            } else if (mode != PoolLoad.Live.NONE) {
                liveCount = countLive(p, load.now());
            }
            List<SeatGroup> named = List.of();
            if (mode != PoolLoad.Live.NONE && !p.rules().isNone()) {
                List<SeatGroup> found = new ArrayList<>();
                PoolState.groupsNamedBy(p.rules()).forEach(g -> find(Key.seatGroup(g.getKey(), g.getValue())).ifPresent(found::add));
                named = found;
            }
            List<Lease> lapsed = load.lapsedLimit() > 0 ? lapsed(p, load.now(), load.lapsedLimit()) : List.of();
            List<QueueEntry> queue = load.queue() && p.rules().queueLength() > 0 ? queue(p) : List.of();
            return Optional.of(new PoolState(load, p.license, listed(load.product(), load.hardwareId()),
                    Optional.ofNullable(p.activations.get(load.hardwareId())),
                    load.countActivations() ? p.activations.size() : -1, p.rules(), named, seatLeases, liveCount, live,
                    lapsed, queue));
        }

        @Override
        public long[] apply(PoolChanges c) {
            long id = c.licenseId();
            if (c.license() != null || c.activationPut() != null || c.activationDelete() != null
                    || !c.leaseDeletes().isEmpty() || !c.leasePuts().isEmpty() || !c.queueDeletes().isEmpty()
                    || !c.queuePuts().isEmpty()) {
                Pool p = existing(id);
                Map<String, Activation> activations = p.activations;
                if (c.activationPut() != null) {
                    activations = with(activations, c.activationPut().hardwareId(), c.activationPut());
                }
                Map<String, Lease> leases = leases(p.leases, c.leaseDeletes(), c.leasePuts());
                Map<String, QueueEntry> queue = with(p.queue, c.queueDeletes(), c.queuePuts(), QueueEntry::hardwareId);
                if (c.activationDelete() != null) {
                    activations = with(activations, c.activationDelete(), null);
                }
                stage(id, new Pool(c.license() != null ? c.license() : p.license, activations, leases, p.policy, queue));
            }
            for (PoolChanges.BlacklistChange b : c.blacklist()) {
                write(b.add() ? Change.putBlacklist(b.product(), b.hardwareId(), b.at())
                        : Change.deleteBlacklist(b.product(), b.hardwareId()));
            }
            long[] seqs = new long[c.ledger().size()];
            for (int i = 0; i < seqs.length; i++) {
                writable();
                seqs[i] = ledger().append(c.ledger().get(i));
            }
            return seqs;
        }

        private boolean listed(String product, String hardwareId) {
            return find(blacklist, product, hardwareId).isPresent();
        }

        private List<Lease> live(Pool p, Instant t) {
            return sorted(p.leases.values(), l -> l.expiresAt().isAfter(t), BY_GRANT);
        }

        private int countLive(Pool p, Instant t) {
            int live = 0;
            for (Lease lease : p.leases.values()) {
                live += lease.expiresAt().isAfter(t) ? 1 : 0;
            }
            return live;
        }

        private List<Lease> lapsed(Pool p, Instant t, int limit) {
            List<Lease> lapsed = sorted(p.leases.values(), l -> !l.expiresAt().isAfter(t), BY_EXPIRY);
            return lapsed.size() > limit ? List.copyOf(lapsed.subList(0, limit)) : lapsed;
        }

        /** Up to {@code limit} committed leases of every pool lapsed by {@code t}, from the minute index. */
        private List<Lease> lapsedEverywhere(Instant t, int limit) {
            List<Lease> lapsed = new ArrayList<>();
            for (long minute : minutes.headSet(Math.floorDiv(t.getEpochSecond(), 60), true)) {
                List<Lease> bucket = new ArrayList<>();
                byMinute.computeIfPresent(minute, (m, b) -> {
                    bucket.addAll(b.keySet());
                    if (b.isEmpty()) {
                        minutes.remove(m);
                        return null;
                    }
                    return b;
                });
                for (Lease lease : sorted(bucket, l -> !l.expiresAt().isAfter(t), BY_EXPIRY)) {
                    if (lapsed.size() == limit) {
                        return lapsed;
                    }
                    lapsed.add(lease);
                }
            }
            return lapsed;
        }

        private List<QueueEntry> queue(Pool p) {
            return sorted(p.queue.values(), q -> true, Comparator.comparingLong(QueueEntry::ticket));
        }

        @Override
        @SuppressWarnings("unchecked") // each Key type fixes its row type
        public <R> Optional<R> find(Key<R> key) {
            Object row;
            if (key instanceof Key.ProductByCode k) {
                row = products.get(k.code());
            } else if (key instanceof Key.LicenseById k) {
                row = license(k.id());
            } else if (key instanceof Key.LicenseByKey k) {
                row = find(licenseByKey, k.product(), k.key()).map(this::license).orElse(null);
            } else if (key instanceof Key.LicenseByUser k) {
                row = find(licenseByUser, k.product(), k.username()).map(this::license).orElse(null);
            } else if (key instanceof Key.RetiredName k) {
                Optional<Long> id = find(k.key() != null ? licenseByKey : licenseByUser, k.product(),
                        k.key() != null ? k.key() : k.username());
                row = (id.isPresent() && pool(id.get()) == null) ? Boolean.TRUE : null;
            } else if (key instanceof Key.ActivationOf k) {
                row = pooled(k.licenseId(), p -> p.activations.get(k.hardwareId()));
            } else if (key instanceof Key.Blacklisted k) {
                row = listed(k.product(), k.hardwareId()) ? Boolean.TRUE : null;
            } else if (key instanceof Key.LeaseOf k) {
                row = pooled(k.licenseId(), p -> p.leases.get(k.hardwareId()));
            } else if (key instanceof Key.PolicyOf k) {
                row = pooled(k.licenseId(), Pool::policy);
            } else if (key instanceof Key.GroupByName k) {
                row = groups.get(List.of(k.kind(), k.name()));
            } else if (key instanceof Key.ClientById k) {
                row = clients.get(k.id());
            } else if (key instanceof Key.ClientByName k) {
                Long id = clientIds.get(k.name());
                row = id == null ? null : clients.get(id);
            } else if (key instanceof Key.AgentOf k) {
                row = find(agents, k.clientId(), k.appType()).orElse(null);
            } else if (key instanceof Key.ClientLicenseById k) {
                row = clientLicenses.get(k.id());
            } else if (key instanceof Key.ClientLicenseByType k) {
                Long id = clientLicenseIds.get(List.of(k.platformType(), k.licenseType(), k.appType()));
                row = id == null ? null : clientLicenses.get(id);
            } else if (key instanceof Key.ConsumptionOf k) {
                row = find(consumptions, k.clientId(), List.of(k.clientLicenseId(), k.agentLevel())).orElse(null);
            } else {
                throw new IllegalArgumentException("unknown key " + key);
            }
            return Optional.ofNullable((R) row);
        }

        private License license(long id) {
            Pool p = pool(id);
            return p == null ? null : p.license;
        }

        private Object pooled(long id, Function<Pool, Object> part) {
            Pool p = pool(id);
            return p == null ? null : part.apply(p);
        }

        @Override
        @SuppressWarnings("unchecked") // each Query type fixes its row type
        public <R> List<R> list(Query<R> query) {
            List<?> rows;
            if (query instanceof Query.ProductsAfter q) {
                rows = first(products.tailMap(q.afterCode(), false).values(), q.limit());
            } else if (query instanceof Query.LicensesAfter q) {
                rows = licenses(licenseIds, q.afterId(), q.limit());
            } else if (query instanceof Query.LicensesOfProduct q) {
                rows = licenses(licensesOfProduct.get(q.product()), q.afterId(), q.limit());
            } else if (query instanceof Query.LicensesOfUser q) {
                rows = licenses(licensesOfUser.get(q.username()), q.afterId(), q.limit());
            } else if (query instanceof Query.ClientsAfter q) {
                rows = first(clients.tailMap(q.afterId(), false).values(), q.limit());
            } else if (query instanceof Query.LiveLeases q) {
                Pool p = pool(q.licenseId());
                rows = p == null ? List.of() : live(p, q.after());
            } else if (query instanceof Query.LapsedLeases q) {
                Pool p = q.licenseId() == 0 ? null : pool(q.licenseId());
                rows = q.licenseId() == 0 ? lapsedEverywhere(q.by(), q.limit()) : p == null ? List.of() : lapsed(p, q.by(), q.limit());
            } else if (query instanceof Query.Queue q) {
                Pool p = pool(q.licenseId());
                rows = p == null ? List.of() : queue(p);
            } else if (query instanceof Query.Agents q) {
                rows = sorted(all(agents, q.clientId()), a -> true, Comparator.comparingInt(Agent::appType));
            } else if (query instanceof Query.ClientLicenses) {
                rows = List.copyOf(clientLicenses.values());
            } else if (query instanceof Query.ConsumptionsOfClient q) {
                rows = sorted(all(consumptions, q.clientId()), c -> true, Comparator
                        .comparingLong(ConsumedLicense::clientLicenseId).thenComparing(ConsumedLicense::agentLevel));
            } else if (query instanceof Query.HeldConsumptions q) {
                rows = sorted(all(consumers, q.clientLicenseId()), c -> !c.released(), Comparator
                        .comparingLong(ConsumedLicense::clientId).thenComparing(ConsumedLicense::agentLevel));
            } else if (query instanceof Query.LedgerAfter q) {
                rows = ledger().after(q.after(), q.limit());
            } else if (query instanceof Query.LedgerBetween q) {
                rows = ledger().between(q.from(), q.to(), q.limit());
            } else {
                throw new IllegalArgumentException("unknown query " + query);
            }
            return (List<R>) rows;
        }

        private <V> List<V> first(Collection<V> rows, int limit) {
            List<V> out = new ArrayList<>(Math.min(limit, 64));
            for (V v : rows) {
                if (out.size() == limit) {
                    break;
                }
                out.add(v);
            }
            return out;
        }

        private List<License> licenses(NavigableMap<Long, Boolean> ids, long after, int limit) {
            List<Long> page = first(ids == null ? List.of() : ids.tailMap(after, false).keySet(), limit);
            List<License> out = new ArrayList<>(page.size());
            page.forEach(id -> out.add(license(id)));
            return out;
        }

        @Override
        public int count(Count count) {
            if (count instanceof Count.Activations c) {
                Pool p = pool(c.licenseId());
                return p == null ? 0 : p.activations.size();
            } else if (count instanceof Count.LiveLeases c) {
                Pool p = pool(c.licenseId());
                return p == null ? 0 : countLive(p, c.after());
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
            writable();
            if (change instanceof Change.PutProduct c) {
                put(products, c.product().code(), c.product());
            } else if (change instanceof Change.DeleteProduct c) {
                if (put(products, c.code(), null) == null) {
                    throw new IllegalStateException("no product " + c.code());
                }
                List.copyOf(inner(blacklist, c.code()).keySet()).forEach(hw -> put(blacklist.get(c.code()), hw, null));
            } else if (change instanceof Change.InsertLicense c) {
                return insertLicense(c.license());
            } else if (change instanceof Change.PutLicense c) {
                edit(c.license().id(), p -> new Pool(c.license(), p.activations, p.leases, p.policy, p.queue));
            } else if (change instanceof Change.DeleteLicense c) {
                Pool p = existing(c.license().id());
                License row = p.license;
                p.leases.values().forEach(l -> indexLater(l, false));
                stage(row.id(), DELETED);
                put(ordered(licensesOfProduct, row.product()), row.id(), null);
                if (row.username() != null) {
                    put(ordered(licensesOfUser, row.username()), row.id(), null);
                }
                put(licenseIds, row.id(), null);
            } else if (change instanceof Change.PutActivation c) {
                edit(c.activation().licenseId(), p -> p.activation(c.activation().hardwareId(), c.activation()));
            } else if (change instanceof Change.DeleteActivation c) {
                return edit(c.licenseId(), p -> p.activation(c.hardwareId(), null));
            } else if (change instanceof Change.PutBlacklist c) {
                return listed(c.product(), c.hardwareId()) ? 0 : put(inner(blacklist, c.product()), c.hardwareId(), c.at()) == null ? 1 : 0;
            } else if (change instanceof Change.DeleteBlacklist c) {
                return put(inner(blacklist, c.product()), c.hardwareId(), null) != null ? 1 : 0;
            } else if (change instanceof Change.PutLease c) {
                edit(c.lease().licenseId(), p -> new Pool(p.license, p.activations, leases(p.leases, List.of(),
                        List.of(c.lease())), p.policy, p.queue));
            } else if (change instanceof Change.DeleteLease c) {
                return edit(c.licenseId(), p -> new Pool(p.license, p.activations, leases(p.leases,
                        List.of(c.hardwareId()), List.of()), p.policy, p.queue));
            } else if (change instanceof Change.PutPolicy c) {
                edit(c.licenseId(), p -> new Pool(p.license, p.activations, p.leases, c.policy(), p.queue));
            } else if (change instanceof Change.PutGroup c) {
                put(groups, List.of(c.group().kind(), c.group().name()), c.group());
            } else if (change instanceof Change.PutQueueEntry c) {
                edit(c.entry().licenseId(), p -> p.queued(c.entry().hardwareId(), c.entry()));
            } else if (change instanceof Change.DeleteQueueEntry c) {
                return edit(c.licenseId(), p -> p.queued(c.hardwareId(), null));
            } else if (change instanceof Change.InsertClient c) {
                if (clientIds.containsKey(c.client().name())) {
                    throw new IllegalStateException("duplicate client name " + c.client().name());
                }
                long id = nextId(1);
                put(clients, id, new Client(id, c.client().name(), c.client().platformType(), c.client().hostName()));
                put(clientIds, c.client().name(), id);
                return id;
            } else if (change instanceof Change.PutClient c) {
                Client old = Optional.ofNullable(clients.get(c.client().id()))
                        .orElseThrow(() -> new IllegalStateException("no client " + c.client().id()));
                put(clients, old.id(), new Client(old.id(), old.name(), c.client().platformType(), c.client().hostName()));
            } else if (change instanceof Change.DeleteClient c) {
                deleteClient(c.client().id());
            } else if (change instanceof Change.PutAgent c) {
                put(inner(agents, c.agent().clientId()), c.agent().appType(), c.agent());
            } else if (change instanceof Change.InsertClientLicense c) {
                ClientLicense row = c.clientLicense();
                List<Integer> type = List.of(row.platformType(), row.licenseType(), row.appType());
                if (clientLicenseIds.containsKey(type)) {
                    throw new IllegalStateException("duplicate client license " + type);
                }
                long id = nextId(2);
                put(clientLicenses, id, row.withId(id));
                put(clientLicenseIds, type, id);
                return id;
            } else if (change instanceof Change.PutClientLicense c) {
                if (!clientLicenses.containsKey(c.clientLicense().id())) {
                    throw new IllegalStateException("no client license " + c.clientLicense().id());
                }
                put(clientLicenses, c.clientLicense().id(), c.clientLicense());
            } else if (change instanceof Change.PutConsumption c) {
                ConsumedLicense row = c.consumption();
                put(inner(consumptions, row.clientId()), List.of(row.clientLicenseId(), row.agentLevel()), row);
                put(inner(consumers, row.clientLicenseId()), List.of(row.clientId(), row.agentLevel()), row);
            } else if (change instanceof Change.AppendLedger c) {
                return ledger().append(c.entry());
            } else {
                throw new IllegalArgumentException("unknown change " + change);
            }
            return 0;
        }

        /** Stages {@code edit} of an existing pool; 1 if it changed anything (a delete found its row), else 0. */
        private long edit(long id, UnaryOperator<Pool> edit) {
            Pool p = existing(id);
            Pool next = edit.apply(p);
            stage(id, next);
            return next.equals(p) ? 0 : 1;
        }

        private long insertLicense(License license) {
            String product = license.product();
            if ((license.key() != null && find(licenseByKey, product, license.key()).isPresent())
                    || (license.username() != null && find(licenseByUser, product, license.username()).isPresent())) {
                throw new IllegalStateException("duplicate license key or username in " + product);
            }
            long id = nextId(0);
            stage(id, new Pool(license.withId(id), Map.of(), Map.of(), null, Map.of()));
            if (license.key() != null) {
                put(inner(licenseByKey, product), license.key(), id);
            }
            if (license.username() != null) {
                put(inner(licenseByUser, product), license.username(), id);
                put(ordered(licensesOfUser, license.username()), id, Boolean.TRUE);
            }
            put(ordered(licensesOfProduct, product), id, Boolean.TRUE);
            put(licenseIds, id, Boolean.TRUE);
            return id;
        }

        private NavigableMap<Long, Boolean> ordered(Map<String, NavigableMap<Long, Boolean>> outer, String owner) {
            return outer.computeIfAbsent(owner, k -> new ConcurrentSkipListMap<>());
        }

        private void deleteClient(long id) {
            Client old = put(clients, id, null);
            if (old == null) {
                throw new IllegalStateException("no client " + id);
            }
            put(clientIds, old.name(), null);
            for (Integer appType : List.copyOf(inner(agents, id).keySet())) {
                put(agents.get(id), appType, null);
            }
            for (ConsumedLicense c : List.copyOf(inner(consumptions, id).values())) {
                put(consumptions.get(id), List.of(c.clientLicenseId(), c.agentLevel()), null);
                put(inner(consumers, c.clientLicenseId()), List.of(c.clientId(), c.agentLevel()), null);
            }
        }

        private long nextId(int table) {
            synchronized (lastIds) { // under the catalog lock anyway; this keeps ids unique regardless
                return ++lastIds[table];
            }
        }

        @Override
        public int prune(Instant before, int limit) {
            writable();
            return ledger().prune(before, limit);
        }
    }
}
