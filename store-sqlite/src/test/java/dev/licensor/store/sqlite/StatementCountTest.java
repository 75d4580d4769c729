package dev.licensor.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.licensor.Licensor;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.store.jdbc.JdbcTransaction;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins what a checkout+release costs SQLite in statements (issue 19): every statement the writer
 * connection runs ({@code BEGIN IMMEDIATE} and {@code COMMIT} included), counted by
 * {@link dev.licensor.store.jdbc.JdbcConnection#statementsRun()}. An upper bound, so a change that
 * adds a statement per unit fails here first.
 */
class StatementCountTest {
    /** Per checkout+release after the first (the license id is remembered by then); 20 at 6736f71. */
    static final int MAX_STATEMENTS = 13;

    @TempDir
    Path dir;

    @Test
    void checkoutAndReleaseRunAtMostTheBoundOfStatements() {
        try (SqliteLicenseStore store = SqliteLicenseStore.open(dir.resolve("count.db"))) {
            Licensor licensor = Fixtures.licensor(store);
            Fixtures.define(licensor, 2, 1);
            DeviceRequest request = DeviceRequest.byKey(Fixtures.PRODUCT, Fixtures.KEY, "device-1");
            licensor.floating().activate(request).orElseThrow();
            licensor.floating().check(request).orElseThrow(); // warms the engine's remembered rows
            licensor.floating().release(request).orElseThrow();

            int rounds = 20;
            long before = statementsSoFar(store);
            for (int i = 0; i < rounds; i++) {
                licensor.floating().check(request).orElseThrow();
                licensor.floating().release(request).orElseThrow();
            }
            // the probe units themselves: the first one's COMMIT and the second one's BEGIN
            long run = statementsSoFar(store) - before - 2;
            long perCheckoutRelease = run / rounds;
            System.out.println("SQLite statements per checkout+release: " + perCheckoutRelease);
            assertTrue(perCheckoutRelease <= MAX_STATEMENTS,
                    perCheckoutRelease + " statements per checkout+release, bound " + MAX_STATEMENTS);
            assertEquals(0, run % rounds, "every round runs the same statements");
        }
    }

    /** The writer connection's count, read inside a write unit (whose BEGIN has run). */
    private static long statementsSoFar(SqliteLicenseStore store) {
        return store.write(tx -> ((JdbcTransaction) tx).connection().statementsRun());
    }
}
