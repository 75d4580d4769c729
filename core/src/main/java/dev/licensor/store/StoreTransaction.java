package dev.licensor.store;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rows a store persists, as seen from inside one transaction. Plain reads and writes, no
 * rules: the engine validates everything before it writes, and unique keys listed here are the
 * only constraints a store enforces (a violation is a bug in the engine and may throw).
 *
 * <p><b>Indexes.</b> Every method is a lookup by the key it names; none may scan a table that
 * grows with licenses, clients, devices, leases, consumptions or the ledger. Range queries
 * ({@link #countLeasesLiveAfter}, {@link #leasesLapsedBy}, {@link #ledger}) must be index range
 * scans bounded by what they return or count.
 *
 * <p>Writes from a {@link LicenseStore#read} unit throw {@link IllegalStateException}.
 * Not thread-safe: valid only inside its unit, on the unit's thread.
 */
public interface StoreTransaction {

    // ---- products: key code

    Optional<Product> product(String code);

    void insertProduct(Product product);

    // ---- licenses: key id; unique (product, key) and (product, username)

    Optional<License> license(long id);

    Optional<License> licenseByKey(String product, String key);

    Optional<License> licenseByUser(String product, String username);

    /** Inserts the license (its id is ignored) and returns the new positive id. */
    long insertLicense(License license);

    /** Replaces the license with the same id. */
    void updateLicense(License license);

    // ---- activations: key (licenseId, hardwareId)

    Optional<Activation> activation(long licenseId, String hardwareId);

    /** Number of activations of the license. */
    int countActivations(long licenseId);

    void insertActivation(Activation activation);

    /** Deletes the activation; returns whether one existed. */
    boolean deleteActivation(long licenseId, String hardwareId);

    // ---- blacklist: key (product, hardwareId)

    boolean isBlacklisted(String product, String hardwareId);

    /** Adds the device; returns false if it was already there. */
    boolean insertBlacklist(String product, String hardwareId, Instant at);

    /** Removes the device; returns false if it was not there. */
    boolean deleteBlacklist(String product, String hardwareId);

    // ---- leases: key (licenseId, hardwareId); index (licenseId, expiresAt) and (expiresAt)

    Optional<Lease> lease(long licenseId, String hardwareId);

    /** Number of leases of the license with {@code expiresAt > t}. */
    int countLeasesLiveAfter(long licenseId, Instant t);

    /** Up to {@code limit} leases of the license with {@code expiresAt <= t}, oldest expiry first. */
    List<Lease> leasesLapsedBy(long licenseId, Instant t, int limit);

    /** Up to {@code limit} leases of any license with {@code expiresAt <= t}, oldest expiry first. */
    List<Lease> leasesLapsedBy(Instant t, int limit);

    /**
     * Leases of the license with {@code expiresAt > t}, by grant time, then hardware id by Unicode
     * code point (not UTF-16 unit: a SQL store's binary UTF-8 order is code point order).
     */
    List<Lease> leasesLiveAfter(long licenseId, Instant t);

    void insertLease(Lease lease);

    /** Replaces the lease with the same (licenseId, hardwareId). */
    void updateLease(Lease lease);

    /** Deletes the lease; returns whether one existed. */
    boolean deleteLease(long licenseId, String hardwareId);

    // ---- clients: key id; unique name. agents: key (clientId, appType)

    Optional<Client> client(long id);

    Optional<Client> clientByName(String name);

    /** Inserts the client (its id is ignored) and returns the new positive id. */
    long insertClient(Client client);

    Optional<Agent> agent(long clientId, int appType);

    /** Agents of the client, by app type. */
    List<Agent> agents(long clientId);

    void insertAgent(Agent agent);

    // ---- client licenses: key id; unique (platformType, licenseType, appType)

    Optional<ClientLicense> clientLicense(long id);

    Optional<ClientLicense> clientLicense(int platformType, int licenseType, int appType);

    /** Every client license, by id (a catalog, small by nature). */
    List<ClientLicense> clientLicenses();

    /** Inserts the client license (its id is ignored) and returns the new positive id. */
    long insertClientLicense(ClientLicense clientLicense);

    /** Sets the used count of the client license. */
    void updateClientLicenseUsed(long id, int used);

    // ---- consumptions: key (clientId, clientLicenseId, agentLevel); index clientLicenseId

    Optional<ConsumedLicense> consumption(long clientId, long clientLicenseId, boolean agentLevel);

    /** Every consumption (held or released) of the client. */
    List<ConsumedLicense> consumptionsOfClient(long clientId);

    /** Held (not released) consumptions of the client license. */
    List<ConsumedLicense> heldConsumptionsOf(long clientLicenseId);

    /** Inserts or replaces the consumption with the same key. */
    void upsertConsumption(ConsumedLicense consumption);

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

    /** Deletes up to {@code limit} entries with {@code at < before}; returns how many. */
    int pruneLedger(Instant before, int limit);
}
