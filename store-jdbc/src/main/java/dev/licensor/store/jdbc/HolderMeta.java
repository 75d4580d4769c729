package dev.licensor.store.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;

/**
 * A holder's metadata stored typed (issue 19, item 5): one row per pair in {@code holder_meta},
 * keyed by (license id, kind {@code lease} or {@code queue}, seat key, ordinal) with {@code name}
 * and {@code value} columns, and on each lease and queue row a {@code meta_count} (the pairs it
 * has, 0 for none). The common path costs nothing: a row with {@code meta_count = 0} is written and
 * read with no statement on the child table. Database triggers, which each store supplies in its
 * dialect, delete a row's pairs when the row is deleted or rewritten ({@code AFTER DELETE} and
 * {@code AFTER UPDATE OF meta_count}, both only {@code WHEN OLD.meta_count > 0}), so every delete
 * path (release, lapse sweep, force-release, deactivation, license deletion, leaving the queue)
 * leaves no pair behind, and no path has to remember to. Before this migration the pairs were one
 * length-prefixed text column ({@code holder_meta}) decoded on every read.
 *
 * <p>The migration (SQLite 9, PostgreSQL 6) converts the rows already written once, reading the old
 * text exactly as the old code wrote it. Not API beyond the stores.
 *
 * <p>Thread-safe (stateless).
 */
public final class HolderMeta {
    /** The {@code kind} of a lease's pairs. */
    static final String LEASE = "lease";
    /** The {@code kind} of a queue entry's pairs. */
    static final String QUEUE = "queue";

    private HolderMeta() {
    }

    /**
     * The migration as {@code version} of a store's history; {@code ddl} rewrites each DDL
     * statement for the database (PostgreSQL adds its {@code "C"} collation to text columns), and
     * {@code triggers} are the store's statements that create the clean-up triggers described above.
     */
    public static Migration migration(int version, Dialect d, UnaryOperator<String> ddl, List<String> triggers) {
        String big = d.bigint();
        List<String> create = List.of(
                "CREATE TABLE holder_meta (license_id " + big + " NOT NULL, kind TEXT NOT NULL, seat TEXT NOT NULL,"
                        + " ord " + big + " NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
                        + " PRIMARY KEY (license_id, kind, seat, ord))" + d.tableOptions(true),
                "ALTER TABLE lease ADD COLUMN meta_count " + big + " NOT NULL DEFAULT 0",
                "ALTER TABLE seat_queue ADD COLUMN meta_count " + big + " NOT NULL DEFAULT 0");
        return new Migration(version, "holder metadata typed: a row per pair, a count on the lease and queue rows",
                handle -> {
                    create.forEach(sql -> handle.execute(ddl.apply(sql)));
                    convert(handle, "lease", LEASE);
                    convert(handle, "seat_queue", QUEUE);
                    handle.execute("ALTER TABLE lease DROP COLUMN holder_meta");
                    handle.execute("ALTER TABLE seat_queue DROP COLUMN holder_meta");
                    triggers.forEach(handle::execute);
                });
    }

    private static void convert(Handle handle, String table, String kind) {
        for (Map<String, Object> row : handle.createQuery("SELECT license_id, hardware_id, holder_meta FROM " + table
                + " WHERE holder_meta IS NOT NULL AND holder_meta <> ''").mapToMap().list()) {
            Object id = row.get("license_id");
            Object seat = row.get("hardware_id");
            Map<String, String> pairs = legacyDecode((String) row.get("holder_meta"));
            int ord = 0;
            for (Map.Entry<String, String> pair : pairs.entrySet()) {
                handle.execute("INSERT INTO holder_meta (license_id, kind, seat, ord, name, value) VALUES (?, ?, ?, ?, ?, ?)",
                        id, kind, seat, ord++, pair.getKey(), pair.getValue());
            }
            handle.execute("UPDATE " + table + " SET meta_count = ? WHERE license_id = ? AND hardware_id = ?",
                    pairs.size(), id, seat);
        }
    }

    /**
     * The text column of schema versions before this one (written by the typed-values migration
     * too): each key and value as its length in UTF-16 units, a colon, then the string; null for none.
     */
    static String legacyEncode(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        metadata.forEach((k, v) -> out.append(k.length()).append(':').append(k).append(v.length()).append(':').append(v));
        return out.toString();
    }

    /** The pairs of a {@link #legacyEncode} text, in order. */
    static Map<String, String> legacyDecode(String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        List<String> strings = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int colon = text.indexOf(':', at);
            if (colon < 0) {
                throw new IllegalStateException("malformed holder metadata column");
            }
            int start = colon + 1;
            at = start + Integer.parseInt(text, at, colon, 10);
            strings.add(text.substring(start, at));
        }
        for (int i = 0; i + 1 < strings.size(); i += 2) {
            pairs.put(strings.get(i), strings.get(i + 1));
        }
        return pairs;
    }
}
