package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.Change;
import dev.licensor.store.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every event at its time, range reads, denials with their codes, pruning in batches, the seq feed under concurrent writers. */
public abstract class LedgerContract extends ContractBase {

    private Instant at(int minutes) {
        Instant t = START.plus(Duration.ofMinutes(minutes));
        clock.set(t);
        return t;
    }

    /** One of every event, each at its own minute; returns the lease license. */
    private License everyEvent() {
        product("cad");
        License l = license(License.builder("cad").key("K").maxActivations(5).floatingSeats(2).borrowAllowed(true));
        License metered = license(License.builder("cad").key("M").type(LicenseType.CONSUMPTION).maxConsumptions(9));
        Client c = client("client001");
        ClientLicense fs = clientLicense(1, 1, 33, "Windows File System", 1);
        at(0);
        activate(l, "hw-a");
        at(1);
        check(l, "hw-a");
        at(2);
        check(l, "hw-a");
        at(3);
        // a borrow that ends before the release: a borrowed seat is not released (seat_borrowed)
        ok(licensor.floating().borrow(device(l, "hw-a"), START.plus(Duration.ofMinutes(3)).plusSeconds(30)));
        at(4);
        ok(licensor.floating().release(device(l, "hw-a")));
        at(5);
        activate(l, "hw-b");
        check(l, "hw-b");
        at(6);
        ok(licensor.seats().forceRelease(l.id(), "hw-b"));
        at(7);
        check(l, "hw-b"); // lapses at minute 17
        at(30);
        assertThat(licensor.seats().purgeLapsed()).isEqualTo(1);
        at(31);
        ok(licensor.floating().deactivate(device(l, "hw-b")));
        at(32);
        activate(metered, "hw-c");
        at(33);
        ok(licensor.floating().addConsumption(device(metered, "hw-c"), 2, false));
        at(34);
        consume(c, fs, false);
        at(35);
        ok(licensor.clients().release(request(true, c, entry(fs))));
        at(36);
        ok(licensor.clients().reconfigure(request(true, c, entry(fs))));
        ok(licensor.seats().blacklist(l.product(), "hw-z"));
        ok(licensor.seats().unblacklist(l.product(), "hw-z"));
        at(37);
        ok(licensor.seats().setEnabled(l.id(), false));
        fails(tryCheck(l, "hw-a"), Code.LICENSE_NOT_ENABLED);
        return l;
    }

    @Test
    void recordsEveryEventAtTheTimeItHappened() {
        License l = everyEvent();
        List<LedgerEntry> all = ledger();
        // QUEUED needs a pool with a queue policy: SeatQueueContract checks it; the catalog changes
        // (LICENSE_CHANGED, SUSPENDED, RESUMED, LICENSE_DELETED): CatalogChangesContract; agents,
        // groups and policies: CatalogContract; product and client changes: ProductClientChangesContract
        assertThat(all).extracting(LedgerEntry::event).containsAll(EnumSet.complementOf(EnumSet.of(LedgerEvent.QUEUED,
                LedgerEvent.LICENSE_CHANGED, LedgerEvent.SUSPENDED, LedgerEvent.RESUMED, LedgerEvent.LICENSE_DELETED,
                LedgerEvent.AGENT_ADDED, LedgerEvent.GROUP_DEFINED, LedgerEvent.POLICY_SET, LedgerEvent.PRODUCT_CHANGED,
                LedgerEvent.PRODUCT_DELETED, LedgerEvent.CLIENT_CHANGED, LedgerEvent.CLIENT_DELETED)));
        assertThat(all).extracting(e -> e.event() + "@" + Duration.between(START, e.at()).toMinutes() + " " + e.subject())
                .containsExactly(
                        "PRODUCT_DEFINED@0 cad", "LICENSE_CREATED@0 ", "LICENSE_CREATED@0 ", "CLIENT_REGISTERED@0 client001",
                        "CLIENT_LICENSE_DEFINED@0 ",
                        "ACTIVATED@0 hw-a", "GRANTED@1 hw-a", "REFRESHED@2 hw-a",
                        "REFRESHED@3 hw-a", "BORROWED@3 hw-a", "RELEASED@4 hw-a",
                        "ACTIVATED@5 hw-b", "GRANTED@5 hw-b", "FORCE_RELEASED@6 hw-b", "GRANTED@7 hw-b",
                        "LAPSED@17 hw-b", "DEACTIVATED@31 hw-b", "ACTIVATED@32 hw-c", "CONSUMPTION_ADDED@33 hw-c",
                        "CONSUMED@34 client001", "CLIENT_RELEASED@35 client001", "RECONFIGURED@36 client001",
                        "BLACKLISTED@36 hw-z", "UNBLACKLISTED@36 hw-z", "SWITCHED@37 ", "DENIED@37 hw-a");
        assertThat(all).allSatisfy(e -> assertThat(e.seq()).isPositive());
        assertThat(all).extracting(LedgerEntry::seq).doesNotHaveDuplicates();
        LedgerEntry denied = all.get(all.size() - 1);
        assertThat(denied.code()).isEqualTo(Code.LICENSE_NOT_ENABLED);
        assertThat(denied.licenseId()).isEqualTo(l.id());
        assertThat(all.subList(0, all.size() - 1)).extracting(LedgerEntry::code).containsOnly(Code.OK);
        assertThat(all.stream().filter(e -> e.event() == LedgerEvent.CONSUMED).findFirst().orElseThrow().licenseId()).isZero();
    }

