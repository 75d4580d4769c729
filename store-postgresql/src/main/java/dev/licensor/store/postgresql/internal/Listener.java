package dev.licensor.store.postgresql.internal;

import dev.licensor.store.ChangeListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread per store that {@code LISTEN}s on the store's channel over a connection of its
 * own, and hands every notice to the subscribed {@link ChangeListener}s. When the connection
 * breaks, notices sent meanwhile are lost: after reconnecting it tells every listener
 * {@link ChangeListener#everythingChanged()}. Started on the first subscription.
 *
 * <p>Thread-safe.
 */
public final class Listener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    private static final int POLL_MILLIS = 250;

    private final DataSource dataSource;
    private final String channel;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private Thread thread;
    private volatile boolean closed;

    /** A listener on {@code channel} (a PostgreSQL identifier, quoted here). */
    public Listener(DataSource dataSource, String channel) {
        this.dataSource = dataSource;
        this.channel = channel;
    }

    /** Adds {@code listener} (starting the thread on the first one); closing the handle removes it. */
    public synchronized AutoCloseable subscribe(ChangeListener listener) {
        if (closed) {
            throw new IllegalStateException("store closed");
        }
        listeners.add(listener);
        if (thread == null) {
            thread = new Thread(this::run, "licensor-pg-listen-" + channel);
            thread.setDaemon(true);
            thread.start();
        }
        return () -> listeners.remove(listener);
    }

    private void run() {
        boolean connectedBefore = false;
        long backoff = 100;
        while (!closed) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement st = connection.createStatement()) {
                    st.execute("LISTEN " + Sql.quote(channel));
                }
                if (connectedBefore) {
                    // notices sent while we were away are lost
                    listeners.forEach(ChangeListener::everythingChanged);
                }
                connectedBefore = true;
                backoff = 100;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notices = pg.getNotifications(POLL_MILLIS);
                    if (notices != null) {
                        for (PGNotification notice : notices) {
                            for (ChangeListener listener : listeners) {
                                dispatch(notice.getParameter(), listener);
                            }
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                LOG.warn("LISTEN {} connection lost ({}); reconnecting in {} ms", channel, e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = Math.min(backoff * 2, 2_000);
            }
        }
    }

    /**
     * Calls the listener method a payload stands for: {@code s <licenseId> <hardwareId>},
     * {@code l <licenseId>}, {@code c <clientId>}, or {@code *} (anything may have changed). A
     * payload it cannot read (a newer version's) drops everything, which is always safe.
     */
    static void dispatch(String payload, ChangeListener listener) {
        try {
            if (payload.startsWith("s ")) {
                int space = payload.indexOf(' ', 2);
                listener.seatChanged(Long.parseLong(payload.substring(2, space)), payload.substring(space + 1));
            } else if (payload.startsWith("l ")) {
                listener.licenseChanged(Long.parseLong(payload.substring(2)));
            } else if (payload.startsWith("c ")) {
                listener.clientChanged(Long.parseLong(payload.substring(2)));
            } else {
                listener.everythingChanged();
            }
        } catch (RuntimeException e) {
            listener.everythingChanged();
        }
    }

    /** Stops the thread and releases its connection. Idempotent. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listeners.clear();
    }
}
