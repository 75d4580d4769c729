package dev.licensor.examples.server.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler of the server: sends each request to the API that owns its path and writes
 * the reply. Anything unexpected becomes a 500 {@code internal_error}, never a dropped connection.
 *
 * <p>Thread-safe: stateless beyond its immutable APIs.
 */
public final class Dispatcher implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final LicenseSpringApi licenseSpring;
    private final CommvaultApi commvault;
    private final AdminApi admin;
    private final int maxBody;

    public Dispatcher(LicenseSpringApi licenseSpring, CommvaultApi commvault, AdminApi admin, int maxBody) {
        this.licenseSpring = licenseSpring;
        this.commvault = commvault;
        this.admin = admin;
        this.maxBody = maxBody;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        boolean commvaultPath = false;
        Call call = null;
        try {
            call = new Call(exchange, maxBody);
            List<String> segments = call.segments();
            if (LicenseSpringApi.owns(segments)) {
                reply = licenseSpring.handle(call);
            } else if (commvault.owns(segments)) {
                commvaultPath = true;
                reply = commvault.handle(call);
            } else if (AdminApi.owns(segments)) {
                reply = admin.handle(call);
            } else {
                reply = LicenseSpringApi.error(404, WireError.NOT_FOUND.key(), "no endpoint " + exchange.getRequestURI().getPath());
            }
        } catch (WireException e) {
            // A refusal outside any API's own handling (e.g. a bad query escape while routing).
            reply = LicenseSpringApi.error(e.status(), e.key(), e.getMessage());
        } catch (IOException e) {
            log.debug("request body could not be read", e);
            exchange.close();
            return;
        } catch (RuntimeException e) {
            log.error("unexpected failure on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            WireError err = WireError.INTERNAL_ERROR;
            reply = commvaultPath
                    ? CommvaultApi.generic(err.status(), err.number(), "internal error", call != null && CommvaultApi.wantsXml(call))
                    : LicenseSpringApi.error(err.status(), err.key(), "internal error");
        }
        send(exchange, reply);
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        try (exchange) {
            for (Map.Entry<String, String> h : reply.headers().entrySet()) {
                exchange.getResponseHeaders().set(h.getKey(), h.getValue());
            }
            if (reply.status() == 413) {
                // The rest of an oversize body is never read: drop the connection after answering.
                exchange.getResponseHeaders().set("Connection", "close");
            }
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", reply.contentType() + "; charset=utf-8");
            }
            byte[] body = reply.body();
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
