package dev.licensor.report.internal;

import dev.licensor.ledger.LedgerEntry;
import dev.licensor.report.BucketUsage;
import dev.licensor.report.HolderUsage;
import dev.licensor.report.UtilisationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a utilisation report from ledger entries given in time order (then seq order), one at a
 * time. Memory: the seat keys holding a seat at once, one time-per-count histogram for the
 * current bucket (peak concurrent seats + 1 longs), one finished {@link BucketUsage} per bucket,
 * and one seat-time counter per distinct seat key seen (for the top holders); never the entries.
 *
 * <p>The seat model: {@code GRANTED} starts a seat; {@code RELEASED}, {@code LAPSED} (stamped
 * with its lapse time) and {@code FORCE_RELEASED} end it. A seat whose first entry in the range
 * is a {@code REFRESHED} or {@code BORROWED} (taken before {@code from}) counts from that entry.
 * A seat with no end in the range counts until {@code to}. Not thread-safe: one per report.
 */
public final class UtilisationAccumulator {
    private final long licenseId;
    private final Instant from;
    private final Instant to;
    private final long bucketNanos;
    private final int seats;
    private final int topHolders;

    private final Map<String, Instant> alive = new HashMap<>();
    private final Map<String, Long> seatNanos = new HashMap<>();
    private final List<BucketUsage> done = new ArrayList<>();

    /** Nanos since {@code from} up to which time has been distributed. */
    private long cursor;
    private int bucket;
    private long[] timeAt = new long[8];
    private int peak;
    private long granted;
    private long denials;
    private long queued;
    private long borrowed;
    private long entries;
    private Instant last;

    public UtilisationAccumulator(long licenseId, Instant from, Instant to, Duration bucket, int seats,
                                  int topHolders) {
        this.licenseId = licenseId;
        this.from = from;
        this.to = to;
        this.bucketNanos = bucket.toNanos();
        this.seats = seats;
        this.topHolders = topHolders;
        this.last = from;
    }

    /** Takes the next entry; entries of other pools or outside the range are counted as read and skipped. */
    public void accept(LedgerEntry e) {
        entries++;
        if (e.licenseId() != licenseId || e.at().isBefore(from) || !e.at().isBefore(to)) {
            return;
        }
        if (e.at().isBefore(last)) {
            throw new IllegalArgumentException("entries must come in time order: " + e.at() + " after " + last);
        }
        last = e.at();
        advance(nanos(e.at()));
        String key = e.subject();
        switch (e.event()) {
            case GRANTED -> {
                granted++;
                start(key, e.at());
            }
            case REFRESHED -> start(key, e.at());
            case BORROWED -> {
                borrowed++;
                start(key, e.at());
            }
            case RELEASED, LAPSED, FORCE_RELEASED -> end(key, e.at());
            case DENIED -> denials++;
            case QUEUED -> queued++;
            default -> {
                // activations, switches, catalog changes: no seat moves
            }
        }
    }

    private void start(String key, Instant at) {
        if (alive.putIfAbsent(key, at) == null) {
            peak = Math.max(peak, alive.size());
        }
    }

    private void end(String key, Instant at) {
        Instant since = alive.remove(key);
        if (since != null) {
            seatNanos.merge(key, Duration.between(since, at).toNanos(), Long::sum);
        }
    }

    private long nanos(Instant at) {
        return Duration.between(from, at).toNanos();
    }

    /** Distributes the time from the cursor to {@code until} at the current count, closing buckets passed. */
    private void advance(long until) {
        while (cursor < until) {
            long bucketEnd = Math.min((bucket + 1L) * bucketNanos, nanos(to));
            long step = Math.min(until, bucketEnd) - cursor;
            int count = alive.size();
            if (count >= timeAt.length) {
                timeAt = Arrays.copyOf(timeAt, Math.max(count + 1, timeAt.length * 2));
            }
            timeAt[count] += step;
            cursor += step;
            if (cursor == bucketEnd) {
                closeBucket(bucketEnd);
            }
        }
    }

    private void closeBucket(long bucketEnd) {
        long start = bucket * bucketNanos;
        long length = bucketEnd - start;
        long atLimit = 0;
        for (int c = Math.max(seats, 0); c < timeAt.length; c++) {
            atLimit += timeAt[c];
        }
        done.add(new BucketUsage(from.plusNanos(start), Duration.ofNanos(length), peak,
                percentile(length, 50), percentile(length, 95), Duration.ofNanos(atLimit),
                granted, denials, queued, borrowed));
        bucket++;
        Arrays.fill(timeAt, 0);
        peak = alive.size();
        granted = 0;
        denials = 0;
        queued = 0;
        borrowed = 0;
    }

    /** The smallest count held for at least {@code percent}% of the bucket's time (exact, in integers). */
    private int percentile(long length, int percent) {
        long cumulative = 0;
        for (int c = 0; c < timeAt.length; c++) {
            cumulative += timeAt[c];
            if (cumulative * 100 >= (long) percent * length) {
                return c;
            }
        }
        return timeAt.length - 1;
    }

    /** Closes the remaining buckets and the seats still held; the accumulator is spent afterwards. */
    public UtilisationReport finish() {
        advance(nanos(to));
        for (Map.Entry<String, Instant> held : alive.entrySet()) {
            seatNanos.merge(held.getKey(), Duration.between(held.getValue(), to).toNanos(), Long::sum);
        }
        alive.clear();
        List<HolderUsage> top = seatNanos.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(topHolders)
                .map(h -> new HolderUsage(h.getKey(), Duration.ofNanos(h.getValue())))
                .toList();
        return new UtilisationReport(licenseId, from, to, seats, done, top, entries);
    }
}
