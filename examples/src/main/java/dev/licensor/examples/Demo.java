package dev.licensor.examples;

import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.clients.UsageSummary;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.memory.MemoryLicenseStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A realistic scenario, end to end, on the in-memory store and a clock the demo moves by hand:
 * clients consume and release agent licenses (the MediaAgent-first rule included), five
 * devices race for a three-seat floating pool, a lease lapses, a seat is borrowed, and the
 * ledger tells the story. Run with {@code java -jar examples/target/licensor-examples.jar demo}.
 *
 * <p>Not thread-safe; a program, not a library type.
 */
public final class Demo {
    private final PrintStream out;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T09:00:00Z"));
    private final Licensor licensor;

    /** A demo printing to {@code out}. */
    public Demo(PrintStream out) {
        this.out = out;
        this.licensor = Licensor.builder().store(new MemoryLicenseStore()).clock(new HandClock(now)).build();
    }

    /** Runs the scenario on standard output. */
    public static void main(String[] args) throws InterruptedException {
        new Demo(System.out).run();
    }

    /** A clock that shows whatever instant the demo set; time never moves by itself. */
    private static final class HandClock extends Clock {
        private final AtomicReference<Instant> now;

        HandClock(AtomicReference<Instant> now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the demo clock is UTC only");
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    private void advance(Duration d) {
        Instant t = now.updateAndGet(i -> i.plus(d));
        out.printf("%n--- clock moves %s, now %s%n", d, t);
    }

    private static String show(Outcome<?> o) {
        return o.isSuccess() ? "ok" : "DENIED " + o.code().key() + " (" + o.message() + ")";
    }

    /** Runs the whole scenario. */
    public void run() throws InterruptedException {
        out.println("== Licensor demo ==");
        defineCatalog();
        clientLicenses();
        floatingPool();
        printLedger();
    }

    private void defineCatalog() {
        var catalog = licensor.catalog();
        catalog.defineProduct(new Product("cad-pro", "CAD Pro", Duration.ofMinutes(15), Duration.ofHours(72))).orElseThrow();
        License team = catalog.createLicense(License.builder("cad-pro").key("CAD-TEAM-0001")
                .maxActivations(10).floatingSeats(3).borrowAllowed(true).build()).orElseThrow();
        out.printf("license %d: key %s, %d floating seats, timeout 15m, borrow up to 72h%n",
                team.id(), team.key(), team.floatingSeats());

        catalog.defineClientLicense(ClientLicense.draft(1, 1, 33, "Server File System - Windows File System", 2, 0, null)).orElseThrow();
        catalog.defineClientLicense(ClientLicense.draft(1, 1, 29, "Server File System - Linux File System", 1, 1,
                now.get().plus(Duration.ofDays(30)))).orElseThrow();
        catalog.defineClientLicense(ClientLicense.draft(2, 11, 1002, "MediaAgent", 2, 0, null)).orElseThrow();
        for (String[] c : new String[][] {{"client001", "33", "1002"}, {"client002", "29"}, {"client003", "33"}}) {
            catalog.registerClient(c[0], 1, c[0] + ".example.com").orElseThrow();
            for (int i = 1; i < c.length; i++) {
                catalog.addAgent(ClientRef.name(c[0]), Integer.parseInt(c[i]), "").orElseThrow();
            }
        }
        out.println("clients client001 (agents 33, 1002), client002 (agent 29), client003 (agent 33)");
    }

    private void clientLicenses() {
        var clients = licensor.clients();
        out.println("\n== Client and agent licenses ==");
        out.println("client001 consumes Windows FS for its agent: "
                + show(clients.consume(new ConsumeRequest(ClientRef.name("client001"), 1, 1, 33, true))));
        out.println("client001 consumes MediaAgent for its agent: "
                + show(clients.consume(new ConsumeRequest(ClientRef.name("client001"), 2, 11, 1002, true))));
        out.println("client003 consumes Windows FS at client level: "
                + show(clients.consume(new ConsumeRequest(ClientRef.name("client003"), 1, 1, 33, false))));
        out.println("client002 consumes Linux FS (1 permanent + 1 evaluation): "
                + show(clients.consume(new ConsumeRequest(ClientRef.name("client002"), 1, 1, 29, true))));
        out.println("client002 holds: " + clients.consumed(ClientRef.name("client002")).orElseThrow());
        out.println("client002 wants a third Windows FS at client level (2 purchased): "
                + show(clients.consume(new ConsumeRequest(ClientRef.name("client002"), 1, 1, 33, false))));
        out.println("client002 wants one for an agent 33 it does not have: "
                + show(clients.consume(new ConsumeRequest(ClientRef.name("client002"), 1, 1, 33, true))));

        ClientLicensesRequest fsOnly = new ClientLicensesRequest(true, ClientRef.name("client001"),
                List.of(new LicenseSelector(1, 0, 33, "Server File System - Windows File System")));
        out.println("release client001's Windows FS while it keeps its MediaAgent license: "
                + show(clients.release(fsOnly)));
        ClientLicensesRequest everything = new ClientLicensesRequest(true, ClientRef.name("client001"),
                List.of(LicenseSelector.everyLicense(1), LicenseSelector.everyLicense(2)));
        out.println("release everything on client001 (wildcard entries, MediaAgent first): "
                + show(clients.release(everything)));
        out.println("client001 holds: " + clients.consumed(ClientRef.name("client001")).orElseThrow());
        out.println("reconfigure client001 (consume again what was released): "
                + show(clients.reconfigure(everything)));
        for (UsageSummary u : clients.usage()) {
            out.printf("  %-42s purchased %d+%d eval, used %d, available %d, by client %s%n",
                    u.licenseName(), u.permanent(), u.evaluation(), u.used(), u.available(), u.byClient());
        }
    }

    private void floatingPool() throws InterruptedException {
        var floating = licensor.floating();
        out.println("\n== Floating pool: 5 devices, 3 seats ==");
        List<DeviceRequest> devices = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            DeviceRequest device = DeviceRequest.byKey("cad-pro", "CAD-TEAM-0001", "workstation-" + i);
            floating.activate(device).orElseThrow();
            devices.add(device);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> racers = new ArrayList<>();
        List<String> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (DeviceRequest device : devices) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                results.add(device.hardwareId() + ": " + show(floating.check(device)));
            });
            t.start();
            racers.add(t);
        }
        start.countDown();
        for (Thread t : racers) {
            t.join();
        }
        results.stream().sorted().forEach(r -> out.println("  " + r));
        printHolders();

