package dev.licensor.store.postgresql.internal;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.StoreTransaction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store's rows, read and written on one connection inside one PostgreSQL transaction (begun
 * and ended by {@link Units}). Every statement is a lookup by key or an index range; none scans a
 * table that grows (checked with {@code EXPLAIN} on filled tables). Tables are found through the
 * unit's {@code search_path} (the store's schema). Not API.
 *
 * <p>Prepared statements are made per unit; the PostgreSQL driver keeps the server-side prepared
 * statement per connection, keyed by SQL text, so a pooled connection reuses it.
 *
 * <p>Not thread-safe: valid only inside its unit, on the unit's thread.
 */
final class PgTransaction implements StoreTransaction {

    // ---- SQL, one constant per statement (the EXPLAIN QUERY PLAN test walks this list)

    static final String PRODUCT = "SELECT code, name, floating_timeout_s, floating_timeout_ns, max_borrow_s, max_borrow_ns"
            + " FROM product WHERE code = ?";
    static final String INSERT_PRODUCT = "INSERT INTO product (code, name, floating_timeout_s,"
            + " floating_timeout_ns, max_borrow_s, max_borrow_ns) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code)"
            + " DO UPDATE SET name = excluded.name, floating_timeout_s = excluded.floating_timeout_s,"
            + " floating_timeout_ns = excluded.floating_timeout_ns, max_borrow_s = excluded.max_borrow_s,"
            + " max_borrow_ns = excluded.max_borrow_ns";

    private static final String LICENSE_COLUMNS = "id, product, license_key, username, type, enabled, active,"
            + " valid_from_s, valid_from_ns, valid_until_s, valid_until_ns, max_activations, floating_seats,"
            + " floating_timeout_s, floating_timeout_ns, borrow_allowed, max_borrow_s, max_borrow_ns,"
            + " max_consumptions, consumed, overage_allowed, max_overage";
    static final String LICENSE = "SELECT " + LICENSE_COLUMNS + " FROM license WHERE id = ?";
    static final String LICENSE_BY_KEY = "SELECT " + LICENSE_COLUMNS + " FROM license WHERE product = ? AND license_key = ?";
    static final String LICENSE_BY_USER = "SELECT " + LICENSE_COLUMNS + " FROM license WHERE product = ? AND username = ?";
    static final String INSERT_LICENSE = "INSERT INTO license (product, license_key, username, type, enabled, active,"
            + " valid_from_s, valid_from_ns, valid_until_s, valid_until_ns, max_activations, floating_seats,"
            + " floating_timeout_s, floating_timeout_ns, borrow_allowed, max_borrow_s, max_borrow_ns,"
            + " max_consumptions, consumed, overage_allowed, max_overage)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    static final String UPDATE_LICENSE = "UPDATE license SET product = ?, license_key = ?, username = ?, type = ?,"
            + " enabled = ?, active = ?, valid_from_s = ?, valid_from_ns = ?, valid_until_s = ?, valid_until_ns = ?,"
            + " max_activations = ?, floating_seats = ?, floating_timeout_s = ?, floating_timeout_ns = ?,"
            + " borrow_allowed = ?, max_borrow_s = ?, max_borrow_ns = ?, max_consumptions = ?, consumed = ?,"
            + " overage_allowed = ?, max_overage = ? WHERE id = ?";

    static final String ACTIVATION = "SELECT license_id, hardware_id, activated_s, activated_ns FROM activation"
            + " WHERE license_id = ? AND hardware_id = ?";
    static final String COUNT_ACTIVATIONS = "SELECT count(*) FROM activation WHERE license_id = ?";
    static final String INSERT_ACTIVATION = "INSERT INTO activation (license_id, hardware_id, activated_s,"
            + " activated_ns) VALUES (?, ?, ?, ?) ON CONFLICT (license_id, hardware_id) DO UPDATE SET"
            + " activated_s = excluded.activated_s, activated_ns = excluded.activated_ns";
    static final String DELETE_ACTIVATION = "DELETE FROM activation WHERE license_id = ? AND hardware_id = ?";

    static final String BLACKLISTED = "SELECT 1 FROM blacklist WHERE product = ? AND hardware_id = ?";
    static final String INSERT_BLACKLIST = "INSERT INTO blacklist (product, hardware_id, at_s, at_ns)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    static final String DELETE_BLACKLIST = "DELETE FROM blacklist WHERE product = ? AND hardware_id = ?";

