package dev.licensor.store.jdbc;

import dev.licensor.floating.Holder;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.Overdraft;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;

/**
 * The migration that stores structured values typed (issue 26): pool policies as a row of
 * options ({@code pool_options}) and a row per rule ({@code pool_rule}), group members as rows
 * ({@code seat_group_member}), and a lease's or queue entry's holder as columns ({@code device},
 * {@code holder_user}, {@code holder_host}, {@code holder_process}, {@code holder_meta}). Before
 * it, policies were options text parsed back on every read (a name holding {@code #} or a space
 * broke it), members one a line and holders one U+001F-separated text column. Every relational
 * store appends it to its history (SQLite 4, PostgreSQL 2); it converts the rows already written,
 * reading the old text exactly as the old code wrote it. Not API beyond the stores.
 *
 * <p>Thread-safe (stateless).
 */
public final class TypedValues {
    private TypedValues() {
    }

    /**
     * The migration as {@code version} of a store's history; {@code ddl} rewrites each DDL
     * statement for the database (PostgreSQL adds its {@code "C"} collation to text columns).
     */
    public static Migration migration(int version, Dialect d, UnaryOperator<String> ddl) {
        String big = d.bigint();
        String natural = d.tableOptions(true);
        List<String> create = new ArrayList<>(List.of(
                "CREATE TABLE pool_options (license_id " + big + " PRIMARY KEY, leasing TEXT NOT NULL,"
                        + " overdraft_seats " + big + " NOT NULL, overdraft_percent " + big + " NOT NULL,"
                        + " borrow_lowwater " + big + " NOT NULL, max_borrow " + big + " NOT NULL,"
                        + " queue_length " + big + " NOT NULL)" + natural,
                "CREATE TABLE pool_rule (license_id " + big + " NOT NULL, ord " + big + " NOT NULL,"
                        + " kind TEXT NOT NULL, seats " + big + " NOT NULL, target TEXT NOT NULL, name TEXT NOT NULL,"
                        + " PRIMARY KEY (license_id, ord))" + natural,
                "CREATE TABLE seat_group_member (kind TEXT NOT NULL, group_name TEXT NOT NULL, ord " + big
                        + " NOT NULL, member TEXT NOT NULL, PRIMARY KEY (kind, group_name, ord))" + natural));
        for (String table : List.of("lease", "seat_queue")) {
            for (String column : List.of("device", "holder_user", "holder_host", "holder_process", "holder_meta")) {
                create.add("ALTER TABLE " + table + " ADD COLUMN " + column + " TEXT");
            }
        }
        List<String> drop = List.of("DROP TABLE pool_policy", "ALTER TABLE seat_group DROP COLUMN members",
                "ALTER TABLE lease DROP COLUMN holder", "ALTER TABLE seat_queue DROP COLUMN holder");
        return new Migration(version, "structured values typed: policy rows, group member rows, holder columns",
                handle -> {
                    create.forEach(sql -> handle.execute(ddl.apply(sql)));
                    convert(handle);
                    drop.forEach(handle::execute);
                });
    }

    private static void convert(Handle handle) {
        for (Map<String, Object> row : handle.createQuery("SELECT license_id, policy FROM pool_policy").mapToMap().list()) {
            long id = ((Number) row.get("license_id")).longValue();
            PoolPolicy p = legacyPolicy((String) row.get("policy"));
            handle.execute("INSERT INTO pool_options (license_id, leasing, overdraft_seats, overdraft_percent,"
                            + " borrow_lowwater, max_borrow, queue_length) VALUES (?, ?, ?, ?, ?, ?, ?)", id,
                    p.leasing().name(), p.overdraft().extraSeats(), p.overdraft().percent(), p.borrowLowwater(),
                    p.maxBorrowed(), p.queueLength());
            for (int i = 0; i < p.rules().size(); i++) {
                PolicyRule r = p.rules().get(i);
                handle.execute("INSERT INTO pool_rule (license_id, ord, kind, seats, target, name)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", id, i, r.kind().name(), r.count(), r.type().name(), r.name());
            }
        }
        for (Map<String, Object> row : handle.createQuery("SELECT kind, name, members FROM seat_group").mapToMap().list()) {
            String members = (String) row.get("members");
            if (members.isEmpty()) {
                continue;
            }
            String[] names = members.split("\n", -1);
            for (int i = 0; i < names.length; i++) {
                handle.execute("INSERT INTO seat_group_member (kind, group_name, ord, member) VALUES (?, ?, ?, ?)",
                        row.get("kind"), row.get("name"), i, names[i]);
            }
        }
        for (String table : List.of("lease", "seat_queue")) {
            for (Map<String, Object> row : handle.createQuery("SELECT license_id, hardware_id, holder FROM " + table
                    + " WHERE holder <> ''").mapToMap().list()) {
                LegacyHolder h = legacyHolder((String) row.get("holder"));
                handle.execute("UPDATE " + table + " SET device = ?, holder_user = ?, holder_host = ?,"
                                + " holder_process = ?, holder_meta = ? WHERE license_id = ? AND hardware_id = ?",
                        h.device(), h.holder().user(), h.holder().host(), h.holder().process(),
                        HolderMeta.legacyEncode(h.holder().metadata()), row.get("license_id"), row.get("hardware_id"));
            }
        }
    }