    @Test
    void readsByTimeRangeHalfOpenInTimeThenSequenceOrder() {
        everyEvent();
        assertThat(licensor.ledger().between(START.plus(Duration.ofMinutes(2)), START.plus(Duration.ofMinutes(5)), 100))
                .extracting(LedgerEntry::event)
                .containsExactly(LedgerEvent.REFRESHED, LedgerEvent.REFRESHED, LedgerEvent.BORROWED, LedgerEvent.RELEASED);
        assertThat(licensor.ledger().between(START.plus(Duration.ofMinutes(2)), START.plus(Duration.ofMinutes(5)), 2))
                .extracting(LedgerEntry::event).containsExactly(LedgerEvent.REFRESHED, LedgerEvent.REFRESHED);
        assertThat(licensor.ledger().between(START.plus(Duration.ofMinutes(17)), START.plus(Duration.ofMinutes(18)), 10))
                .extracting(LedgerEntry::event).containsExactly(LedgerEvent.LAPSED);
        assertThat(licensor.ledger().between(START.plus(Duration.ofMinutes(8)), START.plus(Duration.ofMinutes(17)), 10))
                .isEmpty();
        assertThat(licensor.ledger().between(START, START, 10)).isEmpty();
        List<LedgerEntry> all = ledger();
        for (int i = 1; i < all.size(); i++) {
            LedgerEntry a = all.get(i - 1);
            LedgerEntry b = all.get(i);
            assertThat(a.at().isBefore(b.at()) || (a.at().equals(b.at()) && a.seq() < b.seq()))
                    .as("%s before %s", a, b).isTrue();
        }
        assertThatThrownBy(() -> licensor.ledger().between(START, START.plusSeconds(1), 0))
                .isInstanceOf(LicensingException.class)
                .satisfies(e -> assertThat(((LicensingException) e).code()).isEqualTo(Code.INVALID_REQUEST));
    }

