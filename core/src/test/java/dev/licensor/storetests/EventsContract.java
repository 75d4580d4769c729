package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.event.LicensorEvent;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.outcome.Code;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Change events on this store: one event per committed ledger entry, in commit (seq) order, under
 * racing threads, and nothing for what rolled back. The order relies on the store's ledger rule
 * ({@code Change.AppendLedger}, read by {@code Query.LedgerAfter}): an event takes its place in the sequence inside the unit.
 */
public abstract class EventsContract extends ContractBase {

    private final List<LicensorEvent> seen = new CopyOnWriteArrayList<>();

    private Licensor withEvents() {
        return under.engine(store, clock).listener(seen::add).build();
    }

    private List<LicensorEvent> ledgerAsEvents() {
        List<LedgerEntry> entries = new ArrayList<>(ledger());
        entries.sort(Comparator.comparingLong(LedgerEntry::seq));
        return entries.stream().map(LicensorEvent::of).toList();
    }

    @Test
    void racingThreadsGetOneEventPerEntryInCommitOrder() throws Exception {
        product("cad");
        License l = license(License.builder("cad").key("K").maxActivations(1_000).floatingSeats(4));
        Licensor engine = withEvents();
        int threads = 6;
        int devicesEach = 12;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger granted = new AtomicInteger();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "t" + t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int d = 0; d < devicesEach; d++) {
                    engine.floating().activate(device(l, name + "-" + d));
                    if (engine.floating().check(device(l, name + "-" + d)).isSuccess()) {
                        granted.incrementAndGet();
                    }
                }
            }, "racer-" + name);
            thread.start();
            running.add(thread);
        }
        start.countDown();
        for (Thread thread : running) {
            thread.join();
        }

        assertThat(granted.get()).isEqualTo(4);
        assertThat(seen.stream().filter(LicensorEvent.SeatGranted.class::isInstance)).hasSize(4);
        assertThat(seen.stream().filter(e -> e instanceof LicensorEvent.Denied d
                && d.code() == Code.FLOATING_NOT_AVAILABLE)).hasSize(threads * devicesEach - 4);
        assertThat(seen).extracting(LicensorEvent::seq).isSorted().doesNotHaveDuplicates();
        // the product and license were defined before the listener was there
        assertThat(seen).isEqualTo(ledgerAsEvents().subList(2, ledgerAsEvents().size()));
    }

    @Test
    void aRefusedCallPublishesOnlyItsRecordedDenial() {
        product("cad");
        License l = floating("cad", "K", 1);
        Licensor engine = withEvents();
        engine.floating().activate(device(l, "a"));
        engine.floating().activate(device(l, "b"));
        engine.floating().check(device(l, "a"));
        seen.clear();

        assertThat(engine.floating().check(device(l, "b")).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(engine.floating().check(device(l, "not-activated")).code()).isEqualTo(Code.DEVICE_NOT_FOUND);
        assertThat(seen).singleElement().isInstanceOfSatisfying(LicensorEvent.Denied.class,
                d -> assertThat(d.code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE));
    }
}
