package dev.licensor.store.jdbc;

import dev.licensor.catalog.License;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.Overdraft;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.PoolLoad;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool unit's load and apply as one SQL statement each, for a dialect that
 * {@link Dialect#oneStatementUnits() supports them} (PostgreSQL): {@link #load} reads everything
 * {@link dev.licensor.store.StoreTransaction#loadPool} returns in one {@code SELECT}, and
 * {@link #apply} writes a {@link PoolChanges} and its ledger entries in one statement of
 * data-modifying CTEs whose rows come bound as arrays ({@code unnest}). Both read and write the
 * same columns as {@link Statements} (whose column lists and upsert clauses they reuse), typed:
 * nothing is encoded as text to be parsed back.
 *
 * <p><b>The load.</b> Each part of the state (the license, the blacklist hit and the counts, the
 * activation, the policy's options and rules, the leases, the queue, the holders' metadata pairs)
 * is a materialized CTE with its own columns; the final {@code SELECT} chains them with
 * {@code FULL JOIN ... ON false}, so every row of every part comes once, its part's columns side
 * by side with the others' nulls, typed by their tables (no {@code UNION} of unlike rows), and
 * sorted in part order, each list in its own order. A part that has no row (no activation, no
 * policy) has no result row. The optional parts are switched off by bound flags,
 * so the text is one and stays a prepared statement. The seat groups a policy names stay a second
 * read, as in {@link Statements#seatGroup}: they are rare and known only from the policy.
 *
 * <p><b>The apply.</b> One CTE per kind of write present (the text is fixed per shape, cached),
 * then the ledger insert as the main statement, {@code RETURNING seq}. Every CTE sees the
 * statement's one snapshot and none sees another's rows, so the sequential semantics of
 * {@link dev.licensor.store.StoreTransaction#apply(PoolChanges)} hold only when no two writes
 * touch one row: a seat deleted then put is written as its put alone, an activation put then
 * deleted as its delete alone (the same rows result), and {@link #expressible} refuses the rest
 * (a seat put twice, a blacklist entry changed twice); the caller then runs one statement per
 * write ({@link #fallbacks()} counts it). Holder metadata pairs also fall back: the trigger that
 * removes a seat's old pairs runs at the end of the statement, after the new pairs.
 *
 * <p>Immutable apart from a cache of statement texts and a counter; thread-safe.
 */
final class PoolSql {
    /** The parts of a load, by their number in the {@code VALUES} list (and so their order). */
    static final int LICENSE = 1;
    static final int BLACKLISTED = 2;
    static final int ACTIVATIONS = 3;
    static final int LIVE_COUNT = 4;
    static final int ACTIVATION = 5;
    static final int OPTIONS = 6;
    static final int RULE = 7;
    static final int SEAT_LEASE = 8;
    static final int LIVE_LEASE = 9;
    static final int LAPSED_LEASE = 10;
    static final int QUEUE = 11;
    static final int META = 12;

    // where each part's columns start (0-based offsets for Rows.At): the part number is column 1
    private static final int AT_LICENSE = 1;
    private static final int AT_N = AT_LICENSE + 22;
    private static final int AT_ACTIVATION = AT_N + 1;
    private static final int AT_OPTIONS = AT_ACTIVATION + 4;
    private static final int AT_RULE = AT_OPTIONS + 6;
    private static final int AT_LEASE = AT_RULE + 4;
    private static final int AT_QUEUE = AT_LEASE + 16;
    private static final int AT_META = AT_QUEUE + 12;

    /** The types of a lease's, a queue entry's and a ledger entry's values as bound, b bigint, t text. */
    private static final String LEASE_TYPES = "btbbbbbbbbttttbb";
    private static final String QUEUE_TYPES = "btbbbbbttttb";
    private static final String LEDGER_TYPES = "bbtbbttttbbbbbtt";

    private final String load;
    private final String putLicense;
    private final String putActivation;
    private final String deleteActivation;
    private final String leaseConflict;
    private final String queueConflict;
    private final String blacklistConflict;
    private final Map<Integer, String> applies = new ConcurrentHashMap<>();
    private final AtomicLong fallbacks = new AtomicLong();

    PoolSql(Statements s) {
        putLicense = s.putLicense;
        putActivation = s.putActivation;
        deleteActivation = s.deleteActivation;
        leaseConflict = s.putLease.substring(s.putLease.indexOf(" ON CONFLICT"));
        queueConflict = s.putQueueEntry.substring(s.putQueueEntry.indexOf(" ON CONFLICT"));
        blacklistConflict = s.putBlacklist.substring(s.putBlacklist.indexOf(" ON CONFLICT"));
        String lease = Statements.LEASE_COLUMNS;
        String live = " FROM lease WHERE license_id = ? AND (expires_s, expires_ns) > (?, ?)";
        load = "WITH lic AS MATERIALIZED (" + s.license + "),"
                + " n AS MATERIALIZED (SELECT " + BLACKLISTED + " AS part, 1::bigint AS n FROM blacklist"
                + " WHERE product = ? AND hardware_id = ?"
                + " UNION ALL SELECT " + ACTIVATIONS + ", count(*) FROM activation WHERE license_id = ? AND ? = 1"
                + " UNION ALL SELECT " + LIVE_COUNT + ", count(*)" + live + " AND ? = 1),"
                + " act AS MATERIALIZED (" + s.activation + "),"
                + " opt AS MATERIALIZED (SELECT leasing, overdraft_seats, overdraft_percent, borrow_lowwater,"
                + " max_borrow, queue_length FROM pool_options WHERE license_id = ?),"
                + " rul AS MATERIALIZED (SELECT ord, kind, seats, target, name FROM pool_rule WHERE license_id = ?),"
                // the lists' order is their row_number, as in Statements.liveLeases and lapsedLeasesOfLicense
                + " ls AS MATERIALIZED (SELECT " + SEAT_LEASE + " AS part, 0::bigint AS o, " + lease
                + " FROM lease WHERE license_id = ? AND hardware_id = ANY (?::text[])"
                + " UNION ALL SELECT " + LIVE_LEASE + ", row_number() OVER (ORDER BY granted_s, granted_ns, hardware_id), "
                + lease + live + " AND (? = 2 OR ? = 1 AND (EXISTS (SELECT 1 FROM pool_options WHERE license_id = ?)"
                + " OR EXISTS (SELECT 1 FROM pool_rule WHERE license_id = ?)))"
                + " UNION ALL SELECT " + LAPSED_LEASE + ", row_number() OVER (ORDER BY expires_s, expires_ns, hardware_id), "
                + lease + " FROM (SELECT " + lease + " FROM lease WHERE license_id = ? AND (expires_s, expires_ns) <= (?, ?)"
                + " ORDER BY expires_s, expires_ns, hardware_id LIMIT ?) lapsed),"
                + " q AS MATERIALIZED (SELECT " + Statements.QUEUE_COLUMNS + " FROM seat_queue WHERE license_id = ? AND ? = 1),"
                // the pairs of the rows read above that have some: none is read for a pool without pairs
                + " m AS MATERIALIZED (SELECT kind, seat, ord, name, value FROM holder_meta WHERE license_id = ?"
                + " AND (kind = '" + HolderMeta.LEASE + "' AND seat IN (SELECT hardware_id FROM ls WHERE meta_count > 0)"
                + " OR kind = '" + HolderMeta.QUEUE + "' AND seat IN (SELECT hardware_id FROM q WHERE meta_count > 0)))"
                // a row's part from the column of its part that is never null (a key or NOT NULL)
                + " SELECT CASE WHEN lic.id IS NOT NULL THEN " + LICENSE + " WHEN n.part IS NOT NULL THEN n.part"
                + " WHEN act.license_id IS NOT NULL THEN " + ACTIVATION + " WHEN opt.leasing IS NOT NULL THEN " + OPTIONS
                + " WHEN rul.kind IS NOT NULL THEN " + RULE + " WHEN ls.part IS NOT NULL THEN ls.part"
                + " WHEN q.license_id IS NOT NULL THEN " + QUEUE + " ELSE " + META + " END AS part, lic.*, n.n, act.*, opt.*, rul.kind, rul.seats, rul.target, rul.name, "
                + prefixed("ls.", lease) + ", q.*, m.kind, m.seat, m.name, m.value"
                // FULL JOIN ... ON false: every row of every part once, beside the others' nulls
                // (half the executor time of joining each part to a VALUES list of part numbers)
                + " FROM lic FULL JOIN n ON false FULL JOIN act ON false FULL JOIN opt ON false"
                + " FULL JOIN rul ON false FULL JOIN ls ON false FULL JOIN q ON false FULL JOIN m ON false"
                + " ORDER BY 1, rul.ord, ls.o, q.ticket, m.kind, m.seat, m.ord";
    }

    private static String prefixed(String prefix, String columns) {
        return prefix + String.join(", " + prefix, columns.split(", "));
    }

    /** The load statement: binds {@link #loadArgs}. */
    String load() {
        return load;
    }

    /** The load's arguments, in the order of its {@code ?}s. */
    static Object[] loadArgs(PoolLoad load) {
        long id = load.licenseId();
        Long s = Times.seconds(load.now());
        Long ns = Times.nanos(load.now());
        int live = switch (load.live()) {
            case NONE -> 0;
            case COUNT -> 0;
            case LIST_IF_POLICY -> 1;
            case LIST -> 2;
        };
        return new Object[] {id,
            load.product(), load.hardwareId(), id, load.countActivations() ? 1 : 0, id, s, ns,
            load.live() == PoolLoad.Live.NONE ? 0 : 1,
            id, load.hardwareId(), id, id,
            id, load.seatKeys().toArray(new String[0]),
            id, s, ns, live, live, id, id,
            id, s, ns, load.lapsedLimit(),
            id, load.queue() ? 1 : 0,
            id};
    }

    /**
     * What one load read, its leases and queue entries still without their pairs (the pairs read
     * with them are in {@code pairs}, by kind and seat).
     */
    record Loaded(License license, boolean blacklisted, Activation activation, int activations, int liveCount,
                  PoolPolicy policy, List<Rows.Held<Lease>> seats, List<Rows.Held<Lease>> live,
                  List<Rows.Held<Lease>> lapsed, List<Rows.Held<QueueEntry>> queue,
                  Map<List<String>, Map<String, String>> pairs) {
    }

    /** Reads the rows of {@link #load}; null if the license row does not exist. */
    static Loaded decode(ResultSet rs) throws SQLException {
        License license = null;
        boolean blacklisted = false;
        Activation activation = null;
        int activations = -1;
        int liveCount = -1;
        String[] options = null;
        int[] numbers = null;
        List<PolicyRule> rules = new ArrayList<>();
        List<Rows.Held<Lease>> seats = new ArrayList<>();
        List<Rows.Held<Lease>> live = new ArrayList<>();
        List<Rows.Held<Lease>> lapsed = new ArrayList<>();
        List<Rows.Held<QueueEntry>> queue = new ArrayList<>();
        Map<List<String>, Map<String, String>> pairs = new HashMap<>();
        while (rs.next()) {
            int part = rs.getInt(1);
            switch (part) {
                case LICENSE -> {
                    if (rs.getObject(AT_LICENSE + 1) != null) {
                        license = Rows.LICENSE_AT.map(rs, AT_LICENSE);
                    }
                }
                case BLACKLISTED -> blacklisted = rs.getObject(AT_N + 1) != null;
                case ACTIVATIONS -> activations = rs.getInt(AT_N + 1);
                case LIVE_COUNT -> liveCount = rs.getInt(AT_N + 1);
                case ACTIVATION -> {
                    if (rs.getObject(AT_ACTIVATION + 1) != null) {
                        activation = Rows.ACTIVATION_AT.map(rs, AT_ACTIVATION);
                    }
                }
                case OPTIONS -> {
                    if (rs.getObject(AT_OPTIONS + 1) != null) {
                        options = new String[] {rs.getString(AT_OPTIONS + 1)};
                        numbers = new int[] {rs.getInt(AT_OPTIONS + 2), rs.getInt(AT_OPTIONS + 3),
                            rs.getInt(AT_OPTIONS + 4), rs.getInt(AT_OPTIONS + 5), rs.getInt(AT_OPTIONS + 6)};
                    }
                }
                case RULE -> {
                    if (rs.getObject(AT_RULE + 1) != null) {
                        rules.add(new PolicyRule(PolicyRule.Kind.valueOf(rs.getString(AT_RULE + 1)),
                                rs.getInt(AT_RULE + 2), PolicyRule.TargetType.valueOf(rs.getString(AT_RULE + 3)),
                                rs.getString(AT_RULE + 4)));
                    }
                }
                case SEAT_LEASE, LIVE_LEASE, LAPSED_LEASE -> {
                    if (rs.getObject(AT_LEASE + 1) != null) {
                        (part == SEAT_LEASE ? seats : part == LIVE_LEASE ? live : lapsed)
                                .add(Rows.LEASE_AT.map(rs, AT_LEASE));
                    }
                }
                case QUEUE -> {
                    if (rs.getObject(AT_QUEUE + 1) != null) {
                        queue.add(Rows.QUEUE_ENTRY_AT.map(rs, AT_QUEUE));
                    }
                }
                case META -> {
                    if (rs.getObject(AT_META + 1) != null) {
                        pairs.computeIfAbsent(List.of(rs.getString(AT_META + 1), rs.getString(AT_META + 2)),
                                k -> new LinkedHashMap<>()).put(rs.getString(AT_META + 3), rs.getString(AT_META + 4));
                    }
                }
                default -> throw new IllegalStateException("unknown part " + part);
            }
        }
        if (license == null) {
            return null;
        }
        // as Rows.poolPolicy: no options row, no policy (its rules alone are not one)
        PoolPolicy policy = options == null ? PoolPolicy.NONE
                : new PoolPolicy(LeasingStrategy.valueOf(options[0]), new Overdraft(numbers[0], numbers[1]), rules,
                        numbers[2], numbers[3], numbers[4]);
        return new Loaded(license, blacklisted, activation, activations, liveCount, policy, seats, live, lapsed,
                queue, pairs);
    }

    // ---- apply

    /** How many applies could not be one statement and ran one statement per write. */
    long fallbacks() {
        return fallbacks.get();
    }

    /**
     * Whether {@code c} can be one statement: no put carries metadata pairs, no seat is put twice
     * and no blacklist entry changed twice. (A seat deleted and put is its put alone, and an
     * activation put and deleted its delete alone: see {@link #apply}.) Counts a {@code false} in
     * {@link #fallbacks()}.
     */
    boolean expressible(PoolChanges c) {
        boolean one = noPairs(c) && distinct(c.leasePuts().stream().map(Lease::hardwareId).toList())
                && distinct(c.queuePuts().stream().map(QueueEntry::hardwareId).toList())
                && distinctBlacklist(c.blacklist());
        if (!one) {
            fallbacks.incrementAndGet();
        }
        return one;
    }

    private static boolean noPairs(PoolChanges c) {
        for (Lease l : c.leasePuts()) {
            if (!l.holder().metadata().isEmpty()) {
                return false;
            }
        }
        for (QueueEntry e : c.queuePuts()) {
            if (!e.holder().metadata().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static boolean distinct(List<String> keys) {
        return new HashSet<>(keys).size() == keys.size();
    }

    /**
     * {@code deletes} without the keys {@code puts} writes. The upsert of a lease or queue entry
     * sets every column but the key, so a delete followed by a put of one seat leaves what the put
     * alone leaves (the metadata trigger removes the old pairs on either path).
     */
    private static List<String> notPut(List<String> deletes, List<String> puts) {
        if (deletes.isEmpty() || puts.isEmpty()) {
            return deletes;
        }
        Set<String> put = new HashSet<>(puts);
        return deletes.stream().filter(key -> !put.contains(key)).toList();
    }

    private static boolean distinctBlacklist(List<PoolChanges.BlacklistChange> changes) {
        Set<List<String>> seen = new HashSet<>();
        for (PoolChanges.BlacklistChange b : changes) {
            if (!seen.add(List.of(b.product(), b.hardwareId()))) {
                return false;
            }
        }
        return true;
    }

    /** The shape's bits: which CTEs the statement holds. */
    private static final int PUT_LICENSE = 1;
    private static final int PUT_ACTIVATION = 1 << 1;
    private static final int DELETE_LEASES = 1 << 2;
    private static final int PUT_LEASES = 1 << 3;
    private static final int DELETE_QUEUE = 1 << 4;
    private static final int PUT_QUEUE = 1 << 5;
    private static final int DELETE_ACTIVATION = 1 << 6;
    private static final int ADD_BLACKLIST = 1 << 7;
    private static final int DELETE_BLACKLIST = 1 << 8;
    private static final int LEDGER = 1 << 9;

    /**
     * The statement and its arguments for an {@link #expressible} {@code c}: the rows of each kind
     * as one array per column. {@code license}, {@code activation}, {@code leases}, {@code queue} and {@code ledger} give
     * a row's values in the order of the matching {@link Statements} put.
     */
    Bound apply(PoolChanges c, Object[] license, Object[] activationPut, List<Object[]> leases, List<Object[]> queue,
                List<Object[]> ledger) {
        List<String> leaseDeletes = notPut(c.leaseDeletes(), c.leasePuts().stream().map(Lease::hardwareId).toList());
        List<String> queueDeletes = notPut(c.queueDeletes(), c.queuePuts().stream().map(QueueEntry::hardwareId).toList());
        // an activation put, then deleted, is gone: the delete alone leaves that
        Object[] activation = c.activationPut() != null && c.activationPut().hardwareId().equals(c.activationDelete())
                ? null : activationPut;
        List<String> removedProducts = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        List<Object[]> addRows = new ArrayList<>();
        for (PoolChanges.BlacklistChange b : c.blacklist()) {
            if (b.add()) {
                addRows.add(new Object[] {b.product(), b.hardwareId(), Times.seconds(b.at()), Times.nanos(b.at())});
            } else {
                removedProducts.add(b.product());
                removes.add(b.hardwareId());
            }
        }
        int shape = (license != null ? PUT_LICENSE : 0) | (activation != null ? PUT_ACTIVATION : 0)
                | (leaseDeletes.isEmpty() ? 0 : DELETE_LEASES) | (leases.isEmpty() ? 0 : PUT_LEASES)
                | (queueDeletes.isEmpty() ? 0 : DELETE_QUEUE) | (queue.isEmpty() ? 0 : PUT_QUEUE)
                | (c.activationDelete() != null ? DELETE_ACTIVATION : 0) | (addRows.isEmpty() ? 0 : ADD_BLACKLIST)
                | (removes.isEmpty() ? 0 : DELETE_BLACKLIST) | (ledger.isEmpty() ? 0 : LEDGER);
        List<Object> args = new ArrayList<>();
        if (license != null) {
            args.addAll(Arrays.asList(license)); // nulls: absent values
        }
        if (activation != null) {
            args.addAll(Arrays.asList(activation));
        }
        if (!leaseDeletes.isEmpty()) {
            args.add(c.licenseId());
            args.add(leaseDeletes.toArray(new String[0]));
        }
        if (!leases.isEmpty()) {
            args.addAll(Arrays.asList(columns(leases, LEASE_TYPES)));
        }
        if (!queueDeletes.isEmpty()) {
            args.add(c.licenseId());
            args.add(queueDeletes.toArray(new String[0]));
        }
        if (!queue.isEmpty()) {
            args.addAll(Arrays.asList(columns(queue, QUEUE_TYPES)));
        }
        if (c.activationDelete() != null) {
            args.add(c.licenseId());
            args.add(c.activationDelete());
        }
        if (!addRows.isEmpty()) {
            args.addAll(Arrays.asList(columns(addRows, "ttbb")));
        }
        if (!removes.isEmpty()) {
            args.add(removedProducts.toArray(new String[0]));
            args.add(removes.toArray(new String[0]));
        }
        if (!ledger.isEmpty()) {
            args.addAll(Arrays.asList(columns(ledger, LEDGER_TYPES)));
        }
        return new Bound(applies.computeIfAbsent(shape, this::applySql), args.toArray(), !ledger.isEmpty());
    }

    /** The apply statement of the shape that holds every kind of write, for a query-plan test. */
    String everyWrite() {
        return applySql((LEDGER << 1) - 1);
    }

    /** A statement with its arguments; {@code returnsSeqs} if its rows are the ledger entries' seqs. */
    record Bound(String sql, Object[] args, boolean returnsSeqs) {
    }

    private String applySql(int shape) {
        List<String> ctes = new ArrayList<>();
        if ((shape & PUT_LICENSE) != 0) {
            ctes.add(putLicense);
        }
        if ((shape & PUT_ACTIVATION) != 0) {
            ctes.add(putActivation);
        }
        if ((shape & DELETE_LEASES) != 0) {
            ctes.add("DELETE FROM lease WHERE license_id = ? AND hardware_id = ANY (?::text[])");
        }
        if ((shape & PUT_LEASES) != 0) {
            ctes.add("INSERT INTO lease (" + Statements.LEASE_COLUMNS + ") SELECT * FROM " + unnest(LEASE_TYPES)
                    + leaseConflict);
        }
        if ((shape & DELETE_QUEUE) != 0) {
            ctes.add("DELETE FROM seat_queue WHERE license_id = ? AND hardware_id = ANY (?::text[])");
        }
        if ((shape & PUT_QUEUE) != 0) {
            ctes.add("INSERT INTO seat_queue (" + Statements.QUEUE_COLUMNS + ") SELECT * FROM " + unnest(QUEUE_TYPES)
                    + queueConflict);
        }
        if ((shape & DELETE_ACTIVATION) != 0) {
            ctes.add(deleteActivation);
        }
        if ((shape & ADD_BLACKLIST) != 0) {
            ctes.add("INSERT INTO blacklist (product, hardware_id, at_s, at_ns) SELECT * FROM " + unnest("ttbb")
                    + blacklistConflict);
        }
        if ((shape & DELETE_BLACKLIST) != 0) {
            ctes.add("DELETE FROM blacklist WHERE (product, hardware_id) IN (SELECT * FROM " + unnest("tt") + ")");
        }
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < ctes.size(); i++) {
            sql.append(i == 0 ? "WITH " : ", ").append('w').append(i).append(" AS (").append(ctes.get(i)).append(')');
        }
        if ((shape & LEDGER) != 0) {
            // the next seq taken once, before any row is inserted (a subquery in FROM), and the
            // entries numbered from it in list order: the seqs licensor_next_ledger_seq() hands out
            // one call at a time, whatever a volatile function sees of its own statement's rows
            sql.append(ctes.isEmpty() ? "" : " ").append("INSERT INTO ledger (").append(Statements.LEDGER_COLUMNS)
                    .append(") SELECT n.seq + e.i - 1, ").append(prefixed("e.", ledgerFields())).append(" FROM (SELECT licensor_next_ledger_seq() AS seq OFFSET 0) n, ")
                    .append(unnest(LEDGER_TYPES)).append(" WITH ORDINALITY e (").append(ledgerFields())
                    .append(", i) ORDER BY e.i RETURNING seq");
        } else {
            sql.append(" SELECT 0 WHERE false"); // the CTEs run once whether or not this reads them
        }
        return sql.toString();
    }

    private static String ledgerFields() {
        String columns = Statements.LEDGER_COLUMNS;
        return columns.substring(columns.indexOf(", ") + 2);
    }

    /** {@code unnest(?::bigint[], ?::text[], ...)} for a row of {@code types}. */
    private static String unnest(String types) {
        StringBuilder sql = new StringBuilder("unnest(");
        for (int i = 0; i < types.length(); i++) {
            sql.append(i == 0 ? "" : ", ").append(types.charAt(i) == 'b' ? "?::bigint[]" : "?::text[]");
        }
        return sql.append(')').toString();
    }

    /** {@code rows} as one array per column: {@code Long[]} for b (a Boolean as 0/1), {@code String[]} for t. */
    static Object[] columns(List<Object[]> rows, String types) {
        Object[] columns = new Object[types.length()];
        for (int col = 0; col < columns.length; col++) {
            boolean number = types.charAt(col) == 'b';
            Object[] values = number ? new Long[rows.size()] : new String[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                Object v = rows.get(r)[col];
                values[r] = !number || v == null ? v
                        : v instanceof Boolean b ? Long.valueOf(b ? 1 : 0) : Long.valueOf(((Number) v).longValue());
            }
            columns[col] = values;
        }
        return columns;
    }

    /** Checks the pairs read for {@code held} against its count, as the row-by-row reads do. */
    static Map<String, String> pairs(Rows.Held<?> held, Map<List<String>, Map<String, String>> pairs) {
        if (held.metaCount() == 0) {
            return Map.of();
        }
        Map<String, String> found = pairs.getOrDefault(List.of(held.kind(), held.seat()), Map.of());
        if (found.size() != held.metaCount()) {
            throw new IllegalStateException("holder metadata of " + held.kind() + " " + held.seat() + ": "
                    + found.size() + " pairs stored, " + held.metaCount() + " counted");
        }
        return found;
    }

    static <T> List<T> complete(List<Rows.Held<T>> held, Map<List<String>, Map<String, String>> pairs) {
        List<T> rows = new ArrayList<>(held.size());
        for (Rows.Held<T> h : held) {
            rows.add(h.complete().apply(pairs(h, pairs)));
        }
        return rows;
    }
}
