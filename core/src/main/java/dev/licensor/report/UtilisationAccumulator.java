package dev.licensor.report;

import dev.licensor.ledger.LedgerEntry;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.SeatGroup;
import dev.licensor.report.BucketUsage;
import dev.licensor.report.GroupBucketUsage;
import dev.licensor.report.GroupUsage;
import dev.licensor.report.HolderUsage;
import dev.licensor.report.UtilisationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Builds a utilisation report from ledger entries given in time order (then seq order), one at a
 * time. Memory: the seat keys holding a seat at once (with one pending lapse each), one time-per-count histogram for the
 * current bucket (peak concurrent seats + 1 longs), one finished {@link BucketUsage} per bucket,
 * and one seat-time counter per distinct seat key seen (for the top holders); never the entries.
 *
 * <p>The seat model: {@code GRANTED} starts a seat; {@code RELEASED}, {@code LAPSED} (stamped
 * with its lapse time) and {@code FORCE_RELEASED} end it. A seat whose first entry in the range
 * is a {@code REFRESHED} or {@code BORROWED} (taken before {@code from}) counts from that entry.
 * A seat not borrowed also ends when its last grant or refresh plus the pool's timeout passes, as
 * the engine counts it: the engine records that lapse only when it sweeps the seat, maybe after
 * {@code to} or never. A borrowed seat (whose end the ledger keeps only as text) counts until an
 * entry ends it, or until {@code to}.
 *
 * <p>Groups: a seat belongs to the groups of the user and host its latest {@code GRANTED} or
 * {@code REFRESHED} entry names (a seat first seen through {@code BORROWED} belongs to none until
 * then); per group the same per-bucket peak and seat time are kept, plus its grants and the
 * refusals whose caller is a member. Memory grows by {@code O(G × B)} for G groups. Not
 * thread-safe: one per report.
 */
final class UtilisationAccumulator {
    private final long licenseId;
    private final Instant from;
    private final Instant to;
    private final long bucketNanos;
    private final int seats;
    private final int topHolders;

    private final long timeoutNanos;
    /** The seats held now, by seat key. */
    private final Map<String, Seat> alive = new HashMap<>();
    /** The seats that lapse by time, soonest first; an entry whose seat moved on is skipped. */
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>(Comparator.comparingLong(Expiry::at));
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

    /** The groups' kinds, names and members (index = group). */
    private final GroupKind[] groupKinds;
    private final String[] groupNames;
    private final List<Set<String>> groupMembers;
    /** Per group: seats held now, peak, seat nanos, grants and denials in the current bucket. */
    private final int[] groupHeld;
    private final int[] groupPeak;
    private final long[] groupNanos;
    private final long[] groupGranted;
    private final long[] groupDenials;
    private final List<List<GroupBucketUsage>> groupDone = new ArrayList<>();

    /**
     * A held seat: since when (nanos from {@code from}), when it lapses unless refreshed, or -1 once
     * borrowed, and the groups its holder is in.
     */
    private static final class Seat {
        final long since;
        long expires;
        int[] groups = NO_GROUPS;

        Seat(long since, long expires) {
            this.since = since;
            this.expires = expires;
        }
    }

    private record Expiry(long at, String key, Seat seat) {
    }

    private static final int[] NO_GROUPS = new int[0];

    /**
     * @param timeout the pool's seat lifetime without a refresh ({@code License.effectiveFloatingTimeout})
     */
    UtilisationAccumulator(long licenseId, Instant from, Instant to, Duration bucket, Duration timeout,
                                  int seats, int topHolders) {
        this(licenseId, from, to, bucket, timeout, seats, topHolders, List.of());
    }

    /**
     * @param timeout the pool's seat lifetime without a refresh ({@code License.effectiveFloatingTimeout})
     * @param groups  the user and host groups to break the report down by, in order
     */
    UtilisationAccumulator(long licenseId, Instant from, Instant to, Duration bucket, Duration timeout,
                                  int seats, int topHolders, List<SeatGroup> groups) {
        int g = groups.size();
        this.groupKinds = new GroupKind[g];
        this.groupNames = new String[g];
        this.groupMembers = new ArrayList<>(g);
        for (int i = 0; i < g; i++) {
            groupKinds[i] = groups.get(i).kind();
            groupNames[i] = groups.get(i).name();
            groupMembers.add(new HashSet<>(groups.get(i).members()));
            groupDone.add(new ArrayList<>());
        }
        this.groupHeld = new int[g];
        this.groupPeak = new int[g];
        this.groupNanos = new long[g];
        this.groupGranted = new long[g];
        this.groupDenials = new long[g];
        this.timeoutNanos = timeout.toNanos();
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
        long at = nanos(e.at());
        advance(at);
        String key = e.subject();
        switch (e.event()) {
            case GRANTED -> {
                granted++;
                int[] in = groupsOf(e);
                for (int g : in) {
                    groupGranted[g]++;
                }
                regroup(start(key, at, false), in);
            }
            case REFRESHED -> regroup(start(key, at, false), groupsOf(e));
            case BORROWED -> {
                borrowed++;
                start(key, at, true);
            }
            case RELEASED, LAPSED, FORCE_RELEASED -> end(key, at);
            case DENIED -> {
                denials++;
                for (int g : groupsOf(e)) {
                    groupDenials[g]++;
                }
            }
            case QUEUED -> queued++;
            default -> {
                // activations, switches, catalog changes: no seat moves
            }
        }
    }

