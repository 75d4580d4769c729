package dev.licensor.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LedgerLog} against a plain model (every entry in one map by seq, sorted on each read),
 * over seeded random units: appends on a clock that moves forward and sometimes back (so entries
 * land in both of its parts, and its array grows and compacts), prunes, the three reads, and units that roll back. After every unit both must agree.
 */
class LedgerLogModelTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 20261202})
    void agreesWithTheModelAfterEveryUnit(long seed) {
        Random random = new Random(seed);
        LedgerLog log = new LedgerLog();
        TreeMap<Long, LedgerEntry> model = new TreeMap<>();
        long lastSeq = 0;
        long[] clock = {0};
        for (int unit = 0; unit < 3_000; unit++) {
            TreeMap<Long, LedgerEntry> before = new TreeMap<>(model);
            log.begin();
            int steps = 1 + random.nextInt(6);
            for (int s = 0; s < steps; s++) {
                if (random.nextInt(8) == 0) {
                    Instant cut = time(random, clock[0] - 300);
                    int limit = 1 + random.nextInt(40);
                    List<LedgerEntry> doomed = sortedByTime(model).stream()
                            .filter(e -> e.at().isBefore(cut)).limit(limit).toList();
                    assertThat(log.prune(cut, limit)).isEqualTo(doomed.size());
                    doomed.forEach(e -> model.remove(e.seq()));
                } else {
                    clock[0] += random.nextInt(3);
                    Instant at = random.nextInt(10) == 0 ? time(random, clock[0] - 300) : T0.plusSeconds(clock[0]);
                    long seq = log.append(new LedgerEntry(0, at, LedgerEvent.GRANTED, 1, 0, "d" + unit, Code.OK, ""));
                    assertThat(seq).isGreaterThan(lastSeq); // increasing, never reused after a rollback
                    lastSeq = seq;
                    model.put(seq, new LedgerEntry(seq, at, LedgerEvent.GRANTED, 1, 0, "d" + unit, Code.OK, ""));
                }
            }
            if (random.nextInt(5) == 0) {
                log.rollback();
                model.clear();
                model.putAll(before);
            } else {
                log.commit();
            }
            assertReadsAgree(log, model, random, clock[0]);
        }
    }

    private static void assertReadsAgree(LedgerLog log, TreeMap<Long, LedgerEntry> model, Random random, long now) {
        long after = model.isEmpty() ? 0 : model.firstKey() - 1 + random.nextInt(model.size() + 2);
        int limit = 1 + random.nextInt(50);
        assertThat(log.after(after, limit))
                .containsExactlyElementsOf(model.tailMap(after, false).values().stream().limit(limit).toList());
        assertThat(log.after(0, Integer.MAX_VALUE)).containsExactlyElementsOf(model.values());
        Instant from = time(random, now - 600);
        Instant to = from.plusSeconds(random.nextInt(600));
        assertThat(log.between(from, to, limit)).containsExactlyElementsOf(sortedByTime(model).stream()
                .filter(e -> !e.at().isBefore(from) && e.at().isBefore(to)).limit(limit).toList());
        assertThat(log.between(to, from, limit)).isEmpty();
    }

    /** A time in the 300 s from {@code start}: the clock mostly moves forward, so this sends an append to the late part. */
    private static Instant time(Random random, long start) {
        return T0.plusSeconds(start + random.nextInt(300));
    }

    private static List<LedgerEntry> sortedByTime(TreeMap<Long, LedgerEntry> model) {
        List<LedgerEntry> all = new ArrayList<>(model.values());
        all.sort(Comparator.comparing(LedgerEntry::at).thenComparingLong(LedgerEntry::seq));
        return all;
    }
}
