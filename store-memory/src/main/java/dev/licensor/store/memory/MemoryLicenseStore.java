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
import java.util.function.Predicate;

/**
 * A {@link LicenseStore} held in memory: the default for hosts' offline tests and for
 * single-process deployments that need no persistence. Rows and indexes only; no rule.
 *
 * <p><b>Locking.</b> {@link StoreTransaction#lock} takes real locks: each {@link LockKey} maps to
 * one of {@value #STRIPES} <em>fair</em> locks (threads served in arrival order), so write units
 * on different pools run in parallel and units on one pool queue. A stripe below one the unit
 * already holds is only tried for a while (stripes taken out of order could deadlock); if it stays
 * busy the unit rolls back with a {@link TransientStoreException} and the engine runs it again.
 * Write units share a fair gate that read units take alone, so a read unit sees committed rows
 * only, all from one state. A write unit sees the rows its keys guard as committed. A unit that
 * locks {@link LockKey#CATALOG} trades its shared side of the gate for the exclusive one and runs
 * alone, so the catalog rows other units read without a key (a product, a license by key, a client
 * by name, a client license by type, an agent, the blacklist) are only ever seen committed. The
 * ledger has a lock of its own, held from a unit's first ledger call to its end, so seqs are
 * taken in commit order ({@link dev.licensor.store.Change.AppendLedger}).
 *
 * <p><b>Atomicity.</b> Every write inside a unit is logged with the value it replaced; a unit that
 * throws is undone before its locks are released, so it leaves no trace.
 *
 * <p>Nothing survives the process: durability is the one guarantee of {@link LicenseStore} this
 * store does not give. Thread-safe.
 */
public final class MemoryLicenseStore implements LicenseStore {
    private static final Comparator<Lease> BY_EXPIRY = Comparator.comparing(Lease::expiresAt)
            .thenComparingLong(Lease::licenseId).thenComparing(Lease::hardwareId, CodePointOrder.INSTANCE);
    private static final Comparator<Lease> BY_GRANT = Comparator.comparing(Lease::grantedAt)
            .thenComparing(Lease::hardwareId, CodePointOrder.INSTANCE);
    private static final Comparator<ConsumedLicense> BY_LICENSE = Comparator
            .comparingLong(ConsumedLicense::clientLicenseId).thenComparing(ConsumedLicense::agentLevel);
    private static final Comparator<ConsumedLicense> BY_CLIENT = Comparator
            .comparingLong(ConsumedLicense::clientId).thenComparing(ConsumedLicense::agentLevel);
    /** Lock stripes; a power of two. */
    static final int STRIPES = 1024;
    private static final long OUT_OF_ORDER_WAIT_MS = 200;

    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final ReentrantLock ledgerLock = new ReentrantLock(true);
    private final LedgerLog ledger = new LedgerLog();
    private final long[] lastIds = new long[3]; // license, client, client license: under the catalog lock

