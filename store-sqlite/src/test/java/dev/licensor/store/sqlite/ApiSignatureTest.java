package dev.licensor.store.sqlite;

import dev.licensor.apitests.ApiSignature;
import org.junit.jupiter.api.Test;

/** This module's public API equals {@code store-sqlite/api/licensor-store-sqlite.api} (docs/api.md). */
class ApiSignatureTest {
    @Test
    void theApiIsTheCheckedInOne() throws Exception {
        ApiSignature.check("licensor-store-sqlite", "store-sqlite");
    }
}
