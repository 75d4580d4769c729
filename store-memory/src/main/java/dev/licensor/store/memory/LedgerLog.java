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
 * beside it ("late"). Reads merge the two. {@code main} keeps each entry as the unit gave it, its seq
 * in a parallel array, so an append copies nothing; a read makes the copy that carries the seq.
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
    private final ArrayList<long[]> seqChunks = new ArrayList<>();
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
            seqChunks.remove(0);
            base += CHUNK;
        }
        lateAdded.clear();
        lateRemoved.clear();
        begin();
    }

    void rollback() {
        for (long p = tailMark; p < tail; p++) {
            set(p, null, 0);
        }
        head = headMark;
        tail = tailMark;
        lateRemoved.forEach(this::addLate);
        lateAdded.forEach(this::removeLate); // after: an entry added then pruned is gone either way
        lateAdded.clear();
        lateRemoved.clear();
    }

    long append(LedgerEntry e) {
        long seq = ++lastSeq;
        if (head == tail || !e.at().isBefore(raw(tail - 1).at())) {
            if (tail - base == (long) chunks.size() << CHUNK_BITS) {
                chunks.add(new LedgerEntry[CHUNK]);
                seqChunks.add(new long[CHUNK]);
            }
            set(tail++, e, seq);
        } else {
            LedgerEntry entry = e.withSeq(seq);
            addLate(entry);
            lateAdded.add(entry);
        }
        return seq;
    }

    List<LedgerEntry> after(long seq, int limit) {
        long i = search(p -> seq(p) > seq);
        return merge(i, tail, lateBySeq.tailMap(seq, false).values().iterator(), BY_SEQ, limit);
    }

    List<LedgerEntry> between(Instant from, Instant to, int limit) {
        long i = search(p -> !raw(p).at().isBefore(from));
        long end = search(p -> !raw(p).at().isBefore(to));
        Iterator<LedgerEntry> late = from.isBefore(to)
                ? lateByTime.subMap(new At(from, Long.MIN_VALUE), new At(to, Long.MIN_VALUE)).values().iterator()
                : List.<LedgerEntry>of().iterator();
        return merge(i, Math.max(i, end), late, BY_TIME, limit);
    }

    /** Deletes up to {@code limit} entries before {@code before}, oldest (at, seq) first. */
    int prune(Instant before, int limit) {
        int pruned = 0;
        for (; pruned < limit; pruned++) {
            LedgerEntry first = head < tail && raw(head).at().isBefore(before) ? raw(head) : null;
            LedgerEntry late = lateByTime.isEmpty() ? null : lateByTime.firstEntry().getValue();
            if (late != null && !late.at().isBefore(before)) {
                late = null;
            }
            if (first == null && late == null) {
                break;
            }
            if (late == null || (first != null && BY_TIME.compare(first.withSeq(seq(head)), late) < 0)) {
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

    /** The entry at main's position {@code p} as appended (its seq field not set). */
    private LedgerEntry raw(long p) {
        return chunks.get((int) ((p - base) >>> CHUNK_BITS))[(int) ((p - base) & (CHUNK - 1))];
    }

    private long seq(long p) {
        return seqChunks.get((int) ((p - base) >>> CHUNK_BITS))[(int) ((p - base) & (CHUNK - 1))];
    }

    private LedgerEntry get(long p) {
        return raw(p).withSeq(seq(p));
    }

    private void set(long p, LedgerEntry e, long seq) {
        chunks.get((int) ((p - base) >>> CHUNK_BITS))[(int) ((p - base) & (CHUNK - 1))] = e;
        seqChunks.get((int) ((p - base) >>> CHUNK_BITS))[(int) ((p - base) & (CHUNK - 1))] = seq;
    }

    /** The first position of main that meets {@code test}, which holds from some position on. */
    private long search(java.util.function.LongPredicate test) {
        long lo = head;
        long hi = tail;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (test.test(mid)) {
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
        LedgerEntry m = i < end ? get(i) : null;
        while (out.size() < limit && (m != null || l != null)) {
            if (l == null || (m != null && order.compare(m, l) < 0)) {
                out.add(m);
                m = ++i < end ? get(i) : null;
            } else {
                out.add(l);
                l = late.hasNext() ? late.next() : null;
            }
        }
        return out;
    }
}
