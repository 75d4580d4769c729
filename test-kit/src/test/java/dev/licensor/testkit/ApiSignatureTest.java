package dev.licensor.testkit;

import dev.licensor.apitests.ApiSignature;
import org.junit.jupiter.api.Test;

/** This module's public API equals {@code test-kit/api/licensor-test.api} (docs/api.md). */
class ApiSignatureTest {
    @Test
    void theApiIsTheCheckedInOne() throws Exception {
        ApiSignature.check("licensor-test", "test-kit");
    }
}
