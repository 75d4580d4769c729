package dev.licensor.examples.server.internal;

import dev.licensor.ledger.Actor;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin page's browser sessions: a random 256-bit id per login (the session cookie's value),
 * kept server-side with the admin token's {@link Actor}. A session ends at logout, after
 * {@link #IDLE} without use, or {@link #MAX_AGE} after login, whichever comes first, by the
 * server's clock. At most {@link #MAX_SESSIONS} live at once: a login beyond that first drops
 * ended ones and is refused ({@code service_unavailable}) if none ended.
 *
 * <p>Thread-safe.
 */
final class AdminSessions {
    /** A session ends after this long without a request. */
    static final Duration IDLE = Duration.ofMinutes(30);
    /** A session ends this long after login, used or not (the cookie's {@code Max-Age} too). */
    static final Duration MAX_AGE = Duration.ofHours(8);
    /** Most live sessions. */
    static final int MAX_SESSIONS = 1_000;

    private record Session(Actor actor, Instant opened, Instant lastUsed) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    AdminSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session id for {@code actor}: 43 URL-safe characters. */
    String open(Actor actor) {
        Instant now = clock.instant();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(s -> ended(s, now));
            if (sessions.size() >= MAX_SESSIONS) {
                throw WireException.of(WireError.UNAVAILABLE, "too many open admin sessions; try again later");
            }
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(id, new Session(actor, now, now));
        return id;
    }

    /** The actor of a live session (and marks it used now), or null for an unknown or ended one. */
    Actor use(String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        Instant now = clock.instant();
        Session s = sessions.computeIfPresent(id,
                (k, old) -> ended(old, now) ? null : new Session(old.actor(), old.opened(), now));
        return s == null ? null : s.actor();
    }

    /** Ends a session (logout); an unknown id is ignored. */
    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Live and ended-but-not-yet-dropped sessions (tests). */
    int size() {
        return sessions.size();
    }

    private static boolean ended(Session s, Instant now) {
        return !now.isBefore(s.lastUsed().plus(IDLE)) || !now.isBefore(s.opened().plus(MAX_AGE));
    }
}
