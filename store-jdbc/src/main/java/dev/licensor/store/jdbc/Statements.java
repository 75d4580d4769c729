package dev.licensor.store.jdbc;

import dev.licensor.store.LockKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every statement a unit of work runs, once, for one {@link Dialect}: lookups by key or index,
 * index range scans, and the puts as {@code INSERT ... ON CONFLICT ... DO UPDATE}. Every range
 * query's {@code ORDER BY} is the order {@link dev.licensor.store.StoreTransaction} states
 * (text in binary, i.e. code point, collation). A store's query-plan test walks {@link #all()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Statements {
    // A table with a generated id lists its other columns once: reads, the insert and the update
    // are built from that list, in the order Rows reads and JdbcTransaction binds.
    private static final String LICENSE_FIELDS = "product, license_key, username, type, enabled, active,"
            + " valid_from_s, valid_from_ns, valid_until_s, valid_until_ns, max_activations, floating_seats,"
            + " floating_timeout_s, floating_timeout_ns, borrow_allowed, max_borrow_s, max_borrow_ns,"
            + " max_consumptions, consumed, overage_allowed, max_overage";
    static final String LICENSE_COLUMNS = "id, " + LICENSE_FIELDS;
    /** The ledger's columns in the order {@link Rows#LEDGER} reads them. */
    static final String LEDGER_COLUMNS = "seq, at_s, at_ns, event, license_id, client_license_id, subject, code, detail,"
            + " actor, until_s, until_ns, uses, queue_position, agent_level, holder_user, holder_host";
    static final String LEASE_COLUMNS = "license_id, hardware_id, granted_s, granted_ns, refreshed_s,"
            + " refreshed_ns, expires_s, expires_ns, borrowed_until_s, borrowed_until_ns, device, holder_user, holder_host,"
            + " holder_process, meta_count, over_limit";
    static final String HOLDER_UPDATE = "device = excluded.device, holder_user = excluded.holder_user,"
            + " holder_host = excluded.holder_host, holder_process = excluded.holder_process,"
            + " meta_count = excluded.meta_count";
    private static final String CLIENT_LICENSE_FIELDS = "platform_type, license_type, app_type, license_name,"
            + " permanent, evaluation, evaluation_expiry_s, evaluation_expiry_ns, used";
    static final String CLIENT_LICENSE_COLUMNS = "id, " + CLIENT_LICENSE_FIELDS;
    static final String CONSUMPTION_COLUMNS = "client_id, client_license_id, agent_level, released,"
            + " changed_s, changed_ns";

    public final String product = "SELECT code, name, floating_timeout_s, floating_timeout_ns, max_borrow_s,"
            + " max_borrow_ns FROM product WHERE code = ?";
    public final String putProduct = "INSERT INTO product (code, name, floating_timeout_s, floating_timeout_ns,"
            + " max_borrow_s, max_borrow_ns) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET"
            + " name = excluded.name, floating_timeout_s = excluded.floating_timeout_s,"
            + " floating_timeout_ns = excluded.floating_timeout_ns, max_borrow_s = excluded.max_borrow_s,"
            + " max_borrow_ns = excluded.max_borrow_ns";

    /** The product listing: a keyset page by code, the primary key (text in code point order). */
    public final String productsAfter;
    // deleteProduct: the row, then its blacklist (a primary-key prefix); retired license names stay
    public final String deleteProduct = "DELETE FROM product WHERE code = ?";
    public final String deleteProductBlacklist = "DELETE FROM blacklist WHERE product = ?";

    public final String license = "SELECT " + LICENSE_COLUMNS + " FROM license WHERE id = ?";
    public final String licenseByKey = "SELECT " + LICENSE_COLUMNS + " FROM license WHERE product = ? AND license_key = ?";
    public final String licenseByUser = "SELECT " + LICENSE_COLUMNS + " FROM license WHERE product = ? AND username = ?";
    public final String insertLicense = insert("license", LICENSE_FIELDS);
    public final String putLicense = update("license", LICENSE_FIELDS);

    // The listings: keyset pages by id (primary key, or the (product, id) and (username, id) indexes).
    public final String licensesAfter;
    public final String licensesOfProduct;
    public final String licensesOfUser;
    // deleteLicense: every row keyed by the license's id (primary-key prefixes), then the row
    public final String deleteActivations = "DELETE FROM activation WHERE license_id = ?";
    public final String deleteLeases = "DELETE FROM lease WHERE license_id = ?";
    public final String deleteQueue = "DELETE FROM seat_queue WHERE license_id = ?";
    public final String deletePoolOptions = "DELETE FROM pool_options WHERE license_id = ?";
    public final String deleteLicense = "DELETE FROM license WHERE id = ?";
    public final String retireLicenseName = "INSERT INTO license_retired (product, by_key, name) VALUES (?, ?, ?)";
    public final String licenseNameRetired = "SELECT count(*) FROM license_retired WHERE product = ? AND by_key = ? AND name = ?";

    public final String activation = "SELECT license_id, hardware_id, activated_s, activated_ns FROM activation"
            + " WHERE license_id = ? AND hardware_id = ?";
    public final String countActivations = "SELECT count(*) FROM activation WHERE license_id = ?";
    public final String putActivation = "INSERT INTO activation (license_id, hardware_id, activated_s, activated_ns)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (license_id, hardware_id) DO UPDATE SET"
            + " activated_s = excluded.activated_s, activated_ns = excluded.activated_ns";
    public final String deleteActivation = "DELETE FROM activation WHERE license_id = ? AND hardware_id = ?";

    public final String blacklisted = "SELECT 1 FROM blacklist WHERE product = ? AND hardware_id = ?";
    public final String putBlacklist = "INSERT INTO blacklist (product, hardware_id, at_s, at_ns) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (product, hardware_id) DO NOTHING";
    public final String deleteBlacklist = "DELETE FROM blacklist WHERE product = ? AND hardware_id = ?";

    public final String lease = "SELECT " + LEASE_COLUMNS + " FROM lease WHERE license_id = ? AND hardware_id = ?";
    // Row values compare (seconds, nanos) as one instant and still use the (license, expiry) index.
    public final String countLiveLeases = "SELECT count(*) FROM lease"
            + " WHERE license_id = ? AND (expires_s, expires_ns) > (?, ?)";
    public final String lapsedLeasesOfLicense;
    public final String lapsedLeases;
    /** The holders: at most the pool's seats, sorted after the index range. */
    public final String liveLeases = "SELECT " + LEASE_COLUMNS + " FROM lease"
            + " WHERE license_id = ? AND (expires_s, expires_ns) > (?, ?) ORDER BY granted_s, granted_ns, hardware_id";
    /**
     * The holders if the pool has policy rows (options or rules), else no row: for
     * {@link dev.licensor.store.StoreTransaction#loadPool}'s one round trip, where the policy is read
     * beside it. Binds (license_id, expires_s, expires_ns, license_id, license_id).
     */
    public final String liveLeasesIfPolicy = "SELECT " + LEASE_COLUMNS + " FROM lease"
            + " WHERE license_id = ? AND (expires_s, expires_ns) > (?, ?)"
            + " AND (EXISTS (SELECT 1 FROM pool_options WHERE license_id = ?)"
            + " OR EXISTS (SELECT 1 FROM pool_rule WHERE license_id = ?))"
            + " ORDER BY granted_s, granted_ns, hardware_id";
    public final String putLease = "INSERT INTO lease (" + LEASE_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (license_id, hardware_id) DO UPDATE SET granted_s = excluded.granted_s,"
            + " granted_ns = excluded.granted_ns, refreshed_s = excluded.refreshed_s,"
            + " refreshed_ns = excluded.refreshed_ns, expires_s = excluded.expires_s,"
            + " expires_ns = excluded.expires_ns, borrowed_until_s = excluded.borrowed_until_s,"
            + " borrowed_until_ns = excluded.borrowed_until_ns, " + HOLDER_UPDATE + ","
            + " over_limit = excluded.over_limit";
    public final String deleteLease = "DELETE FROM lease WHERE license_id = ? AND hardware_id = ?";

    // ---- a pool's load where the dialect does not pipeline (SQLite): fewer, wider statements

    /**
     * A pool's head in one row, where statements are not pipelined: the license row (columns 1-22,
     * as {@link #license}), then whether the device is blacklisted (23), its activation's time (24,
     * 25; null without one), the license's activation count (26; null unless asked), whether the
     * pool has policy options (27) and its live lease count (28; null unless asked). A {@code CASE}
     * runs its count only when asked. Binds (product, hardware_id, count activations 0/1, count
     * live 0/1, now_s, now_ns, hardware_id, license_id).
     */
    public final String poolHead = "SELECT " + LICENSE_COLUMNS + ","
            + " EXISTS (SELECT 1 FROM blacklist b WHERE b.product = ? AND b.hardware_id = ?),"
            + " a.activated_s, a.activated_ns,"
            + " CASE WHEN ? THEN (SELECT count(*) FROM activation c WHERE c.license_id = license.id) END,"
            + " EXISTS (SELECT 1 FROM pool_options o WHERE o.license_id = license.id),"
            + " CASE WHEN ? THEN (SELECT count(*) FROM lease e WHERE e.license_id = license.id"
            + " AND (e.expires_s, e.expires_ns) > (?, ?)) END"
            + " FROM license LEFT JOIN activation a ON a.license_id = license.id AND a.hardware_id = ?"
            + " WHERE license.id = ?";
    /**
     * The leases of 1, 2 or 3 seat keys of one license in one statement (index 0 for one key):
     * binds (license_id, key...). Rows in no particular order; each names its key.
     */
    public final List<String> seatLeases = List.of(seatLeases(1), seatLeases(2), seatLeases(3));

    private static String seatLeases(int keys) {
        return "SELECT " + LEASE_COLUMNS + " FROM lease WHERE license_id = ? AND hardware_id IN ("
                + String.join(", ", Collections.nCopies(keys, "?")) + ")";
    }

    /** A policy's options and its rules in order, in one round trip (one row with null rule columns if it has none). */
    public final String poolPolicy = "SELECT o.leasing, o.overdraft_seats, o.overdraft_percent, o.borrow_lowwater,"
            + " o.max_borrow, o.queue_length, r.kind, r.seats, r.target, r.name FROM pool_options o"
            + " LEFT JOIN pool_rule r ON r.license_id = o.license_id WHERE o.license_id = ? ORDER BY r.ord";
    public final String putPoolOptions = "INSERT INTO pool_options (license_id, leasing, overdraft_seats,"
            + " overdraft_percent, borrow_lowwater, max_borrow, queue_length) VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (license_id) DO UPDATE SET leasing = excluded.leasing,"
            + " overdraft_seats = excluded.overdraft_seats, overdraft_percent = excluded.overdraft_percent,"
            + " borrow_lowwater = excluded.borrow_lowwater, max_borrow = excluded.max_borrow,"
            + " queue_length = excluded.queue_length";
    public final String deletePoolRules = "DELETE FROM pool_rule WHERE license_id = ?";
    public final String insertPoolRule = "INSERT INTO pool_rule (license_id, ord, kind, seats, target, name)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    /** A group and its members in order (one row with a null member if it has none). */
    public final String seatGroup = "SELECT g.kind, g.name, m.member FROM seat_group g LEFT JOIN seat_group_member m"
            + " ON m.kind = g.kind AND m.group_name = g.name WHERE g.kind = ? AND g.name = ? ORDER BY m.ord";
    public final String putSeatGroup = "INSERT INTO seat_group (kind, name) VALUES (?, ?)"
            + " ON CONFLICT (kind, name) DO NOTHING";
    public final String deleteGroupMembers = "DELETE FROM seat_group_member WHERE kind = ? AND group_name = ?";
    public final String insertGroupMember = "INSERT INTO seat_group_member (kind, group_name, ord, member)"
            + " VALUES (?, ?, ?, ?)";

    static final String QUEUE_COLUMNS = "license_id, hardware_id, ticket, enqueued_s, enqueued_ns, expires_s,"
            + " expires_ns, device, holder_user, holder_host, holder_process, meta_count";
    public final String queue = "SELECT " + QUEUE_COLUMNS + " FROM seat_queue WHERE license_id = ? ORDER BY ticket";
    public final String putQueueEntry = "INSERT INTO seat_queue (" + QUEUE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (license_id, hardware_id) DO UPDATE SET ticket = excluded.ticket,"
            + " enqueued_s = excluded.enqueued_s, enqueued_ns = excluded.enqueued_ns, expires_s = excluded.expires_s,"
            + " expires_ns = excluded.expires_ns, " + HOLDER_UPDATE;
    public final String deleteQueueEntry = "DELETE FROM seat_queue WHERE license_id = ? AND hardware_id = ?";

    /**
     * A lease's or queue entry's metadata pairs in order, read only for a row whose
     * {@code meta_count} is above 0 ({@link HolderMeta}); binds (license_id, kind, seat).
     */
    public final String holderMeta = "SELECT name, value FROM holder_meta WHERE license_id = ? AND kind = ? AND seat = ?"
            + " ORDER BY ord";
    /**
     * Every pair of a license's leases or queue entries, by seat then in order: where several rows
     * read together have pairs. Binds (license_id, kind).
     */
    public final String holderMetaOfLicense = "SELECT seat, name, value FROM holder_meta WHERE license_id = ? AND kind = ?"
            + " ORDER BY seat, ord";
    /**
     * One pair, written after its row's put; the row's put (an update of {@code meta_count}) or
     * delete has already removed the old pairs by trigger. Binds (license_id, kind, seat, ord, name, value).
     */
    public final String insertHolderMeta = "INSERT INTO holder_meta (license_id, kind, seat, ord, name, value)"
            + " VALUES (?, ?, ?, ?, ?, ?)";

    public final String client = "SELECT id, name, platform_type, host_name FROM client WHERE id = ?";
    public final String clientByName = "SELECT id, name, platform_type, host_name FROM client WHERE name = ?";
    public final String clientsAfter;
    public final String putClient = "UPDATE client SET platform_type = ?, host_name = ? WHERE id = ?";
    // deleteClient: its agents and consumptions (primary-key prefixes), then the row
    public final String deleteAgents = "DELETE FROM agent WHERE client_id = ?";
    public final String deleteConsumptions = "DELETE FROM consumption WHERE client_id = ?";
    public final String deleteClient = "DELETE FROM client WHERE id = ?";
    public final String insertClient = "INSERT INTO client (name, platform_type, host_name) VALUES (?, ?, ?) RETURNING id";
    public final String agent = "SELECT client_id, app_type, name FROM agent WHERE client_id = ? AND app_type = ?";
    public final String agents = "SELECT client_id, app_type, name FROM agent WHERE client_id = ? ORDER BY app_type";
    public final String putAgent = "INSERT INTO agent (client_id, app_type, name) VALUES (?, ?, ?)"
            + " ON CONFLICT (client_id, app_type) DO UPDATE SET name = excluded.name";

    public final String clientLicense = "SELECT " + CLIENT_LICENSE_COLUMNS + " FROM client_license WHERE id = ?";
    public final String clientLicenseByType = "SELECT " + CLIENT_LICENSE_COLUMNS + " FROM client_license"
            + " WHERE platform_type = ? AND license_type = ? AND app_type = ?";
    /** The one full read: the catalog of purchased client licenses, small by nature. */
    public final String clientLicenses = "SELECT " + CLIENT_LICENSE_COLUMNS + " FROM client_license ORDER BY id";
    public final String insertClientLicense = insert("client_license", CLIENT_LICENSE_FIELDS);
    public final String putClientLicense = update("client_license", CLIENT_LICENSE_FIELDS);

    public final String consumption = "SELECT " + CONSUMPTION_COLUMNS + " FROM consumption"
            + " WHERE client_id = ? AND client_license_id = ? AND agent_level = ?";
    public final String consumptionsOfClient = "SELECT " + CONSUMPTION_COLUMNS + " FROM consumption"
            + " WHERE client_id = ? ORDER BY client_license_id, agent_level";
    public final String heldConsumptions = "SELECT " + CONSUMPTION_COLUMNS + " FROM consumption"
            + " WHERE client_license_id = ? AND released = 0 ORDER BY client_id, agent_level";
    public final String putConsumption = "INSERT INTO consumption (" + CONSUMPTION_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, client_license_id, agent_level)"
            + " DO UPDATE SET released = excluded.released, changed_s = excluded.changed_s,"
            + " changed_ns = excluded.changed_ns";

    public final String appendLedger;
    /** Run before a unit's first ledger insert, or null ({@link Dialect#lockLedger}). */
    public final String lockLedger;
    public final String ledger;
    /**
     * The feed: entries after a seq, by seq. Gap-free only if the dialect assigns seqs in commit
     * order or bounds what is visible ({@link Dialect#ledgerVisible}; see
     * {@link dev.licensor.store.Change.AppendLedger}).
     */
    public final String ledgerAfter;
    /** Whether the range queries above end with {@code LIMIT ?} ({@link Dialect#limitRanges}). */
    public final boolean limitedRanges;
    /** Null if the dialect's sequence never goes back. */
    public final String beforePrune;
    /** Binds (before_s, before_ns, limit); the dialect's if it has one ({@link Dialect#pruneLedger}). */
    public final String pruneLedger;
    static final String PRUNE_LEDGER = "DELETE FROM ledger WHERE seq IN (SELECT seq FROM ledger"
            + " WHERE (at_s, at_ns) < (?, ?) ORDER BY at_s, at_ns, seq LIMIT ?)";

    /** A pool unit's load and apply as one statement each, or null ({@link Dialect#oneStatementUnits}). */
    final PoolSql pool;

    private final Map<LockKey.Kind, String> locks = new EnumMap<>(LockKey.Kind.class);
    private final List<String> all;

    /** The statements for {@code dialect}. */
    public Statements(Dialect dialect) {
        Objects.requireNonNull(dialect, "dialect");
        appendLedger = Objects.requireNonNull(dialect.appendLedger(), "appendLedger");
        beforePrune = dialect.beforePrune();
        lockLedger = dialect.lockLedger();
        limitedRanges = dialect.limitRanges();
        String limit = limitedRanges ? " LIMIT ?" : "";
        lapsedLeasesOfLicense = "SELECT " + LEASE_COLUMNS + " FROM lease"
                + " WHERE license_id = ? AND (expires_s, expires_ns) <= (?, ?)"
                + " ORDER BY expires_s, expires_ns, hardware_id" + limit;
        lapsedLeases = "SELECT " + LEASE_COLUMNS + " FROM lease"
                + " WHERE (expires_s, expires_ns) <= (?, ?) ORDER BY expires_s, expires_ns, license_id, hardware_id"
                + limit;
        ledger = "SELECT " + LEDGER_COLUMNS + " FROM ledger"
                + " WHERE (at_s, at_ns) >= (?, ?) AND (at_s, at_ns) < (?, ?) ORDER BY at_s, at_ns, seq"
                + limit;
        licensesAfter = "SELECT " + LICENSE_COLUMNS + " FROM license WHERE id > ? ORDER BY id" + limit;
        licensesOfProduct = "SELECT " + LICENSE_COLUMNS + " FROM license WHERE product = ? AND id > ? ORDER BY id" + limit;
        licensesOfUser = "SELECT " + LICENSE_COLUMNS + " FROM license WHERE username = ? AND id > ? ORDER BY id" + limit;
        clientsAfter = "SELECT id, name, platform_type, host_name FROM client WHERE id > ? ORDER BY id" + limit;
        productsAfter = "SELECT code, name, floating_timeout_s, floating_timeout_ns, max_borrow_s, max_borrow_ns"
                + " FROM product WHERE code > ? ORDER BY code" + limit;
        ledgerAfter = "SELECT " + LEDGER_COLUMNS + " FROM ledger WHERE seq > ?"
                + (dialect.ledgerVisible() == null ? "" : " AND " + dialect.ledgerVisible()) + " ORDER BY seq" + limit;
        pruneLedger = dialect.pruneLedger() != null ? dialect.pruneLedger() : PRUNE_LEDGER;
        for (LockKey.Kind kind : LockKey.Kind.values()) {
            String sql = dialect.lock(kind);
            if (sql != null) {
                locks.put(kind, sql);
            }
        }
        List<String> list = new ArrayList<>(List.of(product, putProduct, license, licenseByKey, licenseByUser,
                insertLicense, putLicense, activation, countActivations, putActivation, deleteActivation,
                blacklisted, putBlacklist, deleteBlacklist, lease, countLiveLeases, lapsedLeasesOfLicense,
                lapsedLeases, liveLeases, liveLeasesIfPolicy, putLease, deleteLease, poolPolicy, putPoolOptions, deletePoolRules, insertPoolRule,
                seatGroup, putSeatGroup, deleteGroupMembers, insertGroupMember,
                queue, putQueueEntry, deleteQueueEntry, holderMeta, holderMetaOfLicense, insertHolderMeta, client, clientByName, insertClient, agent, agents,
                putAgent, clientLicense, clientLicenseByType, clientLicenses, insertClientLicense, putClientLicense,
                consumption, consumptionsOfClient, heldConsumptions, putConsumption, appendLedger, ledger,
                ledgerAfter, pruneLedger, licensesAfter, licensesOfProduct, licensesOfUser, deleteActivations,
                deleteLeases, deleteQueue, deletePoolOptions, deleteLicense, retireLicenseName, licenseNameRetired,
                clientsAfter, productsAfter, deleteProduct, deleteProductBlacklist, putClient, deleteAgents,
                deleteConsumptions, deleteClient));
        pool = dialect.oneStatementUnits() && dialect.pipelines() ? new PoolSql(this) : null;
        if (pool != null) {
            list.add(pool.load());
            list.add(pool.everyWrite());
        }
        if (beforePrune != null) {
            list.add(beforePrune);
        }
        if (lockLedger != null) {
            list.add(lockLedger);
        }
        list.addAll(locks.values());
        list.add(poolHead);
        list.addAll(seatLeases);
        all = Collections.unmodifiableList(list);
    }

    /** The lock statement for {@code kind}, or null if the dialect takes no lock. */
    public String lock(LockKey.Kind kind) {
        return locks.get(kind);
    }

    /** Every statement above, for a query-plan test. */
    public List<String> all() {
        return all;
    }

    /** {@code INSERT INTO table (fields) VALUES (?, ...) RETURNING id}: the id is generated. */
    private static String insert(String table, String fields) {
        String marks = String.join(", ", Collections.nCopies(fields.split(", ").length, "?"));
        return "INSERT INTO " + table + " (" + fields + ") VALUES (" + marks + ") RETURNING id";
    }

    /** {@code UPDATE table SET field = ?, ... WHERE id = ?}: every field, then the id. */
    private static String update(String table, String fields) {
        return "UPDATE " + table + " SET " + String.join(" = ?, ", fields.split(", ")) + " = ? WHERE id = ?";
    }
}
