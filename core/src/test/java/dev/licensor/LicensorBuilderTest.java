package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.lookup.CacheSettings;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.StoreWork;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class LicensorBuilderTest {

    /** A store that refuses to be used: the builder must not touch it. */
    private static final LicenseStore UNUSED = new LicenseStore() {
        @Override
        public <T> T write(StoreWork<T> work) {
            throw new AssertionError("the builder wrote");
        }

        @Override
        public <T> T read(StoreWork<T> work) {
            throw new AssertionError("the builder read");
        }

        @Override
        public void close() {
        }
    };

    private static void misconfigured(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(LicensingException.class)
                .satisfies(e -> assertThat(((LicensingException) e).code()).isEqualTo(Code.INVALID_REQUEST));
    }

    @Test
    void needsAStoreAndDefaultsTheClock() {
        misconfigured(() -> Licensor.builder().build());
        misconfigured(() -> Licensor.builder().clock(Clock.systemUTC()).build());
        Licensor licensor = Licensor.builder().store(UNUSED).build();
        assertThat(licensor.catalog()).isNotNull();
        assertThat(licensor.floating()).isNotNull();
        assertThat(licensor.clients()).isNotNull();
        assertThat(licensor.seats()).isNotNull();
        assertThat(licensor.ledger()).isNotNull();
    }

    @Test
    void refusesNullsAndSettingAnOptionTwice() {
        misconfigured(() -> Licensor.builder().store(null));
        misconfigured(() -> Licensor.builder().clock(null));
        misconfigured(() -> Licensor.builder().store(UNUSED).store(UNUSED));
        misconfigured(() -> Licensor.builder().clock(Clock.systemUTC()).clock(Clock.systemUTC()));
    }

    @Test
    void buildingDoesNotSetTheDefaultsOnTheBuilder() {
        // The defaults are the engine's, not options the caller set: they may still be set after a build.
        Licensor.Builder builder = Licensor.builder().store(UNUSED);
        assertThat(builder.build()).isNotNull();
        assertThat(builder.clock(Clock.systemUTC()).cache(CacheSettings.singleProcess(10)).build()).isNotNull();
        misconfigured(() -> builder.clock(Clock.systemUTC()));
    }
}
