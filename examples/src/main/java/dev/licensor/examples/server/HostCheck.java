package dev.licensor.examples.server;

import dev.licensor.examples.server.api.LicensorApi;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses a request whose {@code Host} header names no host the server answers for (421), before
 * anything else runs. A server on loopback answers only for loopback names: a web page that
 * rebinds its own DNS name to 127.0.0.1 (DNS rebinding) sends its own name and is refused.
 * A request without {@code Host} (HTTP/1.0) passes: a browser always sends one. An empty set
 * turns the check off.
 *
 * <p>Thread-safe.
 */
final class HostCheck extends Handler.Wrapper {
    /** The names a loopback server answers for. */
    static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> allowed;
    private final LicensorApi api;

    HostCheck(Set<String> allowed, LicensorApi api, Handler next) {
        super(next);
        this.allowed = Set.copyOf(allowed);
        this.api = api;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = request.getHeaders().get(HttpHeader.HOST);
        // no Host at all (HTTP/1.0) is not a browser: rebinding always sends the page's own name
        if (allowed.isEmpty() || host == null || allowed.contains(name(host))) {
            return super.handle(request, response, callback);
        }
        JettyAdapter.write(response, callback, api.refusal(request.getHttpURI().getPath(),
                request.getHeaders().get(HttpHeader.ACCEPT), request.getHeaders().get(HttpHeader.CONTENT_TYPE), 421,
                "this server does not answer for host '" + name(host) + "'"), true);
        return true;
    }

    /** The host name of a {@code Host} header, without its port, lower case. */
    static String name(String header) {
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(0, end + 1) : h;
        }
        int colon = h.lastIndexOf(':');
        return colon >= 0 ? h.substring(0, colon) : h;
    }
}