    private record LegacyHolder(String device, Holder holder) {
    }

    /** The U+001F-separated holder text of schema versions before this one. */
    static LegacyHolder legacyHolder(String text) {
        String device = null;
        String user = null;
        String host = null;
        String process = null;
        Map<String, String> metadata = new LinkedHashMap<>();
        String key = null;
        for (String f : text.split("\u001F", -1)) {
            if (f.isEmpty()) {
                continue;
            }
            String v = f.substring(1);
            switch (f.charAt(0)) {
                case 'd' -> device = v;
                case 'u' -> user = v;
                case 'h' -> host = v;
                case 'p' -> process = v;
                case 'k' -> key = v;
                case 'v' -> metadata.put(key, v);
                default -> throw new IllegalStateException("unknown holder field " + f.charAt(0));
            }
        }
        return new LegacyHolder(device, new Holder(user, host, process, metadata));
    }

    /**
     * Policy text as {@code PoolPolicy.text()} wrote it: one option a line, single spaces, no
     * comments. A rule's name is the rest of its line, verbatim, so names the old parser cut (at
     * {@code #}, at a space, trailing white space) come back whole.
     */
    static PoolPolicy legacyPolicy(String text) {
        LeasingStrategy leasing = LeasingStrategy.DEVICE;
        Overdraft overdraft = Overdraft.NONE;
        List<PolicyRule> rules = new ArrayList<>();
        int lowwater = 0;
        int maxBorrow = 0;
        int queue = 0;
        try {
            for (String line : text.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String keyword = line.substring(0, line.indexOf(' '));
                switch (keyword) {
                    case "LEASING" -> leasing = LeasingStrategy.valueOf(line.split(" ", 2)[1]);
                    case "OVERDRAFT" -> {
                        String v = line.split(" ", 2)[1];
                        overdraft = v.endsWith("x") ? new Overdraft(0, switch (v) {
                            case "1.25x" -> 125;
                            case "1.5x" -> 150;
                            default -> 200;
                        }) : Overdraft.seats(Integer.parseInt(v));
                    }
                    case "RESERVE", "MAX" -> {
                        String[] w = line.split(" ", 4);
                        rules.add(new PolicyRule(PolicyRule.Kind.valueOf(keyword), Integer.parseInt(w[1]),
                                PolicyRule.TargetType.valueOf(w[2]), w[3]));
                    }
                    case "INCLUDE", "EXCLUDE" -> {
                        String[] w = line.split(" ", 3);
                        rules.add(new PolicyRule(PolicyRule.Kind.valueOf(keyword), 0,
                                PolicyRule.TargetType.valueOf(w[1]), w[2]));
                    }
                    case "BORROW_LOWWATER" -> lowwater = Integer.parseInt(line.split(" ", 2)[1]);
                    case "MAX_BORROW" -> maxBorrow = Integer.parseInt(line.split(" ", 2)[1]);
                    case "QUEUE" -> queue = Integer.parseInt(line.split(" ", 2)[1]);
                    default -> throw new IllegalArgumentException("unknown option " + keyword);
                }
            }
        } catch (RuntimeException e) {
            throw new LicensingException(Code.STORE_FAILURE, "cannot migrate a pool policy: " + e);
        }
        return new PoolPolicy(leasing, overdraft, rules, lowwater, maxBorrow, queue);
    }
}
