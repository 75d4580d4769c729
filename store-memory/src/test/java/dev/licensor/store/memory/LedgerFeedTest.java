package dev.licensor.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.ledger.LedgerEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The ledger feed on the memory store: a tailing reader reads each entry once while threads write, and pruning never reuses a seq. */
class LedgerFeedTest {

    private static Licensor licensor() {
        Licensor licensor = Licensor.builder().store(new MemoryLicenseStore()).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofHours(1), Duration.ofDays(1)));
        licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(10_000).floatingSeats(3).build());
        return licensor;
    }

    @Test
    void aTailingReaderReadsEveryEntryOnceWhileThreadsWrite() throws Exception {
        Licensor licensor = licensor();
        AtomicBoolean done = new AtomicBoolean();
        List<LedgerEntry> read = new ArrayList<>();
        Thread tail = new Thread(() -> {
            long cursor = 0;
            while (true) {
                boolean last = done.get();
                List<LedgerEntry> page = licensor.ledger().after(cursor, 5);
                read.addAll(page);
                if (!page.isEmpty()) {
                    cursor = page.get(page.size() - 1).seq();
                } else if (last) {
                    return;
                }
            }
        });
        tail.start();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int n = t;
            Thread writer = new Thread(() -> {
                for (int d = 0; d < 200; d++) {
                    DeviceRequest r = DeviceRequest.byKey("cad", "K", "hw-" + n + "-" + d);
                    licensor.floating().activate(r);
                    licensor.floating().check(r);
                }
            });
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
        done.set(true);
        tail.join();

        List<LedgerEntry> all = licensor.ledger().between(Instant.EPOCH, Instant.now().plusSeconds(3600), 100_000);
        assertThat(all).hasSize(6 * 200 * 2);
        assertThat(read).extracting(LedgerEntry::seq).isSorted().doesNotHaveDuplicates();
        assertThat(read).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void pruningEverythingDoesNotRewindTheSeq() {
        Licensor licensor = licensor();
        licensor.floating().activate(DeviceRequest.byKey("cad", "K", "a"));
        long last = licensor.ledger().after(0, 10).get(0).seq();
        assertThat(licensor.ledger().pruneBefore(Instant.now().plusSeconds(3600), 100)).isEqualTo(1);
        assertThat(licensor.ledger().after(0, 10)).isEmpty();

        licensor.floating().activate(DeviceRequest.byKey("cad", "K", "b"));
        assertThat(licensor.ledger().after(last, 10)).singleElement()
                .satisfies(e -> assertThat(e.seq()).isGreaterThan(last))
                .satisfies(e -> assertThat(e.subject()).isEqualTo("b"));
    }
}
