package dev.licensor.store.sqlite;

import dev.licensor.storetests.Jvms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.ledger.LedgerEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger feed ({@code ledger().after(seq, limit)}) read by a tailing reader while writers in
 * several processes commit (threads: the suite's LedgerContract): the reader sees every entry exactly once, in
 * seq order, with nothing skipped. SQLite's one writer assigns {@code max(seq) + 1} inside its
 * write lock, so seqs become visible in order.
 */
class LedgerFeedTest {
    private static final int SEATS = 3;
    private static final int PAGE = 7; // small pages: many reads land between commits

    @TempDir
    Path dir;

    /** The writers' work: activate, check (grant or denial) and release each device. */
    static void write(Licensor licensor, String name, int devices) {
        for (int d = 0; d < devices; d++) {
            DeviceRequest device = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, name + "-hw-" + d);
            licensor.floating().activate(device).orElseThrow();
            licensor.floating().check(device);
            if (d % 2 == 0) {
                licensor.floating().release(device).orElseThrow();
            }
        }
    }

    /** Tails the feed until {@code done} is set and one more read finds nothing new. */
    private static final class Tail extends Thread {
        private final Licensor licensor;
        private final AtomicBoolean done;
        final List<LedgerEntry> read = new ArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Tail(Licensor licensor, AtomicBoolean done) {
            super("feed-tail");
            this.licensor = licensor;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                long cursor = 0;
                while (true) {
                    boolean last = done.get(); // read before the page: a page after done sees all
                    List<LedgerEntry> page = licensor.ledger().after(cursor, PAGE);
                    read.addAll(page);
                    if (!page.isEmpty()) {
                        cursor = page.get(page.size() - 1).seq();
                    } else if (last) {
                        return;
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }
    }

    private static void assertReadExactlyOnceInOrder(Tail tail, Licensor licensor, int devices) {
        assertThat(tail.failure.get()).isNull();
        List<LedgerEntry> all = licensor.ledger().between(Instant.EPOCH, Instant.now().plusSeconds(3600), 100_000);
        // Per device an activation and a grant or denial; a release only if it held a seat.
        assertThat(all).hasSizeGreaterThanOrEqualTo(devices * 2);
        List<Long> seqs = tail.read.stream().map(LedgerEntry::seq).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        assertThat(tail.read).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aTailingReaderReadsEveryEntryOnceWhileProcessesWrite() throws Exception {
        int processes = 3;
        int devicesEach = 30;
        Path file = dir.resolve("shared-feed.db");
        Fixtures.defineIn(file, SEATS, 1);
        long startAt = System.currentTimeMillis() + 4_000;
        List<Jvms.Child> children = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            children.add(Jvms.start(FeedWriterChild.class, file.toString(), "p" + p, String.valueOf(devicesEach),
                    String.valueOf(startAt)));
        }
        try (SqliteLicenseStore store = SqliteLicenseStore.builder(file).busyTimeout(Duration.ofSeconds(60)).open()) {
            Licensor licensor = Fixtures.licensor(store);
            AtomicBoolean done = new AtomicBoolean();
            Tail tail = new Tail(licensor, done);
            tail.start();
            for (Jvms.Child child : children) {
                boolean ended = child.process.waitFor(150, TimeUnit.SECONDS);
                if (!ended) {
                    children.forEach(c -> c.process.destroyForcibly());
                }
                assertThat(ended).as("child ended in time").isTrue();
                assertThat(child.process.exitValue()).as("child exit code").isZero();
                assertThat(child.drained()).containsExactly("DONE");
            }
            done.set(true);
            tail.join();

            assertReadExactlyOnceInOrder(tail, licensor, processes * devicesEach);
        }
    }
}