    // Rows, each written only under the lock key that guards it. Rows of a pool, client or product
    // sit in an inner map of their owner (two lookups with cached string hashes, no key object);
    // an inner map, once made, stays (a rollback may leave it empty).
    private final NavigableMap<String, Product> products = new ConcurrentSkipListMap<>(CodePointOrder.INSTANCE); // the listing's order
    private final Map<Long, License> licenses = new ConcurrentHashMap<>();
    // the listings' indexes: ids by product and by username. A deleted license's name stays in
    // licenseByKey/licenseByUser (never given again), pointing at an id with no row.
    private final Map<String, NavigableMap<Long, Boolean>> licensesOfProduct = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Long, Boolean>> licensesOfUser = new ConcurrentHashMap<>();
    private final NavigableMap<Long, Boolean> licenseIds = new ConcurrentSkipListMap<>(); // a hash map stays the lookup
    private final Map<String, Map<String, Long>> licenseByKey = new ConcurrentHashMap<>(); // product, key
    private final Map<String, Map<String, Long>> licenseByUser = new ConcurrentHashMap<>(); // product, username
    private final Map<Long, Map<String, Activation>> activations = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Instant>> blacklist = new ConcurrentHashMap<>(); // product, hardware id
    private final Map<Long, Map<String, Lease>> leases = new ConcurrentHashMap<>();
    private final Map<Long, PoolPolicy> policies = new ConcurrentHashMap<>();
    private final Map<Pair, SeatGroup> groups = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, QueueEntry>> queues = new ConcurrentHashMap<>();
    private final NavigableMap<Long, Client> clients = new ConcurrentSkipListMap<>(); // by id: the listing's order
    private final Map<String, Long> clientIds = new ConcurrentHashMap<>();
    private final Map<Long, Map<Integer, Agent>> agents = new ConcurrentHashMap<>();
    private final Map<Long, ClientLicense> clientLicenses = new ConcurrentHashMap<>();
    private final Map<List<Integer>, Long> clientLicenseIds = new ConcurrentHashMap<>();
    private final Map<Long, Map<Pair, ConsumedLicense>> consumptions = new ConcurrentHashMap<>(); // by client
    private final Map<Long, Map<Pair, ConsumedLicense>> consumers = new ConcurrentHashMap<>(); // by client license
    /**
     * Every lease by the minute it expires in, for the purge ({@code leasesLapsedBy(t, limit)}): a few
     * hundred buckets that stay in cache rather than a tree of every lease. A bucket holds lease
     * objects by identity and is only touched inside {@code compute} on its minute, so units on
     * other pools cannot lose each other's entries. An emptied bucket stays (a pool's next lease
     * often expires in the same minute) until the purge passes its minute.
     */
    private final Map<Long, Map<Lease, Lease>> byMinute = new ConcurrentHashMap<>();
    private final NavigableSet<Long> minutes = new ConcurrentSkipListSet<>();

    /** An empty store. */
    public MemoryLicenseStore() {
        Arrays.setAll(stripes, i -> new ReentrantLock(true));
    }

    private record Pair(Object first, Object second) {
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

    /** One unit: direct access to the rows, its locks, and an undo log of (map, key, replaced value). */
    private final class Tx implements StoreTransaction {
        private static final Object INDEX = new Object(); // undo target: the expiry index

        private final boolean readOnly;
        private Lock side; // the gate lock held: shared for a write unit until it locks the catalog
        private boolean exclusive;
        private boolean over;
        private Object[] undo; // triples, created on the first write
        private int undoSize;
        private HeldLocks held;
        private int[] taken = new int[4]; // stripes locked, in order
        private int takenCount;
        private boolean ledgerHeld;

        Tx(boolean readOnly, Lock side) {
            this.readOnly = readOnly;
            this.side = side;
        }

