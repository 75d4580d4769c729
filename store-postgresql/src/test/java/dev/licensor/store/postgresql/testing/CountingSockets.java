package dev.licensor.store.postgresql.testing;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;

/**
 * A {@link SocketFactory} for pgjdbc's {@code socketFactory} connection property that counts
 * network round trips: a round trip is the client sending (one or more writes) and then reading
 * the server's answer. pgjdbc buffers its messages and writes them at a flush, so the count is the
 * number of times the driver waited for the server. Counters are named by {@code socketFactoryArg}
 * (see {@link #properties}), so one JVM can count several pools apart.
 *
 * <p>Thread-safe: counters are atomic; one socket is used by one thread at a time, as pgjdbc does.
 */
public final class CountingSockets extends SocketFactory {
    private static final Map<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();
    private final AtomicLong counter;

    /** Called by pgjdbc with the {@code socketFactoryArg} property: the counter's name. */
    public CountingSockets(String name) {
        this.counter = counter(name);
    }

    /** The round trips counted so far on connections whose {@code socketFactoryArg} was {@code name}. */
    public static AtomicLong counter(String name) {
        return COUNTERS.computeIfAbsent(name, n -> new AtomicLong());
    }

    /** The two pgjdbc data source properties that make a connection count into {@code name}. */
    public static Map<String, String> properties(String name) {
        return Map.of("socketFactory", CountingSockets.class.getName(), "socketFactoryArg", name);
    }

    @Override
    public Socket createSocket() {
        return new Counting(counter);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new java.net.InetSocketAddress(localHost, localPort));
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new java.net.InetSocketAddress(localAddress, localPort));
        s.connect(new java.net.InetSocketAddress(address, port));
        return s;
    }

    /** A plain socket whose streams note a write, and count a round trip at the first read after one. */
    private static final class Counting extends Socket {
        private final AtomicLong counter;
        private volatile boolean sent;
        private InputStream in;
        private OutputStream out;

        Counting(AtomicLong counter) {
            this.counter = counter;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        answered();
                        return super.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        answered();
                        return super.read(b, off, len);
                    }
                };
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        sent = true;
                        super.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        sent = true;
                        out().write(b, off, len); // not FilterOutputStream's byte-at-a-time copy
                    }
                };
            }
            return out;
        }

        private OutputStream out() throws IOException {
            return super.getOutputStream();
        }

        private void answered() {
            if (sent) {
                sent = false;
                counter.incrementAndGet();
            }
        }
    }
}
