package dev.licensor.benchmarks;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.store.postgresql.PostgresLicenseStore;
import dev.licensor.store.postgresql.testing.PgServer;
import dev.licensor.store.sqlite.SqliteLicenseStore;
import dev.licensor.store.sqlite.Synchronous;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Opens the store a benchmark parameter names, preloaded with {@code leases} leases:
 * {@code memory}, {@code sqlite-full} or {@code sqlite-normal} (WAL, {@code synchronous} FULL or
 * NORMAL, the store's defaults otherwise) or {@code postgres} (see {@link Postgres}: a HikariCP
 * pool on a PostgreSQL server with fsync and synchronous_commit on, the store's defaults
 * otherwise). Close what {@link #open} returns with {@link #close}, which also stops what the store
 * needed (the pool, and the server when this JVM started it).
 *
 * <p>A preloaded SQLite file is built once per size, as a template under
 * {@code ${java.io.tmpdir}/licensor-bench/}, and copied for each trial so every trial starts from
 * the same rows. Not thread-safe; for JMH setup.
 */
final class Stores {
    /**
     * Names the template after the classes that decide its content (the store's schema and this
     * fixture), so a build with another schema never opens an old template.
     */
    private static final String TEMPLATE_VERSION = fingerprint(
            "/dev/licensor/store/sqlite/internal/Schema.class", "/dev/licensor/benchmarks/Fixture.class");

    /** Connections of a PostgreSQL store's pool: benchmark threads, the listener, spare. */
    static final int PG_POOL_SIZE = 8;
    /** What to close after a store, beside the store itself. */
    private static final IdentityHashMap<LicenseStore, AutoCloseable> RESOURCES = new IdentityHashMap<>();

    private Stores() {
    }

    static Path dir() {
        try {
            return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "licensor-bench"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LicenseStore open(String name, int leases) {
        switch (name) {
            case "memory": {
                LicenseStore store = new MemoryLicenseStore();
                Fixture.preload(store, leases);
                return store;
            }
            case "sqlite-full":
                return sqlite(leases, Synchronous.FULL);
            case "sqlite-normal":
                return sqlite(leases, Synchronous.NORMAL);
            case "postgres":
                return postgres(leases);
            default:
                throw new IllegalArgumentException("unknown store " + name);
        }
    }

    /** Closes {@code store} and what it needed (a PostgreSQL store's pool and server). */
    static void close(LicenseStore store) {
        store.close();
        AutoCloseable resource;
        synchronized (RESOURCES) {
            resource = RESOURCES.remove(store);
        }
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close " + resource, e);
            }
        }
    }

    private static LicenseStore postgres(int leases) {
        PgServer server = Postgres.acquire();
        try {
            Postgres.ensurePreloaded(server, leases);
            HikariDataSource pool = Postgres.pool(server, PG_POOL_SIZE, true, null);
            PostgresLicenseStore store;
            try {
                store = PostgresLicenseStore.builder(pool).schema(Postgres.schema(leases)).open();
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
            synchronized (RESOURCES) {
                RESOURCES.put(store, () -> {
                    pool.close();
                    Postgres.release();
                });
            }
            return store;
        } catch (RuntimeException e) {
            Postgres.release();
            throw e;
        }
    }

    private static LicenseStore sqlite(int leases, Synchronous synchronous) {
        Path template = dir().resolve("template-" + TEMPLATE_VERSION + "-" + leases + ".db");
        if (!Files.exists(template)) {
            buildTemplate(template, leases);
        }
        Path work = dir().resolve("work-" + synchronous + "-" + leases + ".db");
        try {
            delete(work);
            Files.copy(template, work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SqliteLicenseStore.builder(work).synchronous(synchronous).open();
    }

    /** Preloads into a scratch file at NORMAL (speed), then backs it up into the template. */
    private static void buildTemplate(Path template, int leases) {
        Path scratch = dir().resolve("building-" + leases + ".db");
        try {
            delete(scratch);
            try (SqliteLicenseStore store = SqliteLicenseStore.builder(scratch).synchronous(Synchronous.NORMAL).open()) {
                Fixture.preload(store, leases);
                Path partial = dir().resolve("partial-" + leases + ".db");
                delete(partial);
                store.backupTo(partial);
                Files.move(partial, template);
            }
            delete(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (LicensingException e) {
            if (e.code() == Code.STORE_FAILURE) {
                throw new IllegalStateException("could not build " + template + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** A checksum of the named class files: part of a preloaded template's name, so a changed schema builds anew. */
    static String fingerprint(String... resources) {
        CRC32 crc = new CRC32();
        for (String resource : resources) {
            try (InputStream in = Stores.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing " + resource);
                }
                crc.update(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Long.toHexString(crc.getValue());
    }

    static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + "-wal"));
        Files.deleteIfExists(Path.of(file + "-shm"));
        Files.deleteIfExists(Path.of(file + "-journal"));
    }
}
