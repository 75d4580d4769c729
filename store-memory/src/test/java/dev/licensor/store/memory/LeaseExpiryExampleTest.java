package dev.licensor.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Code;
import dev.licensor.storetests.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The MutableClock example of README.md ("Testing lease expiry in a host"), run as written (with AssertJ for the asserts). */
class LeaseExpiryExampleTest {

    @Test
    void aSeatLapsesWhenTheClockPassesItsTimeout() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
        Licensor licensor = Licensor.builder().store(new MemoryLicenseStore()).clock(clock).build();
        licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofHours(24)));
        licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(2).floatingSeats(1).build());
        DeviceRequest a = DeviceRequest.byKey("cad", "K", "hw-a");
        DeviceRequest b = DeviceRequest.byKey("cad", "K", "hw-b");
        licensor.floating().activate(a);
        licensor.floating().activate(b);

        licensor.floating().check(a);
        assertThat(licensor.floating().check(b).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);

        clock.advance(Duration.ofMinutes(10));
        assertThat(licensor.floating().check(b).isSuccess()).isTrue();
    }
}
