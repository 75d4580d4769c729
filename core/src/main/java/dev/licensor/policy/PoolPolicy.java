package dev.licensor.policy;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Collections;

/**
 * The options of one floating pool (one license), FlexNet options-file style: how seats are
 * leased, the overdraft, reservations, caps, allow and deny lists, and borrowing limits. Set with
 * {@code catalog().setPolicy(licenseId, policy)}; a pool without one behaves as {@link #NONE}.
 * Written as text, one option a line ({@code #} starts a comment):
 *
 * <pre>
 * LEASING USER              # DEVICE (default), USER or PROCESS
 * OVERDRAFT 1.5x            # or a number of extra seats: OVERDRAFT 2
 * EXCLUDE USER mallory
 * INCLUDE HOST_GROUP lab
 * RESERVE 2 GROUP devs
 * MAX 1 USER bob
 * BORROW_LOWWATER 1         # seats that can never be borrowed
 * MAX_BORROW 3              # seats borrowed at once (0: no cap)
 * QUEUE 50                  # callers refused for lack of a seat may queue, at most 50 (0: no queue)
 * </pre>
 *
 * The precedence, checked in this order when a seat is taken: EXCLUDE, INCLUDE, RESERVE, MAX
 * (see docs/policies.md for the table of examples).
 *
 * <p>Immutable and thread-safe.
 *
 * @param leasing        what one seat belongs to
 * @param overdraft      seats beyond the purchased ones
 * @param rules          RESERVE, MAX, INCLUDE and EXCLUDE lines, in the order given
 * @param borrowLowwater seats that can never be borrowed (0 for none)
 * @param maxBorrowed    most seats borrowed at once (0 for no cap)
 * @param queueLength    most callers waiting in the pool's queue (0: the pool has no queue)
 */
