package dev.licensor.spring.boot;

import dev.licensor.Licensor;
import dev.licensor.store.LicenseStore;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The Actuator health of Licensor ({@code /actuator/health/licensor}): up when the store answers a
 * read through the engine, down with the store's error otherwise. The read is one product lookup
 * that never uses the lookup cache, bounded by the store's own timeouts.
 *
 * <p>Thread-safe.
 */
public final class LicensorHealthIndicator extends AbstractHealthIndicator {
    private static final String PROBE = "licensor-health-probe";
    private final Licensor licensor;
    private final String store;

    /** The health of {@code licensor}, whose store is {@code store}. */
    public LicensorHealthIndicator(Licensor licensor, LicenseStore store) {
        super("Licensor's store did not answer");
        this.licensor = licensor;
        this.store = store.getClass().getSimpleName();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        // only whether the read throws matters: LicensingException(store_failure) when the store fails
        var unused = licensor.catalog().product(PROBE);
        builder.up().withDetail("store", store);
    }
}
