package dev.licensor.store.postgresql;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Misusing the builder is a programmer error and throws as Java libraries do, before any
 * connection is made: {@link NullPointerException} for a null, {@link IllegalArgumentException}
 * for a value out of range, {@link IllegalStateException} for an option set twice.
 */
class BuilderTest {
    private final PGSimpleDataSource unreachable = new PGSimpleDataSource(); // never connected here

    @Test
    void misuseThrowsTheJavaExceptions() {
        assertThatThrownBy(() -> PostgresLicenseStore.builder(null)).isExactlyInstanceOf(NullPointerException.class);
        PostgresLicenseStore.Builder b = PostgresLicenseStore.builder(unreachable).schema("licensor_x");
        assertThatThrownBy(() -> b.schema("other")).isExactlyInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PostgresLicenseStore.builder(unreachable).schema("Bad-Name"))
                .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresLicenseStore.builder(unreachable).lockTimeout(null))
                .isExactlyInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PostgresLicenseStore.builder(unreachable).lockTimeout(Duration.ZERO))
                .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresLicenseStore.builder(unreachable).statementTimeout(Duration.ofSeconds(-1)))
                .isExactlyInstanceOf(IllegalArgumentException.class);
    }
}
