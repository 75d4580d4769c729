package dev.licensor.store.jdbc;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.StoreWork;
import dev.licensor.store.TransientStoreException;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Runs one unit of work on one connection: begin (the dialect's statement), run, commit; roll
 * back on any exception. SQL errors are translated through {@link Dialect#classify}:
 * {@link TransientStoreException} for a conflict that may pass (the engine retries),
 * {@link IllegalStateException} for a violated key (a bug in the engine), and otherwise
 * {@link LicensingException} with {@link Code#STORE_FAILURE}. The unit's own exceptions pass
 * through unchanged after the rollback. No retry here: retrying is the engine's.
 *
 * <p>Thread-safe (stateless); the connection is the caller's, used on one thread.
 */
public final class Units {
    private Units() {
    }

    /**
     * Runs {@code work} in a transaction on {@code connection} and commits it.
     *
     * @param what names the database in failure messages (e.g. its file or URL)
     */
    public static <T> T run(JdbcConnection connection, Statements statements, StoreWork<T> work, boolean readOnly,
                            String what) {
        Dialect dialect = connection.dialect();
        try {
            connection.beginDeferred(!readOnly);
        } catch (SQLException e) {
            connection.rollbackQuietly();
            throw translate(dialect, e, "cannot begin a transaction on " + what);
        }
        JdbcTransaction tx = new JdbcTransaction(connection, statements, readOnly);
        T result;
        try {
            result = work.run(tx);
        } catch (SqlFailure e) {
            tx.close();
            connection.rollbackQuietly();
            throw translate(dialect, e.sqlException(), dialect.name() + " failed on " + what + ": " + e.getMessage());
        } catch (RuntimeException | Error e) {
            tx.close();
            connection.rollbackQuietly();
            throw e;
        }
        tx.close();
        try {
            connection.commit();
        } catch (SQLException e) {
            connection.rollbackQuietly();
            throw translate(dialect, e, "commit on " + what + " failed");
        }
        return result;
    }

    /** The exception a store throws for {@code e}, whose context is {@code message}. */
    public static RuntimeException translate(Dialect dialect, SQLException e, String message) {
        String explained = dialect.explain(e);
        String full = (explained == null ? "" : explained + "; ")
                + (message.contains(String.valueOf(e.getMessage())) ? message : message + ": " + e.getMessage());
        return switch (dialect.classify(e)) {
            case TRANSIENT -> new TransientStoreException(full, e);
            // Unique keys are checked by the engine first: a violation is a bug, as in the memory store.
            case CONSTRAINT -> new IllegalStateException("constraint violated: " + full, e);
            case OTHER -> new LicensingException(Code.STORE_FAILURE, full, e);
        };
    }

    /**
     * A connection borrowed from {@code jdbi}'s DataSource for {@code dialect} (closing it gives it
     * back); {@link Code#STORE_FAILURE} if none can be had.
     */
    public static JdbcConnection connect(Jdbi jdbi, Dialect dialect, String what) {
        Handle handle;
        try {
            handle = jdbi.open();
        } catch (JdbiException e) {
            throw new LicensingException(Code.STORE_FAILURE, "no database connection for " + what + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        try {
            return new JdbcConnection(handle, dialect);
        } catch (SQLException e) {
            handle.close();
            throw translate(dialect, e, "cannot use a connection for " + what);
        }
    }
}
