package dev.licensor.sample;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.event.LicensorEvent;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.FloatingLicenses;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.micrometer.LicensorMetrics;
import dev.licensor.store.sqlite.SqliteLicenseStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Embeds Licensor as a named module would: a SQLite store, a listener, Micrometer metrics. Four
 * threads race for two seats while a reader tails the ledger feed; then it prints what it saw, one
 * {@code key value} line each, for {@code ModulePathTest} to check.
 *
 * <p>Argument: the database file. Not thread-safe (a program).
 */
public final class Main {
    private static final int WRITERS = 4;
    private static final int DEVICES_EACH = 5;
    private static final int SEATS = 2;

    private Main() {
    }

    /** Runs the sample against the database file {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        List<LicensorEvent> events = new CopyOnWriteArrayList<>();
        LicensorMetrics metrics = LicensorMetrics.builder().poolTags(1).readingMaxAge(Duration.ZERO).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SqliteLicenseStore store = SqliteLicenseStore.open(Path.of(args[0]))) {
            Licensor licensor = Licensor.builder().store(store).listener(events::add).listener(metrics).build();
            metrics.attach(licensor).bindTo(registry);
            FloatingLicenses floating = metrics.timed(FloatingLicenses.class, licensor.floating());
            licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofHours(1), Duration.ofDays(1)))
                    .orElseThrow();
            licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(100)
                    .floatingSeats(SEATS).build()).orElseThrow();

            AtomicBoolean done = new AtomicBoolean();
            List<LedgerEntry> feed = new ArrayList<>();
            Thread tail = new Thread(() -> {
                long cursor = 0;
                while (true) {
                    boolean last = done.get();
                    List<LedgerEntry> page = licensor.ledger().after(cursor, 3);
                    feed.addAll(page);
                    if (!page.isEmpty()) {
                        cursor = page.get(page.size() - 1).seq();
                    } else if (last) {
                        return;
                    }
                }
            });
            tail.start();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String name = "w" + w;
                Thread writer = new Thread(() -> {
                    for (int d = 0; d < DEVICES_EACH; d++) {
                        DeviceRequest device = DeviceRequest.byKey("cad", "K", name + "-" + d);
                        floating.activate(device).orElseThrow();
                        // most are refused (two seats): the events, the feed and the meters count both kinds
                        var unused = floating.check(device);
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

            List<Long> seqs = feed.stream().map(LedgerEntry::seq).toList();
            boolean inOrder = true;
            for (int i = 1; i < seqs.size(); i++) {
                inOrder &= seqs.get(i) > seqs.get(i - 1);
            }
            List<Long> eventSeqs = events.stream().map(LicensorEvent::seq).toList();
            print("core.module", Licensor.class.getModule().getName());
            print("sample.module", Main.class.getModule().getName());
            Module core = Licensor.class.getModule();
            print("internal.exported", core.getPackages().stream()
                    .anyMatch(pkg -> pkg.endsWith(".internal") && core.isExported(pkg)));
            // the engine's classes are package-private behind the views (docs/api.md)
            print("impl.public", Modifier.isPublic(licensor.floating().getClass().getModifiers()));
            print("events", events.size());
            print("events.granted", events.stream().filter(LicensorEvent.SeatGranted.class::isInstance).count());
            print("events.match.feed", eventSeqs.equals(seqs));
            print("feed", feed.size());
            print("feed.in.order", inOrder);
            print("meter.grants", registry.get("licensor.grants").tag("kind", "seat").functionCounter().count());
            print("meter.seats.in.use", registry.get("licensor.seats.in.use").tagKeys().gauges().stream()
                    .filter(g -> g.getId().getTag("pool") == null).findFirst().orElseThrow().value());
            print("meter.checks", registry.get("licensor.operation").tag("operation", "floating.check").timers()
                    .stream().mapToLong(t -> t.count()).sum());
        }
    }

    private static void print(String key, Object value) {
        System.out.println(key + " " + value);
    }
}