    /** The groups of the user and host the entry names (its typed holder fields). */
    private int[] groupsOf(LedgerEntry e) {
        if (groupNames.length == 0) {
            return NO_GROUPS;
        }
        String user = e.user(); // typed on the entry: nothing parsed back from text
        String host = e.host();
        int n = 0;
        int[] in = new int[groupNames.length];
        for (int g = 0; g < groupNames.length; g++) {
            String who = groupKinds[g] == GroupKind.HOST ? host : user;
            if (who != null && groupMembers.get(g).contains(who)) {
                in[n++] = g;
            }
        }
        return n == 0 ? NO_GROUPS : Arrays.copyOf(in, n);
    }

    private Seat start(String key, long at, boolean borrow) {
        Seat seat = alive.get(key);
        boolean fresh = seat == null;
        if (fresh) {
            seat = new Seat(at, 0);
            alive.put(key, seat);
            peak = Math.max(peak, alive.size());
        }
        if (borrow || seat.expires < 0) {
            seat.expires = -1;
        } else {
            seat.expires = at + timeoutNanos;
            if (fresh) {
                expiries.add(new Expiry(seat.expires, key, seat)); // one per seat: a refresh moves it lazily
            }
        }
        return seat;
    }

    /** The seat now belongs to {@code in}, its latest holder's groups. */
    private void regroup(Seat seat, int[] in) {
        if (!Arrays.equals(seat.groups, in)) {
            hold(seat.groups, -1);
            seat.groups = in;
            hold(in, 1);
        }
    }

    /** One seat more or less held by each of {@code groups}. */
    private void hold(int[] groups, int delta) {
        for (int g : groups) {
            groupHeld[g] += delta;
            groupPeak[g] = Math.max(groupPeak[g], groupHeld[g]);
        }
    }

    private void end(String key, long at) {
        Seat seat = alive.remove(key);
        if (seat != null) {
            seatNanos.merge(key, at - seat.since, Long::sum);
            hold(seat.groups, -1);
        }
    }

    private long nanos(Instant at) {
        return Duration.between(from, at).toNanos();
    }

    /** Moves time to {@code until}, ending the seats that lapse by then at their lapse time. */
    private void advance(long until) {
        while (!expiries.isEmpty() && expiries.peek().at() <= until) {
            Expiry x = expiries.poll();
            if (alive.get(x.key()) != x.seat() || x.seat().expires < 0) {
                continue; // ended by an entry, or borrowed: no lapse by time
            }
            if (x.seat().expires > x.at()) {
                expiries.add(new Expiry(x.seat().expires, x.key(), x.seat())); // refreshed since
                continue;
            }
            spread(x.at());
            end(x.key(), x.at());
        }
        spread(until);
    }

    /** Distributes the time from the cursor to {@code until} at the current count, closing buckets passed. */
    private void spread(long until) {
        while (cursor < until) {
            long bucketEnd = Math.min((bucket + 1L) * bucketNanos, nanos(to));
            long step = Math.min(until, bucketEnd) - cursor;
            int count = alive.size();
            if (count >= timeAt.length) {
                timeAt = Arrays.copyOf(timeAt, Math.max(count + 1, timeAt.length * 2));
            }
            timeAt[count] += step;
            for (int g = 0; g < groupHeld.length; g++) {
                groupNanos[g] += step * groupHeld[g];
            }
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
        for (int g = 0; g < groupNames.length; g++) {
            groupDone.get(g).add(new GroupBucketUsage(from.plusNanos(start), groupPeak[g], Duration.ofNanos(groupNanos[g]),
                    groupGranted[g], groupDenials[g]));
            groupPeak[g] = groupHeld[g];
            groupNanos[g] = 0;
            groupGranted[g] = 0;
            groupDenials[g] = 0;
        }
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
        long end = nanos(to);
        for (Map.Entry<String, Seat> held : alive.entrySet()) {
            seatNanos.merge(held.getKey(), end - held.getValue().since, Long::sum);
        }
        alive.clear();
        expiries.clear();
        List<HolderUsage> top = seatNanos.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(topHolders)
                .map(h -> new HolderUsage(h.getKey(), Duration.ofNanos(h.getValue())))
                .toList();
        List<GroupUsage> groups = new ArrayList<>(groupNames.length);
        for (int g = 0; g < groupNames.length; g++) {
            groups.add(new GroupUsage(groupKinds[g], groupNames[g], groupDone.get(g)));
        }
        return new UtilisationReport(licenseId, from, to, seats, done, top, entries, groups);
    }
}
