package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.lookup.CacheSettings;
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

    /** Misuse of the builder is a programmer error: the Java exceptions, not a wire code. */
    private static void misconfigured(Class<? extends RuntimeException> type, Runnable call) {
        assertThatThrownBy(call::run).isExactlyInstanceOf(type);
    }

    @Test
    void needsAStoreAndDefaultsTheClock() {
        misconfigured(IllegalStateException.class, () -> Licensor.builder().build());
        misconfigured(IllegalStateException.class, () -> Licensor.builder().clock(Clock.systemUTC()).build());
        Licensor licensor = Licensor.builder().store(UNUSED).build();
        assertThat(licensor.catalog()).isNotNull();
        assertThat(licensor.floating()).isNotNull();
        assertThat(licensor.clients()).isNotNull();
        assertThat(licensor.seats()).isNotNull();
        assertThat(licensor.ledger()).isNotNull();
    }

    @Test
    void refusesNullsAndSettingAnOptionTwice() {
        misconfigured(NullPointerException.class, () -> Licensor.builder().store(null));
        misconfigured(NullPointerException.class, () -> Licensor.builder().clock(null));
        misconfigured(IllegalStateException.class, () -> Licensor.builder().store(UNUSED).store(UNUSED));
        misconfigured(IllegalStateException.class, () -> Licensor.builder().clock(Clock.systemUTC()).clock(Clock.systemUTC()));
        misconfigured(NullPointerException.class, () -> Licensor.builder().store(UNUSED).build().as(null));
        misconfigured(IllegalStateException.class, () -> Licensor.builder().store(UNUSED).build().offline());
    }

    @Test
    void buildingDoesNotSetTheDefaultsOnTheBuilder() {
        // The defaults are the engine's, not options the caller set: they may still be set after a build.
        Licensor.Builder builder = Licensor.builder().store(UNUSED);
        assertThat(builder.build()).isNotNull();
        assertThat(builder.clock(Clock.systemUTC()).cache(CacheSettings.singleProcess(10)).build()).isNotNull();
        misconfigured(IllegalStateException.class, () -> builder.clock(Clock.systemUTC()));
    }
}
