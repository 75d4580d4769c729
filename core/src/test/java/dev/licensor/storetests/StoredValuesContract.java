package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.Overdraft;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.Change;
import dev.licensor.store.Key;
import dev.licensor.store.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every structured value a store keeps reads back equal, whatever its strings hold (issue 26):
 * pool policies (rule names), seat groups (names and members), and a lease's or queue entry's
 * device and holder (user, host, process, metadata), on every store. A randomised property with a
 * fixed seed per try (printed on failure): names drawn from any Unicode the engine accepts, with
 * the characters text encodings trip on weighted in ({@code # ; = % [ ] :}, spaces at either end,
 * U+2003, U+2028, U+FEFF, characters above U+FFFF, digits that look like lengths), written through
 * the engine's API and read back through it and through the store.
 *
 * <p>Not thread-safe: JUnit creates one instance per test.
 */
public abstract class StoredValuesContract extends ContractBase {
    private static final int TRIES = 25;
    /** Characters separators and escapes are made of, plus white space the old parser trimmed. */
    private static final String TRICKY = "#;=%[]: \u2003\u00A0\u2028\u2029\uFEFF\u200B,\\\"'x0123456789Aé";

    /** A string the engine accepts as a name: 1..max chars, not blank, no control character, well-formed. */
    public static String name(Random r, int max) {
        while (true) {
            StringBuilder s = new StringBuilder();
            int length = 1 + r.nextInt(r.nextInt(4) == 0 ? max : Math.min(max, 12));
            while (s.length() < length) {
                int kind = r.nextInt(10);
                if (kind < 5) {
                    s.append(TRICKY.charAt(r.nextInt(TRICKY.length())));
                } else if (kind < 8) {
                    char c = (char) (0x20 + r.nextInt(0xD7FF - 0x20));
                    if (!Character.isISOControl(c)) {
                        s.append(c);
                    }
                } else if (length - s.length() >= 2) {
                    s.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000)); // a surrogate pair
                }
            }
            String v = s.length() > max ? s.substring(0, max) : s.toString();
            if (!v.isBlank() && !Character.isHighSurrogate(v.charAt(v.length() - 1))) {
                return v;
            }
        }
    }

    @BeforeEach
    void defineProduct() {
        ok(licensor.catalog().defineProduct(new Product("cad", "CAD", TIMEOUT, MAX_BORROW)));
    }

    private static PolicyRule.TargetType plainType(Random r) {
        return r.nextBoolean() ? PolicyRule.TargetType.USER : PolicyRule.TargetType.HOST;
    }

    @Test
    void policiesAndGroupsReadBackEqualWhateverTheirNamesHold() {
        for (int t = 0; t < TRIES; t++) {
            long seed = 26_000L + t;
            Random r = new Random(seed);
            License pool = ok(licensor.catalog().createLicense(License.builder("cad").key("RT-" + t)
                    .maxActivations(10).floatingSeats(3).build()));
            SeatGroup users = new SeatGroup(GroupKind.USER, name(r, 256), List.of(name(r, 256), name(r, 20), name(r, 5)));
            SeatGroup hosts = new SeatGroup(GroupKind.HOST, name(r, 40), List.of(name(r, 256)));
            ok(licensor.catalog().defineGroup(users));
            ok(licensor.catalog().defineGroup(hosts));
            List<PolicyRule> rules = new ArrayList<>(List.of(
                    PolicyRule.exclude(plainType(r), name(r, 256)),
                    PolicyRule.include(plainType(r), name(r, 256)),
                    PolicyRule.include(PolicyRule.TargetType.GROUP, users.name()),
                    PolicyRule.reserve(1, plainType(r), name(r, 256)),
                    PolicyRule.max(2, PolicyRule.TargetType.HOST_GROUP, hosts.name())));
            PoolPolicy policy = new PoolPolicy(LeasingStrategy.values()[r.nextInt(3)],
                    r.nextBoolean() ? Overdraft.seats(r.nextInt(5)) : new Overdraft(0, 150), rules, r.nextInt(2),
                    r.nextInt(3), r.nextInt(4));
            ok(licensor.catalog().setPolicy(pool.id(), policy));

            String because = "seed " + seed;
            assertThat(licensor.catalog().policy(pool.id())).as(because).contains(policy);
            assertThat(ok(licensor.seats().pool(pool.id())).policy()).as(because).isEqualTo(policy);
            java.util.Optional<PoolPolicy> stored = store.read(tx -> tx.find(Key.poolPolicy(pool.id())));
            assertThat(stored).as(because).contains(policy);
            assertThat(licensor.catalog().group(GroupKind.USER, users.name())).as(because).contains(users);
            assertThat(licensor.catalog().group(GroupKind.HOST, hosts.name())).as(because).contains(hosts);
            // a policy written again replaces every rule
            PoolPolicy shorter = new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE,
                    List.of(PolicyRule.exclude(PolicyRule.TargetType.USER, name(r, 256))), 0, 0, 0);
            ok(licensor.catalog().setPolicy(pool.id(), shorter));
            assertThat(licensor.catalog().policy(pool.id())).as(because).contains(shorter);
        }
    }

    @Test
    void holdersReadBackEqualInLeasesQueueEntriesAndThePoolView() {
        License pool = ok(licensor.catalog().createLicense(License.builder("cad").key("RT-H")
                .maxActivations(10_000).floatingSeats(1).build()));
        ok(licensor.catalog().setPolicy(pool.id(), new PoolPolicy(LeasingStrategy.PROCESS, Overdraft.NONE,
                List.of(), 0, 0, 1_000)));
        for (int t = 0; t < TRIES; t++) {
            long seed = 2_600L + t;
            Random r = new Random(seed);
            String hw = name(r, 256);
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int i = r.nextInt(Holder.MAX_METADATA + 1); i > 0; i--) {
                metadata.put(name(r, i == 1 ? 256 : 30), i == 2 ? "" : name(r, r.nextInt(5) == 0 ? 4096 : 30));
            }
            Holder holder = new Holder(name(r, 256), name(r, 256), name(r, 256), metadata);
            DeviceRequest request = DeviceRequest.byKey("cad", pool.key(), hw).withHolder(holder);
            ok(licensor.floating().activate(request));
            String because = "seed " + seed;
            String key = hw + '\u001F' + holder.process();
            if (t == 0) {
                Lease lease = ok(licensor.floating().check(request)).lease();
                assertThat(lease.holder()).as(because).isEqualTo(holder);
                assertThat(ok(licensor.seats().holders(pool.id()))).as(because).singleElement().satisfies(l -> {
                    assertThat(l.hardwareId()).isEqualTo(key);
                    assertThat(l.device()).isEqualTo(hw);
                    assertThat(l.holder()).isEqualTo(holder);
                });
                java.util.Optional<Lease> stored = store.read(tx -> tx.find(Key.lease(pool.id(), key)));
                assertThat(stored).as(because).contains(lease);
            } else {
                // the one seat is held: everyone else queues, holder and all
                assertThat(licensor.floating().checkOrQueue(request).code()).as(because)
                        .isEqualTo(dev.licensor.outcome.Code.QUEUED);
                List<QueueEntry> queue = ok(licensor.seats().pool(pool.id())).queued();
                assertThat(queue.get(queue.size() - 1)).as(because).satisfies(e -> {
                    assertThat(e.hardwareId()).isEqualTo(key);
                    assertThat(e.device()).isEqualTo(hw);
                    assertThat(e.holder()).isEqualTo(holder);
                });
            }
        }
        // every entry again, from the store, in ticket order
        List<QueueEntry> stored = store.read(tx -> tx.list(Query.queue(pool.id())));
        assertThat(stored).hasSize(TRIES - 1)
                .allSatisfy(e -> assertThat(e.expiresAt()).isAfter(Instant.EPOCH));
    }

    /**
     * Metadata through the store itself, with strings the engine would refuse (control characters,
     * an empty key) beside the ones it takes: every string reads back exactly, in the map's order,
     * on a lease and a queue entry, and a row written again keeps only its new pairs.
     */
    @Test
    void holderMetadataReadsBackExactlyAndInOrderThroughTheStore() {
        License pool = ok(licensor.catalog().createLicense(License.builder("cad").key("RT-M")
                .maxActivations(10).floatingSeats(3).build()));
        Map<String, String> hostile = new LinkedHashMap<>();
        hostile.put("z", "");
        hostile.put("", "empty key");
        hostile.put("#", "#");
        hostile.put(" a ", " ");
        hostile.put("line\nbreak", "x\r\ny\n");
        hostile.put("3:ab", "2:c0:");
        hostile.put("\u001F\u0001", "\t"); // (no U+0000: PostgreSQL text cannot hold it, and the engine refuses it)
        hostile.put("\uD83D\uDE00", "\uD834\uDD1E\u2028\uFEFF");
        hostile.put("a", "é");
        Instant at = Instant.ofEpochSecond(1_767_600_000L);
        for (Map<String, String> metadata : List.of(hostile, Map.of("only", "one"), Map.<String, String>of(), hostile)) {
            Holder holder = new Holder("u", null, null, metadata);
            Lease lease = new Lease(pool.id(), "seat", at, at, at.plusSeconds(600), null, "dev", holder, false);
            QueueEntry entry = new QueueEntry(pool.id(), "waiting", 1, at, at.plusSeconds(600), "dev2", holder);
            store.write(tx -> {
                tx.apply(Change.putLease(lease));
                tx.apply(Change.putQueueEntry(entry));
                return null;
            });
            Lease read = store.<java.util.Optional<Lease>>read(tx -> tx.find(Key.lease(pool.id(), "seat"))).orElseThrow();
            assertThat(read).isEqualTo(lease);
            assertThat(List.copyOf(read.holder().metadata().entrySet()))
                    .containsExactlyElementsOf(List.copyOf(metadata.entrySet()));
            List<QueueEntry> queue = store.read(tx -> tx.list(Query.queue(pool.id())));
            assertThat(queue).containsExactly(entry);
            assertThat(List.copyOf(queue.get(0).holder().metadata().entrySet()))
                    .containsExactlyElementsOf(List.copyOf(metadata.entrySet()));
            List<Lease> live = store.read(tx -> tx.list(Query.leasesLiveAfter(pool.id(), at)));
            assertThat(live).containsExactly(lease);
        }
    }
}
