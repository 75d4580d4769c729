package dev.licensor.store.postgresql;

import dev.licensor.storetests.Jvms;
import dev.licensor.storetests.RaceOutcome;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several hosts (JVM processes, each with its own connection pool and {@code threads} threads)
 * race on one PostgreSQL schema for fewer floating seats and client licenses than they want.
 * Nothing inside one JVM serializes them: only the database's locks do. Exactly the seat counts
 * are granted, every refusal is recorded, and the ledger balances.
 */
@ExtendWith(PgExtension.class)
class MultiHostRaceTest {
    private static final int HOSTS = 3;
    private static final int THREADS = 8;
    private static final int DEVICES_EACH = 2;
    private static final int CLIENTS_EACH = 2;
    private static final int SEATS = 7;
    private static final int CLIENT_LICENSES = 5;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void hostsGetExactlyTheSeatsThereAre() throws Exception {
        PgServer server = PgServer.shared();
        String schema = PgServer.freshSchema("race");
        long licenseId;
        try (HikariDataSource pool = Fixtures.pool(server, 2, Duration.ofSeconds(10));
             PostgresLicenseStore store = Fixtures.open(pool, schema)) {
            licenseId = Fixtures.define(Fixtures.licensor(store), SEATS, CLIENT_LICENSES);
        }
        // Everyone starts at the same instant, once every JVM has had time to start and connect.
        long startAt = System.currentTimeMillis() + 5_000;
        List<Jvms.Child> children = new ArrayList<>();
        for (int h = 0; h < HOSTS; h++) {
            List<String> args = new ArrayList<>(Fixtures.serverArgs(server));
            args.addAll(List.of(schema, "h" + h, String.valueOf(THREADS), String.valueOf(DEVICES_EACH),
                    String.valueOf(CLIENTS_EACH), String.valueOf(startAt)));
            children.add(Jvms.start(RaceChild.class, args.toArray(String[]::new)));
        }
        List<String> lines = RaceOutcome.linesOf(children, 150);
        try (HikariDataSource pool = Fixtures.pool(server, 2, Duration.ofSeconds(10));
             PostgresLicenseStore store = Fixtures.open(pool, schema)) {
            new RaceOutcome(SEATS, CLIENT_LICENSES, HOSTS * THREADS * DEVICES_EACH, HOSTS * THREADS * CLIENTS_EACH).check(lines, Fixtures.licensor(store), licenseId);
        }
    }
}
