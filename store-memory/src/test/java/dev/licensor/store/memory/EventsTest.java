package dev.licensor.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.event.LicensorEvent;
import dev.licensor.event.LicensorEvent.ClientLicenseConsumed;
import dev.licensor.event.LicensorEvent.ClientLicenseReleased;
import dev.licensor.event.LicensorEvent.ConsumptionAdded;
import dev.licensor.event.LicensorEvent.Denied;
import dev.licensor.event.LicensorEvent.DeviceActivated;
import dev.licensor.event.LicensorEvent.DeviceDeactivated;
import dev.licensor.event.LicensorEvent.SeatBorrowed;
import dev.licensor.event.LicensorEvent.SeatForceReleased;
import dev.licensor.event.LicensorEvent.SeatGranted;
import dev.licensor.event.LicensorEvent.SeatLapsed;
import dev.licensor.event.LicensorEvent.SeatRefreshed;
import dev.licensor.event.LicensorEvent.SeatReleased;
import dev.licensor.event.LicensorListener;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.outcome.Code;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.StoreWork;
import dev.licensor.storetests.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Change events on the memory store: what is delivered, when, in which order, and what is not. */
class EventsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final List<LicensorEvent> seen = new CopyOnWriteArrayList<>();

    private Licensor engine(LicenseStore store, LicensorListener... listeners) {
        Licensor.Builder builder = Licensor.builder().store(store).clock(clock)
                .signer(dev.licensor.token.TokenSigner.generate("events")); // a borrow is returned with its token
        for (LicensorListener l : listeners) {
            builder.listener(l);
        }
        Licensor licensor = builder.build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofHours(24)));
        return licensor;
    }

    private static long pool(Licensor licensor, String key, int seats, int devices) {
        return licensor.catalog().createLicense(License.builder("cad").key(key).maxActivations(devices)
                .floatingSeats(seats).borrowAllowed(true).build()).orElseThrow().id();
    }

    private static List<LicensorEvent> ledger(Licensor licensor) {
        List<LicensorEvent> events = new ArrayList<>();
        for (LedgerEntry e : licensor.ledger().after(0, 100_000)) {
            events.add(LicensorEvent.of(e));
        }
        return events;
    }

    @Test
    void everySeatChangeIsOneTypedEventWithItsLedgerSeq() {
        Licensor licensor = engine(new MemoryLicenseStore(), seen::add);
        long id = pool(licensor, "K", 1, 3);
        DeviceRequest a = DeviceRequest.byKey("cad", "K", "hw-a");
        DeviceRequest b = DeviceRequest.byKey("cad", "K", "hw-b");
        licensor.floating().activate(a);
        licensor.floating().activate(b);
        licensor.floating().check(a);
        licensor.floating().check(a);
        Instant until = T0.plus(Duration.ofHours(2));
        String borrowed = licensor.floating().borrow(a, until).token();
        assertThat(licensor.floating().returnBorrow(a, borrowed).isSuccess()).isTrue();
        assertThat(licensor.floating().check(b).isSuccess()).isTrue();
        assertThat(licensor.floating().check(a).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        licensor.seats().forceRelease(id, "hw-b");
        licensor.floating().check(a);
        clock.advance(Duration.ofMinutes(11));
        licensor.floating().check(b); // a lapsed at T0+10m, b takes the seat
        licensor.floating().deactivate(b);

        Instant lapse = T0.plus(Duration.ofMinutes(10));
        Instant later = T0.plus(Duration.ofMinutes(11));
        assertThat(seen).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "AdminChanged", "AdminChanged", // the product and the license
                "DeviceActivated", "DeviceActivated", "SeatGranted", "SeatRefreshed", "SeatRefreshed",
                "SeatBorrowed", "SeatReleased", "SeatGranted", "Denied", "SeatForceReleased", "SeatGranted",
                "SeatLapsed", "SeatGranted", "SeatReleased", "DeviceDeactivated");
        assertThat(seen.get(2)).isEqualTo(new DeviceActivated(seen.get(2).seq(), T0, id, "hw-a"));
        assertThat(seen.get(7)).isEqualTo(new SeatBorrowed(seen.get(7).seq(), T0, id, "hw-a", until));
        assertThat(seen.get(10)).isInstanceOfSatisfying(Denied.class, d -> {
            assertThat(d.code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
            assertThat(d.licenseId()).isEqualTo(id);
            assertThat(d.subject()).isEqualTo("hw-a");
        });
        assertThat(seen.get(11)).isEqualTo(new SeatForceReleased(seen.get(11).seq(), T0, id, "hw-b"));
        assertThat(seen.get(13)).isEqualTo(new SeatLapsed(seen.get(13).seq(), lapse, id, "hw-a"));
        assertThat(seen.get(14)).isEqualTo(new SeatGranted(seen.get(14).seq(), later, id, "hw-b"));
        assertThat(seen.get(15)).isEqualTo(new SeatReleased(seen.get(15).seq(), later, id, "hw-b"));
        assertThat(seen.get(16)).isEqualTo(new DeviceDeactivated(seen.get(16).seq(), later, id, "hw-b"));
        // The events are the ledger, entry for entry, seq for seq.
        assertThat(seen).containsExactlyElementsOf(ledger(licensor));
        assertThat(seen.get(5)).isInstanceOf(SeatRefreshed.class);
    }

    @Test
    void adminChangesAreAdminChangedEvents() {
        Licensor licensor = engine(new MemoryLicenseStore(), seen::add);
        long id = pool(licensor, "K", 1, 3);
        assertThat(licensor.seats().blacklist("cad", "hw-x").isSuccess()).isTrue();
        assertThat(licensor.seats().unblacklist("cad", "hw-x").isSuccess()).isTrue();
        assertThat(licensor.seats().setEnabled(id, false).isSuccess()).isTrue();
        assertThat(seen).allSatisfy(e -> assertThat(e).isInstanceOf(LicensorEvent.AdminChanged.class));
        assertThat(seen).extracting(e -> ((LicensorEvent.AdminChanged) e).event()).containsExactly(
                dev.licensor.ledger.LedgerEvent.PRODUCT_DEFINED, dev.licensor.ledger.LedgerEvent.LICENSE_CREATED,
                dev.licensor.ledger.LedgerEvent.BLACKLISTED, dev.licensor.ledger.LedgerEvent.UNBLACKLISTED,
                dev.licensor.ledger.LedgerEvent.SWITCHED);
        assertThat(((LicensorEvent.AdminChanged) seen.get(0)).subject()).isEqualTo("cad");
        assertThat(((LicensorEvent.AdminChanged) seen.get(1)).licenseId()).isEqualTo(id);
        assertThat(((LicensorEvent.AdminChanged) seen.get(2)).subject()).isEqualTo("hw-x");
        assertThat(((LicensorEvent.AdminChanged) seen.get(4)).licenseId()).isEqualTo(id);
        assertThat(seen).containsExactlyElementsOf(ledger(licensor));
    }

    @Test
    void consumptionAndClientLicensesHaveTheirEvents() {
        Licensor licensor = engine(new MemoryLicenseStore(), seen::add);
        long meter = licensor.catalog().createLicense(License.builder("cad").key("M").maxActivations(1)
                .type(dev.licensor.catalog.LicenseType.CONSUMPTION).maxConsumptions(10).build()).orElseThrow().id();
        DeviceRequest m = DeviceRequest.byKey("cad", "M", "hw-m");
        licensor.floating().activate(m);
        licensor.floating().addConsumption(m, 3, false);
        long cl = licensor.catalog().defineClientLicense(ClientLicense.draft(1, 7, 0, "Server", 1, 0, null))
                .orElseThrow().id();
        licensor.catalog().registerClient("alpha", 1, "alpha.example");
        licensor.catalog().registerClient("beta", 1, "beta.example");
        licensor.clients().consume(new ConsumeRequest(ClientRef.name("alpha"), 1, 7, 0, false));
        assertThat(licensor.clients().consume(new ConsumeRequest(ClientRef.name("beta"), 1, 7, 0, false)).code())
                .isEqualTo(Code.NOT_ENOUGH_LICENSES);
        licensor.clients().release(new ClientLicensesRequest(true, ClientRef.name("alpha"),
                List.of(LicenseSelector.everyLicense(1))));

        assertThat(seen).filteredOn(LicensorEvent.AdminChanged.class::isInstance)
                .extracting(e -> ((LicensorEvent.AdminChanged) e).event() + " " + ((LicensorEvent.AdminChanged) e).subject())
                .containsExactly("PRODUCT_DEFINED cad", "LICENSE_CREATED ", "CLIENT_LICENSE_DEFINED ",
                        "CLIENT_REGISTERED alpha", "CLIENT_REGISTERED beta");
        List<LicensorEvent> devices = seen.stream().filter(e -> !(e instanceof LicensorEvent.AdminChanged)).toList();
        List<LicensorEvent> tail = devices.subList(1, devices.size());
        assertThat(tail).hasSize(4);
        assertThat(tail.get(0)).isEqualTo(new ConsumptionAdded(tail.get(0).seq(), T0, meter, "hw-m", 3));
        assertThat(tail.get(1)).isEqualTo(new ClientLicenseConsumed(tail.get(1).seq(), T0, cl, "alpha", false));
        assertThat(tail.get(2)).isInstanceOfSatisfying(Denied.class, d -> {
            assertThat(d.code()).isEqualTo(Code.NOT_ENOUGH_LICENSES);
            assertThat(d.clientLicenseId()).isEqualTo(cl);
            assertThat(d.subject()).isEqualTo("beta");
        });
        assertThat(tail.get(3)).isEqualTo(new ClientLicenseReleased(tail.get(3).seq(), T0, cl, "alpha", false));
        assertThat(seen).containsExactlyElementsOf(ledger(licensor));
    }

    @Test
    void aRefusedOrRolledBackUnitPublishesNothing() {
        Licensor licensor = engine(new MemoryLicenseStore(), seen::add);
        licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(1).floatingSeats(1).build());
        // Bad input, an unknown license, a device not activated: no ledger entry, no event.
        assertThat(licensor.floating().check(DeviceRequest.byKey("cad", "", "hw")).isSuccess()).isFalse();
        assertThat(licensor.floating().check(DeviceRequest.byKey("cad", "nope", "hw")).isSuccess()).isFalse();
        assertThat(licensor.floating().check(DeviceRequest.byKey("cad", "K", "hw")).code())
                .isEqualTo(Code.DEVICE_NOT_FOUND);
        // A licensing refusal: its unit rolls back, and only the denial (recorded in a unit of its
        // own) is published. (A unit rolled back after writing: aReRunUnitPublishesOnlyItsLastRun.)
        licensor.floating().activate(DeviceRequest.byKey("cad", "K", "hw"));
        seen.clear();
        assertThat(licensor.floating().borrow(DeviceRequest.byKey("cad", "K", "hw"), T0.minusSeconds(1)).code())
                .isEqualTo(Code.LICENSE_BORROW_NOT_ALLOWED);
        assertThat(seen).singleElement().isInstanceOf(Denied.class);
        assertThat(licensor.seats().holders(1).orElseThrow()).isEmpty();
    }

    /** A store that runs every unit twice, rolling the first run back, as a store may after a conflict. */
    private static final class RerunningStore implements LicenseStore {
        private final MemoryLicenseStore inner = new MemoryLicenseStore();
        final AtomicInteger reruns = new AtomicInteger();

        private static final class Conflict extends RuntimeException {
            private static final long serialVersionUID = 1L;
        }

        @Override
        public <T> T write(StoreWork<T> work) {
            try {
                inner.write(tx -> {
                    work.run(tx);
                    throw new Conflict();
                });
            } catch (Conflict lost) {
                reruns.incrementAndGet();
            }
            return inner.write(work);
        }

        @Override
        public <T> T read(StoreWork<T> work) {
            return inner.read(work);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void aReRunUnitPublishesOnlyItsLastRun() {
        RerunningStore store = new RerunningStore();
        Licensor licensor = engine(store, seen::add);
        pool(licensor, "K", 1, 1);
        licensor.floating().activate(DeviceRequest.byKey("cad", "K", "hw"));
        clock.advance(Duration.ofSeconds(1));
        licensor.floating().check(DeviceRequest.byKey("cad", "K", "hw"));

        assertThat(store.reruns.get()).isGreaterThanOrEqualTo(4);
        assertThat(seen).hasSize(4); // the product, the license, the activation, the grant
        assertThat(seen).containsExactlyElementsOf(ledger(licensor));
    }

    @Test
    void aThrowingListenerAffectsNeitherTheCallNorOtherListeners() {
        AtomicInteger thrown = new AtomicInteger();
        LicensorListener broken = e -> {
            thrown.incrementAndGet();
            throw new IllegalStateException("listener bug (expected by the test)");
        };
        Licensor licensor = engine(new MemoryLicenseStore(), broken, seen::add);
        pool(licensor, "K", 1, 1);
        assertThat(licensor.floating().activate(DeviceRequest.byKey("cad", "K", "hw")).isSuccess()).isTrue();
        assertThat(licensor.floating().check(DeviceRequest.byKey("cad", "K", "hw")).isSuccess()).isTrue();

        assertThat(thrown.get()).isEqualTo(4);
        assertThat(seen).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("AdminChanged", "AdminChanged", "DeviceActivated", "SeatGranted");
    }

    @Test
    void aListenerMayCallTheEngine() {
        List<LicensorEvent> inner = new ArrayList<>();
        Licensor[] self = new Licensor[1];
        LicensorListener releaseOnGrant = e -> {
            inner.add(e);
            if (e instanceof SeatGranted g) {
                self[0].seats().forceRelease(g.licenseId(), g.hardwareId());
            }
        };
        self[0] = engine(new MemoryLicenseStore(), releaseOnGrant);
        pool(self[0], "K", 1, 1);
        self[0].floating().activate(DeviceRequest.byKey("cad", "K", "hw"));
        self[0].floating().check(DeviceRequest.byKey("cad", "K", "hw"));

        assertThat(inner).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("AdminChanged", "AdminChanged", "DeviceActivated", "SeatGranted", "SeatForceReleased");
    }

    @Test
    void threadsRacingForSeatsSeeEveryEventOnceInCommitOrder() throws Exception {
        Licensor licensor = engine(new MemoryLicenseStore(), seen::add);
        int seats = 5;
        int threads = 8;
        int devicesEach = 10;
        pool(licensor, "K", seats, threads * devicesEach);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        AtomicInteger granted = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            int n = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int d = 0; d < devicesEach; d++) {
                    DeviceRequest r = DeviceRequest.byKey("cad", "K", "hw-" + n + "-" + d);
                    licensor.floating().activate(r);
                    if (licensor.floating().check(r).isSuccess()) {
                        granted.incrementAndGet();
                    }
                }
            });
            thread.start();
            running.add(thread);
        }
        start.countDown();
        for (Thread thread : running) {
            thread.join();
        }

        assertThat(granted.get()).isEqualTo(seats);
        assertThat(seen.stream().filter(SeatGranted.class::isInstance)).hasSize(seats);
        assertThat(seen.stream().filter(Denied.class::isInstance)).hasSize(threads * devicesEach - seats);
        List<Long> seqs = seen.stream().map(LicensorEvent::seq).toList();
        List<Long> sorted = new ArrayList<>(seqs);
        Collections.sort(sorted);
        assertThat(seqs).isEqualTo(sorted).doesNotHaveDuplicates();
        assertThat(seen).containsExactlyElementsOf(ledger(licensor));
    }
}