    private static final String LEASE_COLUMNS = "license_id, hardware_id, granted_s, granted_ns, refreshed_s,"
            + " refreshed_ns, expires_s, expires_ns, borrowed_until_s, borrowed_until_ns";
    static final String LEASE = "SELECT " + LEASE_COLUMNS + " FROM lease WHERE license_id = ? AND hardware_id = ?";
    // Row values compare (seconds, nanos) as one instant and still use the (license, expiry) index.
    static final String COUNT_LIVE_LEASES = "SELECT count(*) FROM lease"
            + " WHERE license_id = ? AND (expires_s, expires_ns) > (?, ?)";
    static final String LAPSED_LEASES_OF_LICENSE = "SELECT " + LEASE_COLUMNS + " FROM lease"
            + " WHERE license_id = ? AND (expires_s, expires_ns) <= (?, ?)"
            + " ORDER BY expires_s, expires_ns, hardware_id";
    static final String LAPSED_LEASES = "SELECT " + LEASE_COLUMNS + " FROM lease"
            + " WHERE (expires_s, expires_ns) <= (?, ?) ORDER BY expires_s, expires_ns, license_id, hardware_id";
    static final String LIVE_LEASES = "SELECT " + LEASE_COLUMNS + " FROM lease"
            + " WHERE license_id = ? AND (expires_s, expires_ns) > (?, ?) ORDER BY hardware_id";
    static final String INSERT_LEASE = "INSERT INTO lease (" + LEASE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String UPDATE_LEASE = "UPDATE lease SET granted_s = ?, granted_ns = ?, refreshed_s = ?,"
            + " refreshed_ns = ?, expires_s = ?, expires_ns = ?, borrowed_until_s = ?, borrowed_until_ns = ?"
            + " WHERE license_id = ? AND hardware_id = ?";
    static final String DELETE_LEASE = "DELETE FROM lease WHERE license_id = ? AND hardware_id = ?";

    static final String CLIENT = "SELECT id, name, platform_type, host_name FROM client WHERE id = ?";
    static final String CLIENT_BY_NAME = "SELECT id, name, platform_type, host_name FROM client WHERE name = ?";
    static final String INSERT_CLIENT = "INSERT INTO client (name, platform_type, host_name) VALUES (?, ?, ?) RETURNING id";
    static final String AGENT = "SELECT client_id, app_type, name FROM agent WHERE client_id = ? AND app_type = ?";
    static final String AGENTS = "SELECT client_id, app_type, name FROM agent WHERE client_id = ? ORDER BY app_type";
    static final String INSERT_AGENT = "INSERT INTO agent (client_id, app_type, name) VALUES (?, ?, ?)"
            + " ON CONFLICT (client_id, app_type) DO UPDATE SET name = excluded.name";

    private static final String CLIENT_LICENSE_COLUMNS = "id, platform_type, license_type, app_type, license_name,"
            + " permanent, evaluation, evaluation_expiry_s, evaluation_expiry_ns, used";
    static final String CLIENT_LICENSE = "SELECT " + CLIENT_LICENSE_COLUMNS + " FROM client_license WHERE id = ?";
    static final String CLIENT_LICENSE_BY_TYPE = "SELECT " + CLIENT_LICENSE_COLUMNS + " FROM client_license"
            + " WHERE platform_type = ? AND license_type = ? AND app_type = ?";
    /** The one full read: the catalog of purchased client licenses, small by nature. */
    static final String CLIENT_LICENSES = "SELECT " + CLIENT_LICENSE_COLUMNS + " FROM client_license ORDER BY id";
    static final String INSERT_CLIENT_LICENSE = "INSERT INTO client_license (platform_type, license_type, app_type,"
            + " license_name, permanent, evaluation, evaluation_expiry_s, evaluation_expiry_ns, used)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    static final String UPDATE_CLIENT_LICENSE_USED = "UPDATE client_license SET used = ? WHERE id = ?";

