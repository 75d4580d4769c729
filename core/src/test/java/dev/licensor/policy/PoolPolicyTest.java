package dev.licensor.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolPolicyTest {

    @Test
    void optionsTextRoundTrips() {
        String text = "LEASING PROCESS\nOVERDRAFT 2x\nEXCLUDE HOST_GROUP lab\nINCLUDE GROUP devs\nRESERVE 2 USER alice\n"
                + "MAX 1 HOST h1\nBORROW_LOWWATER 1\nMAX_BORROW 2\nQUEUE 5\n";
        PoolPolicy p = PoolPolicy.parse(text);
        assertThat(p.text()).isEqualTo(text);
        assertThat(PoolPolicy.parse(p.text())).isEqualTo(p);
        assertThat(PoolPolicy.parse("  # only a comment\n\nleasing user # trailing\n").leasing()).isEqualTo(LeasingStrategy.USER);
        assertThat(PoolPolicy.parse("").isNone()).isTrue();
    }

    @Test
    void badTextIsAnInvalidRequestNamingTheLine() {
        assertThatThrownBy(() -> PoolPolicy.parse("QUEUE 1\nRESERVE 2 USER"))
                .isInstanceOfSatisfying(LicensingException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("line 2");
                });
        assertThatThrownBy(() -> PoolPolicy.parse(null)).isInstanceOf(LicensingException.class);
        assertThatThrownBy(() -> PoolPolicy.parse("OVERDRAFT 1.3x")).isInstanceOf(LicensingException.class);
        assertThatThrownBy(() -> PoolPolicy.parse("MAX 99999999999 USER a")).isInstanceOf(LicensingException.class);
    }

    @Test
    void overdraftLimits() {
        assertThat(Overdraft.NONE.limit(4)).isEqualTo(4);
        assertThat(Overdraft.seats(3).limit(4)).isEqualTo(7);
        assertThat(Overdraft.factor(1.25).limit(4)).isEqualTo(5);
        assertThat(Overdraft.factor(1.5).limit(3)).isEqualTo(4);
        assertThat(Overdraft.factor(2).limit(3)).isEqualTo(6);
        assertThat(Overdraft.seats(1_000_000).limit(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    /** Issue 26, P13 and P5: a factor is exactly 1.25, 1.5 or 2; the largest pool does not overflow. */
    @Test
    void anOverdraftFactorIsExactAndNeverOverflows() {
        for (String factor : List.of("NaNx", "0x", "1.246x", "1.3x", "-2x", "Infinityx", "2.0000001x")) {
            assertThatThrownBy(() -> PoolPolicy.parse("OVERDRAFT " + factor)).as(factor)
                    .isInstanceOfSatisfying(LicensingException.class,
                            e -> assertThat(e.code()).isEqualTo(Code.INVALID_REQUEST));
        }
        assertThat(PoolPolicy.parse("OVERDRAFT 1.25x").overdraft().percent()).isEqualTo(125);
        assertThat(PoolPolicy.parse("OVERDRAFT 2.0x").overdraft().percent()).isEqualTo(200);
        assertThat(Overdraft.factor(2).limit(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(Overdraft.factor(1.5).limit(Integer.MAX_VALUE - 1)).isEqualTo(Integer.MAX_VALUE);
    }
}