public record PoolPolicy(LeasingStrategy leasing, Overdraft overdraft, List<PolicyRule> rules,
                         int borrowLowwater, int maxBorrowed, int queueLength) {
    /** Most rule lines in one policy. */
    public static final int MAX_RULES = 1000;
    /** Longest name in a rule. */
    public static final int MAX_NAME = 256;

    /** Per-device leasing, no overdraft, no rules: the pool as it behaves without a policy. */
    public static final PoolPolicy NONE = new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE, List.of(), 0, 0, 0);

    /**
     * Accepts any value, nulls included (a null rule list is empty; null rules are kept):
     * {@code setPolicy} answers {@code missing_parameters} for a null, as for every value passed in.
     */
    public PoolPolicy {
        rules = rules == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(rules));
    }

    /** True if this policy changes nothing about how seats are taken. */
    public boolean isNone() {
        return equals(NONE);
    }

    /** The rules of one kind, in order. */
    public List<PolicyRule> rules(PolicyRule.Kind kind) {
        return rules.stream().filter(r -> r.kind() == kind).toList();
    }

    /** Seats reserved by all RESERVE lines together. */
    public long reservedSeats() {
        return rules.stream().filter(r -> r.kind() == PolicyRule.Kind.RESERVE).mapToLong(PolicyRule::count).sum();
    }

    /** This policy with another leasing strategy. */
    public PoolPolicy withLeasing(LeasingStrategy value) {
        return new PoolPolicy(value, overdraft, rules, borrowLowwater, maxBorrowed, queueLength);
    }

    /** This policy with another overdraft. */
    public PoolPolicy withOverdraft(Overdraft value) {
        return new PoolPolicy(leasing, value, rules, borrowLowwater, maxBorrowed, queueLength);
    }

    /** The options-file text; {@link #parse} of it gives this policy back. */
    public String text() {
        StringBuilder out = new StringBuilder();
        if (leasing != LeasingStrategy.DEVICE) {
            out.append("LEASING ").append(leasing).append('\n');
        }
        if (!overdraft.equals(Overdraft.NONE)) {
            out.append("OVERDRAFT ").append(overdraft.text()).append('\n');
        }
        for (PolicyRule rule : rules) {
            out.append(rule.text()).append('\n');
        }
        if (borrowLowwater > 0) {
            out.append("BORROW_LOWWATER ").append(borrowLowwater).append('\n');
        }
        if (maxBorrowed > 0) {
            out.append("MAX_BORROW ").append(maxBorrowed).append('\n');
        }
        if (queueLength > 0) {
            out.append("QUEUE ").append(queueLength).append('\n');
        }
        return out.toString();
    }

    /**
     * Reads options text. Keywords are case-insensitive; names are case-sensitive.
     *
     * @throws LicensingException with {@code invalid_request}, naming the line, if the text is not valid
     */
    public static PoolPolicy parse(String text) {
        if (text == null) {
            throw bad(0, "policy text is required");
        }
        LeasingStrategy leasing = LeasingStrategy.DEVICE;
        Overdraft overdraft = Overdraft.NONE;
        List<PolicyRule> rules = new ArrayList<>();
        int lowwater = 0;
        int maxBorrow = 0;
        int queue = 0;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] w = line.split("[ \t]+");
            String keyword = w[0].toUpperCase(Locale.ROOT);
            int lineNo = n + 1;
            switch (keyword) {
                case "LEASING" -> {
                    words(w, 2, lineNo);
                    leasing = enumOf(LeasingStrategy.class, w[1], lineNo);
                }
                case "OVERDRAFT" -> {
                    words(w, 2, lineNo);
                    try {
                        overdraft = w[1].toLowerCase(Locale.ROOT).endsWith("x")
                                ? Overdraft.factor(Double.parseDouble(w[1].substring(0, w[1].length() - 1)))
                                : Overdraft.seats(number(w[1], lineNo));
                    } catch (IllegalArgumentException e) {
                        throw bad(lineNo, e.getMessage());
                    }
                }
                case "RESERVE", "MAX" -> {
                    words(w, 4, lineNo);
                    int count = number(w[1], lineNo);
                    if (count < 1) {
                        throw bad(lineNo, keyword + " needs a positive number of seats");
                    }
                    rules.add(new PolicyRule(PolicyRule.Kind.valueOf(keyword), count,
                            enumOf(PolicyRule.TargetType.class, w[2], lineNo), name(w[3], lineNo)));
                }
                case "INCLUDE", "EXCLUDE" -> {
                    words(w, 3, lineNo);
                    rules.add(new PolicyRule(PolicyRule.Kind.valueOf(keyword), 0,
                            enumOf(PolicyRule.TargetType.class, w[1], lineNo), name(w[2], lineNo)));
                }
                case "BORROW_LOWWATER" -> {
                    words(w, 2, lineNo);
                    lowwater = number(w[1], lineNo);
                }
                case "MAX_BORROW" -> {
                    words(w, 2, lineNo);
                    maxBorrow = number(w[1], lineNo);
                }
                case "QUEUE" -> {
                    words(w, 2, lineNo);
                    queue = number(w[1], lineNo);
                }
                default -> throw bad(lineNo, "unknown option " + w[0]);
            }
            if (rules.size() > MAX_RULES) {
                throw bad(lineNo, "more than " + MAX_RULES + " rules");
            }
        }
        return new PoolPolicy(leasing, overdraft, rules, lowwater, maxBorrow, queue);
    }

    private static void words(String[] w, int expected, int line) {
        if (w.length != expected) {
            throw bad(line, w[0] + " takes " + (expected - 1) + " argument" + (expected == 2 ? "" : "s"));
        }
    }

    private static int number(String s, int line) {
        try {
            int n = Integer.parseInt(s);
            if (n < 0 || n > 1_000_000) {
                throw bad(line, "number out of range: " + s);
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(line, "not a number: " + s);
        }
    }

    private static String name(String s, int line) {
        if (s.length() > MAX_NAME) {
            throw bad(line, "name longer than " + MAX_NAME + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw bad(line, "name contains a control character");
            }
        }
        return s;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String s, int line) {
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(line, "unknown " + type.getSimpleName() + " " + s);
        }
    }

    private static LicensingException bad(int line, String message) {
        return new LicensingException(Code.INVALID_REQUEST, (line > 0 ? "policy line " + line + ": " : "") + message);
    }
}
