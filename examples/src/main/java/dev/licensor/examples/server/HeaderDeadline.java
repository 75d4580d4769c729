package dev.licensor.examples.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A deadline for the request line and headers (slowloris): the idle timeout alone never fires
 * for a client that sends one header byte every few seconds. A new connection must deliver a
 * whole request head within {@code headerTimeout}; after an answer, the next head must arrive
 * within {@code keepAlive} (the idle timeout: a quiet keep-alive connection lives as before).
 * Otherwise the connection is closed. {@link JettyAdapter} disarms the deadline when Jetty hands
 * it a request (its head is complete) and re-arms it when the answer is written.
 *
 * <p>Thread-safe.
 */
final class HeaderDeadline implements Connection.Listener {
    private final Scheduler scheduler;
    private final long headerMillis;
    private final long keepAliveMillis;
    private final Map<Connection, Scheduler.Task> armed = new ConcurrentHashMap<>();

    HeaderDeadline(Scheduler scheduler, long headerMillis, long keepAliveMillis) {
        this.scheduler = scheduler;
        this.headerMillis = headerMillis;
        this.keepAliveMillis = keepAliveMillis;
    }

    @Override
    public void onOpened(Connection connection) {
        // the HTTP connection over TLS carries the deadline; the TLS layer under it does not
        if (!(connection instanceof SslConnection)) {
            arm(connection, headerMillis);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        disarm(connection);
    }

    /** The connection's request head is complete: no deadline while the request runs. */
    void disarm(Connection connection) {
        Scheduler.Task task = connection == null ? null : armed.remove(connection);
        if (task != null) {
            task.cancel();
        }
    }

    /** The answer is written: the next request head must come within the keep-alive time. */
    void answered(Connection connection) {
        if (connection != null && connection.getEndPoint().isOpen()) {
            arm(connection, Math.max(headerMillis, keepAliveMillis));
        }
    }

    private void arm(Connection connection, long millis) {
        Scheduler.Task task = scheduler.schedule(() -> {
            if (armed.remove(connection) != null) {
                connection.getEndPoint().close();
            }
        }, millis, TimeUnit.MILLISECONDS);
        Scheduler.Task old = armed.put(connection, task);
        if (old != null) {
            old.cancel();
        }
    }
}