    private static final String CONSUMPTION_COLUMNS = "client_id, client_license_id, agent_level, released,"
            + " changed_s, changed_ns";
    static final String CONSUMPTION = "SELECT " + CONSUMPTION_COLUMNS + " FROM consumption"
            + " WHERE client_id = ? AND client_license_id = ? AND agent_level = ?";
    static final String CONSUMPTIONS_OF_CLIENT = "SELECT " + CONSUMPTION_COLUMNS + " FROM consumption"
            + " WHERE client_id = ? ORDER BY client_license_id, agent_level";
    static final String HELD_CONSUMPTIONS = "SELECT " + CONSUMPTION_COLUMNS + " FROM consumption"
            + " WHERE client_license_id = ? AND released = 0 ORDER BY client_id, agent_level";
    static final String UPSERT_CONSUMPTION = "INSERT INTO consumption (" + CONSUMPTION_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, client_license_id, agent_level)"
            + " DO UPDATE SET released = excluded.released, changed_s = excluded.changed_s,"
            + " changed_ns = excluded.changed_ns";

    static final String APPEND_LEDGER = "INSERT INTO ledger (at_s, at_ns, event, license_id, client_license_id,"
            + " subject, code, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq";
    static final String LEDGER = "SELECT seq, at_s, at_ns, event, license_id, client_license_id, subject, code, detail"
            + " FROM ledger WHERE (at_s, at_ns) >= (?, ?) AND (at_s, at_ns) < (?, ?) ORDER BY at_s, at_ns, seq";
    static final String PRUNE_LEDGER = "DELETE FROM ledger WHERE seq IN (SELECT seq FROM ledger"
            + " WHERE (at_s, at_ns) < (?, ?) ORDER BY at_s, at_ns, seq LIMIT ?)";

    /** Every statement the store runs inside units, for the query-plan test. */
    static final List<String> ALL = List.of(PRODUCT, INSERT_PRODUCT, LICENSE, LICENSE_BY_KEY, LICENSE_BY_USER,
            INSERT_LICENSE, UPDATE_LICENSE, ACTIVATION, COUNT_ACTIVATIONS, INSERT_ACTIVATION, DELETE_ACTIVATION,
            BLACKLISTED, INSERT_BLACKLIST, DELETE_BLACKLIST, LEASE, COUNT_LIVE_LEASES, LAPSED_LEASES_OF_LICENSE,
            LAPSED_LEASES, LIVE_LEASES, INSERT_LEASE, UPDATE_LEASE, DELETE_LEASE, CLIENT, CLIENT_BY_NAME,
            INSERT_CLIENT, AGENT, AGENTS, INSERT_AGENT, CLIENT_LICENSE, CLIENT_LICENSE_BY_TYPE, CLIENT_LICENSES,
            INSERT_CLIENT_LICENSE, UPDATE_CLIENT_LICENSE_USED, CONSUMPTION, CONSUMPTIONS_OF_CLIENT,
            HELD_CONSUMPTIONS, UPSERT_CONSUMPTION, APPEND_LEDGER, LEDGER, PRUNE_LEDGER);

    // ---- row mappers

    /** Reads one row. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static final Row<Product> PRODUCT_ROW = rs -> new Product(rs.getString(1), rs.getString(2),
            Times.duration(rs, 3), Times.duration(rs, 5));

    private static final Row<License> LICENSE_ROW = rs -> new License(rs.getLong(1), rs.getString(2),
            rs.getString(3), rs.getString(4), LicenseType.valueOf(rs.getString(5)), rs.getInt(6) != 0,
            rs.getInt(7) != 0, Times.instant(rs, 8), Times.instant(rs, 10), rs.getInt(12), rs.getInt(13),
            Times.duration(rs, 14), rs.getInt(16) != 0, Times.duration(rs, 17), rs.getLong(19), rs.getLong(20),
            rs.getInt(21) != 0, rs.getLong(22));

    private static final Row<Activation> ACTIVATION_ROW = rs -> new Activation(rs.getLong(1),
            rs.getString(2), Times.instant(rs, 3));

    private static final Row<Lease> LEASE_ROW = rs -> new Lease(rs.getLong(1), rs.getString(2),
            Times.instant(rs, 3), Times.instant(rs, 5), Times.instant(rs, 7), Times.instant(rs, 9));

    private static final Row<Client> CLIENT_ROW = rs -> new Client(rs.getLong(1), rs.getString(2),
            rs.getInt(3), rs.getString(4));

    private static final Row<Agent> AGENT_ROW = rs -> new Agent(rs.getLong(1), rs.getInt(2), rs.getString(3));

    private static final Row<ClientLicense> CLIENT_LICENSE_ROW = rs -> new ClientLicense(rs.getLong(1),
            rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getString(5), rs.getInt(6), rs.getInt(7),
            Times.instant(rs, 8), rs.getInt(10));

    private static final Row<ConsumedLicense> CONSUMPTION_ROW = rs -> new ConsumedLicense(rs.getLong(1),
            rs.getLong(2), rs.getInt(3) != 0, rs.getInt(4) != 0, Times.instant(rs, 5));

    private static final Map<String, Code> CODES = new HashMap<>();

    static {
        for (Code code : Code.values()) {
            CODES.put(code.key(), code);
        }
    }

    private static final Row<LedgerEntry> LEDGER_ROW = rs -> new LedgerEntry(rs.getLong(1),
            Times.instant(rs, 2), LedgerEvent.valueOf(rs.getString(4)), rs.getLong(5), rs.getLong(6),
            rs.getString(7), code(rs.getString(8)), rs.getString(9));

    private static final Row<Long> LONG_ROW = rs -> rs.getLong(1);

    private static Code code(String key) {
        Code code = CODES.get(key);
        if (code == null) {
            throw new IllegalStateException("unknown code in the ledger: " + key);
        }
        return code;
    }

    private final java.sql.Connection connection;
    private final boolean readOnly;
    private final Notices notices;
    private final List<PreparedStatement> statements = new ArrayList<>();
    private boolean open = true;
    private String productCode; // the product last read in this unit, and what was read
    private Optional<Product> productRow;

    PgTransaction(java.sql.Connection connection, boolean readOnly, Notices notices) {
        this.connection = connection;
        this.readOnly = readOnly;
        this.notices = notices;
    }

    /** Ends this view: any later call throws; closes the unit's statements. */
    void close() {
        open = false;
        for (PreparedStatement statement : statements) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // the connection goes back to the pool or away; nothing to keep
            }
        }
        statements.clear();
    }

    private void usable() {
        if (!open) {
            throw new IllegalStateException("the unit of work is over");
        }
    }

    private void writable() {
        usable();
        if (readOnly) {
            throw new IllegalStateException("write inside a read-only unit of work");
        }
    }

    // ---- execution: cached prepared statements, positional typed binds, results read in full

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statements.add(statement);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int position = i + 1;
            if (a instanceof Long l) {
                statement.setLong(position, l);
            } else if (a instanceof Integer n) {
                statement.setInt(position, n);
            } else if (a instanceof String s) {
                statement.setString(position, s);
            } else if (a instanceof Boolean b) {
                statement.setInt(position, b ? 1 : 0);
            } else if (a == null) {
                statement.setNull(position, Types.NULL);
            } else {
                throw new IllegalArgumentException("cannot bind " + a.getClass());
            }
        }
        return statement;
    }

    private static Long seconds(Instant t) {
        return t == null ? null : t.getEpochSecond();
    }

    private static Long nanos(Instant t) {
        return t == null ? null : (long) t.getNano();
    }

    private static Long seconds(Duration d) {
        return d == null ? null : d.getSeconds();
    }

    private static Long nanos(Duration d) {
        return d == null ? null : (long) d.getNano();
    }

    private <T> Optional<T> one(String sql, Row<T> row, Object... args) {
        usable();
        try (ResultSet rs = prepare(sql, args).executeQuery()) {
            return rs.next() ? Optional.of(row.map(rs)) : Optional.empty();
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    private <T> List<T> list(String sql, Row<T> row, Object... args) {
        return upTo(Integer.MAX_VALUE, sql, row, args);
    }

    /**
     * Up to {@code max} rows. Range queries stop reading here rather than with a bound
     * {@code LIMIT ?}, which measured about three times slower per call in sqlite-jdbc; their
     * {@code ORDER BY} follows an index, so rows stream and nothing past {@code max} is read.
     */
    private <T> List<T> upTo(int max, String sql, Row<T> row, Object... args) {
        usable();
        try (ResultSet rs = prepare(sql, args).executeQuery()) {
            List<T> result = new ArrayList<>();
            while (result.size() < max && rs.next()) {
                result.add(row.map(rs));
            }
            return result;
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    private long longValue(String sql, Object... args) {
        return one(sql, LONG_ROW, args).orElseThrow();
    }

    private long insertReturningId(String sql, Object... args) {
        writable();
        return longValue(sql, args);
    }

    private int update(String sql, Object... args) {
        writable();
        try {
            return prepare(sql, args).executeUpdate();
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    private void updateOne(String sql, String what, Object... args) {
        if (update(sql, args) != 1) {
            throw new IllegalStateException("no " + what);
        }
    }

    // ---- products

    @Override
    public Optional<Product> product(String code) {
        // The engine reads the product twice in a seat-taking unit; inside one transaction the row
        // cannot change except through this unit, so the second read is served from here.
        if (code.equals(productCode)) {
            usable();
            return productRow;
        }
        Optional<Product> row = one(PRODUCT, PRODUCT_ROW, code);
        productCode = code;
        productRow = row;
        return row;
    }

    @Override
    public void insertProduct(Product p) {
        update(INSERT_PRODUCT, p.code(), p.name(), seconds(p.floatingTimeout()), nanos(p.floatingTimeout()),
                seconds(p.maxBorrowTime()), nanos(p.maxBorrowTime()));
        productCode = null;
        productRow = null;
    }

    // ---- licenses

    @Override
    public Optional<License> license(long id) {
        return one(LICENSE, LICENSE_ROW, id);
    }

    @Override
    public Optional<License> licenseByKey(String product, String key) {
        return one(LICENSE_BY_KEY, LICENSE_ROW, product, key);
    }

    @Override
    public Optional<License> licenseByUser(String product, String username) {
        return one(LICENSE_BY_USER, LICENSE_ROW, product, username);
    }

    private static Object[] licenseValues(License l, Object... tail) {
        Object[] head = {l.product(), l.key(), l.username(), l.type().name(), l.enabled(), l.active(),
            seconds(l.validFrom()), nanos(l.validFrom()), seconds(l.validUntil()), nanos(l.validUntil()),
            l.maxActivations(), l.floatingSeats(), seconds(l.floatingTimeout()), nanos(l.floatingTimeout()),
            l.borrowAllowed(), seconds(l.maxBorrowTime()), nanos(l.maxBorrowTime()), l.maxConsumptions(),
            l.consumed(), l.overageAllowed(), l.maxOverage()};
        Object[] all = new Object[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Override
    public long insertLicense(License license) {
        return insertReturningId(INSERT_LICENSE, licenseValues(license));
    }

    @Override
    public void updateLicense(License license) {
        updateOne(UPDATE_LICENSE, "license " + license.id(), licenseValues(license, license.id()));
        notices.license(license.id());
    }

    // ---- activations

    @Override
    public Optional<Activation> activation(long licenseId, String hardwareId) {
        return one(ACTIVATION, ACTIVATION_ROW, licenseId, hardwareId);
    }

    @Override
    public int countActivations(long licenseId) {
        return (int) longValue(COUNT_ACTIVATIONS, licenseId);
    }

    @Override
    public void insertActivation(Activation a) {
        update(INSERT_ACTIVATION, a.licenseId(), a.hardwareId(), seconds(a.activatedAt()), nanos(a.activatedAt()));
    }

    @Override
    public boolean deleteActivation(long licenseId, String hardwareId) {
        return update(DELETE_ACTIVATION, licenseId, hardwareId) == 1;
    }

    // ---- blacklist

    @Override
    public boolean isBlacklisted(String product, String hardwareId) {
        return one(BLACKLISTED, LONG_ROW, product, hardwareId).isPresent();
    }

    @Override
    public boolean insertBlacklist(String product, String hardwareId, Instant at) {
        return update(INSERT_BLACKLIST, product, hardwareId, seconds(at), nanos(at)) == 1;
    }

    @Override
    public boolean deleteBlacklist(String product, String hardwareId) {
        return update(DELETE_BLACKLIST, product, hardwareId) == 1;
    }

    // ---- leases

    @Override
    public Optional<Lease> lease(long licenseId, String hardwareId) {
        return one(LEASE, LEASE_ROW, licenseId, hardwareId);
    }

    @Override
    public int countLeasesLiveAfter(long licenseId, Instant t) {
        return (int) longValue(COUNT_LIVE_LEASES, licenseId, seconds(t), nanos(t));
    }

    @Override
    public List<Lease> leasesLapsedBy(long licenseId, Instant t, int limit) {
        return upTo(limit, LAPSED_LEASES_OF_LICENSE, LEASE_ROW, licenseId, seconds(t), nanos(t));
    }

    @Override
    public List<Lease> leasesLapsedBy(Instant t, int limit) {
        return upTo(limit, LAPSED_LEASES, LEASE_ROW, seconds(t), nanos(t));
    }

    @Override
    public List<Lease> leasesLiveAfter(long licenseId, Instant t) {
        return list(LIVE_LEASES, LEASE_ROW, licenseId, seconds(t), nanos(t));
    }

    @Override
    public void insertLease(Lease l) {
        notices.seat(l.licenseId(), l.hardwareId());
        update(INSERT_LEASE, l.licenseId(), l.hardwareId(), seconds(l.grantedAt()), nanos(l.grantedAt()),
                seconds(l.refreshedAt()), nanos(l.refreshedAt()), seconds(l.expiresAt()), nanos(l.expiresAt()),
                seconds(l.borrowedUntil()), nanos(l.borrowedUntil()));
    }

    @Override
    public void updateLease(Lease l) {
        notices.seat(l.licenseId(), l.hardwareId());
        updateOne(UPDATE_LEASE, "lease " + l.licenseId() + "/" + l.hardwareId(),
                seconds(l.grantedAt()), nanos(l.grantedAt()), seconds(l.refreshedAt()), nanos(l.refreshedAt()),
                seconds(l.expiresAt()), nanos(l.expiresAt()), seconds(l.borrowedUntil()), nanos(l.borrowedUntil()),
                l.licenseId(), l.hardwareId());
    }

    @Override
    public boolean deleteLease(long licenseId, String hardwareId) {
        notices.seat(licenseId, hardwareId);
        return update(DELETE_LEASE, licenseId, hardwareId) == 1;
    }

    // ---- clients and agents

    @Override
    public Optional<Client> client(long id) {
        return one(CLIENT, CLIENT_ROW, id);
    }

    @Override
    public Optional<Client> clientByName(String name) {
        return one(CLIENT_BY_NAME, CLIENT_ROW, name);
    }

    @Override
    public long insertClient(Client c) {
        return insertReturningId(INSERT_CLIENT, c.name(), c.platformType(), c.hostName());
    }

    @Override
    public Optional<Agent> agent(long clientId, int appType) {
        return one(AGENT, AGENT_ROW, clientId, appType);
    }

    @Override
    public List<Agent> agents(long clientId) {
        return list(AGENTS, AGENT_ROW, clientId);
    }

    @Override
    public void insertAgent(Agent a) {
        update(INSERT_AGENT, a.clientId(), a.appType(), a.name());
    }

    // ---- client licenses

    @Override
    public Optional<ClientLicense> clientLicense(long id) {
        return one(CLIENT_LICENSE, CLIENT_LICENSE_ROW, id);
    }

    @Override
    public Optional<ClientLicense> clientLicense(int platformType, int licenseType, int appType) {
        return one(CLIENT_LICENSE_BY_TYPE, CLIENT_LICENSE_ROW, platformType, licenseType, appType);
    }

    @Override
    public List<ClientLicense> clientLicenses() {
        return list(CLIENT_LICENSES, CLIENT_LICENSE_ROW);
    }

    @Override
    public long insertClientLicense(ClientLicense c) {
        return insertReturningId(INSERT_CLIENT_LICENSE, c.platformType(), c.licenseType(), c.appType(),
                c.licenseName(), c.permanent(), c.evaluation(), seconds(c.evaluationExpiry()),
                nanos(c.evaluationExpiry()), c.used());
    }

    @Override
    public void updateClientLicenseUsed(long id, int used) {
        updateOne(UPDATE_CLIENT_LICENSE_USED, "client license " + id, used, id);
    }

    // ---- consumptions

    @Override
    public Optional<ConsumedLicense> consumption(long clientId, long clientLicenseId, boolean agentLevel) {
        return one(CONSUMPTION, CONSUMPTION_ROW, clientId, clientLicenseId, agentLevel);
    }

    @Override
    public List<ConsumedLicense> consumptionsOfClient(long clientId) {
        return list(CONSUMPTIONS_OF_CLIENT, CONSUMPTION_ROW, clientId);
    }

    @Override
    public List<ConsumedLicense> heldConsumptionsOf(long clientLicenseId) {
        return list(HELD_CONSUMPTIONS, CONSUMPTION_ROW, clientLicenseId);
    }

    @Override
    public void upsertConsumption(ConsumedLicense c) {
        notices.client(c.clientId());
        update(UPSERT_CONSUMPTION, c.clientId(), c.clientLicenseId(), c.agentLevel(), c.released(),
                seconds(c.changedAt()), nanos(c.changedAt()));
    }

    // ---- ledger

    @Override
    public long appendLedger(LedgerEntry e) {
        return insertReturningId(APPEND_LEDGER, seconds(e.at()), nanos(e.at()), e.event().name(), e.licenseId(),
                e.clientLicenseId(), e.subject(), e.code().key(), e.detail());
    }

    @Override
    public List<LedgerEntry> ledger(Instant from, Instant to, int limit) {
        return upTo(limit, LEDGER, LEDGER_ROW, seconds(from), nanos(from), seconds(to), nanos(to));
    }

    @Override
    public int pruneLedger(Instant before, int limit) {
        return update(PRUNE_LEDGER, seconds(before), nanos(before), limit);
    }
}
