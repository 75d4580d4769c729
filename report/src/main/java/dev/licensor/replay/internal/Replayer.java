package dev.licensor.replay.internal;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.replay.BucketOutcome;
import dev.licensor.replay.Divergence;
import dev.licensor.replay.WhatIfReport;
import dev.licensor.store.memory.MemoryLicenseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One replay: a scratch engine (memory store, {@link ReplayClock}) holding a copy of the pool with
 * the replayed seats and policy, fed the recorded demands in time order. Each demand's outcome is
 * the seat event the scratch engine's own ledger records for it. The scratch ledger is pruned as
 * the replay goes, so memory holds the pool's live leases, its activations (one per hardware id),
 * the buckets and the first divergences, never the entries. Not thread-safe: one per replay.
 */
public final class Replayer {
    /** Replayed demands between two prunes of the scratch ledger. */
    private static final int PRUNE_EVERY = 1_024;
    /** Activations the scratch pool allows: every device the recording names. */
    private static final int ACTIVATIONS = 1_000_000_000;

    private final long sourceId;
    private final Instant from;
    private final Instant to;
    private final long bucketNanos;
    private final int seats;
    private final int maxDivergences;
    private final ReplayClock clock;
    private final MemoryLicenseStore store = new MemoryLicenseStore();
    private final Licensor scratch;
    private final String product;
    private final String key;
    private final String username;
    private final Set<String> activated = new HashSet<>();
    private final Counts recorded = new Counts();
    private final Counts replayed = new Counts();
    private final List<BucketOutcome> buckets = new ArrayList<>();
    private final List<Divergence> divergences = new ArrayList<>();
    private long demands;
    private long divergent;
    private long cursor;
    private int bucket;
    private long recordedDenials;
    private long replayedDenials;
    private long recordedQueued;
    private long replayedQueued;

    /**
     * @param groups the groups {@code policy} names, defined in the scratch catalog before the policy
     */
    public Replayer(Product product, License source, PoolPolicy policy, java.util.List<SeatGroup> groups, Instant from,
                    Instant to, Duration bucket, int seats, int maxDivergences) {
        this.sourceId = source.id();
        this.from = from;
        this.to = to;
        this.bucketNanos = bucket.toNanos();
        this.seats = seats;
        this.maxDivergences = maxDivergences;
        this.clock = new ReplayClock(from);
        this.scratch = Licensor.builder().store(store).clock(clock).build();
        this.product = source.product();
        this.key = source.key();
        this.username = source.username();
        scratch.catalog().defineProduct(product).orElseThrow();
        // the pool as it is, with the replayed seats; switches and validity are not replayed
        License.Builder copy = License.builder(source.product()).type(source.type())
                .maxActivations(ACTIVATIONS).floatingSeats(seats).floatingTimeout(source.floatingTimeout())
                .borrowAllowed(source.borrowAllowed()).maxBorrowTime(source.maxBorrowTime());
        copy = source.key() != null ? copy.key(source.key()) : copy.username(source.username());
        long id = scratch.catalog().createLicense(copy.build()).orElseThrow().id();
        if (!policy.isNone()) {
            groups.forEach(g -> scratch.catalog().defineGroup(g).orElseThrow());
            scratch.catalog().setPolicy(id, policy).orElseThrow();
        }
    }

