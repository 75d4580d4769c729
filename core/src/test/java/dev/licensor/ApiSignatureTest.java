package dev.licensor;

import dev.licensor.apitests.ApiSignature;
import org.junit.jupiter.api.Test;

/** Core's public API equals {@code core/api/licensor-core.api} (docs/api.md). */
class ApiSignatureTest {
    @Test
    void theApiIsTheCheckedInOne() throws Exception {
        ApiSignature.check("licensor-core", "core");
    }
}
