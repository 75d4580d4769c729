package dev.licensor.store.sqlite;

import dev.licensor.Licensor;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.store.LicenseStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Shared set-up of the SQLite store's own tests: a product with a floating license and a client license. */
final class Fixtures {
    static final String PRODUCT = "cad";
    static final String KEY = "KEY-1";

    private Fixtures() {
    }

    static Licensor licensor(LicenseStore store) {
        return Licensor.builder().store(store).build();
    }

    static Licensor licensor(LicenseStore store, Clock clock) {
        return Licensor.builder().store(store).clock(clock).build();
    }

    /** Defines the product, a floating license with {@code seats} seats and a client license of {@code clientSeats}. */
    static long define(Licensor licensor, int seats, int clientSeats) {
        licensor.catalog().defineProduct(new Product(PRODUCT, "CAD Pro", Duration.ofHours(1), Duration.ofDays(7)))
                .orElseThrow();
        License license = licensor.catalog().createLicense(License.builder(PRODUCT).key(KEY)
                .maxActivations(1_000_000).floatingSeats(seats).borrowAllowed(true).build()).orElseThrow();
        licensor.catalog().defineClientLicense(ClientLicense.draft(ClientLicense.PLATFORM_CLIENT, 1, 33,
                "Server File System - Windows File System", clientSeats, 0, null)).orElseThrow();
        return license.id();
    }

    /**
     * Opens the store at {@code file}, {@link #define defines} the fixture in it and closes it again,
     * for tests whose work then runs in other stores or processes; returns the floating license's id.
     */
    static long defineIn(Path file, int seats, int clientSeats) {
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            return define(licensor(store), seats, clientSeats);
        }
    }
}