    /** Takes the next recorded entry (any pool, time order); a demand of the pool is replayed. */
    public void accept(LedgerEntry e) {
        if (e.licenseId() != sourceId || e.at().isBefore(from) || !e.at().isBefore(to)) {
            return;
        }
        Demand demand = Demand.of(e);
        if (demand == null) {
            return;
        }
        closeBucketsBefore(e.at());
        clock.set(e.at());
        DeviceRequest request = key != null ? DeviceRequest.byKey(product, key, e.subject())
                : DeviceRequest.byUser(product, username, e.subject());
        if (activated.add(e.subject())) {
            scratch.floating().activate(request).orElseThrow();
        }
        // The replay reads what the call decided from the scratch ledger (outcome()), which also
        // records denials and queueing; the Outcome itself adds nothing.
        Outcome<?> unused = switch (demand) {
            case CHECK -> scratch.floating().check(request);
            case QUEUE -> scratch.floating().checkOrQueue(request);
            case BORROW -> scratch.floating().borrow(request, null);
            case RELEASE -> scratch.floating().release(request);
        };
        LedgerEvent outcome = outcome();
        demands++;
        recorded.add(e.event());
        replayed.add(outcome);
        if (e.event() == LedgerEvent.DENIED) {
            recordedDenials++;
        } else if (e.event() == LedgerEvent.QUEUED) {
            recordedQueued++;
        }
        if (outcome == LedgerEvent.DENIED) {
            replayedDenials++;
        } else if (outcome == LedgerEvent.QUEUED) {
            replayedQueued++;
        }
        if (!same(e.event(), outcome)) {
            divergent++;
            if (divergences.size() < maxDivergences) {
                divergences.add(new Divergence(e.at(), e.subject(), e.event(), outcome));
            }
        }
        if (demands % PRUNE_EVERY == 0) {
            scratch.ledger().pruneBefore(e.at().plusSeconds(1), 10_000);
        }
    }

    private static boolean same(LedgerEvent recorded, LedgerEvent replayed) {
        return recorded == replayed || (recorded == LedgerEvent.FORCE_RELEASED && replayed == LedgerEvent.RELEASED);
    }

    /** The seat event the last demand left in the scratch ledger (the last one: a borrow also refreshes). */
    private LedgerEvent outcome() {
        LedgerEvent outcome = null;
        while (true) {
            List<LedgerEntry> page = scratch.ledger().after(cursor, 1_000);
            for (LedgerEntry n : page) {
                cursor = n.seq();
                if (Demand.of(n) != null && n.event() != LedgerEvent.FORCE_RELEASED) {
                    outcome = n.event();
                }
            }
            if (page.size() < 1_000) {
                return outcome;
            }
        }
    }

    private void closeBucketsBefore(Instant at) {
        long nanos = Duration.between(from, at).toNanos();
        while (nanos >= (bucket + 1L) * bucketNanos) {
            closeBucket();
        }
    }

    private void closeBucket() {
        buckets.add(new BucketOutcome(from.plusNanos(bucket * bucketNanos), recordedDenials, replayedDenials,
                recordedQueued, replayedQueued));
        bucket++;
        recordedDenials = replayedDenials = recordedQueued = replayedQueued = 0;
    }

    /** The report; the replayer is spent afterwards. */
    public WhatIfReport finish() {
        long span = Duration.between(from, to).toNanos();
        while (bucket * bucketNanos < span) {
            closeBucket();
        }
        store.close();
        return new WhatIfReport(sourceId, from, to, seats, demands, recorded.tally(), replayed.tally(), buckets,
                divergent, divergences);
    }

    /** What a recorded entry asked of the engine, or null if it records no demand of a seat. */
    private enum Demand {
        CHECK, QUEUE, BORROW, RELEASE;

        static Demand of(LedgerEntry e) {
            return switch (e.event()) {
                case GRANTED, REFRESHED -> CHECK;
                case DENIED -> SEAT_REFUSALS.contains(e.code()) ? CHECK : null;
                case QUEUED -> QUEUE;
                case BORROWED -> BORROW;
                case RELEASED, FORCE_RELEASED -> RELEASE;
                default -> null;
            };
        }
    }

    /** Refusals of a seat (by count or policy): the demands a replay re-runs; other refusals are not about capacity. */
    private static final Set<Code> SEAT_REFUSALS = Set.of(Code.FLOATING_NOT_AVAILABLE, Code.USER_CAP_REACHED,
            Code.EXCLUDED, Code.NOT_INCLUDED);
}
