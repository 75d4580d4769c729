package dev.licensor.examples.server.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login tokens of the Commvault surface: a random 256-bit token per login, lapsing after
 * {@link #IDLE} without use by the engine's clock. At most {@link #MAX_SESSIONS} live at once;
 * a login beyond that first drops lapsed ones and is refused if none lapsed.
 *
 * <p>Thread-safe.
 */
final class Sessions {
    /** A token lapses after this long without a call. */
    static final Duration IDLE = Duration.ofMinutes(30);
    /** Most live tokens. */
    static final int MAX_SESSIONS = 10_000;

    private record Session(String user, Instant lastUsed) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    Sessions(Clock clock) {
        this.clock = clock;
    }

    /** A new token for {@code user}. */
    String open(String user) {
        if (sessions.size() >= MAX_SESSIONS) {
            Instant now = clock.instant();
            sessions.entrySet().removeIf(e -> lapsed(e.getValue(), now));
            if (sessions.size() >= MAX_SESSIONS) {
                throw WireException.of(WireError.UNAVAILABLE, "too many open sessions; try again later");
            }
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        sessions.put(token, new Session(user, clock.instant()));
        return token;
    }

    /** The user of a live token (and marks it used now), or null. */
    String use(String token) {
        Instant now = clock.instant();
        Session s = sessions.computeIfPresent(token, (t, old) -> lapsed(old, now) ? null : new Session(old.user(), now));
        return s == null ? null : s.user();
    }

    /** Ends a token. */
    void close(String token) {
        sessions.remove(token);
    }

    private static boolean lapsed(Session s, Instant now) {
        return !now.isBefore(s.lastUsed().plus(IDLE));
    }
}
