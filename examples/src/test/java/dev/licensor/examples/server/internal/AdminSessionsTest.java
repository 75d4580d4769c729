package dev.licensor.examples.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.ledger.Actor;
import dev.licensor.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The admin page's sessions, unit by unit: ids, both expiries by the clock, logout, the bound on live sessions. */
class AdminSessionsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
    private final Actor admin = Actor.of("admin-token:0123456789ab");

    @Test
    void idsAreRandomAndUrlSafeAndNameTheirActor() {
        AdminSessions sessions = new AdminSessions(clock);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String id = sessions.open(admin);
            assertThat(id).hasSize(43).matches("[A-Za-z0-9_-]+");
            ids.add(id);
        }
        assertThat(ids).hasSize(200);
        assertThat(sessions.use(ids.iterator().next())).isEqualTo(admin);
        assertThat(sessions.use("A".repeat(43))).isNull();
        assertThat(sessions.use("")).isNull();
        assertThat(sessions.use(null)).isNull();
    }

    @Test
    void aSessionEndsIdleAtMaxAgeAndAtLogout() {
        AdminSessions sessions = new AdminSessions(clock);
        String idle = sessions.open(admin);
        clock.advance(AdminSessions.IDLE.minusSeconds(1));
        assertThat(sessions.use(idle)).isEqualTo(admin); // used: the idle time starts again
        clock.advance(AdminSessions.IDLE.minusSeconds(1));
        assertThat(sessions.use(idle)).isEqualTo(admin);
        clock.advance(AdminSessions.IDLE);
        assertThat(sessions.use(idle)).isNull();
        assertThat(sessions.use(idle)).isNull(); // and stays ended

        String busy = sessions.open(admin);
        Instant opened = clock.instant();
        while (clock.instant().plus(Duration.ofMinutes(10)).isBefore(opened.plus(AdminSessions.MAX_AGE))) {
            clock.advance(Duration.ofMinutes(10));
            assertThat(sessions.use(busy)).isEqualTo(admin);
        }
        clock.set(opened.plus(AdminSessions.MAX_AGE));
        assertThat(sessions.use(busy)).isNull();

        String out = sessions.open(admin);
        sessions.close(out);
        assertThat(sessions.use(out)).isNull();
        sessions.close("unknown"); // ignored
        sessions.close(null);
    }

    @Test
    void atMostMaxSessionsLiveAndEndedOnesAreDroppedForNewOnes() {
        AdminSessions sessions = new AdminSessions(clock);
        for (int i = 0; i < AdminSessions.MAX_SESSIONS; i++) {
            sessions.open(admin);
        }
        assertThatThrownBy(() -> sessions.open(admin)).isInstanceOf(WireException.class)
                .extracting(e -> ((WireException) e).status()).isEqualTo(503);
        clock.advance(AdminSessions.IDLE);
        String fresh = sessions.open(admin);
        assertThat(sessions.use(fresh)).isEqualTo(admin);
        assertThat(sessions.size()).isEqualTo(1);
    }
}