        void end(boolean commit) {
            over = true;
            try {
                if (!commit) {
                    rollback();
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

        @SuppressWarnings("unchecked")
        private void rollback() {
            for (int i = undoSize - 3; i >= 0; i -= 3) {
                if (undo[i] == INDEX) {
                    index((Lease) undo[i + 1], undo[i + 2] != null); // null: it was added
                } else if (undo[i + 2] == null) {
                    ((Map<Object, Object>) undo[i]).remove(undo[i + 1]);
                } else {
                    ((Map<Object, Object>) undo[i]).put(undo[i + 1], undo[i + 2]);
                }
            }
        }

        private void log(Object target, Object key, Object old) {
            if (undo == null) {
                undo = new Object[12];
            } else if (undoSize == undo.length) {
                undo = Arrays.copyOf(undo, undoSize * 2);
            }
            undo[undoSize++] = target;
            undo[undoSize++] = key;
            undo[undoSize++] = old;
        }

        private void writable() {
            if (over || readOnly) {
                throw new IllegalStateException(over ? "the unit of work is over" : "write inside a read-only unit of work");
            }
        }

        private <K, V> V put(Map<K, V> map, K key, V value) {
            writable();
            V old = map.put(key, value);
            log(map, key, old);
            return old;
        }

        private <K, V> V remove(Map<K, V> map, K key) {
            writable();
            V old = map.remove(key);
            if (old != null) {
                log(map, key, old);
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

        private <K, V> Optional<V> byId(Map<K, V> rows, Object id) {
            return id == null ? Optional.empty() : Optional.ofNullable(rows.get(id));
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

        private void indexed(Lease lease, boolean add) {
            index(lease, add);
            log(INDEX, lease, add ? null : lease);
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
                    runAlone();
                }
                if (!exclusive) {
                    long h = (key.id() + 1) * 0x9E3779B97F4A7C15L + key.kind().ordinal();
                    take((int) (h ^ (h >>> 32)) & (STRIPES - 1));
                }
            }
        }

        /**
         * Trades the shared gate for the exclusive one: a unit that changes the catalog runs alone,
         * so no other unit reads its rows (read without a key: products, licenses by key, clients,
         * agents, the blacklist) before it commits. The catalog key sorts first, so the unit holds
         * no stripe yet; without the ledger lock either, waiting here cannot deadlock.
         */
        private void runAlone() {
            side.unlock();
            side = gate.writeLock();
            side.lock();
            exclusive = true;
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

        /**
         * The pool read straight from its maps, each part only if asked: no lookup wrapper, and the
         * lapsed batch and live list sorted only when they hold something.
         */
        @Override
        public Optional<PoolState> loadPool(PoolLoad load) {
            long id = load.licenseId();
            License license = licenses.get(id);
            if (license == null) {
                return Optional.empty();
            }
            Map<String, Instant> listed = blacklist.get(load.product());
            Map<String, Activation> activated = activations.get(id);
            Activation activation = activated == null ? null : activated.get(load.hardwareId());
            PoolPolicy policy = policies.getOrDefault(id, PoolPolicy.NONE);
            Map<String, Lease> pool = leases.get(id);
            Map<String, Lease> seatLeases = Map.of();
            if (pool != null) {
                for (String key : load.seatKeys()) {
                    Lease lease = pool.get(key);
                    if (lease != null) {
                        seatLeases = seatLeases.isEmpty() ? Map.of(key, lease) : plus(seatLeases, key, lease);
                    }
                }
            }
            PoolLoad.Live mode = load.live();
            List<Lease> live = List.of();
            int liveCount = -1;
            if (mode == PoolLoad.Live.LIST || (mode == PoolLoad.Live.LIST_IF_POLICY && !policy.isNone())) {
                live = leasesLiveAfter(id, load.now());
                liveCount = live.size();
            } else if (mode != PoolLoad.Live.NONE) {
                liveCount = countLeasesLiveAfter(id, load.now());
            }
            List<SeatGroup> named = List.of();
            if (mode != PoolLoad.Live.NONE && !policy.isNone()) {
                List<SeatGroup> found = new ArrayList<>();
                for (Map.Entry<GroupKind, String> g : PoolState.groupsNamedBy(policy)) {
                    seatGroup(g.getKey(), g.getValue()).ifPresent(found::add);
                }
                named = found;
            }
            List<Lease> lapsed = load.lapsedLimit() > 0 ? leasesLapsedBy(id, load.now(), load.lapsedLimit()) : List.of();
            List<QueueEntry> queue = load.queue() && policy.queueLength() > 0 ? queue(id) : List.of();
            return Optional.of(new PoolState(load, license, listed != null && listed.containsKey(load.hardwareId()),
                    Optional.ofNullable(activation), load.countActivations() ? (activated == null ? 0 : activated.size()) : -1,
                    policy, named, seatLeases, liveCount, live, lapsed, queue));
        }

        private static Map<String, Lease> plus(Map<String, Lease> map, String key, Lease lease) {
            Map<String, Lease> out = new HashMap<>(map);
            out.put(key, lease);
            return out;
        }

        @Override
        public long[] apply(PoolChanges changes) {
            long id = changes.licenseId();
            if (changes.license() != null) {
                putLicense(changes.license());
            }
            if (changes.activationPut() != null) {
                putActivation(changes.activationPut());
            }
            if (!changes.leaseDeletes().isEmpty() || !changes.leasePuts().isEmpty()) {
                Map<String, Lease> pool = inner(leases, id);
                for (String key : changes.leaseDeletes()) {
                    Lease old = remove(pool, key);
                    if (old != null) {
                        indexed(old, false);
                    }
                }
                for (Lease lease : changes.leasePuts()) {
                    Lease old = put(pool, lease.hardwareId(), lease);
                    if (old != null) {
                        indexed(old, false);
                    }
                    indexed(lease, true);
                }
            }
            for (String key : changes.queueDeletes()) {
                deleteQueueEntry(id, key);
            }
            for (QueueEntry entry : changes.queuePuts()) {
                putQueueEntry(entry);
            }
            if (changes.activationDelete() != null) {
                deleteActivation(id, changes.activationDelete());
            }
            for (PoolChanges.BlacklistChange b : changes.blacklist()) {
                if (b.add()) {
                    putBlacklist(b.product(), b.hardwareId(), b.at());
                } else {
                    deleteBlacklist(b.product(), b.hardwareId());
                }
            }
            List<LedgerEntry> entries = changes.ledger();
            long[] seqs = new long[entries.size()];
            for (int i = 0; i < seqs.length; i++) {
                seqs[i] = appendLedger(entries.get(i));
            }
            return seqs;
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

        private Optional<Product> product(String code) {
            return byId(products, code);
        }

        private void putProduct(Product product) {
            put(products, product.code(), product);
        }

        private List<Product> productsAfter(String afterCode, int limit) {
            return after(products, afterCode, limit);
        }

        private void deleteProduct(String code) {
            if (remove(products, code) == null) {
                throw new IllegalStateException("no product " + code);
            }
            Map<String, Instant> listed = blacklist.get(code);
            if (listed != null) {
                for (String hw : List.copyOf(listed.keySet())) {
                    remove(listed, hw);
                }
            }
        }

        private Optional<License> license(long id) {
            return byId(licenses, id);
        }

        private Optional<License> licenseByKey(String product, String key) {
            return find(licenseByKey, product, key).flatMap(this::license);
        }

        private Optional<License> licenseByUser(String product, String username) {
            return find(licenseByUser, product, username).flatMap(this::license);
        }

        private long insertLicense(License license) {
            if ((license.key() != null && find(licenseByKey, license.product(), license.key()).isPresent())
                    || (license.username() != null && find(licenseByUser, license.product(), license.username()).isPresent())) {
                throw new IllegalStateException("duplicate license key or username in " + license.product());
            }
            long id = nextId(0);
            put(licenses, id, license.withId(id));
            if (license.key() != null) {
                put(inner(licenseByKey, license.product()), license.key(), id);
            }
            if (license.username() != null) {
                put(inner(licenseByUser, license.product()), license.username(), id);
                put(ordered(licensesOfUser, license.username()), id, Boolean.TRUE);
            }
            put(ordered(licensesOfProduct, license.product()), id, Boolean.TRUE);
            put(licenseIds, id, Boolean.TRUE);
            return id;
        }

        private NavigableMap<Long, Boolean> ordered(Map<String, NavigableMap<Long, Boolean>> outer, String owner) {
            return outer.computeIfAbsent(owner, k -> new ConcurrentSkipListMap<>());
        }

        /** Up to {@code limit} values of {@code rows} (sorted by id) with ids above {@code after}. */
        private <K, V> List<V> after(NavigableMap<K, V> rows, K after, int limit) {
            List<V> out = new ArrayList<>(Math.min(limit, 64));
            for (V v : rows.tailMap(after, false).values()) {
                if (out.size() == limit) {
                    break;
                }
                out.add(v);
            }
            return out;
        }

        private List<License> licensesIn(NavigableMap<Long, Boolean> ids, long after, int limit) {
            List<License> out = new ArrayList<>(Math.min(limit, 64));
            if (ids != null) {
                for (Long id : ids.tailMap(after, false).keySet()) {
                    if (out.size() == limit) {
                        break;
                    }
                    out.add(licenses.get(id));
                }
            }
            return out;
        }

        private List<License> licensesAfter(long afterId, int limit) {
            return licensesIn(licenseIds, afterId, limit);
        }

        private List<License> licensesOfProductAfter(String product, long afterId, int limit) {
            return licensesIn(licensesOfProduct.get(product), afterId, limit);
        }

        private List<License> licensesOfUserAfter(String username, long afterId, int limit) {
            return licensesIn(licensesOfUser.get(username), afterId, limit);
        }

        private void deleteLicense(License license) {
            long id = license.id();
            License row = licenses.get(id);
            if (row == null) {
                throw new IllegalStateException("no license " + id);
            }
            for (Lease lease : List.copyOf(all(leases, id))) {
                deleteLease(id, lease.hardwareId());
            }
            for (String hw : List.copyOf(inner(activations, id).keySet())) {
                remove(inner(activations, id), hw);
            }
            for (String hw : List.copyOf(inner(queues, id).keySet())) {
                remove(inner(queues, id), hw);
            }
            remove(policies, id);
            remove(ordered(licensesOfProduct, row.product()), id);
            if (row.username() != null) {
                remove(ordered(licensesOfUser, row.username()), id);
            }
            remove(licenseIds, id);
            remove(licenses, id); // the name's entry in licenseByKey/licenseByUser stays: retired
        }

        private boolean isLicenseNameRetired(String product, String key, String username) {
            Optional<Long> id = key != null ? find(licenseByKey, product, key) : find(licenseByUser, product, username);
            return id.isPresent() && !licenses.containsKey(id.get());
        }

        private long nextId(int table) {
            writable();
            synchronized (lastIds) { // under the catalog lock anyway; this keeps ids unique regardless
                return ++lastIds[table];
            }
        }

        private void putLicense(License license) {
            if (!licenses.containsKey(license.id())) {
                throw new IllegalStateException("no license " + license.id());
            }
            put(licenses, license.id(), license);
        }

        private Optional<Activation> activation(long licenseId, String hardwareId) {
            return find(activations, licenseId, hardwareId);
        }

        private int countActivations(long licenseId) {
            return all(activations, licenseId).size();
        }

        private void putActivation(Activation a) {
            put(inner(activations, a.licenseId()), a.hardwareId(), a);
        }

        private boolean deleteActivation(long licenseId, String hardwareId) {
            return remove(inner(activations, licenseId), hardwareId) != null;
        }

        private boolean isBlacklisted(String product, String hardwareId) {
            return find(blacklist, product, hardwareId).isPresent();
        }

        private boolean putBlacklist(String product, String hardwareId, Instant at) {
            writable();
            return !isBlacklisted(product, hardwareId) && put(inner(blacklist, product), hardwareId, at) == null;
        }

        private boolean deleteBlacklist(String product, String hardwareId) {
            return remove(inner(blacklist, product), hardwareId) != null;
        }

        private Optional<Lease> lease(long licenseId, String hardwareId) {
            return find(leases, licenseId, hardwareId);
        }

        private int countLeasesLiveAfter(long licenseId, Instant t) {
            int live = 0;
            for (Lease lease : all(leases, licenseId)) {
                live += lease.expiresAt().isAfter(t) ? 1 : 0;
            }
            return live;
        }

        private List<Lease> leasesLapsedBy(long licenseId, Instant t, int limit) {
            List<Lease> lapsed = sorted(all(leases, licenseId), l -> !l.expiresAt().isAfter(t), BY_EXPIRY);
            return lapsed.size() > limit ? List.copyOf(lapsed.subList(0, limit)) : lapsed;
        }

        private List<Lease> leasesLapsedBy(Instant t, int limit) {
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

        private List<Lease> leasesLiveAfter(long licenseId, Instant t) {
            return sorted(all(leases, licenseId), l -> l.expiresAt().isAfter(t), BY_GRANT);
        }

        private void putLease(Lease lease) {
            Lease old = put(inner(leases, lease.licenseId()), lease.hardwareId(), lease);
            if (old != null) {
                indexed(old, false);
            }
            indexed(lease, true);
        }

        private boolean deleteLease(long licenseId, String hardwareId) {
            Lease old = remove(inner(leases, licenseId), hardwareId);
            if (old != null) {
                indexed(old, false);
            }
            return old != null;
        }

        private Optional<PoolPolicy> poolPolicy(long licenseId) {
            return byId(policies, licenseId);
        }

        private void putPoolPolicy(long licenseId, PoolPolicy policy) {
            put(policies, licenseId, policy);
        }

        private Optional<SeatGroup> seatGroup(GroupKind kind, String name) {
            return byId(groups, new Pair(kind, name));
        }

        private void putSeatGroup(SeatGroup group) {
            put(groups, new Pair(group.kind(), group.name()), group);
        }

        private List<QueueEntry> queue(long licenseId) {
            return sorted(all(queues, licenseId), q -> true, Comparator.comparingLong(QueueEntry::ticket));
        }

        private void putQueueEntry(QueueEntry entry) {
            put(inner(queues, entry.licenseId()), entry.hardwareId(), entry);
        }

        private boolean deleteQueueEntry(long licenseId, String hardwareId) {
            return remove(inner(queues, licenseId), hardwareId) != null;
        }

        private Optional<Client> client(long id) {
            return byId(clients, id);
        }

        private Optional<Client> clientByName(String name) {
            return byId(clients, clientIds.get(name));
        }

        private long insertClient(Client client) {
            if (clientIds.containsKey(client.name())) {
                throw new IllegalStateException("duplicate client name " + client.name());
            }
            long id = nextId(1);
            put(clients, id, new Client(id, client.name(), client.platformType(), client.hostName()));
            put(clientIds, client.name(), id);
            return id;
        }

        private List<Client> clientsAfter(long afterId, int limit) {
            return after(clients, afterId, limit);
        }

        private void putClient(Client client) {
            Client old = clients.get(client.id());
            if (old == null) {
                throw new IllegalStateException("no client " + client.id());
            }
            put(clients, client.id(), new Client(client.id(), old.name(), client.platformType(), client.hostName()));
        }

        private void deleteClient(Client client) {
            long id = client.id();
            Client old = remove(clients, id);
            if (old == null) {
                throw new IllegalStateException("no client " + id);
            }
            remove(clientIds, old.name());
            Map<Integer, Agent> installed = agents.get(id);
            if (installed != null) {
                for (Integer appType : List.copyOf(installed.keySet())) {
                    remove(installed, appType);
                }
            }
            Map<Pair, ConsumedLicense> consumed = consumptions.get(id);
            if (consumed != null) {
                for (ConsumedLicense c : List.copyOf(consumed.values())) {
                    remove(consumed, new Pair(c.clientLicenseId(), c.agentLevel()));
                    remove(inner(consumers, c.clientLicenseId()), new Pair(c.clientId(), c.agentLevel()));
                }
            }
        }

        private Optional<Agent> agent(long clientId, int appType) {
            return find(agents, clientId, appType);
        }

        private List<Agent> agents(long clientId) {
            return sorted(all(agents, clientId), a -> true, Comparator.comparingInt(Agent::appType));
        }

        private void putAgent(Agent agent) {
            put(inner(agents, agent.clientId()), agent.appType(), agent);
        }

        private Optional<ClientLicense> clientLicense(long id) {
            return byId(clientLicenses, id);
        }

        private Optional<ClientLicense> clientLicenseByType(int platformType, int licenseType, int appType) {
            return byId(clientLicenses, clientLicenseIds.get(List.of(platformType, licenseType, appType)));
        }

        private List<ClientLicense> clientLicenses() {
            return sorted(clientLicenses.values(), c -> true, Comparator.comparingLong(ClientLicense::id));
        }

        private long insertClientLicense(ClientLicense c) {
            List<Integer> type = List.of(c.platformType(), c.licenseType(), c.appType());
            if (clientLicenseIds.containsKey(type)) {
                throw new IllegalStateException("duplicate client license " + type);
            }
            long id = nextId(2);
            put(clientLicenses, id, c.withId(id));
            put(clientLicenseIds, type, id);
            return id;
        }

        private void putClientLicense(ClientLicense c) {
            if (!clientLicenses.containsKey(c.id())) {
                throw new IllegalStateException("no client license " + c.id());
            }
            put(clientLicenses, c.id(), c);
        }

        private Optional<ConsumedLicense> consumption(long clientId, long clientLicenseId, boolean agentLevel) {
            return find(consumptions, clientId, new Pair(clientLicenseId, agentLevel));
        }

        private List<ConsumedLicense> consumptionsOfClient(long clientId) {
            return sorted(all(consumptions, clientId), c -> true, BY_LICENSE);
        }

        private List<ConsumedLicense> heldConsumptionsOf(long clientLicenseId) {
            return sorted(all(consumers, clientLicenseId), c -> !c.released(), BY_CLIENT);
        }

        private void putConsumption(ConsumedLicense c) {
            put(inner(consumptions, c.clientId()), new Pair(c.clientLicenseId(), c.agentLevel()), c);
            put(inner(consumers, c.clientLicenseId()), new Pair(c.clientId(), c.agentLevel()), c);
        }

        private long appendLedger(LedgerEntry entry) {
            writable();
            return ledger().append(entry);
        }

        private List<LedgerEntry> ledgerAfter(long after, int limit) {
            return ledger().after(after, limit);
        }

        private List<LedgerEntry> ledger(Instant from, Instant to, int limit) {
            return ledger().between(from, to, limit);
        }

        @Override
        public int prune(Instant before, int limit) {
            writable();
            return ledger().prune(before, limit);
        }
    }
}
