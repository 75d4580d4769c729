package dev.licensor.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every statement the store runs inside units uses an index on PostgreSQL: on tables filled (and
 * ANALYZEd) enough that the planner would pick a sequential scan if one were cheaper, the generic
 * plan of each statement ({@code plan_cache_mode = force_generic_plan}, as a prepared statement
 * reused by the driver runs) has no {@code Seq Scan}. The one allowed scan is the catalog of
 * purchased client licenses, which the contract lists whole.
 */
@ExtendWith(PgExtension.class)
class QueryPlanTest {
    private static final Pattern SEQ_SCAN = Pattern.compile("Seq Scan on (\\w+)");
    private static PgServer server;
    private static PostgresLicenseStore store;
    private static String schema;

    @BeforeAll
    static void fill() {
        server = PgServer.shared();
        schema = PgServer.freshSchema("plan");
        store = PostgresLicenseStore.builder(server.dataSource()).schema(schema).notifications(false).open();
        server.execute(
                "SET search_path TO " + schema,
                "ALTER TABLE lease DISABLE TRIGGER USER",
                "ALTER TABLE license DISABLE TRIGGER USER",
                "ALTER TABLE consumption DISABLE TRIGGER USER",
                "INSERT INTO product SELECT 'p' || g, 'n', 600, 0, 86400, 0 FROM generate_series(1, 500) g",
                "INSERT INTO license (product, license_key, username, type, enabled, active, max_activations,"
                        + " floating_seats, borrow_allowed, max_consumptions, consumed, overage_allowed, max_overage)"
                        + " SELECT 'p' || (g % 500), 'k' || g, 'u' || g, 'FLOATING', 1, 1, 100, 10, 0, 0, 0, 0, 0"
                        + " FROM generate_series(1, 20000) g",
                "INSERT INTO activation SELECT g % 20000 + 1, 'hw' || g, g, 0 FROM generate_series(1, 100000) g",
                "INSERT INTO lease SELECT g % 20000 + 1, 'hw' || g, g, 0, g, 0, 1000000 + g, 0, NULL, NULL"
                        + " FROM generate_series(1, 100000) g",
                "INSERT INTO blacklist SELECT 'p' || (g % 500), 'hw' || g, g, 0 FROM generate_series(1, 20000) g",
                "INSERT INTO client (name, platform_type, host_name) SELECT 'c' || g, 1, 'h' FROM generate_series(1, 20000) g",
                "INSERT INTO agent SELECT g, 33, 'a' FROM generate_series(1, 20000) g",
                "INSERT INTO client_license (platform_type, license_type, app_type, license_name, permanent,"
                        + " evaluation, used) SELECT 1, g, 33, 'l', 10, 0, 0 FROM generate_series(1, 20000) g",
                "INSERT INTO consumption SELECT g, g % 20000 + 1, g % 2, g % 3 / 2, g, 0 FROM generate_series(1, 50000) g",
                "INSERT INTO ledger (at_s, at_ns, event, license_id, client_license_id, subject, code, detail)"
                        + " SELECT g, 0, 'GRANTED', g % 20000 + 1, 0, 'hw' || g, 'ok', '' FROM generate_series(1, 100000) g",
                "INSERT INTO pool_options SELECT g, 'DEVICE', 0, 0, 0, 0, 10 FROM generate_series(1, 20000) g",
                "INSERT INTO pool_rule SELECT g, r, 'EXCLUDE', 0, 'USER', 'u' || r FROM generate_series(1, 20000) g,"
                        + " generate_series(0, 2) r",
                "INSERT INTO seat_group SELECT CASE WHEN g % 2 = 0 THEN 'USER' ELSE 'HOST' END, 'g' || g"
                        + " FROM generate_series(1, 20000) g",
                "INSERT INTO seat_group_member SELECT CASE WHEN g % 2 = 0 THEN 'USER' ELSE 'HOST' END, 'g' || g, m,"
                        + " 'm' || m FROM generate_series(1, 20000) g, generate_series(0, 2) m",
                "INSERT INTO seat_queue SELECT g % 20000 + 1, 'hw' || g, g, g, 0, g + 1000, 0"
                        + " FROM generate_series(1, 100000) g",
                "INSERT INTO holder_meta SELECT g % 20000 + 1, CASE WHEN g % 2 = 0 THEN 'lease' ELSE 'queue' END,"
                        + " 'hw' || g, m, 'n' || m, 'v' FROM generate_series(1, 50000) g, generate_series(0, 1) m",
                "INSERT INTO license_retired SELECT 'p' || (g % 500), g % 2, 'r' || g FROM generate_series(1, 20000) g",
                "ALTER TABLE lease ENABLE TRIGGER USER",
                "ALTER TABLE license ENABLE TRIGGER USER",
                "ALTER TABLE consumption ENABLE TRIGGER USER",
                "ANALYZE");
    }

