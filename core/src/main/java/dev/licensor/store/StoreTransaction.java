package dev.licensor.store;

import org.jspecify.annotations.Nullable;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rows a store persists, as seen from inside one unit of work: {@link #lock}, then one get,
 * put and delete per row type and the few range queries the rules need. No rules: the engine
 * validates everything before it writes, and the unique keys listed here are the only
 * constraints a store enforces (a violation is a bug in the engine and may throw
 * {@link IllegalStateException}).
 *
 * <p><b>Puts</b> insert the row, or replace the row with the same key (SQL: {@code INSERT ...
 * ON CONFLICT (key) DO UPDATE}). Rows with a generated id ({@code insertLicense},
 * {@code insertClient}, {@code insertClientLicense}, {@code appendLedger}) are inserted once
 * and return the new id.
 *
 * <p><b>Orders.</b> Every method returning a list states its order, and the shared suite checks
 * it. "Code point order" is {@link CodePointOrder} (SQL: binary / {@code "C"} collation).
 *
 * <p><b>Indexes.</b> Every method is a lookup by the key it names; none may scan a table that
 * grows with licenses, clients, devices, leases, consumptions or the ledger. Range queries
 * ({@link #countLeasesLiveAfter}, {@link #leasesLapsedBy}, {@link #ledger}) must be index range
 * scans bounded by what they return or count.
 *
 * <p>Writes and locks from a {@link LicenseStore#read} unit throw {@link IllegalStateException}.
 * Not thread-safe: valid only inside its unit, on the unit's thread.
 */
public interface StoreTransaction {

    // ---- locks

    /**
     * Locks {@code keys} until the unit ends (commit or rollback), waiting for units that hold
     * them. Core calls it before reading the rows a key guards, and only in ascending
     * {@link LockKey} order: keys of one call are sorted by the store, and every new key must be
     * above every key the unit already holds (a key already held is skipped). Stores check this
     * with {@link HeldLocks} and throw {@link IllegalStateException} otherwise.
     *
     * <p>A store whose units already run one at a time (SQLite's {@code BEGIN IMMEDIATE}) may
     * take nothing. A lock wait that times out, or a deadlock the database reports anyway, is a
     * {@link TransientStoreException}.
     */
    void lock(LockKey... keys);

    // ---- pool units: load, decide, apply

    /**
     * Everything a floating decision about one pool reads, in one call: core calls it right after
     * {@code lock(LockKey.pool(load.licenseId()))}, decides in memory with no other store call,
     * then calls {@link #apply} once. Empty if the license row does not exist (a deleted license);
     * nothing else is read then.
     *
     * <p>What is loaded, and the bound of each part, is in {@link PoolLoad} and {@link PoolState}:
     * a pool without a policy never loads its live leases unless the load asks for the list
     * ({@link PoolLoad.Live#LIST}, for a device's deactivation), only their count.
     *
     * <p>The default reads it with the row methods, in this order: {@link #license},
     * {@link #isBlacklisted}, {@link #activation}, {@link #countActivations} (if asked),
     * {@link #poolPolicy}, {@link #lease} per seat key, {@link #leasesLiveAfter} or
     * {@link #countLeasesLiveAfter}, {@link #seatGroup} per group named (with the live leases),
     * {@link #leasesLapsedBy(long, Instant, int)} (if a limit is given), {@link #queue} (if asked and
     * the policy queues). A SQL store may override it to send these reads in one round trip; it must
     * return the same state. Used by the device operations of
     * {@code FloatingLicenses}; seat administration, client licenses and the catalog still use the
     * row methods (a later change moves them).
     */
    default Optional<PoolState> loadPool(PoolLoad load) {
        long id = load.licenseId();
        Optional<License> license = license(id);
        if (license.isEmpty()) {
            return Optional.empty();
        }
        boolean blacklisted = isBlacklisted(load.product(), load.hardwareId());
        Optional<Activation> activation = activation(id, load.hardwareId());
        int activations = load.countActivations() ? countActivations(id) : -1;
        PoolPolicy policy = poolPolicy(id).orElse(PoolPolicy.NONE);
        Map<String, Lease> seatLeases = new HashMap<>();
        for (String key : load.seatKeys()) {
            lease(id, key).ifPresent(l -> seatLeases.put(key, l));
        }
        List<Lease> live = List.of();
        int liveCount = -1;
        List<SeatGroup> groups = new ArrayList<>();
        PoolLoad.Live mode = load.live();
        if (mode == PoolLoad.Live.LIST || (mode == PoolLoad.Live.LIST_IF_POLICY && !policy.isNone())) {
            live = leasesLiveAfter(id, load.now());
            liveCount = live.size();
        } else if (mode != PoolLoad.Live.NONE) {
            liveCount = countLeasesLiveAfter(id, load.now());
        }
        if (mode != PoolLoad.Live.NONE) {
            for (Map.Entry<GroupKind, String> named : PoolState.groupsNamedBy(policy)) {
                seatGroup(named.getKey(), named.getValue()).ifPresent(groups::add);
            }
        }
        List<Lease> lapsed = load.lapsedLimit() > 0 ? leasesLapsedBy(id, load.now(), load.lapsedLimit()) : List.of();
        List<QueueEntry> queue = load.queue() && policy.queueLength() > 0 ? queue(id) : List.of();
        return Optional.of(new PoolState(load, license.get(), blacklisted, activation, activations, policy, groups,
                seatLeases, liveCount, live, lapsed, queue));
    }

    /**
     * Writes a decision's changes to one pool, in this order: {@link #putLicense} (if any),
     * {@link #putActivation} (if any), {@link #deleteLease} for each of {@code leaseDeletes},
     * {@link #putLease} for each of {@code leasePuts}, {@link #deleteQueueEntry} for each of
     * {@code queueDeletes}, {@link #putQueueEntry} for each of {@code queuePuts},
     * {@link #deleteActivation} (if any), {@link #putBlacklist} / {@link #deleteBlacklist} for each
     * blacklist change, then {@link #appendLedger} for each ledger entry, in list order. Deletes of
     * rows that do not exist are skipped. The unit holds the pool's lock (and the catalog's for
     * blacklist changes).
     *
     * <p>A store may override it to send the writes together (one batch); the rows written, the
     * ledger's seqs and {@link #ledgerAfter}'s feed rule must be the same as the default's.
     * Used by the device operations of {@code FloatingLicenses}, like {@link #loadPool}.
     *
     * @return the seq assigned to each of {@code changes.ledger()}, in order (the engine's events
     *         carry them)
     */
    default long[] apply(PoolChanges changes) {
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

    // ---- products: key code; changed by putProduct, deleted only when no license names them

    Optional<Product> product(String code);

    void putProduct(Product product);

    /**
     * Up to {@code limit} products with {@code code > afterCode} in code point order ({@code ""}
     * for the first page): a primary-key range scan.
     */
    List<Product> productsAfter(String afterCode, int limit);

    /**
     * Deletes the product (which exists and has no license) and its blacklist entries. Retired
     * license names of the product stay ({@link #isLicenseNameRetired}).
     */
    void deleteProduct(String code);

    // ---- licenses: key id; unique (product, key) and (product, username), which stay taken after
    // the license is deleted (deleteLicense). The product, key and username of a license never
    // change; ids are never reused. Indexes (product, id) and (username, id) for the listings.

    Optional<License> license(long id);

    Optional<License> licenseByKey(String product, String key);

    Optional<License> licenseByUser(String product, String username);

    /** Inserts the license (its id is ignored) and returns the new positive id. */
    long insertLicense(License license);

    /** Replaces the license with the same id (which exists). */
    void putLicense(License license);

    /**
     * Up to {@code limit} licenses with {@code id > afterId}, ordered by id: a primary-key range
     * scan (a keyset page of every license).
     */
    List<License> licensesAfter(long afterId, int limit);

    /**
     * Up to {@code limit} licenses of the product with {@code id > afterId}, ordered by id: an
     * index range scan on (product, id).
     */
    List<License> licensesOfProductAfter(String product, long afterId, int limit);

    /**
     * Up to {@code limit} user-based licenses of the username, in any product, with
     * {@code id > afterId}, ordered by id: an index range scan on (username, id).
     */
    List<License> licensesOfUserAfter(String username, long afterId, int limit);

    /**
     * Deletes the license (which exists) and every row keyed by its id: activations, leases,
     * queue entries and pool policy. Its (product, key), or (product, username) for a user-based
     * license, stays taken for ever: {@link #licenseByKey}/{@link #licenseByUser} find nothing,
     * {@link #isLicenseNameRetired} answers true.
     */
    void deleteLicense(License license);

    /**
     * True if a deleted license had this (product, key), or with a null {@code key} this
     * (product, username). A lookup by that key.
     */
    boolean isLicenseNameRetired(String product, @Nullable String key, @Nullable String username);

    // ---- activations: key (licenseId, hardwareId)

    Optional<Activation> activation(long licenseId, String hardwareId);

    /** Number of activations of the license. */
    int countActivations(long licenseId);

    void putActivation(Activation activation);

    /** Deletes the activation; returns whether one existed. */
    boolean deleteActivation(long licenseId, String hardwareId);

    // ---- blacklist: key (product, hardwareId)

    boolean isBlacklisted(String product, String hardwareId);

    /** Adds the device, recording {@code at}; returns false (and keeps the first time) if it was there. */
    boolean putBlacklist(String product, String hardwareId, Instant at);

    /** Removes the device; returns false if it was not there. */
    boolean deleteBlacklist(String product, String hardwareId);

    // ---- leases: key (licenseId, hardwareId); index (licenseId, expiresAt) and (expiresAt). A store
    // persists every field, device, holder and overLimit included (SQL stores: one column each, metadata length-prefixed).

    Optional<Lease> lease(long licenseId, String hardwareId);

    /** Number of leases of the license with {@code expiresAt > t}. */
    int countLeasesLiveAfter(long licenseId, Instant t);

    /**
     * Up to {@code limit} leases of the license with {@code expiresAt <= t}, ordered by
     * expiresAt, then hardware id in code point order.
     */
    List<Lease> leasesLapsedBy(long licenseId, Instant t, int limit);

    /**
     * Up to {@code limit} leases of any license with {@code expiresAt <= t}, ordered by
     * expiresAt, then license id, then hardware id in code point order.
     */
    List<Lease> leasesLapsedBy(Instant t, int limit);

    /**
     * The leases of the license with {@code expiresAt > t} (the pool's holders, at most its seat
     * count), ordered by grantedAt, then hardware id in code point order.
     */
    List<Lease> leasesLiveAfter(long licenseId, Instant t);

    void putLease(Lease lease);

    /** Deletes the lease; returns whether one existed. */
    boolean deleteLease(long licenseId, String hardwareId);

    // ---- pool policies: key licenseId; guarded by the pool's lock. A store keeps the policy as
    // given (SQL stores: PoolPolicy.text(), read back with PoolPolicy.parse).

    Optional<PoolPolicy> poolPolicy(long licenseId);

    void putPoolPolicy(long licenseId, PoolPolicy policy);

    // ---- seat groups: key (kind, name); guarded by the catalog lock; never deleted

    Optional<SeatGroup> seatGroup(GroupKind kind, String name);

    void putSeatGroup(SeatGroup group);

    // ---- seat queue: key (licenseId, hardwareId = the seat key); index (licenseId, ticket);
    // guarded by the pool's lock. A store persists every field (SQL stores: one column each, metadata length-prefixed).

    /** Every entry of the pool's queue, live or lapsed, ordered by ticket (at most the pool's QUEUE length plus lapsed ones). */
    List<QueueEntry> queue(long licenseId);

    void putQueueEntry(QueueEntry entry);

    /** Deletes the entry; returns whether one existed. */
    boolean deleteQueueEntry(long licenseId, String hardwareId);

    // ---- clients: key id; unique name, which never changes; ids are never reused. agents: key (clientId, appType)

    Optional<Client> client(long id);

    Optional<Client> clientByName(String name);

    /** Inserts the client (its id is ignored) and returns the new positive id. */
    long insertClient(Client client);

    /** Up to {@code limit} clients with {@code id > afterId}, ordered by id: a primary-key range scan. */
    List<Client> clientsAfter(long afterId, int limit);

    /** Replaces the platform type and host name of the client with the same id (which exists). */
    void putClient(Client client);

    /**
     * Deletes the client (which exists and holds no consumption), its agents and its released
     * consumptions: lookups by the client's primary key.
     */
    void deleteClient(Client client);

    Optional<Agent> agent(long clientId, int appType);

    /** Agents of the client, ordered by app type. */
    List<Agent> agents(long clientId);

    void putAgent(Agent agent);

    // ---- client licenses: key id; unique (platformType, licenseType, appType), which never change

    Optional<ClientLicense> clientLicense(long id);

    Optional<ClientLicense> clientLicenseByType(int platformType, int licenseType, int appType);

    /** Every client license, ordered by id (a catalog, small by nature: the one full read). */
    List<ClientLicense> clientLicenses();

    /** Inserts the client license (its id is ignored) and returns the new positive id. */
    long insertClientLicense(ClientLicense clientLicense);

    /** Replaces the client license with the same id (which exists). */
    void putClientLicense(ClientLicense clientLicense);

    // ---- consumptions: key (clientId, clientLicenseId, agentLevel); index clientLicenseId

    Optional<ConsumedLicense> consumption(long clientId, long clientLicenseId, boolean agentLevel);

    /**
     * Every consumption (held or released) of the client, ordered by client license id, then
     * client-level ({@code agentLevel == false}) before agent-level.
     */
    List<ConsumedLicense> consumptionsOfClient(long clientId);

    /**
     * Held (not released) consumptions of the client license, ordered by client id, then
     * client-level before agent-level.
     */
    List<ConsumedLicense> heldConsumptionsOf(long clientLicenseId);

    void putConsumption(ConsumedLicense consumption);

    // ---- ledger: key seq; index at

    /**
     * Appends the entry (its seq is ignored) and returns the assigned seq, positive and increasing
     * in commit order, never reused (not even after {@link #pruneLedger} deleted the highest);
     * see {@link #ledgerAfter} for the rule this must honour.
     */
    long appendLedger(LedgerEntry entry);

    /**
     * Up to {@code limit} entries with {@code seq > after}, ordered by seq: the ledger feed, an
     * index range scan on seq.
     *
     * <p><b>The feed rule.</b> A reader that stores the last seq it read and asks for what comes
     * after it must never miss an entry. So a store must make seqs <em>visible in seq order</em>:
     * once an entry is visible to a reader, every entry with a lower seq is either visible too or
     * will never commit. Ways to honour it:
     * <ul>
     *   <li>Assign the seq under a lock held until commit, so seqs are taken in commit order. The
     *       memory store (one lock) and SQLite (one writer at a time, {@code max(seq) + 1}) do so.
     *       On PostgreSQL, take a transaction-scoped lock before the first ledger insert of a
     *       transaction (e.g. {@code pg_advisory_xact_lock} on one fixed ledger key, or
     *       {@code SELECT ... FOR UPDATE} of a one-row ledger table) and assign the seq after
     *       taking it. A plain sequence or identity column is <em>not</em> enough: a transaction
     *       can take seq 7, another seq 8 and commit first, and a reader that read 8 skips 7.</li>
     *   <li>Or return only entries below the lowest seq still held by an uncommitted transaction
     *       (e.g. PostgreSQL's {@code pg_snapshot_xmin} compared with a transaction-id column).</li>
     * </ul>
     * The engine's change events rely on the same rule for their order.
     */
    List<LedgerEntry> ledgerAfter(long after, int limit);

    /** Up to {@code limit} entries with {@code from <= at < to}, ordered by (at, seq). */
    List<LedgerEntry> ledger(Instant from, Instant to, int limit);

    /** Deletes up to {@code limit} entries with {@code at < before}, oldest (at, seq) first; returns how many. */
    int pruneLedger(Instant before, int limit);
}
