package dev.licensor.store.postgresql.internal;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.jdbc.ChangePoller;
import dev.licensor.store.jdbc.HolderMeta;
import dev.licensor.store.jdbc.LedgerFacts;
import dev.licensor.store.jdbc.Migration;
import dev.licensor.store.jdbc.Migrations;
import dev.licensor.store.jdbc.Schema;
import dev.licensor.store.jdbc.TypedValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The PostgreSQL store's migrations, run by store-jdbc's {@link Migrations} runner. Each
 * migration's transaction first takes a transaction-scoped advisory lock of the schema (the
 * migration lock), so two hosts starting at once against an empty database apply each migration
 * once: the second waits, then reads the version the first committed. A schema that holds tables
 * but no version table (another application's), or a version newer than this build's, is refused
 * with {@code STORE_FAILURE} before anything is written. Not API.
 *
 * <p>Thread-safe (stateless).
 */
public final class PgMigrations {
    /** "LICSMIGR": the migration lock's key, combined with the schema's hash. */
    private static final long MIGRATION_LOCK = 0x4C4943534D494752L;

    private PgMigrations() {
    }

    /**
     * Every migration, in order. Version 1 is store-jdbc's first schema with text in the "C" collation
     * (the code point order the SPI states for every list), plus cache triggers (NOTIFY until
     * migration 9). Long DDL is in SQL scripts beside this class.
     */
    public static List<Migration> all(PgDialect dialect) {
        List<String> first = new ArrayList<>();
        for (String ddl : Schema.tables(dialect)) {
            first.add(collateC(ddl));
        }
        first.addAll(script("1-notify-triggers.sql"));
        List<String> listing = new ArrayList<>();
        for (String ddl : Schema.listing(dialect)) {
            listing.add(collateC(ddl));
        }
        listing.addAll(script("3-license-delete-notify.sql"));
        return List.of(Migration.sql(1, "initial schema, C collation, NOTIFY triggers", first),
                TypedValues.migration(2, dialect, PgMigrations::collateC),
                Migration.sql(3, "listing indexes, retired license names, license delete notice", listing),
                Migration.sql(4, "ledger actor", Schema.ledgerActor().stream().map(PgMigrations::collateC).toList()),
                LedgerFacts.migration(5, dialect, PgMigrations::collateC),
                HolderMeta.migration(6, dialect, PgMigrations::collateC, script("6-holder-meta-triggers.sql")),
                Migration.sql(7, "ledger seqs by transaction id, feed without a global lock", List.of(
                        "CREATE TABLE ledger_feed (base BIGINT NOT NULL)",
                        "INSERT INTO ledger_feed (base) SELECT coalesce(max(seq), 0) + 1 FROM ledger")),
                Migration.sql(8, "a ledger seq by an index probe, whatever the statistics", script("8-next-ledger-seq.sql")),
                Migration.sql(9, "a polled change record instead of NOTIFY", script("9-change-record.sql").stream()
                        .map(PgMigrations::collateC).toList()));
    }

    private static List<String> script(String name) {
        return Migration.statements(resource(name));
    }

    private static String resource(String name) {
        try (InputStream in = PgMigrations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Entries this many transaction ids below the horizon are pruned: a minute or more of a busy server. */
    public static final long KEEP_XIDS = 100_000;

    /**
     * The SQL of migration 9's change record in {@code schema}, for {@link ChangePoller}. Positions
     * are transaction ids; a poll's horizon is its snapshot's {@code xmin} (every transaction below
     * it has ended), as in the ledger feed. A prune deletes entries more than {@code keepXids} below it.
     */
    public static ChangePoller.Queries changeRecord(String schema, long keepXids) {
        String q = Sql.quote(schema) + ".";
        String xmin = "txid_snapshot_xmin(txid_current_snapshot())";
        return new ChangePoller.Queries(
                "SELECT epoch, pruned_below, " + xmin + " FROM " + q + "change_mark",
                "SELECT kind, id, hardware_id FROM " + q + "change_log WHERE xid >= ? AND xid < ? ORDER BY xid",
                "INSERT INTO " + q + "change_mark (epoch, pruned_below) VALUES ((random() * 9.2e18)::bigint, " + xmin
                        + ") ON CONFLICT DO NOTHING",
                "WITH h AS (SELECT " + xmin + " - " + keepXids + " AS below), m AS (UPDATE " + q
                        + "change_mark SET pruned_below = h.below FROM h WHERE pruned_below < h.below RETURNING 1)"
                        + " DELETE FROM " + q + "change_log WHERE xid < (SELECT below FROM h)",
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = 5000");
    }

    /**
     * Run at every open, after the migrations: if the ledger holds a seq at or above what this
     * server's next transaction would take (the schema was restored into another cluster, whose
     * transaction ids started again from low), raises {@code ledger_feed.base} above it, so new
     * seqs still sort after every old one. A no-op otherwise (ids only grow).
     */
    public static String realignLedger(String schema) {
        String q = Sql.quote(schema);
        return "UPDATE " + q + ".ledger_feed SET base = m.s + 1 - (txid_current() << " + PgDialect.TX_BITS + ")"
                + " FROM (SELECT max(seq) AS s FROM " + q + ".ledger) m"
                + " WHERE m.s >= base + (txid_current() << " + PgDialect.TX_BITS + ")";
    }

    private static String collateC(String ddl) {
        return ddl.replace(" TEXT", " TEXT COLLATE \"C\"");
    }

    /**
     * The runner's version reader: takes the migration lock, creates the schema if missing, points
     * the transaction at it, and returns its version (0 if blank).
     */
    public static Migrations.VersionReader versionReader(String schema) {
        return (handle, latest) -> {
            handle.execute("SELECT pg_advisory_xact_lock(" + (MIGRATION_LOCK ^ schema.hashCode()) + ")");
            int tables = handle.createQuery("SELECT count(*) FROM pg_tables WHERE schemaname = :s")
                    .bind("s", schema).mapTo(int.class).one();
            boolean versioned = handle.createQuery("SELECT count(*) FROM pg_tables WHERE schemaname = :s"
                    + " AND tablename = :t").bind("s", schema).bind("t", Migrations.VERSION_TABLE)
                    .mapTo(int.class).one() == 1;
            if (tables > 0 && !versioned) {
                throw refused(schema, "it holds " + tables + " tables but no " + Migrations.VERSION_TABLE
                        + " table: it is not a Licensor schema");
            }
            boolean exists = handle.createQuery("SELECT count(*) FROM pg_namespace WHERE nspname = :s")
                    .bind("s", schema).mapTo(int.class).one() == 1;
            if (!exists) {
                handle.execute("CREATE SCHEMA " + Sql.quote(schema));
            }
            handle.execute("SET LOCAL search_path TO " + Sql.quote(schema));
            if (!versioned) {
                return 0;
            }
            int version = handle.createQuery("SELECT coalesce(max(version), 0) FROM " + Migrations.VERSION_TABLE)
                    .mapTo(int.class).one();
            if (version > latest) {
                throw refused(schema, "its schema version " + version + " is newer than this build's " + latest
                        + " (a newer Licensor wrote it)");
            }
            return version;
        };
    }

    private static LicensingException refused(String schema, String why) {
        return new LicensingException(Code.STORE_FAILURE, "refusing schema " + schema + ": " + why
                + "; nothing was changed");
    }
}
