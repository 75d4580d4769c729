package dev.licensor.micrometer;

import dev.licensor.apitests.ApiSignature;
import org.junit.jupiter.api.Test;

/** This module's public API equals {@code micrometer/api/licensor-micrometer.api} (docs/api.md). */
class ApiSignatureTest {
    @Test
    void theApiIsTheCheckedInOne() throws Exception {
        ApiSignature.check("licensor-micrometer", "micrometer");
    }
}