    @AfterAll
    static void drop() {
        store.close();
        server.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void everyStatementSearchesAnIndex() throws SQLException {
        List<String> violations = new ArrayList<>();
        List<String> statements = store.statements();
        assertThat(statements).hasSizeGreaterThan(40);
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            st.execute("SET plan_cache_mode = force_generic_plan");
            for (String sql : statements) {
                String plan = plan(st, sql);
                Matcher scan = SEQ_SCAN.matcher(plan);
                while (scan.find()) {
                    // ledger_feed holds one row (the ledger's seq base, migration 7): a scan is one page
                    boolean allowed = scan.group(1).equals("client_license") && sql.contains("FROM client_license ORDER BY")
                            || scan.group(1).equals("ledger_feed");
                    if (!allowed) {
                        violations.add(scan.group() + "  <=  " + sql + "\n" + plan);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theLedgerAndAllLapsedLeasesStreamFromTheirIndexWithoutASort() throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            st.execute("SET plan_cache_mode = force_generic_plan");
            for (String sql : store.statements()) {
                // The ranges over every license and the ledger, which can hold millions of rows.
                if (sql.startsWith("SELECT seq, at_s") || sql.contains("WHERE (expires_s, expires_ns) <= (?, ?)")) {
                    assertThat(plan(st, sql)).as(sql).contains("Index").doesNotContain("Sort");
                }
            }
        }
    }

    @Test
    void theListingsAreOneIndexRangePerPageWithoutASort() throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            st.execute("SET plan_cache_mode = force_generic_plan");
            Map<String, String> expected = Map.of(
                    "FROM license WHERE id > ? ORDER BY id", "license_pkey",
                    "FROM license WHERE product = ? AND id > ? ORDER BY id", "license_by_product",
                    "FROM license WHERE username = ? AND id > ? ORDER BY id", "license_by_username",
                    "FROM client WHERE id > ? ORDER BY id", "client_pkey",
                    "FROM product WHERE code > ? ORDER BY code", "product_pkey");
            int seen = 0;
            for (String sql : store.statements()) {
                for (Map.Entry<String, String> e : expected.entrySet()) {
                    if (sql.contains(e.getKey())) {
                        assertThat(plan(st, sql)).as(sql).contains("Index Scan using " + e.getValue()).doesNotContain("Sort");
                        seen++;
                    }
                }
            }
            assertThat(seen).isEqualTo(expected.size());
        }
    }

    /** The generic plan of {@code sql}, its {@code ?} numbered as {@code $1, $2, ...}. */
    private static String plan(Statement st, String sql) throws SQLException {
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            if (ch == '?') {
                numbered.append('$').append(++n);
            } else {
                numbered.append(ch);
            }
        }
        st.execute("DEALLOCATE ALL");
        st.execute("PREPARE p AS " + numbered);
        StringBuilder args = new StringBuilder();
        for (int i = 0; i < n; i++) {
            args.append(i == 0 ? "" : ", ").append("NULL");
        }
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE p" + (n == 0 ? "" : "(" + args + ")"))) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
