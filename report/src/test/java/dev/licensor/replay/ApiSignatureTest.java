package dev.licensor.replay;

import dev.licensor.apitests.ApiSignature;
import org.junit.jupiter.api.Test;

/** This module's public API equals {@code report/api/licensor-report.api} (docs/api.md). */
class ApiSignatureTest {
    @Test
    void theApiIsTheCheckedInOne() throws Exception {
        ApiSignature.check("licensor-report", "report");
    }
}
