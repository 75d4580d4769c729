package dev.licensor.store.postgresql;

import dev.licensor.store.Change;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A ledger append finds its seq with an index probe of its own transaction's range, whatever the
 * ledger's statistics say. Before, the seq subquery was planned from the statistics the
 * connection saw when it prepared the statement: on a ledger analysed while empty (a freshly
 * preloaded schema, as the benchmarks build) every append scanned the whole ledger until the
 * next autoanalyze, so a lone caller got slower the longer it ran.
 */
@ExtendWith(PgExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LedgerSeqPlanTest {
    private static final int UNITS = 200;

    @Test
    void appendsOnALedgerAnalysedWhileEmptyNeverScanTheLedger() throws Exception {
        String schema = PgServer.freshSchema("seqplan");
        PgServer server = PgServer.shared();
        try (HikariDataSource pool = Fixtures.pool(server, 2, Duration.ofSeconds(30));
             PostgresLicenseStore store = Fixtures.open(pool, schema)) {
            server.execute("VACUUM (ANALYZE) " + schema + ".ledger"); // empty: the statistics say so
            for (int i = 0; i < UNITS; i++) {
                String subject = "s" + i;
                store.write(tx -> {
                    tx.apply(new Change.AppendLedger(entry(subject)));
                    return tx.apply(new Change.AppendLedger(entry(subject)))[0];
                });
            }
        } // the pool's sessions end: their table statistics reach the server's counters

        long[] counts = ledgerCounts(server, schema);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (counts[0] < 2L * UNITS && System.nanoTime() < deadline) {
            Thread.sleep(100);
            counts = ledgerCounts(server, schema);
        }
        assertThat(counts[0]).as("ledger rows inserted, as the server counts them").isEqualTo(2L * UNITS);
        // opening the schema may scan the empty ledger once or twice (migration 7, the realignment)
        assertThat(counts[1]).as("sequential scans of the ledger").isLessThanOrEqualTo(3);
        server.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    private static LedgerEntry entry(String subject) {
        return new LedgerEntry(0, Instant.parse("2026-12-07T12:00:00Z"), LedgerEvent.GRANTED, 1, 0, subject, Code.OK, "");
    }

    /** n_tup_ins and seq_scan of the schema's ledger. */
    private static long[] ledgerCounts(PgServer server, String schema) throws SQLException {
        try (Connection c = server.connect();
             PreparedStatement q = c.prepareStatement(
                     "SELECT n_tup_ins, seq_scan FROM pg_stat_user_tables WHERE schemaname = ? AND relname = 'ledger'")) {
            q.setString(1, schema);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }
}
