package dev.licensor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LicenseStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each test gets its own engine, its parameters share it, and the clock drives lease expiry. */
@ExtendWith(LicensorExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LicensorExtensionTest {
    private static Licensor previous;
    private static LicenseStore previousStore;
    private Licensor fromBeforeEach;

    @BeforeEach
    void defineProduct(Licensor licensor) {
        fromBeforeEach = licensor;
        // defining the same product again on a shared engine would answer already_exists
        assertThat(licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(15), Duration.ofHours(72))))
                .isInstanceOf(Outcome.Success.class);
        assertThat(licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(5).floatingSeats(1).build()))
                .isInstanceOf(Outcome.Success.class);
    }

    @Test
    @Order(1)
    void aSeatLapsesWhenTheClockPassesItsLease(Licensor licensor, MutableClock clock, LicenseStore store) {
        assertThat(licensor).isSameAs(fromBeforeEach);
        assertThat(clock.instant()).isEqualTo(TestLicensors.START);
        DeviceRequest a = DeviceRequest.byKey("cad", "K", "a");
        DeviceRequest b = DeviceRequest.byKey("cad", "K", "b");
        licensor.floating().activate(a);
        licensor.floating().activate(b);
        assertThat(licensor.floating().check(a)).isInstanceOf(Outcome.Success.class);
        assertThat(licensor.floating().check(b)).isInstanceOfSatisfying(Outcome.Failure.class,
                f -> assertThat(f.code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE));
        clock.advance(Duration.ofMinutes(16));
        assertThat(licensor.floating().check(b)).isInstanceOf(Outcome.Success.class);
        previous = licensor;
        previousStore = store;
    }

    @Test
    @Order(2)
    void theNextTestStartsAfresh(Licensor licensor, MutableClock clock, LicenseStore store) {
        assertThat(licensor).isNotSameAs(previous);
        assertThat(store).isNotSameAs(previousStore);
        assertThat(clock.instant()).isEqualTo(TestLicensors.START);
        DeviceRequest b = DeviceRequest.byKey("cad", "K", "b");
        licensor.floating().activate(b);
        assertThat(licensor.floating().check(b)).isInstanceOf(Outcome.Success.class);
    }

    @Test
    void oneLineEngines() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        Licensor licensor = TestLicensors.memory(clock);
        assertThat(licensor.catalog().defineProduct(new Product("p", "P", Duration.ofMinutes(1), Duration.ofHours(1))))
                .isInstanceOf(Outcome.Success.class);
        assertThat(TestLicensors.memory().catalog().defineProduct(new Product("p", "P", Duration.ofMinutes(1), Duration.ofHours(1))))
                .as("a second engine shares nothing with the first").isInstanceOf(Outcome.Success.class);
    }
}