        advance(Duration.ofMinutes(10));
        List<Lease> holders = licensor.seats().holders(1).orElseThrow();
        DeviceRequest keeper = devices.stream().filter(d -> d.hardwareId().equals(holders.get(0).hardwareId()))
                .findFirst().orElseThrow();
        out.println(keeper.hardwareId() + " refreshes its seat: " + show(floating.check(keeper)));
        advance(Duration.ofMinutes(10));
        out.println("the other two seats were not refreshed within 15m and lapsed by themselves");
        printHolders();
        DeviceRequest waiting = devices.stream().filter(d -> holders.stream()
                .noneMatch(h -> h.hardwareId().equals(d.hardwareId()))).findFirst().orElseThrow();
        Outcome<LicenseCheck> got = floating.check(waiting);
        out.println(waiting.hardwareId() + " checks out a freed seat: " + show(got));

        out.println(keeper.hardwareId() + " borrows for 100h (cap is 72h): "
                + show(floating.borrow(keeper, now.get().plus(Duration.ofHours(100)))));
        Outcome<Lease> borrowed = floating.borrow(keeper, now.get().plus(Duration.ofHours(48)));
        out.println(keeper.hardwareId() + " borrows for 48h: " + show(borrowed)
                + (borrowed.isSuccess() ? ", until " + borrowed.orElseThrow().borrowedUntil() : ""));
        advance(Duration.ofHours(24));
        out.println("a day later, the borrowed seat still counts; unborrowed ones lapsed");
        printHolders();
        // its signed lease is valid offline until the borrow ends, so a plain release cannot free
        // the seat (only a return with that lease can: FloatingLicenses.returnBorrow)
        out.println(keeper.hardwareId() + " comes back early and releases without returning its lease: "
                + show(floating.release(keeper)));
        out.println("administrator purges lapsed leases: " + licensor.seats().purgeLapsed() + " removed");
        printHolders();
    }

    private void printHolders() {
        List<Lease> holders = licensor.seats().holders(1).orElseThrow();
        out.println("  seats held (" + holders.size() + "/3):");
        for (Lease l : holders) {
            out.printf("    %-14s until %s%s%n", l.hardwareId(), l.expiresAt(),
                    l.borrowedUntil() != null ? " (borrowed)" : "");
        }
    }

    /** The typed facts an entry records, for the reader: borrow end, uses, queue position, level. */
    private static String facts(LedgerEntry e) {
        StringBuilder out = new StringBuilder();
        if (e.until() != null) {
            out.append(" until ").append(e.until());
        }
        if (e.count() != 0) {
            out.append(" +").append(e.count());
        }
        if (e.position() != 0) {
            out.append(" position ").append(e.position());
        }
        if (e.agentLevel()) {
            out.append(" agent-level");
        }
        return out.toString();
    }

    private void printLedger() {
        out.println("\n== Ledger ==");
        for (LedgerEntry e : licensor.ledger().between(Instant.EPOCH, now.get().plusSeconds(1), 1000)) {
            String what = e.licenseId() != 0 ? "license " + e.licenseId() : "client license " + e.clientLicenseId();
            out.printf("  %s %-17s %-18s %-14s %s%s%s%n", e.at(), e.event(), what, e.subject(),
                    e.code().key().equals("ok") ? "" : e.code().key() + " ", e.detail(), facts(e));
        }
    }
}
