package dev.licensor.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutcomeTest {

    @Test
    void aSuccessCarriesItsValueAndCodeOk() {
        Outcome<String> ok = Outcome.success("seat");
        assertThat(ok.isSuccess()).isTrue();
        assertThat(ok.code()).isEqualTo(Code.OK);
        assertThat(ok.message()).isEmpty();
        assertThat(ok.orElseThrow()).isEqualTo("seat");
        assertThat(ok.map(String::length)).isEqualTo(Outcome.success(4));
        assertThat(Outcome.success(null).orElseThrow()).isNull();
        assertThat(Outcome.<Void>success(null)).isEqualTo(Outcome.success(null));
    }

    @Test
    void aFailureCarriesItsCodeAndMessageAndThrowsThemOnDemand() {
        Outcome<String> refused = Outcome.failure(Code.FLOATING_NOT_AVAILABLE);
        assertThat(refused.isSuccess()).isFalse();
        assertThat(refused.code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(refused.message()).isEqualTo(Code.FLOATING_NOT_AVAILABLE.defaultMessage());
        assertThatThrownBy(refused::orElseThrow)
                .isInstanceOf(LicensingException.class)
                .hasMessage(Code.FLOATING_NOT_AVAILABLE.defaultMessage())
                .satisfies(e -> assertThat(((LicensingException) e).code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE));
        Outcome<String> specific = Outcome.failure(Code.BORROW_UNTIL_NOT_VALID, "too late");
        assertThat(specific.message()).isEqualTo("too late");
        assertThat(specific).isEqualTo(new Outcome.Failure<>(Code.BORROW_UNTIL_NOT_VALID, "too late"));
    }

    @Test
    void mapLeavesAFailureAsItIsAndNeverCallsTheMapper() {
        Outcome<String> refused = Outcome.failure(Code.BLACKLISTED, "no");
        Outcome<Integer> mapped = refused.map(s -> {
            throw new AssertionError("mapper called on a failure");
        });
        assertThat(mapped.code()).isEqualTo(Code.BLACKLISTED);
        assertThat(mapped.message()).isEqualTo("no");
    }

    @Test
    void aFailureNeedsARealCodeAndAMessage() {
        assertThatThrownBy(() -> Outcome.failure(Code.OK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Outcome.failure(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Outcome.Failure<>(Code.BLACKLISTED, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new LicensingException(null, "x")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void outcomesAreASealedPairSoASwitchCoversThem() {
        Outcome<String> o = Outcome.failure(Code.LICENSE_EXPIRED);
        String described;
        if (o instanceof Outcome.Success<String> s) {
            described = "ok " + s.value();
        } else if (o instanceof Outcome.Failure<String> f) {
            described = f.code().key();
        } else {
            throw new AssertionError("an Outcome is a Success or a Failure");
        }
        assertThat(described).isEqualTo("license_expired");
        assertThat(Outcome.class.getPermittedSubclasses()).containsExactlyInAnyOrder(Outcome.Success.class, Outcome.Failure.class);
    }
}
