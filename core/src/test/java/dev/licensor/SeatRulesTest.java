package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SeatRules} on a parsed policy (moved from PoolPolicyTest with the class, unchanged). */
class SeatRulesTest {
    private static final Instant T = Instant.parse("2026-01-05T09:00:00Z");

    private static Lease held(String key, String user) {
        return new Lease(1, key, T, T, T.plusSeconds(600), null, key, Holder.of(user, null), false);
    }

    @Test
    void reservationsAreFilledInPolicyOrderAndBeatCaps() {
        SeatRules.Groups groups = new SeatRules.Groups(Map.of(GroupKind.USER,
                Map.of("devs", new SeatGroup(GroupKind.USER, "devs", List.of("alice", "bob")))));
        PoolPolicy p = PoolPolicy.parse("RESERVE 1 USER alice\nRESERVE 1 GROUP devs\nMAX 1 GROUP devs");
        // alice fills her own line first, so the devs line still has its seat for bob
        assertThat(SeatRules.unusedReservations(p.rules(PolicyRule.Kind.RESERVE), groups, List.of(held("a", "alice"))))
                .containsExactly(0, 1);
        assertThat(SeatRules.take(p, groups, 3, List.of(held("a", "alice")), Holder.of("bob", null)))
                .isInstanceOfSatisfying(SeatRules.Grant.class, g -> assertThat(g.overLimit()).isFalse());
        assertThat(SeatRules.take(p, groups, 3, List.of(held("a", "alice"), held("b", "bob")), Holder.of("carol", null)))
                .isInstanceOfSatisfying(SeatRules.Grant.class, g -> assertThat(g.overLimit()).isFalse());
        assertThat(SeatRules.take(p, groups, 3, List.of(held("a", "alice"), held("c", "carol")), Holder.of("dave", null)))
                .isInstanceOf(SeatRules.Refuse.class);
    }
}
