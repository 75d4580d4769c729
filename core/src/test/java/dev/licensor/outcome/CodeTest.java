package dev.licensor.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CodeTest {

    @Test
    void keysAndNumbersAreUnique() {
        List<Code> codes = Arrays.asList(Code.values());
        assertThat(codes.stream().map(Code::key).collect(Collectors.toSet())).hasSameSizeAs(codes);
        assertThat(codes.stream().map(Code::number).collect(Collectors.toSet())).hasSameSizeAs(codes);
    }

    @Test
    void keysAreSnakeCaseAndMessagesPresent() {
        for (Code code : Code.values()) {
            assertThat(code.key()).as(code.name()).matches("[a-z]+(_[a-z]+)*");
            assertThat(code.key()).as(code.name()).isEqualTo(code.name().toLowerCase());
            assertThat(code.defaultMessage()).as(code.name()).isNotBlank();
        }
    }

    @Test
    void onlyOkIsZeroAndNumbersFallInTheirGroups() {
        assertThat(Code.OK.number()).isZero();
        for (Code code : Code.values()) {
            if (code != Code.OK) {
                assertThat(code.number()).as(code.name()).isBetween(100, 599);
            }
            assertThat(code.isBadRequest()).as(code.name()).isEqualTo(code.number() / 100 == 1);
        }
        assertThat(Code.MISSING_PARAMETERS.isBadRequest()).isTrue();
        assertThat(Code.UNKNOWN_PRODUCT.isBadRequest()).isFalse();
        assertThat(Code.STORE_FAILURE.number() / 100).isEqualTo(5);
    }

    @Test
    void theReleaseCallsWireCodesAreTheSeedsOwn() {
        // seed 002, floating/release: these exact strings go on the wire
        assertThat(List.of(Code.UNKNOWN_PRODUCT, Code.LICENSE_NOT_FOUND, Code.LICENSE_NOT_ACTIVE, Code.LICENSE_NOT_ENABLED,
                Code.DEVICE_NOT_FOUND, Code.BLACKLISTED, Code.FLOATING_NOT_AVAILABLE))
                .extracting(Code::key)
                .containsExactly("unknown_product", "license_not_found", "license_not_active", "license_not_enabled",
                        "device_not_found", "blacklisted", "floating_not_available");
        assertThat(List.of(Code.LICENSE_BORROW_NOT_ALLOWED, Code.BORROW_UNTIL_NOT_VALID, Code.LICENSE_EXPIRED,
                Code.LICENSE_ACTIVATED_MAX_TIMES, Code.MISSING_PARAMETERS, Code.LICENSE_NOT_CONSUMPTION,
                Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS))
                .extracting(Code::key)
                .containsExactly("license_borrow_not_allowed", "borrow_until_not_valid", "license_expired",
                        "license_activated_max_times", "missing_parameters", "license_not_consumption",
                        "license_not_enough_consumptions");
    }
}
