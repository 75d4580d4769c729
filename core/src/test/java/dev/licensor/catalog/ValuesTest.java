package dev.licensor.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.clients.LicenseSelector;
import dev.licensor.floating.Lease;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ValuesTest {
    private static final Instant T = Instant.parse("2026-01-05T09:00:00Z");

    @Test
    void aLeaseIsLiveStrictlyBeforeItsExpiry() {
        Lease lease = new Lease(1, "hw", T, T, T.plusSeconds(600), T.plusSeconds(300));
        assertThat(lease.isLiveAt(T.plusSeconds(599))).isTrue();
        assertThat(lease.isLiveAt(T.plusSeconds(600))).isFalse();
        assertThat(lease.isBorrowedAt(T.plusSeconds(299))).isTrue();
        assertThat(lease.isBorrowedAt(T.plusSeconds(300))).isFalse();
        assertThat(new Lease(1, "hw", T, T, T.plusSeconds(1), null).isBorrowedAt(T)).isFalse();
    }

    @Test
    void evaluationLicensesCountStrictlyBeforeTheirExpiry() {
        ClientLicense eval = ClientLicense.draft(1, 1, 33, "FS", 2, 3, T);
        assertThat(eval.capacityAt(T.minusMillis(1))).isEqualTo(5);
        assertThat(eval.capacityAt(T)).isEqualTo(2);
        assertThat(ClientLicense.draft(1, 1, 33, "FS", 2, 3, null).capacityAt(Instant.MAX)).isEqualTo(5);
        assertThat(eval.withId(7).withUsed(4)).isEqualTo(new ClientLicense(7, 1, 1, 33, "FS", 2, 3, T, 4));
    }

    @Test
    void onlyTheAllZeroEntryIsTheWildcard() {
        assertThat(LicenseSelector.everyLicense(2).isWildcard()).isTrue();
        assertThat(new LicenseSelector(1, 0, 0, "").isWildcard()).isTrue();
        assertThat(new LicenseSelector(1, 1, 0, null).isWildcard()).isFalse();
        assertThat(new LicenseSelector(1, 0, 33, null).isWildcard()).isFalse();
        assertThat(new LicenseSelector(1, 0, 0, "FS").isWildcard()).isFalse();
    }

    @Test
    void licenseCopiesChangeOnlyWhatTheyName() {
        License l = License.builder("cad").key("K").type(LicenseType.SUBSCRIPTION).validFrom(T).validUntil(T.plusSeconds(9))
                .maxActivations(3).floatingSeats(2).floatingTimeout(Duration.ofMinutes(1)).borrowAllowed(true)
                .maxBorrowTime(Duration.ofHours(1)).maxConsumptions(5).overage(true, 2).build();
        assertThat(l.id()).isZero();
        assertThat(l.isFloating()).isTrue();
        assertThat(l.isKeyBased()).isTrue();
        License copy = l.withId(4).withSwitches(false, false).withConsumed(3);
        assertThat(copy).isEqualTo(new License(4, "cad", "K", null, LicenseType.SUBSCRIPTION, false, false, T,
                T.plusSeconds(9), 3, 2, Duration.ofMinutes(1), true, Duration.ofHours(1), 5, 3, true, 2));
        License plain = License.builder("cad").username("u").build();
        assertThat(plain.isFloating()).isFalse();
        assertThat(plain.isKeyBased()).isFalse();
        assertThat(plain.enabled()).isTrue();
        assertThat(plain.active()).isTrue();
        assertThat(plain.maxActivations()).isEqualTo(1);
        assertThat(plain.type()).isEqualTo(LicenseType.PERPETUAL);
    }

    @Test
    void aLicenseExpiresAtItsValidUntilAndFallsBackToItsProductsDurations() {
        Product product = new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofDays(7));
        License dated = License.builder("cad").key("K").type(LicenseType.SUBSCRIPTION).validUntil(T)
                .floatingTimeout(Duration.ofMinutes(1)).maxBorrowTime(Duration.ofHours(1)).build();
        assertThat(dated.isExpiredAt(T.minusMillis(1))).isFalse();
        assertThat(dated.isExpiredAt(T)).isTrue();
        assertThat(dated.effectiveFloatingTimeout(product)).isEqualTo(Duration.ofMinutes(1));
        assertThat(dated.effectiveMaxBorrowTime(product)).isEqualTo(Duration.ofHours(1));

        License perpetual = License.builder("cad").key("K").build();
        assertThat(perpetual.isExpiredAt(Instant.MAX)).isFalse();
        assertThat(perpetual.effectiveFloatingTimeout(product)).isEqualTo(Duration.ofMinutes(10));
        assertThat(perpetual.effectiveMaxBorrowTime(product)).isEqualTo(Duration.ofDays(7));
    }
}
