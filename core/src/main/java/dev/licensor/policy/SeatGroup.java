package dev.licensor.policy;

import java.util.List;

/**
 * A named group of users or of hosts, defined once in the catalog and named by pool policies
 * ({@code GROUP name} / {@code HOST_GROUP name}). Defining a group again replaces its members.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind    users or hosts
 * @param name    the group's name
 * @param members user or host names; duplicates are dropped, order is kept
 */
public record SeatGroup(GroupKind kind, String name, List<String> members) {
    /** Accepts any value, nulls included: {@code defineGroup} answers {@code missing_parameters} for a null. */
    public SeatGroup {
        members = members == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(members.stream()
                .map(m -> m == null ? "" : m).toList()));
    }

    /** True if {@code who} is a member. */
    public boolean contains(String who) {
        return who != null && members.contains(who);
    }
}
