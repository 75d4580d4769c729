package dev.licensor.spring.sample;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import java.time.Duration;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Defines the demo pool at start unless it exists: product {@code cad}, license key {@code TEAM-1}
 * with 2 floating seats of 15 minutes. Safe when several instances start on one database: the
 * second definition answers {@code already_exists} and changes nothing.
 */
@Component
class DemoCatalog implements ApplicationRunner {
    static final String PRODUCT = "cad";
    static final String KEY = "TEAM-1";
    static final int SEATS = 2;
    private final Licensor licensor;

    DemoCatalog(Licensor licensor) {
        this.licensor = licensor;
    }

    @Override
    public void run(ApplicationArguments args) {
        definedOrThere(licensor.catalog().defineProduct(
                new Product(PRODUCT, "CAD Pro", Duration.ofMinutes(15), Duration.ofHours(72))));
        if (!licensor.catalog().licenseByKey(PRODUCT, KEY).isSuccess()) {
            definedOrThere(licensor.catalog().createLicense(
                    License.builder(PRODUCT).key(KEY).maxActivations(100).floatingSeats(SEATS).build()));
        }
    }

    /** A restart on a kept store finds the definitions there; any other refusal stops the start. */
    private static void definedOrThere(Outcome<?> outcome) {
        if (!outcome.isSuccess() && outcome.code() != Code.ALREADY_EXISTS) {
            throw new IllegalStateException("demo catalog: " + outcome.code().key() + ": " + outcome.message());
        }
    }
}
