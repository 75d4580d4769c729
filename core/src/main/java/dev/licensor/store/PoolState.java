package dev.licensor.store;

import dev.licensor.catalog.License;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a floating decision reads about one pool, loaded under the pool's lock by
 * {@link StoreTransaction#loadPool}: committed rows, as they are when the load runs. Every list is
 * bounded, and says by what.
 *
 * <p>Immutable and thread-safe.
 *
 * @param load         the request this state answers
 * @param license      the license row
 * @param blacklisted  whether {@code load.hardwareId()} is blacklisted for {@code load.product()}
 * @param activation   the activation of {@code load.hardwareId()} on the license, if any
 * @param activations  number of the license's activations if {@link PoolLoad#countActivations()}, else -1
 * @param policy       the pool's policy, {@link PoolPolicy#NONE} if it has none
 * @param groups       the seat groups the policy names that exist (at most one per GROUP or
 *                     HOST_GROUP rule, so bounded by {@link PoolPolicy#MAX_RULES}); loaded only when
 *                     live leases are ({@link PoolLoad#live()} is not {@code NONE}), since only a
 *                     seat decision reads them; any order
 * @param seatLeases   the lease of each of {@code load.seatKeys()} that has one, live or lapsed, by
 *                     seat key (at most 3)
 * @param liveCount    number of leases with {@code expiresAt > now}; -1 if {@code live} is NONE
 * @param live         the leases with {@code expiresAt > now} if the list was asked for
 *                     ({@link PoolLoad.Live}), ordered by grantedAt, then seat key in code point
 *                     order (the pool's holders: at most its capacity, as no pool is ever
 *                     oversubscribed); empty otherwise
 * @param lapsed       up to {@link PoolLoad#lapsedLimit()} leases with {@code expiresAt <= now},
 *                     ordered by expiresAt, then seat key in code point order
 * @param queue        the pool's queue entries, live or lapsed, ordered by ticket, if
 *                     {@link PoolLoad#queue()} and the policy has a queue length (at most the queue
 *                     length plus the entries lapsed since the last seat decision); empty otherwise
 */
public record PoolState(PoolLoad load, License license, boolean blacklisted, Optional<Activation> activation,
                        int activations, PoolPolicy policy, List<SeatGroup> groups, Map<String, Lease> seatLeases,
                        int liveCount, List<Lease> live, List<Lease> lapsed, List<QueueEntry> queue) {

    /** Checks for nulls and copies the collections. */
    public PoolState {
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(policy, "policy");
        groups = List.copyOf(groups);
        seatLeases = Map.copyOf(seatLeases);
        live = List.copyOf(live);
        lapsed = List.copyOf(lapsed);
        queue = List.copyOf(queue);
    }

    /** The lease of a candidate seat key, if it has one (live or lapsed). */
    public Optional<Lease> seatLease(String seatKey) {
        return Optional.ofNullable(seatLeases.get(seatKey));
    }

    /**
     * The (kind, name) of every seat group {@code policy} names, in rule order, without repeats: a
     * GROUP rule names a {@link GroupKind#USER} group, a HOST_GROUP rule a {@link GroupKind#HOST} one.
     * What {@link #groups} holds when they exist.
     */
    public static List<Map.Entry<GroupKind, String>> groupsNamedBy(PoolPolicy policy) {
        Set<Map.Entry<GroupKind, String>> named = new LinkedHashSet<>();
        for (PolicyRule r : policy.rules()) {
            GroupKind kind = r.type() == PolicyRule.TargetType.GROUP ? GroupKind.USER
                    : r.type() == PolicyRule.TargetType.HOST_GROUP ? GroupKind.HOST : null;
            if (kind != null) {
                named.add(Map.entry(kind, r.name()));
            }
        }
        return List.copyOf(named);
    }
}
