package dev.licensor.store.postgresql.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test harness itself: the server is real and durable, a crash-restart keeps what was
 * committed, and the proxy's cuts leave a commit in doubt exactly as they promise.
 */
@ExtendWith(PgExtension.class)
class HarnessTest {
    private static PgServer server;
    private static String table;

    @BeforeAll
    static void createTable() {
        server = PgServer.shared();
        table = PgServer.freshSchema("harness");
        server.execute("CREATE TABLE " + table + " (id text PRIMARY KEY)");
    }

    @AfterAll
    static void dropTable() {
        server.execute("DROP TABLE IF EXISTS " + table);
    }

    @Test
    void theServerIsDurable() throws SQLException {
        assertThat(query("SHOW fsync")).isEqualTo("on");
        assertThat(query("SHOW synchronous_commit")).isEqualTo("on");
        assertThat(query("SELECT current_setting('server_version_num')::int >= 150000")).isEqualTo("t");
    }

    @Test
    void aThrowawayClusterRunsTheBundledBinariesAndNeverAsRoot() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(PgBinaries.BIN_ENV) == null,
                "LICENSOR_PG_BIN names other binaries on purpose");
        assertThat(PgBinaries.find()).get().asString()
                .startsWith(System.getProperty("java.io.tmpdir")).contains("licensor-pg-binaries-");
        try (PgServer own = PgServer.startCluster();
             Connection c = own.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('data_directory'), current_setting('server_version_num')::int")) {
            assertThat(rs.next()).isTrue();
            java.nio.file.Path data = java.nio.file.Path.of(rs.getString(1));
            assertThat(java.nio.file.Files.getOwner(data).getName()).isNotEqualTo("root");
            assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(170000); // the artifact's 17, not a machine's 15
        }
    }

    @Test
    void anImmediateRestartKeepsCommittedRowsAndKillsOpenConnections() throws SQLException {
        try (PgServer own = PgServer.startCluster()) {
            own.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            try (Connection before = own.connect()) {
                own.restartImmediate();
                assertThatThrownBy(() -> before.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
            }
            try (Connection after = own.connect(); Statement st = after.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void aCutAfterCommitLeavesTheRowCommittedButTheClientInDoubt() throws Exception {
        try (CuttingProxy proxy = CuttingProxy.start(server.address().getHostString(), portOf(server))) {
            try (Connection c = server.dataSource(proxied(proxy)).getConnection()) {
                c.setAutoCommit(false);
                c.createStatement().executeUpdate("INSERT INTO " + table + " VALUES ('after')");
                proxy.arm(CuttingProxy.Cut.AFTER_COMMIT);
                assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
            }
            assertThat(proxy.awaitCut(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(query("SELECT count(*) FROM " + table + " WHERE id = 'after'")).isEqualTo("1");
    }

    @Test
    void aCutBeforeCommitRollsBack() throws Exception {
        try (CuttingProxy proxy = CuttingProxy.start(server.address().getHostString(), portOf(server))) {
            try (Connection c = server.dataSource(proxied(proxy)).getConnection()) {
                c.setAutoCommit(false);
                c.createStatement().executeUpdate("INSERT INTO " + table + " VALUES ('before')");
                proxy.arm(CuttingProxy.Cut.BEFORE_COMMIT);
                assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
            }
            assertThat(proxy.awaitCut(5, TimeUnit.SECONDS)).isTrue();
            // the server notices the dropped connection and rolls back
        }
        assertThat(query("SELECT count(*) FROM " + table + " WHERE id = 'before'")).isEqualTo("0");
    }

    private static int portOf(PgServer server) {
        return server.address().getPort();
    }

    private static String proxied(CuttingProxy proxy) {
        return server.urlThrough(proxy.port());
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
