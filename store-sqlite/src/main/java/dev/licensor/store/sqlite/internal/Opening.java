package dev.licensor.store.sqlite.internal;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.sqlite.Synchronous;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.nio.file.FileAlreadyExistsException;
import java.util.Arrays;
import java.util.UUID;
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

    /** A name for a temporary file next to {@code path}, hidden, unique, not yet existing. */
    static Path temporarySibling(Path path, String purpose) {
        return path.resolveSibling("." + path.getFileName() + "." + purpose + "-" + UUID.randomUUID() + ".tmp");
    }

    /** Removes a temporary database file and any journal SQLite left beside it; best effort. */
    static void deleteQuietly(Path temporary) {
        for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
            try {
                Files.deleteIfExists(temporary.resolveSibling(temporary.getFileName() + suffix));
            } catch (IOException e) {
                log.warn("could not remove temporary file {}{}: {}", temporary, suffix, e.toString());
            }
        }
    }

    /**
     * Gives the complete file {@code temporary} the name {@code path}, atomically and only if
     * {@code path} does not exist: a hard link (the temporary name is removed by the caller).
     * Returns false if {@code path} exists. Where hard links are not supported, falls back to a
     * move that does not replace (not atomic against a file created at the same instant).
     */
    static boolean publish(Path temporary, Path path) {
        try {
            Files.createLink(path, temporary);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | IOException e) {
            try {
                Files.move(temporary, path);
                return true;
            } catch (FileAlreadyExistsException exists) {
                return false;
            } catch (IOException moveFailed) {
                throw new LicensingException(Code.STORE_FAILURE, "could not name " + path + ": " + moveFailed.getMessage(),
                        moveFailed);
            }
        }
    }

    /**
     * Creates a new Licensor database at the missing {@code path}: built and migrated under a
     * temporary name, flushed, then published under {@code path}. A store that finds a file
     * therefore always finds a complete one, and an empty file is never one Licensor created. If
     * another opener published first, its file is kept and this one is dropped.
     */
    static void create(Path path, Duration busyTimeout) {
        Path temporary = temporarySibling(path, "new");
        try {
            try (SqliteConnection connection = new SqliteConnection(
                    Jdbi.open(Database.connect(temporary, Synchronous.FULL, busyTimeout, false)))) {
                migrate(temporary, connection);
            }
            publish(temporary, path);
            syncDirectory(path.getParent());
        } catch (SQLException | JdbiException e) {
            throw refused(path, "it could not be created: " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /**
     * Reads an existing file without writing it: it must be a SQLite database whose application id
     * is Licensor's and whose schema is not newer. An empty file or a blank SQLite database is
     * accepted only if {@code createIfEmpty}: otherwise it is most likely a copy that never
     * completed, and initialising it would hide that the data is missing.
     */
    static void probe(Path path, Duration busyTimeout, boolean createIfEmpty) {
        long size;
        try {
            if (!Files.exists(path)) {
                return; // removed since it was created: the read-write connection creates it
            }
            size = Files.size(path);
        } catch (IOException e) {
            throw refused(path, "its size cannot be read: " + e.getMessage(), e);
        }
        if (size == 0) {
            if (createIfEmpty) {
                return; // initialised by the read-write connection
            }
            throw refused(path, "it is empty (0 bytes), not a database Licensor created; a copy that never"
                    + " completed leaves such a file. To start a new database in it, open with createIfEmpty(true)", null);
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
                    if (createIfEmpty) {
                        return; // a blank SQLite database: becomes a Licensor database
                    }
                    throw refused(path, "it is an empty SQLite database, not one Licensor created. To start a new"
                            + " database in it, open with createIfEmpty(true)", null);
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
                if (!(e.getCause() instanceof SQLException sql) || (sql.getErrorCode() & 0xff) != Database.SQLITE_BUSY
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
     * Applies every migration newer than the file's version, each in its own IMMEDIATE transaction
     * that re-reads the version first (another process may be opening the same file). Returns the
     * version the file ends at.
     */
    static int migrate(Path path, SqliteConnection connection) throws SQLException {
        Handle handle = connection.handle();
        int version = 0;
        for (Schema.Migration migration : Schema.MIGRATIONS) {
            connection.begin(true);
            try {
                version = currentVersion(path, handle);
                if (version < migration.version()) {
                    migration.step().apply(handle);
                    handle.createUpdate("INSERT INTO " + Schema.VERSION_TABLE
                                    + " (version, description, applied_at_ms) VALUES (:version, :description, :at)")
                            .bind("version", migration.version())
                            .bind("description", migration.description())
                            .bind("at", System.currentTimeMillis())
                            .execute();
                    version = migration.version();
                    log.info("migrated {} to schema version {} ({})", path, version, migration.description());
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollbackQuietly();
                throw e;
            }
        }
        return version;
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