    @Test
    void whatADecisionRecordsIsTypedNotText() {
        License l = everyEvent();
        List<LedgerEntry> all = ledger();
        LedgerEntry borrowed = all.stream().filter(e -> e.event() == LedgerEvent.BORROWED).findFirst().orElseThrow();
        assertThat(borrowed.until()).isAfter(borrowed.at());
        assertThat(borrowed.detail()).isEmpty();
        LedgerEntry added = all.stream().filter(e -> e.event() == LedgerEvent.CONSUMPTION_ADDED).findFirst().orElseThrow();
        assertThat(added.count()).isEqualTo(2);
        assertThat(all).filteredOn(e -> e.event() == LedgerEvent.CONSUMED || e.event() == LedgerEvent.CLIENT_RELEASED
                || e.event() == LedgerEvent.RECONFIGURED).extracting(LedgerEntry::agentLevel).as("client-level, as consumed").containsExactly(false, false, false);
        assertThat(l.id()).isPositive();

        // every fact, with names that held separators in the old text, read back as written
        String user = "ann; user=root [x]";
        String host = "h%3B=1";
        LedgerEntry written = new LedgerEntry(0, START.plusNanos(5), LedgerEvent.GRANTED, l.id(), 0, "hw-x", Code.OK,
                "a message", "admin").withUntil(START.plusSeconds(60).plusNanos(7)).withCount(Long.MAX_VALUE)
                .withPosition(Integer.MAX_VALUE).withAgentLevel(true).withHolder(user, host);
        long seq = store.write(tx -> tx.apply(Change.appendLedger(written))[0]);
        assertThat(store.<List<LedgerEntry>>read(tx -> tx.list(Query.ledgerAfter(seq - 1, 1)))).containsExactly(written.withSeq(seq));
        LedgerEntry bare = new LedgerEntry(0, START, LedgerEvent.RELEASED, l.id(), 0, "hw-y", Code.OK, "");
        long bareSeq = store.write(tx -> tx.apply(Change.appendLedger(bare))[0]);
        assertThat(store.<List<LedgerEntry>>read(tx -> tx.list(Query.ledgerAfter(bareSeq - 1, 1))))
                .as("no facts: null, 0, false").containsExactly(bare.withSeq(bareSeq));
    }

    @Test
    void deniedEntriesCarryTheirCodeAndWhatWasDenied() {
        product("cad");
        License l = floating("cad", "K", 1);
        activate(l, "hw-a");
        activate(l, "hw-b");
        check(l, "hw-a");
        Client c = client("client001");
        ClientLicense one = clientLicense(1, 1, 33, "FS", 0);
        fails(tryCheck(l, "hw-b"), Code.FLOATING_NOT_AVAILABLE);
        clock.advance(Duration.ofSeconds(1));
        fails(tryConsume(c, one, false), Code.NOT_ENOUGH_LICENSES);
        fails(tryCheck(l, "hw-unknown"), Code.DEVICE_NOT_FOUND);
        fails(licensor.floating().check(DeviceRequest.byKey("cad", "K", "")), Code.MISSING_PARAMETERS);
        List<LedgerEntry> denied = ledger(LedgerEvent.DENIED);
        assertThat(denied).hasSize(2);
        assertThat(denied.get(0)).usingRecursiveComparison().ignoringFields("seq", "detail")
                .isEqualTo(new LedgerEntry(0, START, LedgerEvent.DENIED, l.id(), 0, "hw-b", Code.FLOATING_NOT_AVAILABLE, ""));
        assertThat(denied.get(1)).usingRecursiveComparison().ignoringFields("seq", "detail")
                .isEqualTo(new LedgerEntry(0, START.plusSeconds(1), LedgerEvent.DENIED, 0, one.id(), "client001",
                        Code.NOT_ENOUGH_LICENSES, ""));
    }

