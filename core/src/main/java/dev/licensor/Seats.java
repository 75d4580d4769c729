package dev.licensor;

import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.outcome.Code;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.Key;
import dev.licensor.store.PoolState;
import dev.licensor.store.StoreTransaction;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Lease identity helpers for the seat unit: the holder's bounds, the seat key each leasing
 * strategy gives, the groups a policy names, and the ledger's description of a holder.
 * Thread-safe (stateless).
 */
final class Seats {
    /** Separates hardware id and process id in a per-process seat key; refused in every input. */
    static final char PROCESS_SEPARATOR = '\u001F';

    private Seats() {
    }

    /** The holder with its bounds checked (see {@link Holder}). */
    static Holder validate(Holder h) {
        if (h == null || h.isEmpty()) {
            return Holder.NONE;
        }
        Check.optionalText("user", h.user(), Check.MAX_TEXT);
        Check.optionalText("host", h.host(), Check.MAX_TEXT);
        Check.optionalText("process", h.process(), Check.MAX_TEXT);
        Check.that(h.metadata().size() <= Holder.MAX_METADATA, "at most " + Holder.MAX_METADATA + " metadata pairs");
        for (Map.Entry<String, String> e : h.metadata().entrySet()) {
            Check.text("metadata key", e.getKey(), Holder.MAX_METADATA_KEY);
            Check.that(e.getValue() != null, "metadata value of " + e.getKey() + " is null");
            Check.optionalText("metadata value", e.getValue(), Holder.MAX_METADATA_VALUE);
        }
        // blank optional fields count as absent, so "" never becomes a user that policies match
        return new Holder(blankToNull(h.user()), blankToNull(h.host()), blankToNull(h.process()), h.metadata());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The seat key of a request under {@code strategy}; {@code missing_parameters} if the request lacks its part. */
    static String key(LeasingStrategy strategy, DeviceTarget t) {
        String key = keyIfGiven(strategy, t);
        if (key == null) {
            throw Denied.of(Code.MISSING_PARAMETERS, strategy == LeasingStrategy.USER
                    ? "user is required: this pool leases one seat per user"
                    : "process is required: this pool leases one seat per process");
        }
        return key;
    }

    /** The seat key, or null if the request lacks the user or process the strategy keys by. */
    static String keyIfGiven(LeasingStrategy strategy, DeviceTarget t) {
        return switch (strategy) {
            case DEVICE -> t.hardwareId();
            case USER -> t.holder().user();
            case PROCESS -> t.holder().process() == null ? null
                    : t.hardwareId() + PROCESS_SEPARATOR + t.holder().process();
        };
    }

    /** True if two holders are the same user on the same host (what policies match). */
    static boolean sameIdentity(Holder a, Holder b) {
        return java.util.Objects.equals(a.user(), b.user()) && java.util.Objects.equals(a.host(), b.host());
    }

    /**
     * A seat key given by an administrator ({@code forceRelease}): a hardware id, a user, or a
     * per-process key (hardware id, U+001F, process id); each part is checked as text.
     */
    static String seatKey(String key) {
        int sep = key == null ? -1 : key.indexOf(PROCESS_SEPARATOR);
        if (sep < 0) {
            return Check.text("hardware_id", key);
        }
        Check.text("hardware_id", key.substring(0, sep));
        Check.text("process", key.substring(sep + 1));
        return key;
    }

    /** The groups a pool's policy names, as loaded with its state. */
    static SeatRules.Groups groups(PoolState state) {
        Map<GroupKind, Map<String, SeatGroup>> byKind = new EnumMap<>(GroupKind.class);
        for (SeatGroup g : state.groups()) {
            byKind.computeIfAbsent(g.kind(), k -> new HashMap<>()).put(g.name(), g);
        }
        return new SeatRules.Groups(byKind);
    }

    /** The groups {@code policy} names, read in the unit. */
    static SeatRules.Groups groups(StoreTransaction tx, PoolPolicy policy) {
        Map<GroupKind, Map<String, SeatGroup>> byKind = new EnumMap<>(GroupKind.class);
        for (PolicyRule r : policy.rules()) {
            GroupKind kind = r.type() == PolicyRule.TargetType.GROUP ? GroupKind.USER
                    : r.type() == PolicyRule.TargetType.HOST_GROUP ? GroupKind.HOST : null;
            if (kind != null) {
                Map<String, SeatGroup> named = byKind.computeIfAbsent(kind, k -> new HashMap<>());
                if (!named.containsKey(r.name())) {
                    tx.find(Key.seatGroup(kind, r.name())).ifPresent(g -> named.put(r.name(), g));
                }
            }
        }
        return new SeatRules.Groups(byKind);
    }

    /**
     * A lease's holder for the ledger's detail: {@code key=value} pairs separated by {@code "; "}
     * (device, user, host, process, then metadata as {@code meta.key}), with {@code % ; = [ ]} in
     * keys and values written {@code %25 %3B %3D %5B %5D} (a human record; the holder's user and host are typed fields of
     * the entry, {@link dev.licensor.ledger.LedgerEntry#user()}); {@code over_limit=true} if so.
     */
    static String describe(Lease lease) {
        Holder h = lease.holder();
        if (lease.device().equals(lease.hardwareId()) && h.user() == null && h.host() == null && h.process() == null
                && h.metadata().isEmpty() && !lease.overLimit()) {
            return ""; // nothing to describe: a device's own seat without a holder, on every plain checkout
        }
        StringBuilder out = new StringBuilder();
        if (!lease.device().equals(lease.hardwareId())) {
            pair(out, "device", lease.device());
        }
        pair(out, "user", h.user());
        pair(out, "host", h.host());
        pair(out, "process", h.process());
        h.metadata().forEach((k, v) -> pair(out, "meta." + k, v));
        if (lease.overLimit()) {
            pair(out, "over_limit", "true");
        }
        return out.isEmpty() ? "" : out.toString(); // the ledger keeps it: no new empty string per entry
    }

    /** The requester, appended to a policy refusal's message (and so to its ledger entry). */
    static String who(DeviceTarget t) {
        StringBuilder out = new StringBuilder();
        pair(out, "user", t.holder().user());
        pair(out, "host", t.holder().host());
        return out.isEmpty() ? "" : " [" + out + "]";
    }

    private static void pair(StringBuilder out, String key, String value) {
        if (value != null) {
            if (!out.isEmpty()) {
                out.append("; ");
            }
            out.append(escape(key)).append('=').append(escape(value));
        }
    }

    private static final String SPECIAL = "%;=[]";

    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (SPECIAL.indexOf(c) >= 0) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
