package dev.licensor.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.Licensor;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheSettingsTest {

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new CacheSettings(-1, null))
                .isInstanceOfSatisfying(LicensingException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_REQUEST));
        assertThatThrownBy(() -> CacheSettings.of(10, Duration.ZERO)).isInstanceOf(LicensingException.class);
        assertThatThrownBy(() -> CacheSettings.of(10, null)).isInstanceOf(LicensingException.class);
        assertThat(CacheSettings.DISABLED.enabled()).isFalse();
        assertThat(CacheSettings.singleProcess(10).enabled()).isTrue();
    }

    @Test
    void theBuilderRefusesTheCacheTwice() {
        Licensor.Builder builder = Licensor.builder().cache(CacheSettings.singleProcess(10));
        // builder misuse is a programmer error: the Java exceptions, not a wire code
        assertThatThrownBy(() -> builder.cache(CacheSettings.DISABLED)).isExactlyInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Licensor.builder().cache(null)).isExactlyInstanceOf(NullPointerException.class);
    }

    @Test
    void hitRate() {
        assertThat(new CacheStats(3, 1, 0, 0).hitRate()).isEqualTo(0.75);
        assertThat(CacheStats.NONE.hitRate()).isZero();
    }
}
