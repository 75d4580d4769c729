package dev.licensor.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.Overdraft;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.report.Bucket;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.storetests.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The what-if replay, property-style over seeded random workloads run through the real engine on
 * a memory store: replaying with the recorded seats reproduces every recorded outcome, and for a
 * pool without policies more seats never give more denials.
 */
class WhatIfReplayTest {
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    private record Recorded(Licensor licensor, long id, int seats, int devices, Instant end) {
    }

    /** Random checks, borrows (to the longest borrow) and releases of a pool, with another pool's traffic between. */
    private static Recorded workload(long seed, int seats, int devices, int steps) {
        Random rnd = new Random(seed);
        MutableClock clock = new MutableClock(T0);
        Licensor licensor = Licensor.builder().store(new MemoryLicenseStore()).clock(clock).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofHours(1)));
        long id = licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(devices)
                .floatingSeats(seats).borrowAllowed(true).build()).orElseThrow().id();
        licensor.catalog().createLicense(License.builder("cad").key("OTHER").maxActivations(devices)
                .floatingSeats(1).build()).orElseThrow();
        for (int i = 0; i < steps; i++) {
            clock.advance(Duration.ofSeconds(rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(400)));
            DeviceRequest r = DeviceRequest.byKey("cad", rnd.nextInt(8) == 0 ? "OTHER" : "K", "hw-" + rnd.nextInt(devices));
            if (i < devices * 2 || rnd.nextInt(20) == 0) {
                licensor.floating().activate(r); // late activations too: a check before it is refused and not replayed
            }
            switch (rnd.nextInt(10)) {
                case 0, 1, 2 -> licensor.floating().release(r);
                case 3 -> licensor.floating().borrow(r, null);
                default -> licensor.floating().check(r);
            }
        }
        return new Recorded(licensor, id, seats, devices, clock.advance(Duration.ofSeconds(1)));
    }

    @Test
    void replayingTheRecordedSeatsReproducesEveryRecordedOutcome() {
        for (long seed = 1; seed <= 40; seed++) {
            int seats = 1 + (int) (seed % 4);
            Recorded w = workload(seed, seats, seats + 1 + (int) (seed % 5), 400);
            WhatIfReport r = WhatIf.of(w.licensor()).replay(WhatIfRequest.of(w.id(), T0, w.end(), w.seats()));
            assertThat(r.demands()).as("seed %d", seed).isGreaterThan(200);
            assertThat(r.recorded().denied()).as("seed %d: the workload must hit the limit", seed).isPositive();
            assertThat(r.firstDivergences()).as("seed %d", seed).isEmpty();
            assertThat(r.divergent()).isZero();
            assertThat(r.replayed()).isEqualTo(r.recorded());
            assertThat(r.buckets()).allSatisfy(b -> {
                assertThat(b.replayedDenials()).isEqualTo(b.recordedDenials());
                assertThat(b.replayedQueued()).isEqualTo(b.recordedQueued());
            });
            assertThat(r.buckets().stream().mapToLong(BucketOutcome::recordedDenials).sum())
                    .isEqualTo(r.recorded().denied());
        }
    }

    @Test
    void withoutPoliciesMoreSeatsNeverGiveMoreDenials() {
        for (long seed = 1; seed <= 25; seed++) {
            Recorded w = workload(seed, 2, 3 + (int) (seed % 6), 300);
            long previous = Long.MAX_VALUE;
            for (int seats = 1; seats <= w.devices() + 1; seats++) {
                WhatIfReport r = WhatIf.of(w.licensor()).replay(WhatIfRequest.of(w.id(), T0, w.end(), seats)
                        .withSeats(seats));
                assertThat(r.replayed().denied()).as("seed %d, %d seats", seed, seats).isLessThanOrEqualTo(previous);
                previous = r.replayed().denied();
                if (seats >= w.devices()) {
                    assertThat(r.replayed().denied()).as("a seat per device").isZero();
                }
            }
        }
    }

    @Test
    void fewerSeatsShowTheDenialsTheyWouldHaveMade() {
        MutableClock clock = new MutableClock(T0);
        Licensor licensor = Licensor.builder().store(new MemoryLicenseStore()).clock(clock).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofHours(1), Duration.ofHours(1)));
        long id = licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(3)
                .floatingSeats(2).build()).orElseThrow().id();
        DeviceRequest a = DeviceRequest.byKey("cad", "K", "a");
        DeviceRequest b = DeviceRequest.byKey("cad", "K", "b");
        licensor.floating().activate(a);
        licensor.floating().activate(b);
        licensor.floating().check(a);
        clock.advance(Duration.ofMinutes(90));
        licensor.floating().check(b);             // 01:30, a lapsed at 01:00 (not yet swept)
        clock.advance(Duration.ofMinutes(1));
        licensor.floating().check(a);             // 01:31, both hold a seat
        WhatIfReport one = WhatIf.of(licensor).replay(new WhatIfRequest(id, T0, T0.plus(Duration.ofHours(2)), 1,
                PoolPolicy.NONE, Bucket.HOUR));
        assertThat(one.recorded().denied()).isZero();
        assertThat(one.replayed().denied()).isEqualTo(1);
        assertThat(one.buckets()).extracting(BucketOutcome::replayedDenials).containsExactly(0L, 1L);
        assertThat(one.firstDivergences()).containsExactly(
                new Divergence(T0.plus(Duration.ofMinutes(91)), "a", LedgerEvent.GRANTED, LedgerEvent.DENIED));
        // an overdraft of one seat on one seat gives the same outcomes as two seats here
        WhatIfReport overdraft = WhatIf.of(licensor).replay(new WhatIfRequest(id, T0, T0.plus(Duration.ofHours(2)), 1,
                new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.seats(1), List.of(), 0, 0, 0), Bucket.HOUR));
        assertThat(overdraft.divergent()).isZero();
    }

    @Test
    void aPoolWhosePolicyNamesGroupsReplays() {
        MutableClock clock = new MutableClock(T0);
        Licensor licensor = Licensor.builder().store(new MemoryLicenseStore()).clock(clock).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofHours(1), Duration.ofHours(1)));
        long id = licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(3)
                .floatingSeats(1).build()).orElseThrow().id();
        licensor.catalog().defineGroup(new SeatGroup(GroupKind.USER, "devs", List.of("ann"))).orElseThrow();
        licensor.catalog().defineGroup(new SeatGroup(GroupKind.HOST, "lab", List.of("lab-1"))).orElseThrow();
        licensor.catalog().setPolicy(id, PoolPolicy.parse("MAX 1 GROUP devs\nEXCLUDE HOST_GROUP lab\n")).orElseThrow();
        DeviceRequest a = DeviceRequest.byKey("cad", "K", "a");
        DeviceRequest b = DeviceRequest.byKey("cad", "K", "b");
        licensor.floating().activate(a);
        licensor.floating().activate(b);
        licensor.floating().check(a);
        clock.advance(Duration.ofMinutes(5));
        assertThat(licensor.floating().check(b).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        // the scratch pool gets the groups its policy names (before, setPolicy failed: no GROUP named devs)
        WhatIfReport same = WhatIf.of(licensor).replay(WhatIfRequest.of(id, T0, T0.plus(Duration.ofHours(1)), 1));
        assertThat(same.divergent()).isZero();
        assertThat(same.replayed().denied()).isEqualTo(1);
        assertThat(WhatIf.of(licensor).replay(WhatIfRequest.of(id, T0, T0.plus(Duration.ofHours(1)), 2))
                .replayed().denied()).isZero();
        // a policy asked for that names a group the catalog does not define is a typed refusal
        assertThatThrownBy(() -> WhatIf.of(licensor).replay(new WhatIfRequest(id, T0, T0.plus(Duration.ofHours(1)), 1,
                PoolPolicy.parse("MAX 1 GROUP ghost"), Bucket.HOUR))).isInstanceOf(LicensingException.class)
                .extracting(e -> ((LicensingException) e).code()).isEqualTo(Code.INVALID_REQUEST);
    }

    @Test
    void badRequestsAreRefusedWithATypedError() {
        Recorded w = workload(3, 1, 2, 20);
        WhatIf whatIf = WhatIf.of(w.licensor());
        Instant to = T0.plusSeconds(3600);
        for (WhatIfRequest bad : Arrays.asList(null,
                new WhatIfRequest(w.id(), null, to, 1, null, Bucket.HOUR),
                new WhatIfRequest(w.id(), T0, null, 1, null, Bucket.HOUR),
                new WhatIfRequest(w.id(), T0, to, 1, null, null),
                new WhatIfRequest(w.id(), to, T0, 1, null, Bucket.HOUR),
                new WhatIfRequest(w.id(), T0, to, 0, null, Bucket.HOUR),
                new WhatIfRequest(w.id(), T0, to, WhatIfRequest.MAX_SEATS + 1, null, Bucket.HOUR),
                new WhatIfRequest(w.id(), T0, T0.plus(Duration.ofDays(5000)), 1, null, Bucket.HOUR),
                new WhatIfRequest(w.id(), T0, to, 1,
                        new PoolPolicy(LeasingStrategy.USER, Overdraft.NONE, List.of(), 0, 0, 0), Bucket.HOUR),
                new WhatIfRequest(999, T0, to, 1, null, Bucket.HOUR))) {
            assertThatThrownBy(() -> whatIf.replay(bad)).isInstanceOf(LicensingException.class)
                    .extracting(e -> ((LicensingException) e).code()).isEqualTo(Code.INVALID_REQUEST);
        }
    }
}
