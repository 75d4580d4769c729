package dev.licensor.store.jdbc;

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
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.Change;
import dev.licensor.store.Count;
import dev.licensor.store.HeldLocks;
import dev.licensor.store.Key;
import dev.licensor.store.LockKey;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.PoolLoad;
import dev.licensor.store.PoolState;
import dev.licensor.store.Query;
import dev.licensor.store.StoreTransaction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store's rows, read and written on one connection inside one transaction (begun and ended
 * by {@link Units}). Every statement is a lookup by key or an index range; none scans a table
 * that grows. {@link #lock} runs the dialect's lock statement for each new key, in the global
 * order ({@link HeldLocks}), or nothing if the dialect has none. Where the dialect pipelines, the
 * lock statements, the {@code BEGIN} and the writes whose result is not returned travel with the
 * unit's next statement or its {@code COMMIT} ({@link JdbcConnection}): the server takes each lock
 * before it runs anything the unit sends after it, so a unit still reads only what its locks guard;
 * a lock wait, deadlock or failing write surfaces at that next statement. {@link #loadPool} and
 * {@link #apply} send their reads, and their writes with the ledger inserts, in one round trip each,
 * as one statement each where the dialect {@link Dialect#oneStatementUnits() allows} ({@link PoolSql}).
 *
 * <p>This is the hot path, so it runs the connection's cached {@link PreparedStatement}s directly
 * rather than through Jdbi: measured on the checkout unit, Jdbi's per-statement set-up (config
 * copy, argument resolution, cleanables) cost more than the indexed lookup itself. Jdbi still owns
 * the connections, opening, migrations and backup. A failing statement throws {@link SqlFailure},
 * which {@link Units} translates.
 *
 * <p>Not thread-safe: valid only inside its unit, on the unit's thread.
 */
public final class JdbcTransaction implements StoreTransaction {

    private final JdbcConnection connection;
    private final Statements s;
    private final boolean readOnly;
    private HeldLocks held;
    private boolean ledgerLocked;
    private boolean open = true;
    private String productCode; // the product last read in this unit, and what was read
    private Optional<Product> productRow;

    /** A view of the transaction {@code connection} has open; {@code readOnly} refuses writes and locks. */
    public JdbcTransaction(JdbcConnection connection, Statements statements, boolean readOnly) {
        this.connection = connection;
        this.s = statements;
        this.readOnly = readOnly;
    }

    /** The connection this unit runs on (for tests that inspect its settings). */
    public JdbcConnection connection() {
        return connection;
    }

    /**
     * How many {@link #apply(PoolChanges)} calls on this store's statements ran one statement per
     * write because their changes could not be one statement ({@link PoolSql#expressible}); 0 on a
     * dialect without {@link Dialect#oneStatementUnits()}. For tests and the docs' figures.
     */
    public long applyFallbacks() {
        return s.pool == null ? 0 : s.pool.fallbacks();
    }

    /** Ends this view: any later call throws. */
    public void close() {
        open = false;
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
        return JdbcConnection.bind(connection.statement(sql), 0, args);
    }

    /** The rows of {@code sql}, sent with any deferred statements in front of it. */
    private ResultSet query(String sql, Object... args) throws SQLException {
        if (!connection.hasDeferred()) {
            return prepare(sql, args).executeQuery();
        }
        return connection.execute(sql, args).getResultSet();
    }

    private <T> Optional<T> one(String sql, Rows.Row<T> row, Object... args) {
        usable();
        try (ResultSet rs = query(sql, args)) {
            return rs.next() ? Optional.of(row.map(rs)) : Optional.empty();
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    private <T> List<T> list(String sql, Rows.Row<T> row, Object... args) {
        return upTo(Integer.MAX_VALUE, sql, row, args);
    }

    /**
     * Up to {@code max} rows. Range queries stop reading here rather than with a bound
     * {@code LIMIT ?}, which measured about three times slower per call in sqlite-jdbc; their
     * {@code ORDER BY} follows an index, so rows stream and nothing past {@code max} is read.
     */
    private <T> List<T> upTo(int max, String sql, Rows.Row<T> row, Object... args) {
        usable();
        try (ResultSet rs = query(sql, args)) {
            List<T> result = new ArrayList<>();
            while (result.size() < max && rs.next()) {
                result.add(row.map(rs));
            }
            return result;
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    /** A range query's arguments, with {@code limit} appended when the dialect puts it in the SQL. */
    private Object[] limited(int limit, Object... args) {
        if (!s.limitedRanges) {
            return args;
        }
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = limit;
        return all;
    }

    private long longValue(String sql, Object... args) {
        return one(sql, Rows.LONG, args).orElseThrow();
    }

    private long insertReturningId(String sql, Object... args) {
        writable();
        return longValue(sql, args);
    }

    private int update(String sql, Object... args) {
        writable();
        try {
            if (!connection.hasDeferred()) {
                return prepare(sql, args).executeUpdate();
            }
            return connection.execute(sql, args).getUpdateCount();
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    /**
     * A write whose count nobody reads: sent with the unit's next statement or its commit where the
     * dialect pipelines ({@link JdbcConnection#defer}); read-your-writes holds, as every later
     * statement runs after it.
     */
    private void write(String sql, Object... args) {
        writable();
        try {
            connection.defer(sql, args);
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    private void updateOne(String sql, String what, Object... args) {
        if (update(sql, args) != 1) {
            throw new IllegalStateException("no " + what);
        }
    }

    // ---- locks

    @Override
    public void lock(LockKey... keys) {
        usable();
        if (readOnly) {
            throw new IllegalStateException("lock inside a read-only unit of work");
        }
        for (LockKey key : (held == null ? held = new HeldLocks() : held).admit(keys)) {
            String sql = s.lock(key.kind());
            if (sql != null) {
                try {
                    // taken by the server before the unit's next statement, which travels with it
                    connection.defer(sql, key.id());
                } catch (SQLException e) {
                    throw new SqlFailure(sql, e);
                }
            }
        }
    }

    // ---- pool units: one round trip to load, one to apply, where the dialect pipelines

    /**
     * Where the dialect pipelines, every read of the default in one multi-statement prepared
     * statement, sent with the unit's deferred {@code BEGIN} and lock: one round trip. Which
     * live-lease read {@link PoolLoad.Live#LIST_IF_POLICY} wants depends on the policy read in the
     * same trip, so the list comes for a pool with policy rows ({@link Statements#liveLeasesIfPolicy})
     * and the count for every pool; a stored policy equal to {@link PoolPolicy#NONE} keeps only the
     * count, as the default does. Seat groups, named by the policy, are read after it (a second
     * trip, only for a policy that names groups).
     */
    @Override
    public Optional<PoolState> loadPool(PoolLoad load) {
        if (!connection.dialect().pipelines()) {
            return loadPoolByRows(load);
        }
        if (s.pool != null) {
            return loadPoolInOne(load);
        }
        usable();
        long id = load.licenseId();
        Long nowS = Times.seconds(load.now());
        Long nowNs = Times.nanos(load.now());
        PoolLoad.Live mode = load.live();
        List<String> sql = new ArrayList<>();
        List<Object[]> args = new ArrayList<>();
        part(sql, args, s.license, id);
        part(sql, args, s.blacklisted, load.product(), load.hardwareId());
        part(sql, args, s.activation, id, load.hardwareId());
        if (load.countActivations()) {
            part(sql, args, s.countActivations, id);
        }
        part(sql, args, s.poolPolicy, id);
        for (String key : load.seatKeys()) {
            part(sql, args, s.lease, id, key);
        }
        if (mode != PoolLoad.Live.NONE) {
            part(sql, args, s.countLiveLeases, id, nowS, nowNs);
        }
        if (mode == PoolLoad.Live.LIST) {
            part(sql, args, s.liveLeases, id, nowS, nowNs);
        } else if (mode == PoolLoad.Live.LIST_IF_POLICY) {
            part(sql, args, s.liveLeasesIfPolicy, id, nowS, nowNs, id, id);
        }
        if (load.lapsedLimit() > 0) {
            part(sql, args, s.lapsedLeasesOfLicense, limited(load.lapsedLimit(), id, nowS, nowNs));
        }
        if (load.queue()) {
            part(sql, args, s.queue, id);
        }
        Optional<License> license;
        boolean blacklisted;
        Optional<Activation> activation;
        int activations = -1;
        PoolPolicy policy;
        Map<String, Rows.Held<Lease>> seatLeases = new HashMap<>();
        int liveCount = -1;
        List<Rows.Held<Lease>> live = List.of();
        List<Rows.Held<Lease>> lapsed = List.of();
        List<Rows.Held<QueueEntry>> queue = List.of();
        try {
            PreparedStatement ps = connection.executeAll(sql, args);
            license = first(ps, Rows.LICENSE);
            blacklisted = next(ps, Rows.LONG).isPresent();
            activation = next(ps, Rows.ACTIVATION);
            if (load.countActivations()) {
                activations = (int) (long) next(ps, Rows.LONG).orElseThrow();
            }
            policy = next(ps, Rows::poolPolicy).orElse(PoolPolicy.NONE);
            for (String key : load.seatKeys()) {
                next(ps, Rows.LEASE).ifPresent(l -> seatLeases.put(key, l));
            }
            if (mode != PoolLoad.Live.NONE) {
                liveCount = (int) (long) next(ps, Rows.LONG).orElseThrow();
            }
            if (mode == PoolLoad.Live.LIST || mode == PoolLoad.Live.LIST_IF_POLICY) {
                List<Rows.Held<Lease>> list = all(ps, Rows.LEASE, Integer.MAX_VALUE);
                if (mode == PoolLoad.Live.LIST || !policy.isNone()) {
                    live = list;
                    liveCount = list.size();
                }
            }
            if (load.lapsedLimit() > 0) {
                lapsed = all(ps, Rows.LEASE, load.lapsedLimit());
            }
            if (load.queue()) {
                List<Rows.Held<QueueEntry>> entries = all(ps, Rows.QUEUE_ENTRY, Integer.MAX_VALUE);
                queue = policy.queueLength() > 0 ? entries : List.of();
            }
        } catch (SQLException e) {
            throw new SqlFailure(sql.get(0), e);
        }
        if (license.isEmpty()) {
            return Optional.empty();
        }
        List<SeatGroup> groups = new ArrayList<>();
        if (mode != PoolLoad.Live.NONE) {
            for (Map.Entry<GroupKind, String> named : PoolState.groupsNamedBy(policy)) {
                seatGroup(named.getKey(), named.getValue()).ifPresent(groups::add);
            }
        }
        // every lease read, completed together: one read of pairs at most, and none without pairs
        List<String> keys = new ArrayList<>(seatLeases.keySet());
        List<Rows.Held<Lease>> held = new ArrayList<>();
        keys.forEach(key -> held.add(seatLeases.get(key)));
        held.addAll(live);
        held.addAll(lapsed);
        List<Lease> leases = complete(held);
        Map<String, Lease> seats = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            seats.put(keys.get(i), leases.get(i));
        }
        int from = keys.size();
        List<Lease> liveRows = leases.subList(from, from + live.size());
        List<Lease> lapsedRows = leases.subList(from + live.size(), leases.size());
        return Optional.of(new PoolState(load, license.get(), blacklisted, activation, activations, policy, groups,
                seats, liveCount, List.copyOf(liveRows), List.copyOf(lapsedRows), complete(queue)));
    }

    /**
     * {@link #loadPool} as one statement ({@link PoolSql#load()}), sent with the unit's deferred
     * {@code BEGIN} and lock. The lock stays a statement of its own in front: at READ COMMITTED a
     * statement reads the snapshot taken when it starts, so a lock taken inside the load would be
     * granted after the snapshot and the load could miss the rows of the unit it waited for.
     */
    private Optional<PoolState> loadPoolInOne(PoolLoad load) {
        usable();
        String sql = s.pool.load();
        PoolSql.Loaded read;
        try (ResultSet rs = query(sql, PoolSql.loadArgs(load))) {
            read = PoolSql.decode(rs);
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
        if (read == null) {
            return Optional.empty();
        }
        PoolLoad.Live mode = load.live();
        PoolPolicy policy = read.policy();
        int liveCount = mode == PoolLoad.Live.NONE ? -1 : read.liveCount();
        List<Lease> live = List.of();
        if (mode == PoolLoad.Live.LIST || (mode == PoolLoad.Live.LIST_IF_POLICY && !policy.isNone())) {
            live = PoolSql.complete(read.live(), read.pairs());
            liveCount = live.size();
        }
        List<SeatGroup> groups = new ArrayList<>();
        if (mode != PoolLoad.Live.NONE) {
            for (Map.Entry<GroupKind, String> named : PoolState.groupsNamedBy(policy)) {
                seatGroup(named.getKey(), named.getValue()).ifPresent(groups::add);
            }
        }
        Map<String, Lease> seats = new HashMap<>();
        for (Lease lease : PoolSql.complete(read.seats(), read.pairs())) {
            seats.put(lease.hardwareId(), lease);
        }
        List<QueueEntry> queue = load.queue() && policy.queueLength() > 0
                ? PoolSql.complete(read.queue(), read.pairs()) : List.of();
        return Optional.of(new PoolState(load, read.license(), read.blacklisted(), Optional.ofNullable(read.activation()),
                load.countActivations() ? read.activations() : -1, policy, groups, seats, liveCount, live,
                PoolSql.complete(read.lapsed(), read.pairs()), queue));
    }

    private static void part(List<String> sql, List<Object[]> args, String statement, Object... values) {
        sql.add(statement);
        args.add(values);
    }

    /** The current result's first row. */
    private static <T> Optional<T> first(PreparedStatement ps, Rows.Row<T> row) throws SQLException {
        try (ResultSet rs = ps.getResultSet()) {
            return rs.next() ? Optional.of(row.map(rs)) : Optional.empty();
        }
    }

    /** The next result's first row. */
    private static <T> Optional<T> next(PreparedStatement ps, Rows.Row<T> row) throws SQLException {
        ps.getMoreResults();
        return first(ps, row);
    }

    /** Up to {@code max} rows of the next result. */
    private static <T> List<T> all(PreparedStatement ps, Rows.Row<T> row, int max) throws SQLException {
        ps.getMoreResults();
        try (ResultSet rs = ps.getResultSet()) {
            List<T> result = new ArrayList<>();
            while (result.size() < max && rs.next()) {
                result.add(row.map(rs));
            }
            return result;
        }
    }

    /**
     * Where the dialect pipelines, the writes of the default, in its order, deferred, and the ledger
     * inserts (behind the ledger lock) sent with them: one round trip, or none until the
     * {@code COMMIT} when there is no ledger entry. Deletes of rows that do not exist change
     * nothing, as in the default.
     */
    @Override
    public long[] apply(PoolChanges changes) {
        if (!connection.dialect().pipelines()) {
            return applyByRows(changes);
        }
        if (s.pool != null && s.pool.expressible(changes)) {
            return applyInOne(changes);
        }
        writable();
        long id = changes.licenseId();
        if (changes.license() != null) {
            write(s.putLicense, licenseValues(changes.license(), changes.license().id()));
        }
        if (changes.activationPut() != null) {
            putActivation(changes.activationPut());
        }
        for (String key : changes.leaseDeletes()) {
            write(s.deleteLease, id, key);
        }
        for (Lease lease : changes.leasePuts()) {
            putLease(lease);
        }
        for (String key : changes.queueDeletes()) {
            write(s.deleteQueueEntry, id, key);
        }
        for (QueueEntry entry : changes.queuePuts()) {
            putQueueEntry(entry);
        }
        if (changes.activationDelete() != null) {
            write(s.deleteActivation, id, changes.activationDelete());
        }
        for (PoolChanges.BlacklistChange b : changes.blacklist()) {
            if (b.add()) {
                write(s.putBlacklist, b.product(), b.hardwareId(), Times.seconds(b.at()), Times.nanos(b.at()));
            } else {
                write(s.deleteBlacklist, b.product(), b.hardwareId());
            }
        }
        List<LedgerEntry> ledger = changes.ledger();
        long[] seqs = new long[ledger.size()];
        if (ledger.isEmpty()) {
            return seqs;
        }
        lockLedger();
        List<String> sql = new ArrayList<>();
        List<Object[]> args = new ArrayList<>();
        for (LedgerEntry e : ledger) {
            part(sql, args, s.appendLedger, ledgerValues(e));
        }
        try {
            PreparedStatement ps = connection.executeAll(sql, args);
            for (int i = 0; i < seqs.length; i++) {
                seqs[i] = (i == 0 ? first(ps, Rows.LONG) : next(ps, Rows.LONG)).orElseThrow();
            }
        } catch (SQLException e) {
            throw new SqlFailure(s.appendLedger, e);
        }
        return seqs;
    }

    /**
     * {@link #apply(PoolChanges)} as one statement ({@link PoolSql#apply}): deferred to the
     * {@code COMMIT} when there is no ledger entry, else sent now with the deferred statements, its
     * rows the entries' seqs (ascending in list order).
     */
    private long[] applyInOne(PoolChanges changes) {
        writable();
        List<Object[]> leases = new ArrayList<>();
        changes.leasePuts().forEach(l -> leases.add(leaseValues(l)));
        List<Object[]> queue = new ArrayList<>();
        changes.queuePuts().forEach(e -> queue.add(queueValues(e)));
        List<Object[]> ledger = new ArrayList<>();
        changes.ledger().forEach(e -> ledger.add(ledgerValues(e)));
        Activation put = changes.activationPut();
        PoolSql.Bound bound = s.pool.apply(changes,
                changes.license() == null ? null : licenseValues(changes.license(), changes.license().id()),
                put == null ? null : new Object[] {put.licenseId(), put.hardwareId(), Times.seconds(put.activatedAt()),
                    Times.nanos(put.activatedAt())},
                leases, queue, ledger);
        long[] seqs = new long[ledger.size()];
        if (!bound.returnsSeqs()) {
            write(bound.sql(), bound.args());
            return seqs;
        }
        try (ResultSet rs = query(bound.sql(), bound.args())) {
            int n = 0;
            while (rs.next()) {
                seqs[n++] = rs.getLong(1);
            }
            if (n != seqs.length) {
                throw new IllegalStateException(n + " ledger seqs returned for " + seqs.length + " entries");
            }
        } catch (SQLException e) {
            throw new SqlFailure(bound.sql(), e);
        }
        java.util.Arrays.sort(seqs); // numbered from one seq in list order (PoolSql)
        return seqs;
    }

    // ---- products

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

    /**
     * {@link #loadPool} where the dialect does not pipeline (SQLite), in as few statements as the
     * shapes allow, since each costs a call into the driver: the license row with the blacklist,
     * activation, counts and whether a policy exists in one row ({@link Statements#poolHead}), the
     * seat keys' leases in one statement, then only what the pool has: its policy, the live list,
     * the lapsed leases and the queue. The same state as the pipelined load and the default.
     */
    private Optional<PoolState> loadPoolByRows(PoolLoad load) {
        usable();
        long id = load.licenseId();
        Instant now = load.now();
        PoolLoad.Live mode = load.live();
        boolean countLive = mode == PoolLoad.Live.COUNT || mode == PoolLoad.Live.LIST_IF_POLICY;
        License license;
        boolean blacklisted;
        Optional<Activation> activation;
        int activations;
        boolean hasPolicy;
        int liveCount;
        try (ResultSet rs = query(s.poolHead, load.product(), load.hardwareId(), load.countActivations(), countLive,
                Times.seconds(now), Times.nanos(now), load.hardwareId(), id)) {
            if (!rs.next()) {
                return Optional.empty();
            }
            license = Rows.LICENSE.map(rs);
            blacklisted = rs.getInt(23) != 0;
            Instant activatedAt = Times.instant(rs, 24);
            activation = activatedAt == null ? Optional.empty()
                    : Optional.of(new Activation(id, load.hardwareId(), activatedAt));
            activations = load.countActivations() ? rs.getInt(26) : -1;
            hasPolicy = rs.getInt(27) != 0;
            liveCount = countLive ? rs.getInt(28) : -1;
        } catch (SQLException e) {
            throw new SqlFailure(s.poolHead, e);
        }
        PoolPolicy policy = hasPolicy ? poolPolicy(id).orElse(PoolPolicy.NONE) : PoolPolicy.NONE;
        Map<String, Lease> seatLeases = new HashMap<>();
        List<String> keys = load.seatKeys();
        if (!keys.isEmpty()) {
            Object[] args = new Object[keys.size() + 1];
            args[0] = id;
            for (int i = 0; i < keys.size(); i++) {
                args[i + 1] = keys.get(i);
            }
            for (Lease lease : complete(list(s.seatLeases.get(keys.size() - 1), Rows.LEASE, args))) {
                seatLeases.put(lease.hardwareId(), lease);
            }
        }
        List<Lease> live = List.of();
        if (mode == PoolLoad.Live.LIST || (mode == PoolLoad.Live.LIST_IF_POLICY && !policy.isNone())) {
            live = leasesLiveAfter(id, now);
            liveCount = live.size();
        }
        List<SeatGroup> groups = new ArrayList<>();
        if (mode != PoolLoad.Live.NONE) {
            for (Map.Entry<GroupKind, String> named : PoolState.groupsNamedBy(policy)) {
                seatGroup(named.getKey(), named.getValue()).ifPresent(groups::add);
            }
        }
        List<Lease> lapsed = load.lapsedLimit() > 0 ? leasesLapsedBy(id, now, load.lapsedLimit()) : List.of();
        List<QueueEntry> queue = load.queue() && policy.queueLength() > 0 ? queue(id) : List.of();
        return Optional.of(new PoolState(load, license, blacklisted, activation, activations, policy, groups,
                seatLeases, liveCount, live, lapsed, queue));
    }

    /** {@link #apply(PoolChanges)} one write at a time, for a dialect that does not pipeline. */
    private long[] applyByRows(PoolChanges changes) {
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

    private Optional<Product> product(String code) {
        // The engine reads the product twice in a seat-taking unit; inside one transaction the row
        // cannot change except through this unit, so the second read is served from here.
        if (code.equals(productCode)) {
            usable();
            return productRow;
        }
        Optional<Product> row = one(s.product, Rows.PRODUCT, code);
        productCode = code;
        productRow = row;
        return row;
    }

    private void putProduct(Product p) {
        update(s.putProduct, p.code(), p.name(), Times.seconds(p.floatingTimeout()), Times.nanos(p.floatingTimeout()),
                Times.seconds(p.maxBorrowTime()), Times.nanos(p.maxBorrowTime()));
        productCode = null;
        productRow = null;
    }

    private List<Product> productsAfter(String afterCode, int limit) {
        return upTo(limit, s.productsAfter, Rows.PRODUCT, limited(limit, afterCode));
    }

    private void deleteProduct(String code) {
        update(s.deleteProductBlacklist, code);
        updateOne(s.deleteProduct, "product " + code, code);
        productCode = null;
        productRow = null;
    }

    // ---- licenses

    private Optional<License> license(long id) {
        return one(s.license, Rows.LICENSE, id);
    }

    private Optional<License> licenseByKey(String product, String key) {
        return one(s.licenseByKey, Rows.LICENSE, product, key);
    }

    private Optional<License> licenseByUser(String product, String username) {
        return one(s.licenseByUser, Rows.LICENSE, product, username);
    }

    private static Object[] licenseValues(License l, Object... tail) {
        Object[] head = {l.product(), l.key(), l.username(), l.type().name(), l.enabled(), l.active(),
            Times.seconds(l.validFrom()), Times.nanos(l.validFrom()), Times.seconds(l.validUntil()), Times.nanos(l.validUntil()),
            l.maxActivations(), l.floatingSeats(), Times.seconds(l.floatingTimeout()), Times.nanos(l.floatingTimeout()),
            l.borrowAllowed(), Times.seconds(l.maxBorrowTime()), Times.nanos(l.maxBorrowTime()), l.maxConsumptions(),
            l.consumed(), l.overageAllowed(), l.maxOverage()};
        Object[] all = new Object[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private long insertLicense(License license) {
        return insertReturningId(s.insertLicense, licenseValues(license));
    }

    private void putLicense(License license) {
        updateOne(s.putLicense, "license " + license.id(), licenseValues(license, license.id()));
    }

    private List<License> licensesAfter(long afterId, int limit) {
        return upTo(limit, s.licensesAfter, Rows.LICENSE, limited(limit, afterId));
    }

    private List<License> licensesOfProductAfter(String product, long afterId, int limit) {
        return upTo(limit, s.licensesOfProduct, Rows.LICENSE, limited(limit, product, afterId));
    }

    private List<License> licensesOfUserAfter(String username, long afterId, int limit) {
        return upTo(limit, s.licensesOfUser, Rows.LICENSE, limited(limit, username, afterId));
    }

    private void deleteLicense(License license) {
        long id = license.id();
        update(s.deleteActivations, id);
        update(s.deleteLeases, id);
        update(s.deleteQueue, id);
        update(s.deletePoolRules, id);
        update(s.deletePoolOptions, id);
        updateOne(s.deleteLicense, "license " + id, id);
        boolean byKey = license.key() != null;
        update(s.retireLicenseName, license.product(), byKey ? 1 : 0, byKey ? license.key() : license.username());
    }

    private boolean isLicenseNameRetired(String product, String key, String username) {
        boolean byKey = key != null;
        return longValue(s.licenseNameRetired, product, byKey ? 1 : 0, byKey ? key : username) > 0;
    }

    // ---- activations

    private Optional<Activation> activation(long licenseId, String hardwareId) {
        return one(s.activation, Rows.ACTIVATION, licenseId, hardwareId);
    }

    private int countActivations(long licenseId) {
        return (int) longValue(s.countActivations, licenseId);
    }

    private void putActivation(Activation a) {
        write(s.putActivation, a.licenseId(), a.hardwareId(), Times.seconds(a.activatedAt()), Times.nanos(a.activatedAt()));
    }

    private boolean deleteActivation(long licenseId, String hardwareId) {
        return update(s.deleteActivation, licenseId, hardwareId) == 1;
    }

    // ---- blacklist

    private boolean isBlacklisted(String product, String hardwareId) {
        return one(s.blacklisted, Rows.LONG, product, hardwareId).isPresent();
    }

    private boolean putBlacklist(String product, String hardwareId, Instant at) {
        return update(s.putBlacklist, product, hardwareId, Times.seconds(at), Times.nanos(at)) == 1;
    }

    private boolean deleteBlacklist(String product, String hardwareId) {
        return update(s.deleteBlacklist, product, hardwareId) == 1;
    }

    // ---- leases

    private Optional<Lease> lease(long licenseId, String hardwareId) {
        return one(s.lease, Rows.LEASE, licenseId, hardwareId).map(this::complete);
    }

    private int countLeasesLiveAfter(long licenseId, Instant t) {
        return (int) longValue(s.countLiveLeases, licenseId, Times.seconds(t), Times.nanos(t));
    }

    private List<Lease> leasesLapsedBy(long licenseId, Instant t, int limit) {
        return complete(upTo(limit, s.lapsedLeasesOfLicense, Rows.LEASE,
                limited(limit, licenseId, Times.seconds(t), Times.nanos(t))));
    }

    private List<Lease> leasesLapsedBy(Instant t, int limit) {
        return complete(upTo(limit, s.lapsedLeases, Rows.LEASE, limited(limit, Times.seconds(t), Times.nanos(t))));
    }

    private List<Lease> leasesLiveAfter(long licenseId, Instant t) {
        return complete(list(s.liveLeases, Rows.LEASE, licenseId, Times.seconds(t), Times.nanos(t)));
    }

    private void putLease(Lease l) {
        write(s.putLease, leaseValues(l));
        putMeta(HolderMeta.LEASE, l.licenseId(), l.hardwareId(), l.holder().metadata());
    }

    /** A lease's values in the order of {@link Statements#putLease}. */
    private static Object[] leaseValues(Lease l) {
        return new Object[] {l.licenseId(), l.hardwareId(), Times.seconds(l.grantedAt()), Times.nanos(l.grantedAt()),
            Times.seconds(l.refreshedAt()), Times.nanos(l.refreshedAt()), Times.seconds(l.expiresAt()),
            Times.nanos(l.expiresAt()), Times.seconds(l.borrowedUntil()), Times.nanos(l.borrowedUntil()),
            device(l.device(), l.hardwareId()), l.holder().user(), l.holder().host(), l.holder().process(),
            l.holder().metadata().size(), l.overLimit()};
    }

    private boolean deleteLease(long licenseId, String hardwareId) {
        return update(s.deleteLease, licenseId, hardwareId) == 1;
    }

    // ---- pool policies and seat groups

    /** The device column: null when the device is the seat key itself (per-device leasing). */
    private static String device(String device, String key) {
        return device.equals(key) ? null : device;
    }

    private Optional<PoolPolicy> poolPolicy(long licenseId) {
        return one(s.poolPolicy, Rows::poolPolicy, licenseId);
    }

    private void putPoolPolicy(long licenseId, PoolPolicy p) {
        update(s.putPoolOptions, licenseId, p.leasing().name(), p.overdraft().extraSeats(), p.overdraft().percent(),
                p.borrowLowwater(), p.maxBorrowed(), p.queueLength());
        update(s.deletePoolRules, licenseId);
        for (int i = 0; i < p.rules().size(); i++) {
            PolicyRule r = p.rules().get(i);
            update(s.insertPoolRule, licenseId, i, r.kind().name(), r.count(), r.type().name(), r.name());
        }
    }

    private Optional<SeatGroup> seatGroup(GroupKind kind, String name) {
        return one(s.seatGroup, Rows::seatGroup, kind.name(), name);
    }

    private void putSeatGroup(SeatGroup g) {
        update(s.putSeatGroup, g.kind().name(), g.name());
        update(s.deleteGroupMembers, g.kind().name(), g.name());
        for (int i = 0; i < g.members().size(); i++) {
            update(s.insertGroupMember, g.kind().name(), g.name(), i, g.members().get(i));
        }
    }

    private List<QueueEntry> queue(long licenseId) {
        return complete(list(s.queue, Rows.QUEUE_ENTRY, licenseId));
    }

    private void putQueueEntry(QueueEntry e) {
        write(s.putQueueEntry, queueValues(e));
        putMeta(HolderMeta.QUEUE, e.licenseId(), e.hardwareId(), e.holder().metadata());
    }

    /** A queue entry's values in the order of {@link Statements#putQueueEntry}. */
    private static Object[] queueValues(QueueEntry e) {
        return new Object[] {e.licenseId(), e.hardwareId(), e.ticket(), Times.seconds(e.enqueuedAt()),
            Times.nanos(e.enqueuedAt()), Times.seconds(e.expiresAt()), Times.nanos(e.expiresAt()),
            device(e.device(), e.hardwareId()), e.holder().user(), e.holder().host(), e.holder().process(),
            e.holder().metadata().size()};
    }

    private boolean deleteQueueEntry(long licenseId, String hardwareId) {
        return update(s.deleteQueueEntry, licenseId, hardwareId) == 1;
    }

    // ---- holder metadata: a row per pair, touched only for rows that have pairs (HolderMeta)

    /** The pairs after their row's put, in the map's order; the put's trigger removed the old ones. */
    private void putMeta(String kind, long licenseId, String seat, Map<String, String> metadata) {
        int ord = 0;
        for (Map.Entry<String, String> pair : metadata.entrySet()) {
            write(s.insertHolderMeta, licenseId, kind, seat, ord++, pair.getKey(), pair.getValue());
        }
    }

    /** The row of {@code held}, its pairs read first if it has any. */
    private <T> T complete(Rows.Held<T> held) {
        return held.complete().apply(held.metaCount() == 0 ? Map.of() : counted(held, pairsOf(held)));
    }

    /**
     * The rows of {@code held}, in order. Pairs are read only for rows that have some: one seat's by
     * its key, or, where several rows of one license and kind have pairs, that license's pairs of
     * the kind in one read (at most the pool's rows times {@link dev.licensor.floating.Holder#MAX_METADATA}).
     */
    private <T> List<T> complete(List<Rows.Held<T>> held) {
        Map<List<Object>, List<Rows.Held<T>>> waiting = new LinkedHashMap<>();
        for (Rows.Held<T> h : held) {
            if (h.metaCount() > 0) {
                waiting.computeIfAbsent(List.of(h.licenseId(), h.kind()), k -> new ArrayList<>()).add(h);
            }
        }
        IdentityHashMap<Rows.Held<T>, Map<String, String>> pairs = new IdentityHashMap<>(); // rows by identity: two may be equal
        for (List<Rows.Held<T>> group : waiting.values()) {
            if (group.size() == 1) {
                pairs.put(group.get(0), counted(group.get(0), pairsOf(group.get(0))));
                continue;
            }
            Map<String, Map<String, String>> bySeat = pairsOfLicense(group.get(0).licenseId(), group.get(0).kind());
            for (Rows.Held<T> h : group) {
                pairs.put(h, counted(h, bySeat.getOrDefault(h.seat(), Map.of())));
            }
        }
        List<T> rows = new ArrayList<>(held.size());
        for (Rows.Held<T> h : held) {
            rows.add(h.complete().apply(pairs.getOrDefault(h, Map.of())));
        }
        return rows;
    }

    private Map<String, String> pairsOf(Rows.Held<?> held) {
        usable();
        Map<String, String> pairs = new LinkedHashMap<>();
        try (ResultSet rs = query(s.holderMeta, held.licenseId(), held.kind(), held.seat())) {
            while (rs.next()) {
                pairs.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new SqlFailure(s.holderMeta, e);
        }
        return pairs;
    }

    private Map<String, Map<String, String>> pairsOfLicense(long licenseId, String kind) {
        usable();
        Map<String, Map<String, String>> bySeat = new HashMap<>();
        try (ResultSet rs = query(s.holderMetaOfLicense, licenseId, kind)) {
            while (rs.next()) {
                bySeat.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
            }
        } catch (SQLException e) {
            throw new SqlFailure(s.holderMetaOfLicense, e);
        }
        return bySeat;
    }

    /** {@code pairs}, checked against the row's count: a mismatch is a damaged store, not a holder. */
    private static Map<String, String> counted(Rows.Held<?> held, Map<String, String> pairs) {
        if (pairs.size() != held.metaCount()) {
            throw new IllegalStateException("holder metadata of " + held.kind() + " " + held.seat() + ": "
                    + pairs.size() + " pairs stored, " + held.metaCount() + " counted");
        }
        return pairs;
    }

    // ---- clients and agents

    private Optional<Client> client(long id) {
        return one(s.client, Rows.CLIENT, id);
    }

    private List<Client> clientsAfter(long afterId, int limit) {
        return upTo(limit, s.clientsAfter, Rows.CLIENT, limited(limit, afterId));
    }

    private Optional<Client> clientByName(String name) {
        return one(s.clientByName, Rows.CLIENT, name);
    }

    private long insertClient(Client c) {
        return insertReturningId(s.insertClient, c.name(), c.platformType(), c.hostName());
    }

    private void putClient(Client c) {
        updateOne(s.putClient, "client " + c.id(), c.platformType(), c.hostName(), c.id());
    }

    private void deleteClient(Client c) {
        update(s.deleteAgents, c.id());
        update(s.deleteConsumptions, c.id());
        updateOne(s.deleteClient, "client " + c.id(), c.id());
    }

    private Optional<Agent> agent(long clientId, int appType) {
        return one(s.agent, Rows.AGENT, clientId, appType);
    }

    private List<Agent> agents(long clientId) {
        return list(s.agents, Rows.AGENT, clientId);
    }

    private void putAgent(Agent a) {
        update(s.putAgent, a.clientId(), a.appType(), a.name());
    }

    // ---- client licenses

    private Optional<ClientLicense> clientLicense(long id) {
        return one(s.clientLicense, Rows.CLIENT_LICENSE, id);
    }

    private Optional<ClientLicense> clientLicenseByType(int platformType, int licenseType, int appType) {
        return one(s.clientLicenseByType, Rows.CLIENT_LICENSE, platformType, licenseType, appType);
    }

    private List<ClientLicense> clientLicenses() {
        return list(s.clientLicenses, Rows.CLIENT_LICENSE);
    }

    private long insertClientLicense(ClientLicense c) {
        return insertReturningId(s.insertClientLicense, c.platformType(), c.licenseType(), c.appType(),
                c.licenseName(), c.permanent(), c.evaluation(), Times.seconds(c.evaluationExpiry()),
                Times.nanos(c.evaluationExpiry()), c.used());
    }

    private void putClientLicense(ClientLicense c) {
        updateOne(s.putClientLicense, "client license " + c.id(), c.platformType(), c.licenseType(), c.appType(),
                c.licenseName(), c.permanent(), c.evaluation(), Times.seconds(c.evaluationExpiry()),
                Times.nanos(c.evaluationExpiry()), c.used(), c.id());
    }

    // ---- consumptions

    private Optional<ConsumedLicense> consumption(long clientId, long clientLicenseId, boolean agentLevel) {
        return one(s.consumption, Rows.CONSUMPTION, clientId, clientLicenseId, agentLevel);
    }

    private List<ConsumedLicense> consumptionsOfClient(long clientId) {
        return list(s.consumptionsOfClient, Rows.CONSUMPTION, clientId);
    }

    private List<ConsumedLicense> heldConsumptionsOf(long clientLicenseId) {
        return list(s.heldConsumptions, Rows.CONSUMPTION, clientLicenseId);
    }

    private void putConsumption(ConsumedLicense c) {
        write(s.putConsumption, c.clientId(), c.clientLicenseId(), c.agentLevel(), c.released(),
                Times.seconds(c.changedAt()), Times.nanos(c.changedAt()));
    }

    // ---- ledger

    private long appendLedger(LedgerEntry e) {
        lockLedger();
        return insertReturningId(s.appendLedger, ledgerValues(e));
    }

    /** Before a unit's first ledger insert: the feed rule, seqs taken in commit order under this lock. */
    private void lockLedger() {
        if (s.lockLedger != null && !ledgerLocked) {
            writable();
            try {
                connection.defer(s.lockLedger); // taken by the server before the insert it travels with
            } catch (SQLException ex) {
                throw new SqlFailure(s.lockLedger, ex);
            }
            ledgerLocked = true;
        }
    }

    private static Object[] ledgerValues(LedgerEntry e) {
        return new Object[] {Times.seconds(e.at()), Times.nanos(e.at()), e.event().name(), e.licenseId(),
            e.clientLicenseId(), e.subject(), e.code().key(), e.detail(), e.actor(), Times.seconds(e.until()),
            Times.nanos(e.until()), e.count(), Long.valueOf(e.position()), e.agentLevel() ? 1L : 0L, e.user(), e.host()};
    }

    private List<LedgerEntry> ledger(Instant from, Instant to, int limit) {
        return upTo(limit, s.ledger, Rows.LEDGER,
                limited(limit, Times.seconds(from), Times.nanos(from), Times.seconds(to), Times.nanos(to)));
    }

    private List<LedgerEntry> ledgerAfter(long after, int limit) {
        return upTo(limit, s.ledgerAfter, Rows.LEDGER, limited(limit, after));
    }

    @Override
    public int prune(Instant before, int limit) {
        if (s.beforePrune != null) {
            update(s.beforePrune);
        }
        return update(s.pruneLedger, Times.seconds(before), Times.nanos(before), limit);
    }
}
