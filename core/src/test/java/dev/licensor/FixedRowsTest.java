package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Code;
import dev.licensor.store.Key;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.Query;
import dev.licensor.store.StoreTransaction;
import dev.licensor.store.StoreWork;
import dev.licensor.store.reference.ReferenceStore;
import dev.licensor.storetests.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine reads a product and which license a key or username names once, then remembers them
 * ({@link FixedRows}); it never remembers an absence, and a full {@link FixedRows} only stops
 * remembering. Counted on the reference store through a proxy of every unit's transaction.
 */
class FixedRowsTest {
    private final SpiCounting store = new SpiCounting(new ReferenceStore());
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private Licensor licensor;
    private DeviceRequest byKey;
    private DeviceRequest byUser;

    @BeforeEach
    void setUp() {
        licensor = Licensor.builder().store(store).clock(clock).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofDays(1))).orElseThrow();
        licensor.catalog().createLicense(License.builder("cad").key("K-1").maxActivations(5).floatingSeats(2).build())
                .orElseThrow();
        licensor.catalog().createLicense(License.builder("cad").username("ann").maxActivations(5).floatingSeats(1).build())
                .orElseThrow();
        byKey = DeviceRequest.byKey("cad", "K-1", "hw-1");
        byUser = DeviceRequest.byUser("cad", "ann", "hw-2");
        licensor.floating().activate(byKey).orElseThrow();
        licensor.floating().activate(byUser).orElseThrow();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aProductAndTheLicenseAKeyOrUserNamesAreReadOncePerEngine() {
        store.calls.clear();
        for (int i = 0; i < 3; i++) {
            licensor.floating().check(byKey).orElseThrow();
            licensor.floating().release(byKey).orElseThrow();
            licensor.floating().check(byUser).orElseThrow();
            licensor.floating().release(byUser).orElseThrow();
        }
        assertThat(store.count("ProductByCode")).as("product reads after the first calls").isZero();
        assertThat(store.count("LicenseByKey") + store.count("LicenseByUser")).isZero();
        assertThat(store.count("loadPool")).as("the license row itself, with the pool's state, under the pool's lock,"
                + " every unit: one load each").isEqualTo(12);
        assertThat(store.count("apply")).as("and one apply of each decision's changes").isEqualTo(12);
    }

    @Test
    void anAbsenceIsNotRememberedSoWhatIsDefinedLaterIsFoundAtOnce() {
        DeviceRequest later = DeviceRequest.byKey("cam", "K-2", "hw-3");
        assertThat(licensor.floating().activate(later).code()).isEqualTo(Code.UNKNOWN_PRODUCT);
        licensor.catalog().defineProduct(new Product("cam", "CAM", Duration.ofMinutes(10), Duration.ofDays(1))).orElseThrow();
        assertThat(licensor.floating().activate(later).code()).isEqualTo(Code.LICENSE_NOT_FOUND);
        License created = licensor.catalog().createLicense(License.builder("cam").key("K-2").maxActivations(1)
                .floatingSeats(1).build()).orElseThrow();
        assertThat(licensor.floating().activate(later).isSuccess()).isTrue();
        // a license id that does not match the key's license is still refused
        DeviceRequest wrongId = new DeviceRequest("cam", "K-2", null, created.id() + 1, "hw-3", null);
        assertThat(licensor.floating().check(wrongId).code()).isEqualTo(Code.LICENSE_NOT_FOUND);
        assertThat(licensor.floating().check(new DeviceRequest("cam", "K-2", null, created.id(), "hw-3", null))
                .isSuccess()).isTrue();
    }

    /**
     * This engine's product change is seen at once; another engine's on the same store once the
     * remembered row is {@link FixedRows#PRODUCT_TTL} old (then read again, once).
     */
    @Test
    void aProductChangeIsSeenAtOnceHereAndWithinTheTtlByAnotherEngine() {
        Licensor other = Licensor.builder().store(store).clock(clock).build();
        licensor.floating().check(byKey).orElseThrow();
        other.catalog().changeProduct("cad", new dev.licensor.catalog.ProductChange(null, Duration.ofMinutes(30), null))
                .orElseThrow();
        assertThat(licensor.floating().check(byKey).orElseThrow().lease().expiresAt())
                .as("another engine's change, within the TTL").isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        clock.advance(FixedRows.PRODUCT_TTL);
        store.calls.clear();
        assertThat(licensor.floating().check(byKey).orElseThrow().lease().expiresAt())
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        licensor.floating().check(byKey).orElseThrow();
        assertThat(store.count("ProductByCode")).as("read again once").isEqualTo(1);

        licensor.catalog().changeProduct("cad", new dev.licensor.catalog.ProductChange(null, Duration.ofMinutes(20), null))
                .orElseThrow();
        assertThat(licensor.floating().check(byKey).orElseThrow().lease().expiresAt())
                .as("this engine's own change, at once").isEqualTo(clock.instant().plus(Duration.ofMinutes(20)));
        clock.set(clock.instant().minusSeconds(60));
        store.calls.clear();
        licensor.floating().check(byKey).orElseThrow();
        assertThat(store.count("ProductByCode")).as("a clock set back reads again").isEqualTo(1);
    }

    @Test
    void aFullSetRemembersNothingMoreAndStillAnswersFromTheStore() {
        FixedRows rows = new FixedRows(1, clock);
        Long first = store.read(tx -> rows.licenseId(tx, "cad", "K-1", null));
        store.calls.clear();
        assertThat(store.<Long>read(tx -> rows.licenseId(tx, "cad", "K-1", null))).isEqualTo(first);
        assertThat(store.count("LicenseByKey")).as("remembered").isZero();
        Long ann = store.read(tx -> rows.licenseId(tx, "cad", null, "ann"));
        assertThat(store.<Long>read(tx -> rows.licenseId(tx, "cad", null, "ann"))).isEqualTo(ann).isNotEqualTo(first);
        assertThat(store.count("LicenseByUser")).as("full: read each time").isEqualTo(2);
        assertThat(store.<java.util.Optional<Product>>read(tx -> rows.product(tx, "cad"))).isPresent();
        assertThat(store.<Long>read(tx -> rows.licenseId(tx, "cad", "nope", null))).isNull();
        assertThat(rows.size()).isEqualTo(1);
    }

    /** Counts the {@link StoreTransaction} methods every unit calls, by name. */
    private static final class SpiCounting implements LicenseStore {
        final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
        private final LicenseStore store;

        SpiCounting(LicenseStore store) {
            this.store = store;
        }

        long count(String method) {
            AtomicLong n = calls.get(method);
            return n == null ? 0 : n.get();
        }

        private <T> StoreWork<T> counted(StoreWork<T> work) {
            return tx -> work.run((StoreTransaction) Proxy.newProxyInstance(StoreTransaction.class.getClassLoader(),
                    new Class<?>[] {StoreTransaction.class}, (proxy, method, args) -> {
                        // a lookup counts by its key's type (LicenseByUser, ProductByCode, ...)
                        String name = args != null && args.length == 1 && (args[0] instanceof Key<?> || args[0] instanceof Query<?>)
                                ? args[0].getClass().getSimpleName() : method.getName();
                        calls.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
                        try {
                            return method.invoke(tx, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }));
        }

        @Override
        public <T> T write(StoreWork<T> work) {
            return store.write(counted(work));
        }

        @Override
        public <T> T read(StoreWork<T> work) {
            return store.read(counted(work));
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
