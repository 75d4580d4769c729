package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.Overdraft;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.Key;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.Query;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rows as SQL stores wrote them before structured values were stored typed (issue 26): a pool
 * policy as options text, group members one a line, holders as U+001F-separated text. A store's
 * migration test inserts {@link #INSERTS} into a database at the schema version before the typed
 * one, opens it, and checks with {@link #assertMigrated} that every value came back whole, names
 * the old parser cut at {@code #} or a space included. Thread-safe (stateless).
 */
public final class LegacyTextRows {
    private static final long AT = 1_767_600_000L;
    private static final String SEP = "\u001F";

    /** The old rows, as portable SQL (license 7; the rows need no license row to be read back). */
    public static final List<String> INSERTS = List.of(
            "INSERT INTO pool_policy (license_id, policy) VALUES (7, 'OVERDRAFT 1.5x\nEXCLUDE USER eve#laptop\n"
                    + "RESERVE 1 USER John Smith\nINCLUDE HOST ws 1 \nINCLUDE GROUP night shift\nQUEUE 3\n')",
            "INSERT INTO seat_group (kind, name, members) VALUES ('USER', 'night shift', 'Mary Ann\nx#y')",
            "INSERT INTO seat_group (kind, name, members) VALUES ('HOST', 'empty', '')",
            lease("hw-1" + SEP + "pid 9", "dhw-1" + SEP + "ualice smith" + SEP + "hlab" + SEP + "ppid 9" + SEP + "kenv"
                    + SEP + "vprod; x", 1),
            lease("hw-2", "", 0),
            "INSERT INTO seat_queue (license_id, hardware_id, ticket, enqueued_s, enqueued_ns, expires_s, expires_ns,"
                    + " holder) VALUES (7, 'bob', 1, " + AT + ", 0, " + (AT + 600) + ", 0, 'dhw-3" + SEP + "ubob')");

    private LegacyTextRows() {
    }

    private static String lease(String key, String holder, int overLimit) {
        return "INSERT INTO lease (license_id, hardware_id, granted_s, granted_ns, refreshed_s, refreshed_ns, expires_s,"
                + " expires_ns, borrowed_until_s, borrowed_until_ns, holder, over_limit) VALUES (7, '" + key + "', "
                + AT + ", 0, " + AT + ", 0, " + (AT + 600) + ", 0, NULL, NULL, '" + holder + "', " + overLimit + ")";
    }

    /** Every value of {@link #INSERTS}, read back through the store. */
    public static void assertMigrated(LicenseStore store) {
        Instant at = Instant.ofEpochSecond(AT);
        Optional<PoolPolicy> policy = store.read(tx -> tx.find(Key.poolPolicy(7)));
        assertThat(policy).contains(new PoolPolicy(LeasingStrategy.DEVICE, new Overdraft(0, 150), List.of(
                PolicyRule.exclude(PolicyRule.TargetType.USER, "eve#laptop"),
                PolicyRule.reserve(1, PolicyRule.TargetType.USER, "John Smith"),
                PolicyRule.include(PolicyRule.TargetType.HOST, "ws 1 "),
                PolicyRule.include(PolicyRule.TargetType.GROUP, "night shift")), 0, 0, 3));
        Optional<SeatGroup> group = store.read(tx -> tx.find(Key.seatGroup(GroupKind.USER, "night shift")));
        assertThat(group).contains(new SeatGroup(GroupKind.USER, "night shift", List.of("Mary Ann", "x#y")));
        Optional<SeatGroup> empty = store.read(tx -> tx.find(Key.seatGroup(GroupKind.HOST, "empty")));
        assertThat(empty).contains(new SeatGroup(GroupKind.HOST, "empty", List.of()));
        Optional<Lease> held = store.read(tx -> tx.find(Key.lease(7, "hw-1" + SEP + "pid 9")));
        assertThat(held).contains(new Lease(7, "hw-1" + SEP + "pid 9", at, at, at.plusSeconds(600), null, "hw-1",
                new Holder("alice smith", "lab", "pid 9", Map.of("env", "prod; x")), true));
        Optional<Lease> plain = store.read(tx -> tx.find(Key.lease(7, "hw-2")));
        assertThat(plain).contains(new Lease(7, "hw-2", at, at, at.plusSeconds(600), null));
        List<QueueEntry> queue = store.read(tx -> tx.list(Query.queue(7)));
        assertThat(queue).containsExactly(new QueueEntry(7, "bob", 1, at, at.plusSeconds(600), "hw-3",
                Holder.of("bob", null)));
    }
}
