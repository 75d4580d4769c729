package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.Query;
import java.time.Instant;
import java.util.List;

/**
 * Ledger rows as SQL stores wrote them before a ledger entry's facts were typed (issue 19): the
 * borrow end, the uses, the queue position, the level and the holder as text in {@code detail}.
 * A store's migration test inserts {@link #INSERTS} into a database at the schema version before
 * the typed one (it has the {@code actor} column), opens it, and checks with
 * {@link #assertMigrated} that every fact came back typed and that only human messages are left
 * in {@code detail}. Thread-safe (stateless).
 */
public final class LegacyLedgerRows {
    private static final long AT = 1_767_600_000L;
    private static final Instant UNTIL = Instant.parse("2026-01-05T10:00:00Z");
    private static final Instant RETURNED = Instant.parse("2026-01-05T10:00:00.500Z");
    private static final String DENIAL = "excluded by 'EXCLUDE USER x [y]' [user=x%3B y; host=h%5D]";
    private static final String HOLDER = "device=d; user=a%3Bb; host=h 1; meta.user=root";

    private LegacyLedgerRows() {
    }

    /** The rows, seqs 1 to 10, as the old engine wrote them (plus two it did not write). */
    public static final List<String> INSERTS = List.of(
            row(1, "BORROWED", "until " + UNTIL),
            row(2, "RELEASED", "borrow returned before " + RETURNED),
            row(3, "CONSUMPTION_ADDED", "+7"),
            row(4, "QUEUED", "position 3"),
            row(5, "CONSUMED", "agent"),
            row(6, "CLIENT_RELEASED", "client"),
            row(7, "GRANTED", HOLDER),
            "INSERT INTO ledger (seq, at_s, at_ns, event, license_id, client_license_id, subject, code, detail, actor)"
                    + " VALUES (8, " + AT + ", 0, 'DENIED', 1, 0, 'hw', 'excluded', '" + DENIAL.replace("'", "''")
                    + "', '')",
            row(9, "SWITCHED", "enabled=false, active=true"),
            row(10, "BORROWED", "until the cows come home"));

    private static String row(long seq, String event, String detail) {
        return "INSERT INTO ledger (seq, at_s, at_ns, event, license_id, client_license_id, subject, code, detail, actor)"
                + " VALUES (" + seq + ", " + AT + ", 0, '" + event + "', 1, 0, 'hw', 'ok', '" + detail + "', '')";
    }

    /** Every row of {@link #INSERTS}, read back through the store with its facts typed. */
    public static void assertMigrated(LicenseStore store) {
        List<LedgerEntry> rows = store.read(tx -> tx.list(Query.ledgerAfter(0, 100)));
        Instant at = Instant.ofEpochSecond(AT);
        assertThat(rows).containsExactly(
                entry(1, at, LedgerEvent.BORROWED, Code.OK, "").withUntil(UNTIL),
                entry(2, at, LedgerEvent.RELEASED, Code.OK, "borrow returned").withUntil(RETURNED),
                entry(3, at, LedgerEvent.CONSUMPTION_ADDED, Code.OK, "").withCount(7),
                entry(4, at, LedgerEvent.QUEUED, Code.OK, "").withPosition(3),
                entry(5, at, LedgerEvent.CONSUMED, Code.OK, "").withAgentLevel(true),
                entry(6, at, LedgerEvent.CLIENT_RELEASED, Code.OK, ""),
                entry(7, at, LedgerEvent.GRANTED, Code.OK, HOLDER).withHolder("a;b", "h 1"),
                entry(8, at, LedgerEvent.DENIED, Code.EXCLUDED, DENIAL).withHolder("x; y", "h]"),
                entry(9, at, LedgerEvent.SWITCHED, Code.OK, "enabled=false, active=true"),
                entry(10, at, LedgerEvent.BORROWED, Code.OK, "until the cows come home"));
    }

    private static LedgerEntry entry(long seq, Instant at, LedgerEvent event, Code code, String detail) {
        return new LedgerEntry(seq, at, event, 1, 0, "hw", code, detail);
    }
}
