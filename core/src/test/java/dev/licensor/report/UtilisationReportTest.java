package dev.licensor.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Holder;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.reference.ReferenceStore;
import dev.licensor.storetests.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The utilisation report against a brute-force model: random workloads run through the real
 * engine (reference store, mutable clock, whole seconds), and every bucket's numbers recomputed by
 * sampling the seat count second by second from the full ledger.
 */
class UtilisationReportTest {
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    private record Pool(Licensor licensor, MutableClock clock, long id, int seats) {
    }

    /** A pool of {@code seats} seats and {@code devices} devices driven at random for {@code seconds}. */
    private static Pool workload(long seed, int seats, int devices, int seconds) {
        Random rnd = new Random(seed);
        MutableClock clock = new MutableClock(T0);
        Licensor licensor = Licensor.builder().store(new ReferenceStore()).clock(clock).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofHours(24)));
        License pool = licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(devices)
                .floatingSeats(seats).build()).orElseThrow();
        // another pool's traffic is interleaved, and must not count
        licensor.catalog().createLicense(License.builder("cad").key("OTHER").maxActivations(devices)
                .floatingSeats(1).build()).orElseThrow();
        for (int d = 0; d < devices; d++) {
            licensor.floating().activate(DeviceRequest.byKey("cad", "K", "hw-" + d));
            licensor.floating().activate(DeviceRequest.byKey("cad", "OTHER", "hw-" + d));
        }
        int elapsed = 0;
        while (elapsed < seconds) {
            int step = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 60 : 900);
            clock.advance(Duration.ofSeconds(step));
            elapsed += step;
            String hw = "hw-" + rnd.nextInt(devices);
            DeviceRequest r = DeviceRequest.byKey("cad", rnd.nextInt(10) == 0 ? "OTHER" : "K", hw);
            switch (rnd.nextInt(10)) {
                case 0, 1, 2 -> licensor.floating().release(r);
                case 3 -> licensor.floating().borrow(r, clock.instant().plus(Duration.ofMinutes(30)));
                default -> licensor.floating().check(r);
            }
        }
        return new Pool(licensor, clock, pool.id(), seats);
    }

    @Test
    void everyBucketMatchesASecondBySecondModel() {
        for (long seed = 1; seed <= 30; seed++) {
            int seats = 1 + (int) (seed % 4);
            Pool p = workload(seed, seats, 2 + (int) (seed % 6), 6 * 3600);
            // ranges that start and end off bucket boundaries, and buckets of an hour and a day; for even
            // seeds the range runs past the workload, so its last seats lapse by time, never swept
            Instant from = T0.plusSeconds(seed * 97);
            Instant to = seed % 2 == 0 ? T0.plusSeconds(7 * 3600) : from.plusSeconds(5 * 3600 + seed * 13);
            for (Bucket bucket : List.of(Bucket.HOUR, Bucket.DAY)) {
                UtilisationRequest request = new UtilisationRequest(p.id(), from, to, bucket, 3);
                UtilisationReport expected = model(p, request);
                assertThat(CapacityReports.of(p.licensor()).utilisation(request)).as("seed %d %s", seed, bucket)
                        .usingRecursiveComparison().ignoringFields("entriesRead").isEqualTo(expected);
                // pages of 7 entries cross many page boundaries, some inside one instant
                assertThat(CapacityReports.of(p.licensor(), 7).utilisation(request)).as("seed %d paged", seed)
                        .isEqualTo(CapacityReports.of(p.licensor()).utilisation(request));
            }
        }
    }

    /** The user and host groups of the grouped workloads: overlapping user groups, one host group. */
    private static final List<SeatGroup> GROUPS = List.of(
            new SeatGroup(GroupKind.USER, "devs", List.of("u0", "u1")),
            new SeatGroup(GroupKind.USER, "ops", List.of("u1", "u2")),
            new SeatGroup(GroupKind.HOST, "lab", List.of("h0", "h1")),
            new SeatGroup(GroupKind.USER, "nobody", List.of("u9")));

    /**
     * A pool whose policy names the {@link #GROUPS} (with rules that refuse some requests), driven
     * at random by devices asking as random users and hosts (sometimes none); a device's seat moves
     * to whoever refreshed it last.
     */
    private static Pool groupedWorkload(long seed, int seats, int devices, int seconds) {
        Random rnd = new Random(seed);
        MutableClock clock = new MutableClock(T0);
        Licensor licensor = Licensor.builder().store(new ReferenceStore()).clock(clock).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofHours(24)));
        License pool = licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(devices)
                .floatingSeats(seats).build()).orElseThrow();
        GROUPS.forEach(g -> licensor.catalog().defineGroup(g).orElseThrow());
        // "GROUP devs" twice: each group is reported once, in the policy's order
        licensor.catalog().setPolicy(pool.id(), PoolPolicy.parse("MAX 1 GROUP devs\nRESERVE 1 GROUP ops\n"
                + "MAX 2 HOST_GROUP lab\nEXCLUDE GROUP nobody\nMAX 3 GROUP devs\n")).orElseThrow();
        for (int d = 0; d < devices; d++) {
            licensor.floating().activate(DeviceRequest.byKey("cad", "K", "hw-" + d));
        }
        int elapsed = 0;
        while (elapsed < seconds) {
            int step = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 60 : 900);
            clock.advance(Duration.ofSeconds(step));
            elapsed += step;
            DeviceRequest r = DeviceRequest.byKey("cad", "K", "hw-" + rnd.nextInt(devices));
            if (rnd.nextInt(6) != 0) {
                int u = rnd.nextInt(5);
                r = r.withHolder(Holder.of(u == 4 ? "u9" : "u" + u, rnd.nextInt(4) == 0 ? null : "h" + rnd.nextInt(3)));
            }
            switch (rnd.nextInt(10)) {
                case 0, 1, 2 -> licensor.floating().release(r);
                case 3 -> licensor.floating().borrow(r, clock.instant().plus(Duration.ofMinutes(30)));
                default -> licensor.floating().check(r);
            }
        }
        return new Pool(licensor, clock, pool.id(), seats);
    }

    @Test
    void everyGroupsBucketsMatchASecondBySecondModel() {
        long denied = 0;
        long moved = 0;
        for (long seed = 1; seed <= 25; seed++) {
            int seats = 2 + (int) (seed % 4);
            Pool p = groupedWorkload(seed, seats, 3 + (int) (seed % 5), 6 * 3600);
            Instant from = T0.plusSeconds(seed * 89);
            Instant to = seed % 2 == 0 ? T0.plusSeconds(7 * 3600) : from.plusSeconds(5 * 3600 + seed * 11);
            for (Bucket bucket : List.of(Bucket.HOUR, Bucket.DAY)) {
                UtilisationRequest request = new UtilisationRequest(p.id(), from, to, bucket, 3);
                UtilisationReport report = CapacityReports.of(p.licensor()).utilisation(request);
                UtilisationReport plain = model(p, request);
                List<GroupUsage> groups = groupModel(p, request, GROUPS);
                assertThat(report).as("seed %d %s", seed, bucket).usingRecursiveComparison().ignoringFields("entriesRead")
                        .isEqualTo(new UtilisationReport(p.id(), from, to, seats, plain.buckets(), plain.topHolders(), 0,
                                groups));
                assertThat(CapacityReports.of(p.licensor(), 7).utilisation(request)).as("seed %d paged", seed)
                        .isEqualTo(report);
            }
            UtilisationReport whole = CapacityReports.of(p.licensor())
                    .utilisation(new UtilisationRequest(p.id(), T0, T0.plusSeconds(7 * 3600), Bucket.DAY, 0));
            assertThat(whole.groups()).extracting(GroupUsage::name).containsExactly("devs", "ops", "lab", "nobody");
            denied += whole.groups().stream().mapToLong(GroupUsage::denials).sum();
            moved += p.licensor().ledger().between(T0, T0.plusSeconds(7 * 3600), 100_000).stream()
                    .filter(e -> e.event() == LedgerEvent.REFRESHED && e.licenseId() == p.id()).count();
        }
        // the workloads exercise what the groups count: refusals of members, refreshes that move seats
        assertThat(denied).isGreaterThan(50);
        assertThat(moved).isGreaterThan(100);
    }

    @Test
    void aPoolWithoutGroupsReportsNone() {
        Pool p = workload(3, 2, 4, 3600);
        assertThat(CapacityReports.of(p.licensor()).utilisation(
                new UtilisationRequest(p.id(), T0, T0.plusSeconds(3600), Bucket.HOUR, 1)).groups()).isEmpty();
    }

    @Test
    void aFullPoolIsAtTheLimitAndItsDenialsAreCounted() {
        MutableClock clock = new MutableClock(T0);
        Licensor licensor = Licensor.builder().store(new ReferenceStore()).clock(clock).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofHours(2), Duration.ofHours(24)));
        long id = licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(3)
                .floatingSeats(1).build()).orElseThrow().id();
        DeviceRequest a = DeviceRequest.byKey("cad", "K", "a");
        DeviceRequest b = DeviceRequest.byKey("cad", "K", "b");
        licensor.floating().activate(a);
        licensor.floating().activate(b);
        clock.advance(Duration.ofMinutes(15));
        licensor.floating().check(a);                       // 00:15 a takes the seat
        clock.advance(Duration.ofMinutes(15));
        assertThat(licensor.floating().check(b).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE); // 00:30
        clock.advance(Duration.ofMinutes(60));
        licensor.floating().release(a);                     // 01:30
        UtilisationReport r = CapacityReports.of(licensor)
                .utilisation(new UtilisationRequest(id, T0, T0.plus(Duration.ofHours(2)), Bucket.HOUR, 5));
        assertThat(r.buckets()).extracting(BucketUsage::peak, BucketUsage::p50, BucketUsage::p95,
                        BucketUsage::atLimit, BucketUsage::granted, BucketUsage::denials)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, 1, 1, Duration.ofMinutes(45), 1L, 1L),
                        org.assertj.core.groups.Tuple.tuple(1, 0, 1, Duration.ofMinutes(30), 0L, 0L));
        assertThat(r.topHolders()).containsExactly(new HolderUsage("a", Duration.ofMinutes(75)));
        assertThat(r.topHolders().get(0).seatHours()).isEqualTo(1.25);
        assertThat(r.peak()).isEqualTo(1);
        assertThat(r.denials()).isEqualTo(1);
    }

    @Test
    void badRequestsAreRefusedWithATypedError() {
        Pool p = workload(1, 1, 2, 60);
        CapacityReports reports = CapacityReports.of(p.licensor());
        Instant to = T0.plusSeconds(3600);
        for (UtilisationRequest bad : java.util.Arrays.asList(null,
                new UtilisationRequest(p.id(), null, to, Bucket.HOUR, 1),
                new UtilisationRequest(p.id(), T0, null, Bucket.HOUR, 1),
                new UtilisationRequest(p.id(), T0, to, null, 1),
                new UtilisationRequest(p.id(), to, T0, Bucket.HOUR, 1),
                new UtilisationRequest(p.id(), T0, T0, Bucket.HOUR, 1),
                new UtilisationRequest(p.id(), T0, to, Bucket.HOUR, -1),
                new UtilisationRequest(p.id(), T0, to, Bucket.HOUR, 1001),
                new UtilisationRequest(p.id(), T0, T0.plus(Duration.ofDays(5000)), Bucket.HOUR, 1),
                new UtilisationRequest(0, T0, to, Bucket.HOUR, 1),
                new UtilisationRequest(999, T0, to, Bucket.HOUR, 1))) {
            assertThatThrownBy(() -> reports.utilisation(bad)).isInstanceOf(LicensingException.class)
                    .extracting(e -> ((LicensingException) e).code()).isEqualTo(Code.INVALID_REQUEST);
        }
    }

    /**
     * The brute-force model: the seat count after every entry of each whole second, sampled per
     * second (a seat not borrowed stops counting its timeout after its last grant or refresh);
     * peak over every intermediate state; percentiles from the sorted samples.
     */
    private static UtilisationReport model(Pool p, UtilisationRequest r) {
        List<LedgerEntry> all = p.licensor().ledger().between(r.from(), r.to(), 100_000).stream()
                .filter(e -> e.licenseId() == p.id()).toList();
        long span = Duration.between(r.from(), r.to()).getSeconds();
        long width = r.bucket().length().getSeconds();
        long timeout = Duration.ofMinutes(10).getSeconds();
        // seat key -> the second of its last grant or refresh, or -1 once borrowed (no lapse by time)
        Map<String, Long> alive = new HashMap<>();
        Map<String, Long> held = new HashMap<>();
        List<BucketUsage> buckets = new ArrayList<>();
        int next = 0;
        List<Integer> samples = new ArrayList<>();
        int peak = 0;
        long granted = 0, denials = 0, queued = 0, borrowed = 0;
        for (long s = 0; s < span; s++) {
            Instant now = r.from().plusSeconds(s);
            long second = s;
            alive.values().removeIf(last -> last >= 0 && second >= last + timeout); // lapsed by time
            while (next < all.size() && !all.get(next).at().isAfter(now)) {
                LedgerEntry e = all.get(next++);
                String k = e.subject();
                switch (e.event()) {
                    case GRANTED, REFRESHED -> {
                        granted += e.event() == LedgerEvent.GRANTED ? 1 : 0;
                        alive.merge(k, s, (old, fresh) -> old < 0 ? old : fresh);
                    }
                    case BORROWED -> { borrowed++; alive.put(k, -1L); }
                    case RELEASED, LAPSED, FORCE_RELEASED -> alive.remove(k);
                    case DENIED -> denials++;
                    case QUEUED -> queued++;
                    default -> { }
                }
                peak = Math.max(peak, alive.size());
            }
            samples.add(alive.size());
            for (String k : alive.keySet()) {
                held.merge(k, 1L, Long::sum);
            }
            if ((s + 1) % width == 0 || s + 1 == span) {
                List<Integer> sorted = new ArrayList<>(samples);
                Collections.sort(sorted);
                long atLimit = samples.stream().filter(c -> c >= p.seats()).count();
                buckets.add(new BucketUsage(r.from().plusSeconds(s + 1 - samples.size()),
                        Duration.ofSeconds(samples.size()), peak, pct(sorted, 50), pct(sorted, 95),
                        Duration.ofSeconds(atLimit), granted, denials, queued, borrowed));
                samples.clear();
                peak = alive.size(); // the seats held as the next bucket starts
                granted = denials = queued = borrowed = 0;
            }
        }
        List<HolderUsage> top = held.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(r.topHolders()).map(h -> new HolderUsage(h.getKey(), Duration.ofSeconds(h.getValue()))).toList();
        return new UtilisationReport(p.id(), r.from(), r.to(), p.seats(), buckets, top, 0);
    }

    /**
     * The groups' brute-force model: each second, after every entry of that second, the seats
     * alive whose latest {@code GRANTED}/{@code REFRESHED} holder (read from the entry's detail by
     * this test's own parser) is a member; grants and refusals by the holder or caller each names.
     */
    private static List<GroupUsage> groupModel(Pool p, UtilisationRequest r, List<SeatGroup> groups) {
        List<LedgerEntry> all = p.licensor().ledger().between(r.from(), r.to(), 100_000).stream()
                .filter(e -> e.licenseId() == p.id()).toList();
        long span = Duration.between(r.from(), r.to()).getSeconds();
        long width = r.bucket().length().getSeconds();
        long timeout = Duration.ofMinutes(10).getSeconds();
        int n = groups.size();
        Map<String, Long> alive = new HashMap<>();
        Map<String, Map<String, String>> holder = new HashMap<>();
        List<List<GroupBucketUsage>> out = new ArrayList<>();
        groups.forEach(g -> out.add(new ArrayList<>()));
        int[] peak = new int[n];
        long[] seconds = new long[n];
        long[] granted = new long[n];
        long[] denials = new long[n];
        int next = 0;
        long bucketStart = 0;
        for (long s = 0; s < span; s++) {
            Instant now = r.from().plusSeconds(s);
            long second = s;
            alive.values().removeIf(last -> last >= 0 && second >= last + timeout);
            while (next < all.size() && !all.get(next).at().isAfter(now)) {
                LedgerEntry e = all.get(next++);
                String k = e.subject();
                switch (e.event()) {
                    case GRANTED, REFRESHED -> {
                        alive.merge(k, s, (old, fresh) -> old < 0 ? old : fresh);
                        holder.put(k, pairs(e.detail()));
                        if (e.event() == LedgerEvent.GRANTED) {
                            count(granted, groups, pairs(e.detail()));
                        }
                    }
                    case BORROWED -> {
                        if (!alive.containsKey(k)) {
                            holder.remove(k); // first seen borrowed: its holder is not known
                        }
                        alive.put(k, -1L);
                    }
                    case RELEASED, LAPSED, FORCE_RELEASED -> alive.remove(k);
                    case DENIED -> {
                        String d = e.detail();
                        int open = d.lastIndexOf(" [");
                        count(denials, groups, d.endsWith("]") && open >= 0 ? pairs(d.substring(open + 2, d.length() - 1))
                                : Map.of());
                    }
                    default -> { }
                }
                int[] held = held(alive, holder, groups);
                for (int g = 0; g < n; g++) {
                    peak[g] = Math.max(peak[g], held[g]);
                }
            }
            int[] held = held(alive, holder, groups);
            for (int g = 0; g < n; g++) {
                seconds[g] += held[g];
            }
            if ((s + 1) % width == 0 || s + 1 == span) {
                for (int g = 0; g < n; g++) {
                    out.get(g).add(new GroupBucketUsage(r.from().plusSeconds(bucketStart), peak[g],
                            Duration.ofSeconds(seconds[g]), granted[g], denials[g]));
                    peak[g] = held[g];
                    seconds[g] = granted[g] = denials[g] = 0;
                }
                bucketStart = s + 1;
            }
        }
        List<GroupUsage> result = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            result.add(new GroupUsage(groups.get(g).kind(), groups.get(g).name(), out.get(g)));
        }
        return result;
    }

    private static int[] held(Map<String, Long> alive, Map<String, Map<String, String>> holder, List<SeatGroup> groups) {
        int[] held = new int[groups.size()];
        for (String k : alive.keySet()) {
            for (int g = 0; g < groups.size(); g++) {
                if (member(groups.get(g), holder.getOrDefault(k, Map.of()))) {
                    held[g]++;
                }
            }
        }
        return held;
    }

    private static void count(long[] counts, List<SeatGroup> groups, Map<String, String> who) {
        for (int g = 0; g < groups.size(); g++) {
            if (member(groups.get(g), who)) {
                counts[g]++;
            }
        }
    }

    private static boolean member(SeatGroup g, Map<String, String> who) {
        String name = who.get(g.kind() == GroupKind.HOST ? "host" : "user");
        return name != null && g.members().contains(name);
    }

    /** {@code key=value; key=value} as the engine writes it (this test's names need no escapes). */
    private static Map<String, String> pairs(String detail) {
        Map<String, String> out = new HashMap<>();
        for (String pair : detail.split("; ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return out;
    }

    private static int pct(List<Integer> sorted, int percent) {
        int index = (int) Math.ceil(sorted.size() * percent / 100.0) - 1;
        return sorted.get(Math.max(index, 0));
    }
}