    @Test
    void prunesOldEntriesInBatches() {
        everyEvent();
        List<LedgerEntry> all = ledger();
        Instant before = START.plus(Duration.ofMinutes(5));
        List<LedgerEntry> kept = all.stream().filter(e -> !e.at().isBefore(before)).collect(Collectors.toList());
        // through an engine that counts its write units: 11 entries (5 definitions, 6 device
        // events) in batches of 2 take 6 units (and perhaps one more that finds nothing left)
        CountingStore counting = new CountingStore(store); // not closed here: the suite closes the store
        Licensor counted = engine(counting, clock).build();
        assertThat(counted.ledger().pruneBefore(before, 2)).isEqualTo(all.size() - kept.size()).isEqualTo(11);
        assertThat(counting.writes()).as("write units of the prune").isBetween(6L, 7L);
        assertThat(ledger()).isEqualTo(kept);
        assertThat(licensor.ledger().pruneBefore(before, 2)).isZero();
        // a batch size that divides the count exactly
        Instant later = START.plus(Duration.ofMinutes(32));
        long older = kept.stream().filter(e -> e.at().isBefore(later)).count();
        assertThat(older).isEqualTo(6);
        assertThat(licensor.ledger().pruneBefore(later, 3)).isEqualTo(older);
        assertThat(ledger()).isEqualTo(kept.subList((int) older, kept.size()));
        assertThat(licensor.ledger().pruneBefore(StateSnapshot.FAR, 1)).isEqualTo(kept.size() - older);
        assertThat(ledger()).isEmpty();
        assertThatThrownBy(() -> licensor.ledger().pruneBefore(before, 0)).isInstanceOf(LicensingException.class);
    }

    @Test
    void theFeedPagesThroughEveryEntryInSeqOrder() {
        everyEvent();
        List<LedgerEntry> all = new ArrayList<>(ledger());
        all.sort(Comparator.comparingLong(LedgerEntry::seq));
        List<LedgerEntry> read = new ArrayList<>();
        long cursor = 0;
        for (List<LedgerEntry> page = licensor.ledger().after(cursor, 5); !page.isEmpty();
                page = licensor.ledger().after(cursor, 5)) {
            assertThat(page.size()).isLessThanOrEqualTo(5);
            read.addAll(page);
            cursor = page.get(page.size() - 1).seq();
        }
        assertThat(read).isEqualTo(all);
        assertThat(licensor.ledger().after(cursor, 5)).isEmpty();
        // Pruning everything must not rewind the seq: a reader at the old cursor sees the next entry.
        licensor.ledger().pruneBefore(StateSnapshot.FAR, 100);
        assertThat(licensor.ledger().after(0, 5)).isEmpty();
        product("cad2");
        License next = floating("cad2", "K2", 1);
        activate(next, "hw-z");
        long last = cursor;
        List<LedgerEntry> next3 = licensor.ledger().after(last, 5);
        assertThat(next3).extracting(LedgerEntry::event).containsExactly(LedgerEvent.PRODUCT_DEFINED,
                LedgerEvent.LICENSE_CREATED, LedgerEvent.ACTIVATED);
        assertThat(next3).allSatisfy(e -> assertThat(e.seq()).isGreaterThan(last));
        assertThat(next3.get(2).subject()).isEqualTo("hw-z");
    }

    @Test
    void aTailingReaderReadsEveryEntryOnceInOrderWhileThreadsWrite() throws Exception {
        product("cad");
        License l = license(License.builder("cad").key("K").maxActivations(10_000).floatingSeats(3));
        int threads = 4;
        int devicesEach = 40;
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<LedgerEntry> read = new ArrayList<>();
        Thread tail = new Thread(() -> {
            try {
                long cursor = 0;
                while (true) {
                    boolean last = done.get(); // read before the page: a page after done sees all
                    List<LedgerEntry> page = licensor.ledger().after(cursor, 7);
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
        }, "feed-tail");
        tail.start();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "w" + t;
            Thread writer = new Thread(() -> {
                for (int d = 0; d < devicesEach; d++) {
                    activate(l, name + "-" + d);
                    tryCheck(l, name + "-" + d);
                }
            }, "writer-" + name);
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
        done.set(true);
        tail.join();

        assertThat(failure.get()).isNull();
        // the product and license, then one activation and one grant or denial per device
        assertThat(ledger()).hasSize(2 + threads * devicesEach * 2);
        assertThat(read).extracting(LedgerEntry::seq).isSorted().doesNotHaveDuplicates();
        assertThat(read).containsExactlyInAnyOrderElementsOf(ledger());
    }
}
