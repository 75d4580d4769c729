package dev.licensor.store.jdbc;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;

/**
 * The migration that stores what a ledger entry records as typed columns (issue 19, item 3): the
 * borrow end ({@code until_s}, {@code until_ns}), the uses added ({@code uses}), the queue position
 * ({@code queue_position}), the level ({@code agent_level}) and the holder's user and host
 * ({@code holder_user}, {@code holder_host}). Before it they were text in {@code detail} ("until
 * ...", "+n", "position n", "agent", {@code user=...; host=...}) that readers parsed back. Every
 * relational store appends it to its history (SQLite 7, PostgreSQL 5); it converts the rows already
 * written once, reading the old text exactly as the old code wrote it, and keeps in {@code detail}
 * only what is a human message. Not API beyond the stores.
 *
 * <p>Thread-safe (stateless).
 */
public final class LedgerFacts {
    /** Rows converted per statement batch: the conversion pages through the ledger by seq. */
    private static final int PAGE = 1_000;

    private LedgerFacts() {
    }

    /** The columns, as {@code ALTER TABLE} statements (one column each, for SQLite). */
    public static List<String> columns(Dialect d) {
        String big = d.bigint();
        return List.of(
                "ALTER TABLE ledger ADD COLUMN until_s " + big,
                "ALTER TABLE ledger ADD COLUMN until_ns " + big,
                "ALTER TABLE ledger ADD COLUMN uses " + big + " NOT NULL DEFAULT 0",
                "ALTER TABLE ledger ADD COLUMN queue_position " + big + " NOT NULL DEFAULT 0",
                "ALTER TABLE ledger ADD COLUMN agent_level " + big + " NOT NULL DEFAULT 0",
                "ALTER TABLE ledger ADD COLUMN holder_user TEXT",
                "ALTER TABLE ledger ADD COLUMN holder_host TEXT");
    }

    /**
     * The migration as {@code version} of a store's history; {@code ddl} rewrites each DDL
     * statement for the database (PostgreSQL adds its {@code "C"} collation to text columns).
     */
    public static Migration migration(int version, Dialect d, UnaryOperator<String> ddl) {
        List<String> create = columns(d);
        return new Migration(version, "ledger facts typed: borrow end, uses, queue position, level, holder",
                handle -> {
                    create.forEach(sql -> handle.execute(ddl.apply(sql)));
                    convert(handle);
                });
    }

    /** The typed facts one old row held, and the detail that is left. */
    record Facts(Instant until, long uses, int position, boolean agentLevel, String user, String host, String detail) {
    }

    private record Row(long seq, String event, String detail) {
    }

    private static void convert(Handle handle) {
        long after = 0;
        while (true) {
            List<Row> page = handle.createQuery("SELECT seq, event, detail FROM ledger WHERE seq > :after"
                            + " AND detail <> '' ORDER BY seq LIMIT " + PAGE)
                    .bind("after", after)
                    .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
            if (page.isEmpty()) {
                return;
            }
            var batch = handle.prepareBatch("UPDATE ledger SET until_s = :until_s, until_ns = :until_ns, uses = :uses,"
                    + " queue_position = :position, agent_level = :agent, holder_user = :user, holder_host = :host,"
                    + " detail = :detail WHERE seq = :seq");
            int n = 0;
            for (Row row : page) {
                Facts f = facts(row.event(), row.detail());
                if (f != null) {
                    batch.bind("until_s", Times.seconds(f.until()))
                            .bind("until_ns", Times.nanos(f.until()))
                            .bind("uses", f.uses()).bind("position", (long) f.position())
                            .bind("agent", f.agentLevel() ? 1L : 0L)
                            .bind("user", f.user()).bind("host", f.host())
                            .bind("detail", f.detail()).bind("seq", row.seq()).add();
                    n++;
                }
            }
            if (n > 0) {
                batch.execute();
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    /**
     * What an old row's detail held, as the engine wrote it before this migration; null if the
     * row holds nothing typed (an admin change's summary, a text the engine did not write).
     */
    static Facts facts(String event, String detail) {
        switch (event) {
            case "BORROWED":
                Instant until = detail.startsWith("until ") ? instant(detail.substring(6)) : null;
                return until == null ? null : new Facts(until, 0, 0, false, null, null, "");
            case "RELEASED":
                String returned = "borrow returned before ";
                Instant end = detail.startsWith(returned) ? instant(detail.substring(returned.length())) : null;
                return end == null ? null : new Facts(end, 0, 0, false, null, null, "borrow returned");
            case "CONSUMPTION_ADDED":
                Long uses = detail.startsWith("+") ? number(detail.substring(1)) : null;
                return uses == null ? null : new Facts(null, uses, 0, false, null, null, "");
            case "QUEUED":
                Long position = detail.startsWith("position ") ? number(detail.substring(9)) : null;
                return position == null || position > Integer.MAX_VALUE ? null
                        : new Facts(null, 0, position.intValue(), false, null, null, "");
            case "CONSUMED", "CLIENT_RELEASED", "RECONFIGURED":
                return "agent".equals(detail) || "client".equals(detail)
                        ? new Facts(null, 0, 0, "agent".equals(detail), null, null, "") : null;
            case "GRANTED", "REFRESHED": {
                // the description of the holder stays as the human record; user and host are typed
                Map<String, String> pairs = pairs(detail);
                return new Facts(null, 0, 0, false, pairs.get("user"), pairs.get("host"), detail);
            }
            case "DENIED": {
                Map<String, String> pairs = pairs(who(detail));
                return pairs.isEmpty() ? null
                        : new Facts(null, 0, 0, false, pairs.get("user"), pairs.get("host"), detail);
            }
            default:
                return null;
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The {@code [...]} block a policy refusal's message ended with, or "" if none. */
    private static String who(String message) {
        int open = message.lastIndexOf(" [");
        return message.endsWith("]") && open >= 0 ? message.substring(open + 2, message.length() - 1) : "";
    }

    /**
     * The {@code key=value} pairs of a holder description ({@code "; "}-separated, keys and values
     * escaped {@code %25 %3B %3D %5B %5D}): what the engine wrote, read back whole.
     */
    static Map<String, String> pairs(String text) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf(';', start);
            if (end < 0) {
                end = text.length();
            }
            int eq = text.indexOf('=', start);
            if (eq > start && eq < end) {
                out.putIfAbsent(unescape(text.substring(start, eq)), unescape(text.substring(eq + 1, end)));
            }
            start = end + 2; // "; "
        }
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int hi = c == '%' && i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (lo >= 0) {
                out.append((char) (hi << 4 | lo));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
