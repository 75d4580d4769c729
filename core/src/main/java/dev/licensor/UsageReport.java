package dev.licensor;

import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.PoolUsage;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.CodePointOrder;
import dev.licensor.store.Key;
import dev.licensor.store.Query;
import dev.licensor.store.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Replays a pool's ledger to report peak concurrent seats and refusals per user and per group.
 * Seats come from {@code GRANTED} entries (whose detail names the user) and go with
 * {@code RELEASED}, {@code LAPSED} and {@code FORCE_RELEASED}; the replay starts at the oldest
 * entry kept, so seats taken before {@code from} count (unless pruned). Thread-safe (stateless).
 */
final class UsageReport {
    /** Most ledger entries one report reads. */
    static final int MAX_ENTRIES = 1_000_000;

    private UsageReport() {
    }

    static PoolUsage build(StoreTransaction tx, long licenseId, PoolPolicy policy, Instant from, Instant to) {
        List<LedgerEntry> entries = tx.list(Query.ledger(Instant.EPOCH.minusSeconds(62_135_596_800L), to, MAX_ENTRIES + 1));
        if (entries.size() > MAX_ENTRIES) {
            throw Denied.of(dev.licensor.outcome.Code.INVALID_REQUEST,
                    "the ledger up to 'to' holds more than " + MAX_ENTRIES + " entries; prune it or report an earlier range");
        }
        Map<String, SeatGroup> groups = new LinkedHashMap<>();
        for (PolicyRule r : policy.rules()) {
            if (r.type() == PolicyRule.TargetType.GROUP && !groups.containsKey(r.name())) {
                tx.find(Key.seatGroup(GroupKind.USER, r.name())).ifPresent(g -> groups.put(r.name(), g));
            }
        }
        Map<String, String> holderOfKey = new HashMap<>();
        Map<String, int[]> users = new TreeMap<>(CodePointOrder.INSTANCE); // name -> {held, peak, refusals}
        Map<String, int[]> byGroup = new LinkedHashMap<>();
        groups.keySet().forEach(g -> byGroup.put(g, new int[3]));
        boolean started = false;
        for (LedgerEntry e : entries) {
            if (e.licenseId() != licenseId) {
                continue;
            }
            boolean inRange = !e.at().isBefore(from);
            if (inRange && !started) {
                started = true;
                startRange(users, byGroup);
            }
            switch (e.event()) {
                case GRANTED, REFRESHED -> {
                    // a refresh records the latest holder (docs/policies.md): the seat moves with it,
                    // as it does in the pool view and the MAX counts
                    String user = e.user();
                    String before = e.event() == LedgerEvent.GRANTED ? null : holderOfKey.get(e.subject());
                    if (!Objects.equals(user, before)) {
                        hold(users, byGroup, groups, before, -1, inRange);
                        hold(users, byGroup, groups, user, 1, inRange);
                        if (user == null) {
                            holderOfKey.remove(e.subject());
                        } else {
                            holderOfKey.put(e.subject(), user);
                        }
                    }
                }
                case RELEASED, LAPSED, FORCE_RELEASED ->
                        hold(users, byGroup, groups, holderOfKey.remove(e.subject()), -1, inRange);
                case DENIED -> {
                    String user = e.user();
                    if (user != null && inRange) {
                        users.computeIfAbsent(user, u -> new int[3])[2]++;
                        for (Map.Entry<String, SeatGroup> g : groups.entrySet()) {
                            if (g.getValue().contains(user)) {
                                byGroup.get(g.getKey())[2]++;
                            }
                        }
                    }
                }
                default -> {
                }
            }
        }
        if (!started) {
            startRange(users, byGroup);
        }
        List<PoolUsage.Usage> userRows = new ArrayList<>();
        users.forEach((name, c) -> {
            if (c[1] > 0 || c[2] > 0) {
                userRows.add(new PoolUsage.Usage(name, c[1], c[2]));
            }
        });
        List<PoolUsage.Usage> groupRows = new ArrayList<>();
        byGroup.forEach((name, c) -> groupRows.add(new PoolUsage.Usage(name, c[1], c[2])));
        return new PoolUsage(licenseId, from, to, userRows, groupRows);
    }

    /** One seat more or less held by {@code user} (nothing if null) and by each group it is in. */
    private static void hold(Map<String, int[]> users, Map<String, int[]> byGroup, Map<String, SeatGroup> groups,
                             String user, int delta, boolean inRange) {
        if (user == null) {
            return;
        }
        change(users.computeIfAbsent(user, u -> new int[3]), delta, inRange);
        for (Map.Entry<String, SeatGroup> g : groups.entrySet()) {
            if (g.getValue().contains(user)) {
                change(byGroup.get(g.getKey()), delta, inRange);
            }
        }
    }

    /** counts = {held, peak, refusals}: the peak is taken inside the range only. */
    private static void change(int[] counts, int delta, boolean inRange) {
        counts[0] = Math.max(0, counts[0] + delta);
        if (inRange) {
            counts[1] = Math.max(counts[1], counts[0]);
        }
    }

    /** The seats held when the range starts count towards its peak. */
    private static void startRange(Map<String, int[]> users, Map<String, int[]> groups) {
        users.values().forEach(c -> c[1] = Math.max(c[1], c[0]));
        groups.values().forEach(c -> c[1] = Math.max(c[1], c[0]));
    }
}
