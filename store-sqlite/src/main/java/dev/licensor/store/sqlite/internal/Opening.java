package dev.licensor.store.sqlite.internal;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import dev.licensor.store.jdbc.JdbcConnection;
import dev.licensor.store.jdbc.Migrations;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks and steps of opening a file. Everything that can refuse a file runs before anything
 * writes to it: path checks, then the SQLite header read with plain file I/O, then a
 * <em>read-only</em> connection that reads the application id and the schema version. Only a file
 * that passes is opened read-write, switched to WAL and migrated. Not API.
 *
 * <p>Thread-safe (stateless).
 */
final class Opening {
    private static final Logger log = LoggerFactory.getLogger(Opening.class);
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private Opening() {
    }

    static LicensingException refused(Path path, String why, Throwable cause) {
        return new LicensingException(Code.STORE_FAILURE, "refusing to open " + path + ": " + why, cause);
    }

    /** Refuses directories, missing directories, special files and paths this process cannot write. */
    static void checkPath(Path path) {
        if (Files.isDirectory(path)) {
            throw refused(path, "it is a directory", null);
        }
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw refused(path, "its directory " + dir + " does not exist", null);
        }
        if (Files.exists(path)) {
            if (!Files.isRegularFile(path)) {
                throw refused(path, "it is not a regular file", null);
            }
            if (!Files.isReadable(path) || !Files.isWritable(path)) {
                throw refused(path, "it is not readable and writable by this process", null);
            }
        } else if (!Files.isWritable(dir)) {
            throw refused(path, "the file does not exist and its directory is not writable", null);
        }
    }

    /**
     * Reads an existing, non-empty file without writing it: it must be a SQLite database whose
     * application id is Licensor's (or a blank SQLite database) and whose schema is not newer.
     */
    static void probe(Path path, Duration busyTimeout) {
        long size;
        try {
            if (!Files.exists(path) || (size = Files.size(path)) == 0) {
                return; // created (or initialised, if empty) by the read-write connection
            }
        } catch (IOException e) {
            throw refused(path, "its size cannot be read: " + e.getMessage(), e);
        }
        byte[] header = new byte[SQLITE_HEADER.length];
        try (InputStream in = Files.newInputStream(path)) {
            int read = in.readNBytes(header, 0, header.length);
            if (size < 100 || read < header.length || !Arrays.equals(header, SQLITE_HEADER)) {
                throw refused(path, "it is not a SQLite database (no SQLite header)", null);
            }
        } catch (IOException e) {
            throw refused(path, "it cannot be read: " + e.getMessage(), e);
        }
        try (Handle handle = Jdbi.open(Database.connect(path, null, busyTimeout, true))) {
            int applicationId = handle.createQuery("PRAGMA application_id").mapTo(int.class).one();
            int objects = handle.createQuery("SELECT count(*) FROM sqlite_schema").mapTo(int.class).one();
            if (applicationId != Schema.APPLICATION_ID) {
                if (applicationId == 0 && objects == 0) {
                    return; // a blank SQLite database: becomes a Licensor database
                }
                throw refused(path, "it is not a Licensor database (application_id " + applicationId + ", "
                        + objects + " schema objects)", null);
            }
            int version = handle.createQuery("SELECT max(version) FROM " + Schema.VERSION_TABLE).mapTo(int.class).one();
            checkVersion(path, version);
        } catch (SQLException | JdbiException e) {
            throw refused(path, "it cannot be read as a SQLite database, it may be corrupt (" + e.getMessage() + ")", e);
        }
    }

    private static void checkVersion(Path path, int version) {
        if (version > Schema.LATEST) {
            throw refused(path, "it was written by a newer Licensor (schema version " + version
                    + "; this version knows up to " + Schema.LATEST + "). Upgrade Licensor to open it.", null);
        }
    }

    /** Flushes a directory's entries to disk; best effort, as not every platform can. */
    static void syncDirectory(Path dir) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(dir,
                java.nio.file.StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            log.debug("could not flush directory {}: {}", dir, e.toString());
        }
    }

    /** Switches the file to WAL (a persistent setting), retrying while another process holds it busy. */
    static void enableWal(Handle handle, Duration busyTimeout) throws SQLException {
        long deadline = System.nanoTime() + busyTimeout.toNanos();
        while (true) {
            String mode = handle.createQuery("PRAGMA journal_mode").mapTo(String.class).one();
            if ("wal".equalsIgnoreCase(mode)) {
                return;
            }
            try {
                mode = handle.createQuery("PRAGMA journal_mode = WAL").mapTo(String.class).one();
                if ("wal".equalsIgnoreCase(mode)) {
                    return;
                }
            } catch (JdbiException e) {
                // another process holds the file busy while it is created; retried until the busy timeout
                if (!(e.getCause() instanceof SQLException sql) || (sql.getErrorCode() & 0xff) != SqliteDialect.SQLITE_BUSY
                        || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new SQLException("could not switch to WAL mode (journal mode stays " + mode + ")");
            }
            sleepBriefly();
        }
    }

    private static void sleepBriefly() throws SQLException {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while opening", e);
        }
    }

    /**
     * Applies every migration newer than the file's version with the shared runner, each in its
     * own IMMEDIATE transaction that re-reads the version first (another process may be opening
     * the same file). Returns the version the file ends at.
     */
    static int migrate(Path path, JdbcConnection connection) throws SQLException {
        return Migrations.migrate(connection, Schema.MIGRATIONS, (handle, latest) -> currentVersion(path, handle),
                path.toString());
    }

    /** The file's schema version inside the open transaction: 0 for a blank database. */
    private static int currentVersion(Path path, Handle handle) {
        int applicationId = handle.createQuery("PRAGMA application_id").mapTo(int.class).one();
        int objects = handle.createQuery("SELECT count(*) FROM sqlite_schema").mapTo(int.class).one();
        boolean hasVersionTable = handle.createQuery("SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                + " AND name = :name").bind("name", Schema.VERSION_TABLE).mapTo(int.class).one() == 1;
        if (applicationId == 0 && objects == 0) {
            return 0;
        }
        if (applicationId != Schema.APPLICATION_ID || !hasVersionTable) {
            throw refused(path, "it is not a Licensor database (application_id " + applicationId + ")", null);
        }
        int version = handle.createQuery("SELECT max(version) FROM " + Schema.VERSION_TABLE).mapTo(int.class).one();
        checkVersion(path, version);
        return version;
    }
}
