package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.outcome.Code;
import org.junit.jupiter.api.Test;

class CheckTest {

    private static void refused(Runnable call, Code code) {
        assertThatThrownBy(call::run).isInstanceOf(Denied.class)
                .satisfies(e -> assertThat(((Denied) e).code()).isEqualTo(code))
                .satisfies(e -> assertThat(((Denied) e).isRecorded()).isFalse());
    }

    @Test
    void textIsRequiredBoundedAndFreeOfControlCharacters() {
        assertThat(Check.text("f", "x".repeat(Check.MAX_TEXT))).hasSize(Check.MAX_TEXT);
        assertThat(Check.text("f", "hw-1 é ü 中")).isEqualTo("hw-1 é ü 中");
        refused(() -> Check.text("f", null), Code.MISSING_PARAMETERS);
        refused(() -> Check.text("f", ""), Code.MISSING_PARAMETERS);
        refused(() -> Check.text("f", " \t"), Code.MISSING_PARAMETERS);
        refused(() -> Check.text("f", "x".repeat(Check.MAX_TEXT + 1)), Code.INVALID_REQUEST);
        for (char c : new char[] {'\u0000', '\n', '\r', '\u001b', '\u007f', '\u0085'}) {
            refused(() -> Check.text("f", "a" + c + "b"), Code.INVALID_REQUEST);
        }
        assertThat(Check.optionalText("f", null, 3)).isNull();
        assertThat(Check.optionalText("f", "", 3)).isEmpty();
        refused(() -> Check.optionalText("f", "abcd", 3), Code.INVALID_REQUEST);
    }

    @Test
    void productCodesAreShortAndPlain() {
        assertThat(Check.productCode("cad-pro_2.1")).isEqualTo("cad-pro_2.1");
        assertThat(Check.productCode("p".repeat(Check.MAX_CODE))).hasSize(Check.MAX_CODE);
        refused(() -> Check.productCode("p".repeat(Check.MAX_CODE + 1)), Code.INVALID_REQUEST);
        refused(() -> Check.productCode("cad pro"), Code.INVALID_REQUEST);
        refused(() -> Check.productCode("cad/pro"), Code.INVALID_REQUEST);
        refused(() -> Check.productCode("cadé"), Code.INVALID_REQUEST);
        refused(() -> Check.productCode(""), Code.MISSING_PARAMETERS);
    }

    @Test
    void numbersAndConditions() {
        assertThat(Check.positive("n", 1)).isEqualTo(1);
        refused(() -> Check.positive("n", 0), Code.INVALID_REQUEST);
        assertThat(Check.notNegative("n", 0)).isZero();
        refused(() -> Check.notNegative("n", -1), Code.INVALID_REQUEST);
        Check.that(true, "fine");
        refused(() -> Check.that(false, "not fine"), Code.INVALID_REQUEST);
    }

    @Test
    void onlyLicensingDenialsAreRecorded() {
        assertThat(Denied.license(Code.BLACKLISTED, 1, "hw").isRecorded()).isTrue();
        assertThat(Denied.license(Code.FLOATING_NOT_AVAILABLE, 1, "hw").isRecorded()).isTrue();
        assertThat(Denied.of(Code.DEVICE_NOT_FOUND).isRecorded()).isFalse();
        assertThat(Denied.of(Code.INVALID_REQUEST).isRecorded()).isFalse();
        assertThat(Denied.of(Code.STORE_FAILURE).isRecorded()).isFalse();
        assertThat(Denied.of(Code.BLACKLISTED).getStackTrace()).as("control flow, no stack trace").isEmpty();
    }
}
