package dev.licensor.token.bc;

import dev.licensor.apitests.ApiSignature;
import org.junit.jupiter.api.Test;

/** This module's public API equals {@code token-bc/api/licensor-token-bc.api} (docs/api.md). */
class ApiSignatureTest {
    @Test
    void theApiIsTheCheckedInOne() throws Exception {
        ApiSignature.check("licensor-token-bc", "token-bc");
    }
}
