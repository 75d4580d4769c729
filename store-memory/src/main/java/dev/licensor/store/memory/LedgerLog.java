package dev.licensor.store.memory;

import dev.licensor.ledger.LedgerEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * The memory store's ledger, in the two orders the SPI reads it in: by seq (the feed) and by
 * (at, seq) (ranges, pruning). Most entries come with a time no earlier than the one before (the
 * clock moves forward), so they go to {@code main}, a list of fixed-size chunks sorted in both
 * orders at once: an append is one array store into a young chunk (no tree node, no store into an
 * old array that the collector would have to track), and pruning drops whole chunks. An entry with
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

    private static final int CHUNK_BITS = 12;
    private static final int CHUNK = 1 << CHUNK_BITS;

    // main: positions [head, tail) hold the entries; chunk i holds positions base + i * CHUNK on
    private final ArrayList<LedgerEntry[]> chunks = new ArrayList<>();
    private long base;
    private long head;
    private long tail;
    private final TreeMap<At, LedgerEntry> lateByTime = new TreeMap<>();
    private final TreeMap<Long, LedgerEntry> lateBySeq = new TreeMap<>();
    private long lastSeq; // never handed out twice, not even by a rolled-back unit

    // the open unit's starting point, to roll back to
    private long headMark;
    private long tailMark;
    private final List<LedgerEntry> lateAdded = new ArrayList<>();
    private final List<LedgerEntry> lateRemoved = new ArrayList<>();

    void begin() {
        headMark = head;
        tailMark = tail;
    }

    void commit() {
        while (head - base >= CHUNK) { // a chunk wholly pruned, for good
            chunks.remove(0);
            base += CHUNK;
        }
        lateAdded.clear();
        lateRemoved.clear();
        begin();
    }

    void rollback() {
        for (long p = tailMark; p < tail; p++) {
            set(p, null);
        }
        head = headMark;
        tail = tailMark;
        lateRemoved.forEach(this::addLate);
        lateAdded.forEach(this::removeLate); // after: an entry added then pruned is gone either way
        lateAdded.clear();
        lateRemoved.clear();
    }

    long append(LedgerEntry e) {
        LedgerEntry entry = e.withSeq(++lastSeq);
        if (head == tail || !entry.at().isBefore(get(tail - 1).at())) {
            if (tail - base == (long) chunks.size() << CHUNK_BITS) {
                chunks.add(new LedgerEntry[CHUNK]);
            }
            set(tail++, entry);
        } else {
            addLate(entry);
            lateAdded.add(entry);
        }
        return entry.seq();
    }

    List<LedgerEntry> after(long seq, int limit) {
        long i = search(e -> e.seq() > seq);
        return merge(i, tail, lateBySeq.tailMap(seq, false).values().iterator(), BY_SEQ, limit);
    }

    List<LedgerEntry> between(Instant from, Instant to, int limit) {
        long i = search(e -> !e.at().isBefore(from));
        long end = search(e -> !e.at().isBefore(to));
        Iterator<LedgerEntry> late = from.isBefore(to)
                ? lateByTime.subMap(new At(from, Long.MIN_VALUE), new At(to, Long.MIN_VALUE)).values().iterator()
                : List.<LedgerEntry>of().iterator();
        return merge(i, Math.max(i, end), late, BY_TIME, limit);
    }

    /** Deletes up to {@code limit} entries before {@code before}, oldest (at, seq) first. */
    int prune(Instant before, int limit) {
        int pruned = 0;
        for (; pruned < limit; pruned++) {
            LedgerEntry first = head < tail && get(head).at().isBefore(before) ? get(head) : null;
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

    private LedgerEntry get(long p) {
        return chunks.get((int) ((p - base) >>> CHUNK_BITS))[(int) ((p - base) & (CHUNK - 1))];
    }

    private void set(long p, LedgerEntry e) {
        chunks.get((int) ((p - base) >>> CHUNK_BITS))[(int) ((p - base) & (CHUNK - 1))] = e;
    }

    /** The first position of main whose entry meets {@code test}, which holds from some position on. */
    private long search(java.util.function.Predicate<LedgerEntry> test) {
        long lo = head;
        long hi = tail;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (test.test(get(mid))) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private List<LedgerEntry> merge(long i, long end, Iterator<LedgerEntry> late, Comparator<LedgerEntry> order,
                                    int limit) {
        List<LedgerEntry> out = new ArrayList<>(Math.min(limit, 64));
        LedgerEntry l = late.hasNext() ? late.next() : null;
        while (out.size() < limit && (i < end || l != null)) {
            if (l == null || (i < end && order.compare(get(i), l) < 0)) {
                out.add(get(i++));
            } else {
                out.add(l);
                l = late.hasNext() ? late.next() : null;
            }
        }
        return out;
    }
}
