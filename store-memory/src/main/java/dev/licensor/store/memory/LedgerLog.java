package dev.licensor.store.memory;

import dev.licensor.ledger.LedgerEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * The memory store's ledger, in the two orders the SPI reads it in: by seq (the feed) and by
 * (at, seq) (ranges, pruning). Most entries come with a time no earlier than the one before (the
 * clock moves forward), so they go to {@code main}, an array sorted in both orders at once: an
 * append is one array store, and the collector has nothing but the entry to copy. An entry with
 * an earlier time (a lapse recorded at its expiry, a clock set back) goes to two small trees
 * beside it ("late"). Reads merge the two.
 *
 * <p>One unit at a time changes it: the store calls {@link #begin()} when a write unit takes its
 * ledger lock and {@link #commit()} or {@link #rollback()} when the unit ends; read units run
 * alone. Not thread-safe.
 */
final class LedgerLog {
    private static final Comparator<LedgerEntry> BY_SEQ = Comparator.comparingLong(LedgerEntry::seq);
    private static final Comparator<LedgerEntry> BY_TIME = Comparator.comparing(LedgerEntry::at)
            .thenComparingLong(LedgerEntry::seq);

    private record At(Instant at, long seq) implements Comparable<At> {
        static At of(LedgerEntry e) {
            return new At(e.at(), e.seq());
        }

        @Override
        public int compareTo(At o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private LedgerEntry[] main = new LedgerEntry[1024];
    private int head; // main[head, tail) are the entries; below head: pruned
    private int tail;
    private final TreeMap<At, LedgerEntry> lateByTime = new TreeMap<>();
    private final TreeMap<Long, LedgerEntry> lateBySeq = new TreeMap<>();
    private long lastSeq; // never handed out twice, not even by a rolled-back unit

    // the open unit's starting point, to roll back to
    private int headMark;
    private int tailMark;
    private final List<LedgerEntry> lateAdded = new ArrayList<>();
    private final List<LedgerEntry> lateRemoved = new ArrayList<>();

    void begin() {
        headMark = head;
        tailMark = tail;
    }

    void commit() {
        Arrays.fill(main, headMark, head, null); // pruned for good
        lateAdded.clear();
        lateRemoved.clear();
        begin();
    }

    void rollback() {
        Arrays.fill(main, tailMark, tail, null);
        head = headMark;
        tail = tailMark;
        lateRemoved.forEach(this::addLate);
        lateAdded.forEach(this::removeLate); // after: an entry added then pruned is gone either way
        lateAdded.clear();
        lateRemoved.clear();
    }

    long append(LedgerEntry e) {
        LedgerEntry entry = new LedgerEntry(++lastSeq, e.at(), e.event(), e.licenseId(), e.clientLicenseId(),
                e.subject(), e.code(), e.detail());
        if (head == tail || !entry.at().isBefore(main[tail - 1].at())) {
            room();
            main[tail++] = entry;
        } else {
            addLate(entry);
            lateAdded.add(entry);
        }
        return entry.seq();
    }

    List<LedgerEntry> after(long seq, int limit) {
        int i = search(e -> e.seq() > seq);
        return merge(i, tail, lateBySeq.tailMap(seq, false).values().iterator(), BY_SEQ, limit);
    }

    List<LedgerEntry> between(Instant from, Instant to, int limit) {
        int i = search(e -> !e.at().isBefore(from));
        int end = search(e -> !e.at().isBefore(to));
        Iterator<LedgerEntry> late = from.isBefore(to)
                ? lateByTime.subMap(new At(from, Long.MIN_VALUE), new At(to, Long.MIN_VALUE)).values().iterator()
                : List.<LedgerEntry>of().iterator();
        return merge(i, Math.max(i, end), late, BY_TIME, limit);
    }

    /** Deletes up to {@code limit} entries before {@code before}, oldest (at, seq) first. */
    int prune(Instant before, int limit) {
        int pruned = 0;
        for (; pruned < limit; pruned++) {
            LedgerEntry first = head < tail && main[head].at().isBefore(before) ? main[head] : null;
            LedgerEntry late = lateByTime.isEmpty() ? null : lateByTime.firstEntry().getValue();
            if (late != null && !late.at().isBefore(before)) {
                late = null;
            }
            if (first == null && late == null) {
                break;
            }
            if (late == null || (first != null && BY_TIME.compare(first, late) < 0)) {
                head++;
            } else {
                removeLate(late);
                lateRemoved.add(late);
            }
        }
        return pruned;
    }

    private void addLate(LedgerEntry e) {
        lateByTime.put(At.of(e), e);
        lateBySeq.put(e.seq(), e);
    }

    private void removeLate(LedgerEntry e) {
        lateByTime.remove(At.of(e));
        lateBySeq.remove(e.seq());
    }

    /** Makes room for one more entry: drops what committed units pruned, doubles when more than half is live. */
    private void room() {
        if (tail < main.length) {
            return;
        }
        int live = tail - headMark;
        LedgerEntry[] to = live * 2 > main.length ? new LedgerEntry[main.length * 2] : main;
        System.arraycopy(main, headMark, to, 0, live);
        if (to == main) {
            Arrays.fill(main, live, tail, null);
        }
        main = to;
        head -= headMark;
        tail -= headMark;
        tailMark -= headMark;
        headMark = 0;
    }

    /** The first index of main whose entry meets {@code test}, which holds from some index on. */
    private int search(java.util.function.Predicate<LedgerEntry> test) {
        int lo = head;
        int hi = tail;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (test.test(main[mid])) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private List<LedgerEntry> merge(int i, int end, Iterator<LedgerEntry> late, Comparator<LedgerEntry> order,
                                    int limit) {
        List<LedgerEntry> out = new ArrayList<>(Math.min(limit, 64));
        LedgerEntry l = late.hasNext() ? late.next() : null;
        while (out.size() < limit && (i < end || l != null)) {
            if (l == null || (i < end && order.compare(main[i], l) < 0)) {
                out.add(main[i++]);
            } else {
                out.add(l);
                l = late.hasNext() ? late.next() : null;
            }
        }
        return out;
    }
}
