package dev.licensor.store.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.store.jdbc.Statements;
import dev.licensor.store.sqlite.Synchronous;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every statement the store runs inside units uses a key or an index: {@code EXPLAIN QUERY PLAN}
 * shows no {@code SCAN} of a table that grows with licenses, clients, devices, leases,
 * consumptions or the ledger (a full index scan counts as a scan too). The one allowed scan is the
 * catalog of purchased client licenses, which the contract lists whole.
 */
class QueryPlanTest {
    private static final Statements S = new Statements(SqliteDialect.INSTANCE);
    @TempDir
    Path dir;

    @Test
    void everyStatementSearchesAnIndex() throws SQLException {
        try (Database db = Database.open(dir.resolve("plan.db"), Synchronous.FULL, Duration.ofSeconds(5), 1);
             java.sql.Connection conn = Database.connect(db.file(), Synchronous.FULL, Duration.ofSeconds(5), false);
             Statement st = conn.createStatement()) {
            st.execute("ANALYZE"); // plans as on a populated file, not guesses for empty tables
            List<String> violations = new ArrayList<>();
            for (String sql : S.all()) {
                List<String> plan = plan(st, sql);
                assertThat(plan).as(sql).isNotNull();
                for (String step : plan) {
                    String upper = step.toUpperCase(Locale.ROOT);
                    boolean scan = upper.startsWith("SCAN ");
                    boolean allowed = sql.equals(S.clientLicenses) && upper.startsWith("SCAN CLIENT_LICENSE");
                    if (scan && !allowed) {
                        violations.add(step + "  <=  " + sql);
                    }
                }
            }
            assertThat(violations).isEmpty();
        }
    }

    @Test
    void rangesFollowTheirIndexSoRowsStreamWithoutASort() throws SQLException {
        try (Database db = Database.open(dir.resolve("plan2.db"), Synchronous.FULL, Duration.ofSeconds(5), 1);
             java.sql.Connection conn = Database.connect(db.file(), Synchronous.FULL, Duration.ofSeconds(5), false);
             Statement st = conn.createStatement()) {
            assertThat(String.join("\n", plan(st, S.countLiveLeases)))
                    .contains("SEARCH lease USING COVERING INDEX lease_by_license_expiry (license_id=? AND (expires_s,expires_ns)>(?,?))");
            assertThat(String.join("\n", plan(st, S.lapsedLeasesOfLicense)))
                    .contains("lease_by_license_expiry").doesNotContain("TEMP B-TREE");
            assertThat(String.join("\n", plan(st, S.lapsedLeases)))
                    .contains("lease_by_expiry").doesNotContain("TEMP B-TREE");
            assertThat(String.join("\n", plan(st, S.ledger)))
                    .contains("ledger_by_time").doesNotContain("TEMP B-TREE");
            // the keyset listings: one index range per page, in id order, no sort
            assertThat(String.join("\n", plan(st, S.licensesOfProduct)))
                    .contains("license_by_product (product=? AND id>?)").doesNotContain("TEMP B-TREE");
            assertThat(String.join("\n", plan(st, S.licensesOfUser)))
                    .contains("license_by_username (username=? AND id>?)").doesNotContain("TEMP B-TREE");
            assertThat(String.join("\n", plan(st, S.licensesAfter)))
                    .contains("SEARCH license USING INTEGER PRIMARY KEY (rowid>?)").doesNotContain("TEMP B-TREE");
            assertThat(String.join("\n", plan(st, S.clientsAfter)))
                    .contains("SEARCH client USING INTEGER PRIMARY KEY (rowid>?)").doesNotContain("TEMP B-TREE");
            // products by code: the primary key (binary collation, code point order)
            assertThat(String.join("\n", plan(st, S.productsAfter)))
                    .contains("SEARCH product USING PRIMARY KEY (code>?)").doesNotContain("TEMP B-TREE");
        }
    }

    private static List<String> plan(Statement st, String sql) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            while (rs.next()) {
                steps.add(rs.getString("detail"));
            }
        }
        return steps;
    }
}
