package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import dev.licensor.store.Key;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.Query;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows as SQL stores wrote them before a holder's metadata was stored typed (issue 19, item 5):
 * the pairs in one {@code holder_meta} text column, each string as its length in UTF-16 units, a
 * colon and the string. A store's migration test inserts {@link #INSERTS} into a database at the
 * schema version before the typed one (SQLite 8, PostgreSQL 5), opens it, and checks with
 * {@link #assertMigrated} that every pair came back whole and in order. Thread-safe (stateless).
 */
public final class LegacyMetaRows {
    private static final long AT = 1_767_600_000L;

    /** The old rows, as portable SQL (license 7; the rows need no license row to be read back). */
    public static final List<String> INSERTS = List.of(
            lease("hw-1", "'alice'", "'3:env7:prod; x1:#0:3:a b3:3:x10:line\nbreak2:\uD83D\uDE001:y0:'"),
            lease("hw-2", "NULL", "NULL"),
            lease("hw-3", "NULL", "'0:0:'"),
            "INSERT INTO seat_queue (license_id, hardware_id, ticket, enqueued_s, enqueued_ns, expires_s, expires_ns,"
                    + " device, holder_user, holder_host, holder_process, holder_meta) VALUES (7, 'bob', 1, " + AT
                    + ", 0, " + (AT + 600) + ", 0, 'hw-4', 'bob', NULL, NULL, '4:team5:a:b:c')");

    private LegacyMetaRows() {
    }

    private static String lease(String key, String user, String meta) {
        return "INSERT INTO lease (license_id, hardware_id, granted_s, granted_ns, refreshed_s, refreshed_ns, expires_s,"
                + " expires_ns, borrowed_until_s, borrowed_until_ns, device, holder_user, holder_host, holder_process,"
                + " holder_meta, over_limit) VALUES (7, '" + key + "', " + AT + ", 0, " + AT + ", 0, " + (AT + 600)
                + ", 0, NULL, NULL, NULL, " + user + ", NULL, NULL, " + meta + ", 0)";
    }

    /** Every pair of {@link #INSERTS}, read back through the store, in order. */
    public static void assertMigrated(LicenseStore store) {
        Map<String, String> first = new LinkedHashMap<>();
        first.put("env", "prod; x");
        first.put("#", "");
        first.put("a b", "3:x");
        first.put("line\nbreak", "\uD83D\uDE00");
        first.put("y", "");
        Lease hw1 = store.<java.util.Optional<Lease>>read(tx -> tx.find(Key.lease(7, "hw-1"))).orElseThrow();
        assertThat(List.copyOf(hw1.holder().metadata().entrySet())).containsExactlyElementsOf(first.entrySet());
        assertThat(hw1.holder().user()).isEqualTo("alice");
        assertThat(store.<java.util.Optional<Lease>>read(tx -> tx.find(Key.lease(7, "hw-2"))).orElseThrow().holder())
                .isEqualTo(Holder.NONE);
        assertThat(store.<java.util.Optional<Lease>>read(tx -> tx.find(Key.lease(7, "hw-3"))).orElseThrow().holder().metadata())
                .containsExactly(Map.entry("", ""));
        List<QueueEntry> queue = store.read(tx -> tx.list(Query.queue(7)));
        assertThat(queue).singleElement().satisfies(e -> {
            assertThat(e.device()).isEqualTo("hw-4");
            assertThat(e.holder()).isEqualTo(new Holder("bob", null, null, Map.of("team", "a:b:c")));
        });
    }
}
