package dev.licensor.store.jdbc;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.floating.Holder;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.Overdraft;
import dev.licensor.policy.PolicyRule;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The row mappers, once for every dialect: each reads the columns its {@link Statements} query
 * selects, by position. Thread-safe (stateless).
 */
final class Rows {
    private Rows() {
    }

    /** Reads one row. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /**
     * Reads one row's columns from column {@code at + 1} on: where a statement returns several row
     * types side by side (PostgreSQL's one-statement pool load, {@link PoolSql}).
     */
    @FunctionalInterface
    interface At<T> {
        T map(ResultSet rs, int at) throws SQLException;
    }

    static final Row<Product> PRODUCT = rs -> new Product(rs.getString(1), rs.getString(2),
            Times.duration(rs, 3), Times.duration(rs, 5));

    static final At<License> LICENSE_AT = (rs, a) -> new License(rs.getLong(a + 1), rs.getString(a + 2),
            rs.getString(a + 3), rs.getString(a + 4), LicenseType.valueOf(rs.getString(a + 5)), rs.getInt(a + 6) != 0,
            rs.getInt(a + 7) != 0, Times.instant(rs, a + 8), Times.instant(rs, a + 10), rs.getInt(a + 12), rs.getInt(a + 13),
            Times.duration(rs, a + 14), rs.getInt(a + 16) != 0, Times.duration(rs, a + 17), rs.getLong(a + 19), rs.getLong(a + 20),
            rs.getInt(a + 21) != 0, rs.getLong(a + 22));

    static final Row<License> LICENSE = rs -> LICENSE_AT.map(rs, 0);

    static final At<Activation> ACTIVATION_AT = (rs, a) -> new Activation(rs.getLong(a + 1), rs.getString(a + 2),
            Times.instant(rs, a + 3));

    static final Row<Activation> ACTIVATION = rs -> ACTIVATION_AT.map(rs, 0);

    /**
     * A lease or queue entry read without its metadata pairs: {@code metaCount} of them wait in
     * {@code holder_meta} under ({@code licenseId}, {@code kind}, {@code seat}), and {@code complete}
     * builds the row once they are read (at once with none when the count is 0).
     */
    record Held<T>(long licenseId, String kind, String seat, int metaCount,
                   java.util.function.Function<Map<String, String>, T> complete) {
    }

    static final At<Held<Lease>> LEASE_AT = (rs, a) -> {
        long id = rs.getLong(a + 1);
        String key = rs.getString(a + 2);
        Instant granted = Times.instant(rs, a + 3);
        Instant refreshed = Times.instant(rs, a + 5);
        Instant expires = Times.instant(rs, a + 7);
        Instant borrowed = Times.instant(rs, a + 9);
        String device = rs.getString(a + 11);
        String user = rs.getString(a + 12);
        String host = rs.getString(a + 13);
        String process = rs.getString(a + 14);
        int metaCount = rs.getInt(a + 15);
        boolean overLimit = rs.getInt(a + 16) != 0;
        return new Held<>(id, HolderMeta.LEASE, key, metaCount, meta -> new Lease(id, key, granted, refreshed,
                expires, borrowed, device, holder(user, host, process, meta), overLimit));
    };

    static final Row<Held<Lease>> LEASE = rs -> LEASE_AT.map(rs, 0);

    static final At<Held<QueueEntry>> QUEUE_ENTRY_AT = (rs, a) -> {
        long id = rs.getLong(a + 1);
        String key = rs.getString(a + 2);
        long ticket = rs.getLong(a + 3);
        Instant enqueued = Times.instant(rs, a + 4);
        Instant expires = Times.instant(rs, a + 6);
        String device = rs.getString(a + 8);
        String user = rs.getString(a + 9);
        String host = rs.getString(a + 10);
        String process = rs.getString(a + 11);
        int metaCount = rs.getInt(a + 12);
        return new Held<>(id, HolderMeta.QUEUE, key, metaCount, meta -> new QueueEntry(id, key, ticket, enqueued,
                expires, device, holder(user, host, process, meta)));
    };

    static final Row<Held<QueueEntry>> QUEUE_ENTRY = rs -> QUEUE_ENTRY_AT.map(rs, 0);

    /** The holder of user, host, process and metadata pairs (all absent: none). */
    private static Holder holder(String user, String host, String process, Map<String, String> meta) {
        return user == null && host == null && process == null && meta.isEmpty() ? Holder.NONE
                : new Holder(user, host, process, meta);
    }

    /** A policy from the rows of {@link Statements#poolPolicy}: options on every row, one rule a row. */
    static PoolPolicy poolPolicy(ResultSet rs) throws SQLException {
        LeasingStrategy leasing = LeasingStrategy.valueOf(rs.getString(1));
        Overdraft overdraft = new Overdraft(rs.getInt(2), rs.getInt(3));
        int lowwater = rs.getInt(4);
        int maxBorrow = rs.getInt(5);
        int queue = rs.getInt(6);
        List<PolicyRule> rules = new ArrayList<>();
        do {
            String kind = rs.getString(7);
            if (kind != null) {
                rules.add(new PolicyRule(PolicyRule.Kind.valueOf(kind), rs.getInt(8),
                        PolicyRule.TargetType.valueOf(rs.getString(9)), rs.getString(10)));
            }
        } while (rs.next());
        return new PoolPolicy(leasing, overdraft, rules, lowwater, maxBorrow, queue);
    }

    /** A group from the rows of {@link Statements#seatGroup}: one member a row. */
    static SeatGroup seatGroup(ResultSet rs) throws SQLException {
        GroupKind kind = GroupKind.valueOf(rs.getString(1));
        String name = rs.getString(2);
        List<String> members = new ArrayList<>();
        do {
            String member = rs.getString(3);
            if (member != null) {
                members.add(member);
            }
        } while (rs.next());
        return new SeatGroup(kind, name, members);
    }

    static final Row<Client> CLIENT = rs -> new Client(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4));

    static final Row<Agent> AGENT = rs -> new Agent(rs.getLong(1), rs.getInt(2), rs.getString(3));

    static final Row<ClientLicense> CLIENT_LICENSE = rs -> new ClientLicense(rs.getLong(1),
            rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getString(5), rs.getInt(6), rs.getInt(7),
            Times.instant(rs, 8), rs.getInt(10));

    static final Row<ConsumedLicense> CONSUMPTION = rs -> new ConsumedLicense(rs.getLong(1),
            rs.getLong(2), rs.getInt(3) != 0, rs.getInt(4) != 0, Times.instant(rs, 5));

    private static final Map<String, Code> CODES = new HashMap<>();

    static {
        for (Code code : Code.values()) {
            CODES.put(code.key(), code);
        }
    }

    static final Row<LedgerEntry> LEDGER = rs -> new LedgerEntry(rs.getLong(1),
            Times.instant(rs, 2), LedgerEvent.valueOf(rs.getString(4)), rs.getLong(5), rs.getLong(6),
            rs.getString(7), code(rs.getString(8)), rs.getString(9), rs.getString(10), Times.instant(rs, 11),
            rs.getLong(13), rs.getInt(14), rs.getLong(15) != 0, rs.getString(16), rs.getString(17));

    static final Row<Long> LONG = rs -> rs.getLong(1);

    private static Code code(String key) {
        Code code = CODES.get(key);
        if (code == null) {
            throw new IllegalStateException("unknown code in the ledger: " + key);
        }
        return code;
    }
}
