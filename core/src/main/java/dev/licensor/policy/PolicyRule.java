package dev.licensor.policy;

/**
 * One line of a pool's options: {@code RESERVE n TYPE name}, {@code MAX n TYPE name},
 * {@code INCLUDE TYPE name} or {@code EXCLUDE TYPE name}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind  what the rule does
 * @param count seats reserved or the cap (RESERVE, MAX); 0 for INCLUDE and EXCLUDE
 * @param type  what {@code name} names
 * @param name  a user, host, user group or host group
 */
public record PolicyRule(Kind kind, int count, TargetType type, String name) {

    /** The rule kinds, in FlexNet's precedence order: EXCLUDE, INCLUDE, RESERVE, MAX. */
    public enum Kind { EXCLUDE, INCLUDE, RESERVE, MAX }

    /** What a rule applies to. */
    public enum TargetType {
        /** One user name. */
        USER,
        /** One host name. */
        HOST,
        /** The members of a user {@link SeatGroup}. */
        GROUP,
        /** The members of a host {@link SeatGroup}. */
        HOST_GROUP
    }

    /** Accepts any value, nulls included: {@code setPolicy} answers {@code missing_parameters} for a null. */
    public PolicyRule {
    }

    /** {@code RESERVE n type name}. */
    public static PolicyRule reserve(int n, TargetType type, String name) {
        return new PolicyRule(Kind.RESERVE, n, type, name);
    }

    /** {@code MAX n type name}. */
    public static PolicyRule max(int n, TargetType type, String name) {
        return new PolicyRule(Kind.MAX, n, type, name);
    }

    /** {@code INCLUDE type name}. */
    public static PolicyRule include(TargetType type, String name) {
        return new PolicyRule(Kind.INCLUDE, 0, type, name);
    }

    /** {@code EXCLUDE type name}. */
    public static PolicyRule exclude(TargetType type, String name) {
        return new PolicyRule(Kind.EXCLUDE, 0, type, name);
    }

    /** The options-file line. */
    public String text() {
        return switch (kind) {
            case RESERVE, MAX -> kind + " " + count + " " + type + " " + name;
            case INCLUDE, EXCLUDE -> kind + " " + type + " " + name;
        };
    }
}
