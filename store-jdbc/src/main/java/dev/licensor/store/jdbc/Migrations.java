package dev.licensor.store.jdbc;

import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migrations runner: applies every migration newer than the database's version, each in its
 * own write transaction that reads the version first (another process may be migrating the same
 * database; a dialect whose write transactions do not exclude each other takes a migration lock
 * in {@link VersionReader#version}, e.g. {@code pg_advisory_xact_lock}). Each applied migration
 * adds a row to {@link #VERSION_TABLE}.
 *
 * <p>Thread-safe (stateless).
 */
public final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    /** The table holding one row per applied migration: (version, description, applied_at_ms). */
    public static final String VERSION_TABLE = "licensor_schema";

    private Migrations() {
    }

    /** Reads the database's schema version inside the migration's transaction. */
    @FunctionalInterface
    public interface VersionReader {
        /**
         * The version: 0 for a blank database. Throws (a {@code LicensingException} with
         * {@code STORE_FAILURE}) to refuse a database that is not Licensor's or is newer than
         * {@code latest}.
         */
        int version(Handle handle, int latest);
    }

    /**
     * Brings the database on {@code connection} up to the last of {@code migrations} (ordered,
     * versions 1..n). Returns the version it ends at.
     *
     * @param what names the database in the log
     */
    public static int migrate(JdbcConnection connection, List<Migration> migrations, VersionReader reader,
                              String what) throws SQLException {
        Handle handle = connection.handle();
        int latest = migrations.get(migrations.size() - 1).version();
        int version = 0;
        for (Migration migration : migrations) {
            connection.begin(true);
            try {
                version = reader.version(handle, latest);
                if (version < migration.version()) {
                    migration.step().apply(handle);
                    handle.createUpdate("INSERT INTO " + VERSION_TABLE
                                    + " (version, description, applied_at_ms) VALUES (:version, :description, :at)")
                            .bind("version", migration.version())
                            .bind("description", migration.description())
                            .bind("at", System.currentTimeMillis())
                            .execute();
                    version = migration.version();
                    log.info("migrated {} to schema version {} ({})", what, version, migration.description());
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollbackQuietly();
                throw e;
            }
        }
        return version;
    }
}
