package dev.licensor.store.postgresql.internal;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.StoreWork;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Runs units of work on connections borrowed from the host's DataSource, one transaction each:
 * begins it with the unit's session settings ({@code SET LOCAL}: the store's schema as
 * {@code search_path}, a lock wait bound, and READ COMMITTED for writes, a read-only REPEATABLE
 * READ snapshot for reads), runs the unit, sends its change notices with {@code pg_notify}, and
 * commits. Whatever fails rolls the unit back; the connection goes back to the host's pool with
 * auto-commit on. Not API.
 *
 * <p>Thread-safe: holds no connection between units.
 */
public final class Units {
    private static final ThreadLocal<Boolean> IN_UNIT = new ThreadLocal<>();

    private final DataSource dataSource;
    private final String schema;
    private final String channel;
    private final boolean notify;
    private final String writePrologue;
    private final String readPrologue;
    private final long writeLockKey;

    public Units(DataSource dataSource, String schema, String channel, boolean notify, Duration lockTimeout) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.channel = channel;
        this.notify = notify;
        String settings = "SET LOCAL search_path TO " + Sql.quote(schema) + "; SET LOCAL lock_timeout = "
                + Math.max(1, lockTimeout.toMillis());
        this.writePrologue = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; " + settings;
        this.readPrologue = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; " + settings;
        this.writeLockKey = 0x4C49435357524954L ^ schema.hashCode(); // "LICSWRIT"
    }

    /** Runs a unit that may write, at READ COMMITTED with the unit's locks, and commits it. */
    public <T> T write(StoreWork<T> work) {
        return run(work, false);
    }

    /** Runs a unit that only reads, against one snapshot. */
    public <T> T read(StoreWork<T> work) {
        return run(work, true);
    }

    private <T> T run(StoreWork<T> work, boolean readOnly) {
        if (IN_UNIT.get() != null) {
            throw new IllegalStateException("a unit of work cannot run another unit of work");
        }
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw failure("no database connection for schema " + schema + ": " + e.getMessage(), e);
        }
        IN_UNIT.set(Boolean.TRUE);
        PgTransaction tx = null;
        boolean broken = false;
        try {
            Notices notices = new Notices();
            try {
                connection.setAutoCommit(false);
                try (Statement st = connection.createStatement()) {
                    st.execute(readOnly ? readPrologue
                            : writePrologue + "; SELECT pg_advisory_xact_lock(" + writeLockKey + ")");
                }
            } catch (SQLException e) {
                broken = true;
                throw translate("cannot begin a transaction", e);
            }
            tx = new PgTransaction(connection, readOnly, notices);
            T result;
            try {
                result = work.run(tx);
            } catch (SqlFailure e) {
                rollbackQuietly(connection);
                throw translate("a statement failed", e.sqlException());
            } catch (RuntimeException | Error e) {
                rollbackQuietly(connection);
                throw e;
            }
            tx.close();
            try {
                if (notify && !notices.isEmpty()) {
                    sendNotices(connection, notices);
                }
                connection.commit();
            } catch (SQLException e) {
                broken = true;
                rollbackQuietly(connection);
                // The COMMIT may or may not have reached the server: the outcome is unknown.
                throw translate("commit failed (whether it took effect is unknown)", e);
            }
            return result;
        } finally {
            IN_UNIT.remove();
            if (tx != null) {
                tx.close();
            }
            release(connection, broken);
        }
    }

    private void sendNotices(Connection connection, Notices notices) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_notify(?, payload) FROM unnest(?) payload")) {
            Array payloads = connection.createArrayOf("text", notices.payloads().toArray());
            st.setString(1, channel);
            st.setArray(2, payloads);
            st.execute();
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // broken connection: the server rolls back when it goes
        }
    }

    private static void release(Connection connection, boolean broken) {
        try {
            if (!broken && !connection.isClosed()) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // the pool checks the connection itself
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing more to release
        }
    }

    private RuntimeException translate(String what, SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            // Unique keys are checked by the engine first: a violation is a bug, as in the memory store.
            return new IllegalStateException("constraint violated: " + e.getMessage(), e);
        }
        if (Sql.isTransient(e)) {
            return failure("a conflict on schema " + schema + " (" + e.getSQLState() + "): " + e.getMessage(), e);
        }
        return failure(what + " on schema " + schema + ": " + e.getMessage(), e);
    }

    static LicensingException failure(String message, Throwable cause) {
        return new LicensingException(Code.STORE_FAILURE, message, cause);
    }
}
