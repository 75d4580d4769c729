package dev.licensor.examples.signed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Mounts {@link SignedApi} on a JDK {@code HttpServer}:
 * {@code http.createContext(SignedApi.PREFIX, new SignedHttpHandler(api))}. Bodies beyond 16 KiB
 * are refused without being read to the end.
 *
 * <p>Thread-safe.
 */
public final class SignedHttpHandler implements HttpHandler {
    private static final int MAX_BODY = 16 * 1024;
    private static final byte[] TOO_LARGE =
            "{\"status\":413,\"code\":\"payload_too_large\",\"message\":\"body over 16 KiB\"}".getBytes(StandardCharsets.UTF_8);
    private final SignedApi api;

    public SignedHttpHandler(SignedApi api) {
        this.api = api;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            SignedApi.Answer answer;
            if (body.length > MAX_BODY) {
                answer = new SignedApi.Answer(413, "application/json", TOO_LARGE);
                exchange.getResponseHeaders().set("Connection", "close");
            } else {
                answer = api.handle(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
            }
            exchange.getResponseHeaders().set("Content-Type", answer.contentType() + "; charset=utf-8");
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }
}
