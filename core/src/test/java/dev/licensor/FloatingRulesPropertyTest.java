package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.Overdraft;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.PoolState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * No sequence of decisions oversubscribes a pool: random checks, queued checks, borrows,
 * releases, deactivations and passing time, each decided on the pool's loaded state and its
 * changes applied to it (as a store would), never leave more live leases than the pool's capacity
 * (its seats without a policy; seats plus overdraft with one), nor more seats to a MAX line's
 * users than the line allows. Seeded: a failure names its seed, and the same seed replays it.
 */
class FloatingRulesPropertyTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Product CAD = new Product("cad", "CAD", TIMEOUT, Duration.ofDays(1));
    private static final List<String> USERS = List.of("ann", "bob", "cy", "dan", "eve");
    private static final SeatGroup DEVS = new SeatGroup(GroupKind.USER, "devs", List.of("ann", "bob"));
    private static final int SEEDS = 150;
    private static final int STEPS = 300;

    @Test
    void aPoolWithoutAPolicyNeverHoldsMoreLeasesThanSeats() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            run(seed, PoolPolicy.NONE, 3);
        }
    }

    @Test
    void aPoolWithMaxReserveOverdraftAndQueueNeverHoldsMoreThanItsCapacity() {
        PoolPolicy policy = new PoolPolicy(LeasingStrategy.USER, new Overdraft(1, 0),
                List.of(PolicyRule.reserve(1, PolicyRule.TargetType.USER, "eve"),
                        PolicyRule.max(1, PolicyRule.TargetType.GROUP, "devs")), 1, 2, 3);
        for (long seed = 1; seed <= SEEDS; seed++) {
            run(seed, policy, 3);
        }
    }

    @Test
    void aPerDevicePoolWithAQueueNeverHoldsMoreThanItsSeats() {
        PoolPolicy policy = new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE,
                List.of(PolicyRule.max(1, PolicyRule.TargetType.USER, "ann")), 0, 0, 4);
        for (long seed = 1; seed <= SEEDS; seed++) {
            run(seed, policy, 2);
        }
    }

    private static void run(long seed, PoolPolicy policy, int seats) {
        Random random = new Random(seed);
        License license = License.builder("cad").key("K").maxActivations(100).floatingSeats(seats).borrowAllowed(true)
                .build().withId(FloatingRulesTest.ID);
        TestPool pool = new TestPool(license).policy(policy).group(DEVS);
        for (int d = 0; d < 8; d++) {
            pool.activated("hw" + d);
        }
        int capacity = policy.overdraft().limit(seats);
        Instant now = FloatingRulesTest.NOW;
        int granted = 0;
        for (int step = 0; step < STEPS; step++) {
            String hw = "hw" + random.nextInt(8);
            String user = USERS.get(random.nextInt(USERS.size()));
            DeviceTarget t = DeviceTarget.validate(
                    new DeviceRequest("cad", "K", null, null, hw, Holder.of(user, null)));
            long id = license.id();
            FloatingRules.Decision<?> decision = switch (random.nextInt(7)) {
                case 0, 1 -> FloatingRules.check(pool.load(PoolLoads.seatLoad(id, t, now)), CAD, t, now, false);
                case 2 -> FloatingRules.check(pool.load(PoolLoads.seatLoad(id, t, now)), CAD, t, now, true);
                case 3 -> FloatingRules.borrow(pool.load(PoolLoads.seatLoad(id, t, now)), CAD, t, now,
                        now.plus(Duration.ofMinutes(1 + random.nextInt(120))));
                case 4 -> FloatingRules.release(pool.load(PoolLoads.seatKeysLoad(id, t, now)), t, now);
                case 5 -> FloatingRules.leaveQueue(pool.load(PoolLoads.seatKeysLoad(id, t, now)), t, now, "gave up");
                default -> FloatingRules.deactivate(pool.load(PoolLoads.deactivateLoad(id, t, now)), t, now);
            };
            if (decision instanceof FloatingRules.Granted<?> g) {
                pool.apply(g.changes());
                granted += g.changes().leasePuts().size();
            } else if (decision instanceof FloatingRules.Queued<?> q) {
                pool.apply(q.changes());
            }
            if (!pool.activations.containsKey(hw)) {
                pool.activated(hw); // a deactivated device comes back at once, so it keeps playing
            }
            now = now.plusSeconds(random.nextInt(240));
            check(seed, step, pool, now, capacity);
        }
        assertThat(granted).as("seed %d: the sequence took seats at all", seed).isPositive();
    }

    private static void check(long seed, int step, TestPool pool, Instant now, int capacity) {
        PoolState state = pool.load(new dev.licensor.store.PoolLoad(FloatingRulesTest.ID, "cad", "hw0", List.of(), now,
                dev.licensor.store.PoolLoad.Live.LIST, false, 0, false));
        List<Lease> live = state.live();
        assertThat(live.size()).as("seed %d step %d: live leases %s", seed, step, live).isLessThanOrEqualTo(capacity);
        SeatRules.Groups groups = new SeatRules.Groups(Map.of(GroupKind.USER, Map.of("devs", DEVS)));
        for (PolicyRule max : pool.policy.rules(PolicyRule.Kind.MAX)) {
            long held = live.stream().filter(l -> SeatRules.matches(max, l.holder().user(), l.holder().host(), groups))
                    .count();
            assertThat(held).as("seed %d step %d: %s holds %s", seed, step, max.text(), live)
                    .isLessThanOrEqualTo(max.count());
        }
    }
}
