package dev.licensor.store.postgresql.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy between the engine and the PostgreSQL server that can cut connections at chosen
 * moments, to put a transaction's outcome in doubt the way a network fault would.
 *
 * <p>It reads the client's side of the PostgreSQL wire protocol message by message to find the
 * {@code COMMIT} (a Query or Parse of "COMMIT", or a Bind of a statement parsed as "COMMIT").
 * When {@link #arm(Cut) armed}:
 * <ul>
 *   <li>{@link Cut#BEFORE_COMMIT}: the connection is cut instead of forwarding the COMMIT, so the
 *       server rolls the transaction back; the client sees an I/O error.</li>
 *   <li>{@link Cut#AFTER_COMMIT}: the COMMIT is forwarded, the server's answer is read (so the
 *       commit has happened) but not forwarded, and then the connection is cut; the client sees an
 *       I/O error for a transaction that did commit.</li>
 * </ul>
 * Each arming cuts one connection, then the proxy forwards faithfully again. {@link #cutAll()} cuts
 * every open connection at once.
 *
 * <p>Thread-safe.
 */
public final class CuttingProxy implements AutoCloseable {

    /** Where to cut the connection that sends the next COMMIT. */
    public enum Cut { BEFORE_COMMIT, AFTER_COMMIT }

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Cut> armed = new AtomicReference<>();
    private volatile CountDownLatch fired = new CountDownLatch(1);
    private volatile boolean closed;

    private CuttingProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
        Thread acceptor = new Thread(this::accept, "proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a proxy on a free port of 127.0.0.1 in front of {@code host:port}. */
    public static CuttingProxy start(String host, int port) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new CuttingProxy(listener, new InetSocketAddress(host, port));
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Arms one cut at the next COMMIT any connection sends. */
    public void arm(Cut cut) {
        fired = new CountDownLatch(1);
        armed.set(cut);
    }

    /** Waits until the armed cut has happened. */
    public boolean awaitCut(long timeout, TimeUnit unit) throws InterruptedException {
        return fired.await(timeout, unit);
    }

    /** Cuts every open connection now. */
    public void cutAll() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        cutAll();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                try {
                    server.connect(target, 5_000);
                } catch (IOException e) {
                    closeQuietly(client);
                    closeQuietly(server);
                    continue;
                }
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                Link link = new Link(client, server);
                start(() -> link.clientToServer(), "proxy-up-" + client.getPort());
                start(() -> link.serverToClient(), "proxy-down-" + client.getPort());
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("proxy accept failed: " + e);
                }
            }
        }
    }

    private static void start(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** One proxied connection: two pumps, and the state of a cut in progress. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        /** Set once the COMMIT went through under AFTER_COMMIT: the next answer is swallowed and the link cut. */
        private volatile boolean swallowNextAnswer;
        /** Whether this link made the armed cut (so {@link #awaitCut} may return). */
        private volatile boolean armedCutDone;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        /**
         * Forwards the client's protocol messages one by one, recognising the COMMIT: a simple
         * Query "COMMIT", a Parse of "COMMIT", or a Bind of a statement earlier parsed as "COMMIT"
         * (the driver prepares COMMIT on the server after a few uses and then sends only Binds).
         */
        void clientToServer() {
            Set<String> commitStatements = new HashSet<>();
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
                 OutputStream out = new BufferedOutputStream(server.getOutputStream())) {
                boolean started = false;
                while (true) {
                    byte[] message;
                    char type;
                    if (!started) {
                        // SSLRequest / GSSENCRequest / StartupMessage: no type byte
                        int length = in.readInt();
                        byte[] body = new byte[length - 4];
                        in.readFully(body);
                        int code = ByteBuffer.wrap(body).getInt();
                        started = code == 196608; // protocol 3.0: the startup message itself
                        message = ByteBuffer.allocate(length).putInt(length).put(body).array();
                        type = 0;
                    } else {
                        type = (char) in.readUnsignedByte();
                        int length = in.readInt();
                        byte[] body = new byte[length - 4];
                        in.readFully(body);
                        message = ByteBuffer.allocate(length + 1).put((byte) type).putInt(length).put(body).array();
                        if (isCommit(type, body, commitStatements)) {
                            Cut cut = armed.get();
                            if (cut != null && armed.compareAndSet(cut, null)) {
                                if (cut == Cut.BEFORE_COMMIT) {
                                    armedCutDone = true;
                                    cut();
                                    return;
                                }
                                swallowNextAnswer = true;
                            }
                        }
                    }
                    out.write(message);
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // cut or closed: end both directions
            } finally {
                if (!swallowNextAnswer) {
                    cut();
                }
            }
        }

        private static boolean isCommit(char type, byte[] body, Set<String> commitStatements) {
            if (type == 'Q') {
                return isCommitText(cString(body, 0));
            }
            if (type == 'P') {
                String name = cString(body, 0);
                String query = cString(body, name.getBytes(StandardCharsets.UTF_8).length + 1);
                if (isCommitText(query)) {
                    commitStatements.add(name);
                    return name.isEmpty();
                }
                commitStatements.remove(name);
                return false;
            }
            if (type == 'B') {
                String portal = cString(body, 0);
                String statement = cString(body, portal.getBytes(StandardCharsets.UTF_8).length + 1);
                return !statement.isEmpty() && commitStatements.contains(statement);
            }
            return false;
        }

        private static boolean isCommitText(String sql) {
            return sql.trim().equalsIgnoreCase("COMMIT");
        }

        private static String cString(byte[] body, int from) {
            int end = from;
            while (end < body.length && body[end] != 0) {
                end++;
            }
            return new String(body, from, end - from, StandardCharsets.UTF_8);
        }

        void serverToClient() {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (swallowNextAnswer) {
                        // the server has answered the COMMIT: it is durable; the client never learns it
                        armedCutDone = true;
                        cut();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // cut or closed
            } finally {
                cut();
            }
        }

        private void cut() {
            closeQuietly(client);
            closeQuietly(server);
            sockets.remove(client);
            sockets.remove(server);
            if (armedCutDone) {
                fired.countDown();
            }
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // already closed
        }
    }

}
