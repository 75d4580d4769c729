package dev.licensor.store.postgresql.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The versioned schema of the PostgreSQL store: ordered migrations, applied at open in one
 * transaction that holds a migration lock, so two hosts starting at once against an empty
 * database apply each migration once (the second waits, then finds them applied). A schema
 * written by a newer version is refused and left untouched. Not API.
 *
 * <p>Columns mirror the SQLite store's: instants as (seconds, nanos) pairs so every
 * {@link java.time.Instant} round-trips exactly; flags as integers 0/1.
 *
 * <p>Immutable and thread-safe.
 */
public final class PgSchema {
    /** The table holding one row per applied migration. */
    public static final String VERSION_TABLE = "licensor_schema";

    /** One step: SQL statements run in order inside the migration transaction. */
    public record Migration(int version, String description, List<String> statements) {
    }

    /** Every migration, in order; versions 1, 2, 3 ... A migration that has reached main is never edited. */
    public static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "initial schema", List.of(
                    "CREATE TABLE product (code text COLLATE \"C\" PRIMARY KEY, name text NOT NULL,"
                            + " floating_timeout_s bigint NOT NULL, floating_timeout_ns integer NOT NULL,"
                            + " max_borrow_s bigint NOT NULL, max_borrow_ns integer NOT NULL)",
                    "CREATE TABLE license (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                            + " product text COLLATE \"C\" NOT NULL,"
                            + " license_key text COLLATE \"C\", username text COLLATE \"C\", type text NOT NULL,"
                            + " enabled integer NOT NULL, active integer NOT NULL,"
                            + " valid_from_s bigint, valid_from_ns integer, valid_until_s bigint, valid_until_ns integer,"
                            + " max_activations integer NOT NULL, floating_seats integer NOT NULL,"
                            + " floating_timeout_s bigint, floating_timeout_ns integer,"
                            + " borrow_allowed integer NOT NULL, max_borrow_s bigint, max_borrow_ns integer,"
                            + " max_consumptions bigint NOT NULL, consumed bigint NOT NULL,"
                            + " overage_allowed integer NOT NULL, max_overage bigint NOT NULL)",
                    "CREATE UNIQUE INDEX license_by_key ON license (product, license_key)",
                    "CREATE UNIQUE INDEX license_by_user ON license (product, username)",
                    "CREATE TABLE activation (license_id bigint NOT NULL, hardware_id text COLLATE \"C\" NOT NULL,"
                            + " activated_s bigint NOT NULL, activated_ns integer NOT NULL,"
                            + " PRIMARY KEY (license_id, hardware_id))",
                    "CREATE TABLE blacklist (product text COLLATE \"C\" NOT NULL, hardware_id text COLLATE \"C\" NOT NULL,"
                            + " at_s bigint NOT NULL, at_ns integer NOT NULL, PRIMARY KEY (product, hardware_id))",
                    "CREATE TABLE lease (license_id bigint NOT NULL, hardware_id text COLLATE \"C\" NOT NULL,"
                            + " granted_s bigint NOT NULL, granted_ns integer NOT NULL,"
                            + " refreshed_s bigint NOT NULL, refreshed_ns integer NOT NULL,"
                            + " expires_s bigint NOT NULL, expires_ns integer NOT NULL,"
                            + " borrowed_until_s bigint, borrowed_until_ns integer,"
                            + " PRIMARY KEY (license_id, hardware_id))",
                    "CREATE INDEX lease_by_license_expiry ON lease (license_id, expires_s, expires_ns, hardware_id)",
                    "CREATE INDEX lease_by_expiry ON lease (expires_s, expires_ns, license_id, hardware_id)",
                    "CREATE TABLE client (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                            + " name text COLLATE \"C\" NOT NULL UNIQUE,"
                            + " platform_type integer NOT NULL, host_name text NOT NULL)",
                    "CREATE TABLE agent (client_id bigint NOT NULL, app_type integer NOT NULL, name text NOT NULL,"
                            + " PRIMARY KEY (client_id, app_type))",
                    "CREATE TABLE client_license (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                            + " platform_type integer NOT NULL, license_type integer NOT NULL, app_type integer NOT NULL,"
                            + " license_name text NOT NULL, permanent integer NOT NULL, evaluation integer NOT NULL,"
                            + " evaluation_expiry_s bigint, evaluation_expiry_ns integer, used integer NOT NULL,"
                            + " UNIQUE (platform_type, license_type, app_type))",
                    "CREATE TABLE consumption (client_id bigint NOT NULL, client_license_id bigint NOT NULL,"
                            + " agent_level integer NOT NULL, released integer NOT NULL,"
                            + " changed_s bigint NOT NULL, changed_ns integer NOT NULL,"
                            + " PRIMARY KEY (client_id, client_license_id, agent_level))",
                    "CREATE INDEX consumption_by_license ON consumption (client_license_id, released, client_id, agent_level)",
                    "CREATE TABLE ledger (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                            + " at_s bigint NOT NULL, at_ns integer NOT NULL, event text NOT NULL,"
                            + " license_id bigint NOT NULL, client_license_id bigint NOT NULL,"
                            + " subject text NOT NULL, code text NOT NULL, detail text NOT NULL)",
                    "CREATE INDEX ledger_by_time ON ledger (at_s, at_ns, seq)")));

    /** The version this build writes. */
    public static final int LATEST = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

    /** Advisory lock key of migrations: "LICSMIGR" as a bigint; combined with the schema's hash. */
    private static final long MIGRATION_LOCK = 0x4C4943534D494752L;

    private PgSchema() {
    }

    /**
     * Brings {@code schema} to {@link #LATEST} on {@code connection} (auto-commit off), in one
     * transaction holding a transaction-scoped advisory lock of the schema. Returns the version
     * found before.
     *
     * @throws NewerSchemaException if the schema was written by a newer version; nothing is changed
     */
    public static int migrate(Connection connection, String schema) throws SQLException {
        String quoted = Sql.quote(schema);
        try (Statement st = connection.createStatement()) {
            // Two hosts starting at once: the second waits here until the first committed.
            st.execute("SELECT pg_advisory_xact_lock(" + (MIGRATION_LOCK ^ schema.hashCode()) + ")");
            boolean schemaExists;
            boolean versioned;
            int tables;
            try (var q = connection.prepareStatement("SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = ?),"
                    + " (SELECT count(*) FROM pg_tables WHERE schemaname = ?),"
                    + " (SELECT count(*) FROM pg_tables WHERE schemaname = ? AND tablename = ?)")) {
                q.setString(1, schema);
                q.setString(2, schema);
                q.setString(3, schema);
                q.setString(4, VERSION_TABLE);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    schemaExists = rs.getInt(1) == 1;
                    tables = rs.getInt(2);
                    versioned = rs.getInt(3) == 1;
                }
            }
            if (tables > 0 && !versioned) {
                connection.rollback();
                throw new ForeignSchemaException(schema, tables);
            }
            if (!schemaExists) {
                st.execute("CREATE SCHEMA " + quoted);
            }
            st.execute("SET LOCAL search_path TO " + quoted);
            st.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " (version integer PRIMARY KEY,"
                    + " description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            int found;
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM " + VERSION_TABLE)) {
                rs.next();
                found = rs.getInt(1);
            }
            if (found > LATEST) {
                connection.rollback();
                throw new NewerSchemaException(found);
            }
            for (Migration migration : MIGRATIONS) {
                if (migration.version() > found) {
                    for (String sql : migration.statements()) {
                        st.execute(sql);
                    }
                    try (var insert = connection.prepareStatement("INSERT INTO " + VERSION_TABLE
                            + " (version, description) VALUES (?, ?)")) {
                        insert.setInt(1, migration.version());
                        insert.setString(2, migration.description());
                        insert.executeUpdate();
                    }
                }
            }
            connection.commit();
            return found;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the server rolls back
            }
            throw e;
        }
    }

    /** The schema holds tables but no Licensor version table: another application's, refused. */
    public static final class ForeignSchemaException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ForeignSchemaException(String schema, int tables) {
            super("schema " + schema + " holds " + tables + " tables but no " + VERSION_TABLE
                    + " table: it is not a Licensor schema");
        }
    }

    /** The schema holds a version this build does not know. */
    public static final class NewerSchemaException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int version;

        NewerSchemaException(int version) {
            super("schema version " + version + " is newer than this build's " + LATEST);
            this.version = version;
        }

        /** The version found. */
        public int version() {
            return version;
        }
    }
}
