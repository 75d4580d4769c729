package dev.licensor;

import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.outcome.Code;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The pool policy decisions, as pure functions of what the seat unit read under the pool's lock:
 * the policy, the groups it names, the purchased seats and the live leases. Every store enforces
 * them because core runs them inside the unit that takes the seat. Not API.
 *
 * <p>The precedence (FlexNet's): EXCLUDE, then INCLUDE, then RESERVE, then MAX, then the free
 * seats. A requester with an unused reservation of its own takes a reserved seat whatever the
 * MAX lines say; anyone else needs a seat that is neither taken nor reserved for someone else.
 *
 * <p>Thread-safe (stateless).
 */
final class SeatRules {
    private SeatRules() {
    }

    /** What the seat unit does: grant (maybe over the purchased seats) or refuse with a code. */
    sealed interface Decision permits Grant, Refuse {
    }

    /**
     * Take a seat; {@code overLimit} if the pool already holds its purchased seats. {@code free}
     * is the seats anyone may take (neither held nor reserved); a requester taking one of its own
     * reserved seats gets the RESERVE line in {@code reservation} and its unused seats in
     * {@code reservedFree}, so a queue holds back only the seats its entries could take.
     */
    record Grant(boolean overLimit, long free, PolicyRule reservation, int reservedFree) implements Decision {
        /** A grant with no queue to answer to. */
        Grant(boolean overLimit) {
            this(overLimit, Long.MAX_VALUE, null, 0);
        }
    }

    /** Refuse with {@code code}. */
    record Refuse(Code code, String message) implements Decision {
    }

    /** The groups a policy names, read in the unit: (kind, name) to group; a missing group has no members. */
    record Groups(Map<GroupKind, Map<String, SeatGroup>> byKind) {
        boolean contains(GroupKind kind, String name, String who) {
            SeatGroup g = byKind.getOrDefault(kind, Map.of()).get(name);
            return g != null && g.contains(who);
        }
    }

    /** True if {@code rule} names this user or host (directly or through a group). */
    public static boolean matches(PolicyRule rule, String user, String host, Groups groups) {
        return switch (rule.type()) {
            case USER -> user != null && user.equals(rule.name());
            case HOST -> host != null && host.equals(rule.name());
            case GROUP -> groups.contains(GroupKind.USER, rule.name(), user);
            case HOST_GROUP -> groups.contains(GroupKind.HOST, rule.name(), host);
        };
    }

    private static boolean matches(PolicyRule rule, Holder h, Groups groups) {
        return matches(rule, h.user(), h.host(), groups);
    }

    /**
     * Whether {@code requester}, holding no live seat, may take one in a pool of {@code seats}
     * purchased seats with {@code live} leases (every live lease of the pool).
     */
    public static Decision take(PoolPolicy policy, Groups groups, int seats, List<Lease> live, Holder requester) {
        for (PolicyRule r : policy.rules(PolicyRule.Kind.EXCLUDE)) {
            if (matches(r, requester, groups)) {
                return new Refuse(Code.EXCLUDED, "excluded by '" + r.text() + "'");
            }
        }
        List<PolicyRule> includes = policy.rules(PolicyRule.Kind.INCLUDE);
        if (!includes.isEmpty() && includes.stream().noneMatch(r -> matches(r, requester, groups))) {
            return new Refuse(Code.NOT_INCLUDED, "not on the pool's INCLUDE list");
        }
        int capacity = policy.overdraft().limit(seats);
        boolean overLimit = live.size() >= seats;
        List<PolicyRule> reserves = policy.rules(PolicyRule.Kind.RESERVE);
        int[] unused = unusedReservations(reserves, groups, live);
        long unusedTotal = 0;
        int own = -1;
        for (int i = 0; i < unused.length; i++) {
            unusedTotal += unused[i];
            if (own < 0 && unused[i] > 0 && matches(reserves.get(i), requester, groups)) {
                own = i;
            }
        }
        long free = Math.max(0, capacity - live.size() - unusedTotal);
        if (own >= 0 && live.size() < capacity) {
            return new Grant(overLimit, free, reserves.get(own), unused[own]);
        }
        for (PolicyRule r : policy.rules(PolicyRule.Kind.MAX)) {
            if (matches(r, requester, groups)) {
                long held = live.stream().filter(l -> matches(r, l.holder(), groups)).count();
                if (held >= r.count()) {
                    return new Refuse(Code.USER_CAP_REACHED, "'" + r.text() + "': " + held + " held");
                }
            }
        }
        if (live.size() + unusedTotal >= capacity) {
            return new Refuse(Code.FLOATING_NOT_AVAILABLE, unusedTotal > 0 && live.size() < capacity
                    ? "the free seats are reserved for others" : Code.FLOATING_NOT_AVAILABLE.defaultMessage());
        }
        return new Grant(overLimit, free, null, 0);
    }

    /**
     * Reserved seats not in use, per RESERVE line: each live holder fills the first line (in
     * policy order) that names it and still has room.
     */
    public static int[] unusedReservations(List<PolicyRule> reserves, Groups groups, List<Lease> live) {
        int[] unused = new int[reserves.size()];
        for (int i = 0; i < unused.length; i++) {
            unused[i] = reserves.get(i).count();
        }
        for (Lease l : live) {
            for (int i = 0; i < unused.length; i++) {
                if (unused[i] > 0 && matches(reserves.get(i), l.holder(), groups)) {
                    unused[i]--;
                    break;
                }
            }
        }
        return unused;
    }

    /**
     * Whether the seat keyed {@code key}, which the unit holds and which is not yet borrowed, may
     * be borrowed now: BORROW_LOWWATER keeps that many of the purchased seats unborrowable, and
     * MAX_BORROW caps the seats borrowed at once.
     */
    public static Decision borrow(PoolPolicy policy, int seats, List<Lease> live, String key, Instant now) {
        long borrowed = live.stream().filter(l -> !l.hardwareId().equals(key) && l.isBorrowedAt(now)).count();
        if (policy.borrowLowwater() > 0 && borrowed + 1 > seats - policy.borrowLowwater()) {
            return new Refuse(Code.BORROW_LOWWATER_REACHED, policy.borrowLowwater()
                    + " of " + seats + " seats can never be borrowed; " + borrowed + " are borrowed");
        }
        if (policy.maxBorrowed() > 0 && borrowed + 1 > policy.maxBorrowed()) {
            return new Refuse(Code.BORROW_CAP_REACHED, "at most " + policy.maxBorrowed()
                    + " seats may be borrowed at once");
        }
        return new Grant(false);
    }
}
