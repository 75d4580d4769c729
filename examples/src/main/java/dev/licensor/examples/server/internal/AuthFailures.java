package dev.licensor.examples.server.internal;

import dev.licensor.examples.server.api.ApiRequest;
import dev.licensor.examples.server.api.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed authentications (a 401, a 429 of the login throttle, a LicenseSpring signature
 * refusal) and logs them at a bounded rate: at most one line per second (the clock's), naming
 * the path, the client address and the code, plus how many were not logged since. The count is
 * for a host's metrics ({@code LicensorApi.failedAuthentications()}). Secrets are never logged.
 *
 * <p>Thread-safe.
 */
public final class AuthFailures {
    private static final Logger log = LoggerFactory.getLogger("dev.licensor.examples.auth");
    /** The LicenseSpring request-signature refusals (HTTP 400 or 401 with these codes). */
    private static final List<String> SIGNATURE_CODES = List.of("date_header_diff", "authorization_invalid_headers",
            "hmac_required", "signature_mismatch", "authorization_missing_params", "invalid_api_key");

    private final Clock clock;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong logged = new AtomicLong();

    public AuthFailures(Clock clock) {
        this.clock = clock;
    }

    /** Counts (and maybe logs) {@code reply} if it refused authentication; answers whether it did. */
    public boolean observe(ApiRequest request, Reply reply) {
        String code = failure(reply);
        if (code == null) {
            return false;
        }
        total.incrementAndGet();
        long second = clock.millis() / 1000;
        long last = lastLogged.get();
        if (second != last && lastLogged.compareAndSet(last, second)) {
            long skipped = suppressed.getAndSet(0);
            logged.incrementAndGet();
            log.warn("failed authentication: {} {} from {}: {}{}", request.method(), request.rawPath(),
                    request.remoteAddress(), code, skipped > 0 ? " (" + skipped + " more not logged)" : "");
        } else {
            suppressed.incrementAndGet();
        }
        return true;
    }

    /** Log lines written so far. */
    public long logged() {
        return logged.get();
    }

    /** Failed authentications seen so far. */
    public long total() {
        return total.get();
    }

    private static String failure(Reply reply) {
        if (reply.status() == 401 || reply.status() == 429) {
            return "HTTP " + reply.status();
        }
        if (reply.status() == 400 && reply.body().length < 512) {
            String body = new String(reply.body(), StandardCharsets.UTF_8);
            for (String code : SIGNATURE_CODES) {
                if (body.contains("\"code\":\"" + code + "\"")) {
                    return code;
                }
            }
        }
        return null;
    }
}
