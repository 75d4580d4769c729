package dev.licensor.store.sqlite.internal;

import dev.licensor.store.jdbc.HolderMeta;
import dev.licensor.store.jdbc.LedgerFacts;
import dev.licensor.store.jdbc.Migration;
import dev.licensor.store.jdbc.Migrations;
import dev.licensor.store.jdbc.TypedValues;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * SQLite's schema history: ordered migrations, each applied once, in its own transaction, when a
 * store opens a file whose version is older, by the shared runner ({@link Migrations}). Files
 * written with these migrations exist, so they stay as written; they produce the tables of the
 * shared {@link dev.licensor.store.jdbc.Schema} (whose {@code Statements} the store runs), with
 * SQLite's ledger seq floor. Not API.
 *
 * <p>Times are stored as two INTEGER columns, epoch seconds ({@code _s}) and the nano adjustment
 * ({@code _ns}), so any {@link java.time.Instant} round-trips exactly and sorts by
 * {@code (s, ns)}; durations likewise. Tables keyed by natural keys are {@code WITHOUT ROWID} so
 * their key is the table's own b-tree; every lookup the store makes hits a key or an index
 * (checked by a test with {@code EXPLAIN QUERY PLAN}).
 *
 * <p>Immutable and thread-safe.
 */
public final class Schema {
    /** {@code PRAGMA application_id} of a Licensor database: "LICS". */
    public static final int APPLICATION_ID = 0x4C494353;
    /** The table holding one row per applied migration. */
    public static final String VERSION_TABLE = Migrations.VERSION_TABLE;

    /**
     * Every migration, in order; versions are 1, 2, 3, ... without gaps. A migration that has
     * reached {@code main} is never edited: files written with it exist. Change the schema by
     * appending a migration.
     */
    public static final List<Migration> MIGRATIONS = List.of(
            Migration.sql(1, "initial schema", List.of(
                    "CREATE TABLE " + VERSION_TABLE + " (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                            + " applied_at_ms INTEGER NOT NULL) STRICT",
                    "CREATE TABLE product (code TEXT PRIMARY KEY, name TEXT NOT NULL,"
                            + " floating_timeout_s INTEGER NOT NULL, floating_timeout_ns INTEGER NOT NULL,"
                            + " max_borrow_s INTEGER NOT NULL, max_borrow_ns INTEGER NOT NULL) STRICT, WITHOUT ROWID",
                    "CREATE TABLE license (id INTEGER PRIMARY KEY, product TEXT NOT NULL,"
                            + " license_key TEXT, username TEXT, type TEXT NOT NULL,"
                            + " enabled INTEGER NOT NULL, active INTEGER NOT NULL,"
                            + " valid_from_s INTEGER, valid_from_ns INTEGER, valid_until_s INTEGER, valid_until_ns INTEGER,"
                            + " max_activations INTEGER NOT NULL, floating_seats INTEGER NOT NULL,"
                            + " floating_timeout_s INTEGER, floating_timeout_ns INTEGER,"
                            + " borrow_allowed INTEGER NOT NULL, max_borrow_s INTEGER, max_borrow_ns INTEGER,"
                            + " max_consumptions INTEGER NOT NULL, consumed INTEGER NOT NULL,"
                            + " overage_allowed INTEGER NOT NULL, max_overage INTEGER NOT NULL) STRICT",
                    "CREATE UNIQUE INDEX license_by_key ON license (product, license_key)",
                    "CREATE UNIQUE INDEX license_by_user ON license (product, username)",
                    "CREATE TABLE activation (license_id INTEGER NOT NULL, hardware_id TEXT NOT NULL,"
                            + " activated_s INTEGER NOT NULL, activated_ns INTEGER NOT NULL,"
                            + " PRIMARY KEY (license_id, hardware_id)) STRICT, WITHOUT ROWID",
                    "CREATE TABLE blacklist (product TEXT NOT NULL, hardware_id TEXT NOT NULL,"
                            + " at_s INTEGER NOT NULL, at_ns INTEGER NOT NULL,"
                            + " PRIMARY KEY (product, hardware_id)) STRICT, WITHOUT ROWID",
                    "CREATE TABLE lease (license_id INTEGER NOT NULL, hardware_id TEXT NOT NULL,"
                            + " granted_s INTEGER NOT NULL, granted_ns INTEGER NOT NULL,"
                            + " refreshed_s INTEGER NOT NULL, refreshed_ns INTEGER NOT NULL,"
                            + " expires_s INTEGER NOT NULL, expires_ns INTEGER NOT NULL,"
                            + " borrowed_until_s INTEGER, borrowed_until_ns INTEGER,"
                            + " PRIMARY KEY (license_id, hardware_id)) STRICT, WITHOUT ROWID",
                    // (license, expiry) serves the seat count and the pool sweep; the primary key
                    // columns ride along in the index, giving the (expiry, hardware id) order.
                    "CREATE INDEX lease_by_license_expiry ON lease (license_id, expires_s, expires_ns)",
                    "CREATE INDEX lease_by_expiry ON lease (expires_s, expires_ns)",
                    "CREATE TABLE client (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                            + " platform_type INTEGER NOT NULL, host_name TEXT NOT NULL) STRICT",
                    "CREATE TABLE agent (client_id INTEGER NOT NULL, app_type INTEGER NOT NULL, name TEXT NOT NULL,"
                            + " PRIMARY KEY (client_id, app_type)) STRICT, WITHOUT ROWID",
                    "CREATE TABLE client_license (id INTEGER PRIMARY KEY, platform_type INTEGER NOT NULL,"
                            + " license_type INTEGER NOT NULL, app_type INTEGER NOT NULL, license_name TEXT NOT NULL,"
                            + " permanent INTEGER NOT NULL, evaluation INTEGER NOT NULL,"
                            + " evaluation_expiry_s INTEGER, evaluation_expiry_ns INTEGER, used INTEGER NOT NULL,"
                            + " UNIQUE (platform_type, license_type, app_type)) STRICT",
                    "CREATE TABLE consumption (client_id INTEGER NOT NULL, client_license_id INTEGER NOT NULL,"
                            + " agent_level INTEGER NOT NULL, released INTEGER NOT NULL,"
                            + " changed_s INTEGER NOT NULL, changed_ns INTEGER NOT NULL,"
                            + " PRIMARY KEY (client_id, client_license_id, agent_level)) STRICT, WITHOUT ROWID",
                    "CREATE INDEX consumption_by_license ON consumption (client_license_id, released)",
                    // AUTOINCREMENT: a seq is never reused, even after pruning deletes the newest rows.
                    "CREATE TABLE ledger (seq INTEGER PRIMARY KEY AUTOINCREMENT, at_s INTEGER NOT NULL,"
                            + " at_ns INTEGER NOT NULL, event TEXT NOT NULL, license_id INTEGER NOT NULL,"
                            + " client_license_id INTEGER NOT NULL, subject TEXT NOT NULL, code TEXT NOT NULL,"
                            + " detail TEXT NOT NULL) STRICT",
                    "CREATE INDEX ledger_by_time ON ledger (at_s, at_ns)",
                    "PRAGMA application_id = " + APPLICATION_ID)),
            // AUTOINCREMENT wrote sqlite_sequence on every append: one more page per commit. Now seq is
            // max(seq) + 1 and never below ledger_seq_floor, which pruning raises to the highest seq it
            // may delete, so seqs still grow in commit order and are never reused.
            new Migration(2, "ledger seq without AUTOINCREMENT", Schema::ledgerWithoutAutoincrement),
            // Seat policies (issue 13): who holds a lease and whether it is over the purchased
            // seats; pool options; user and host groups. Leases written before keep '' and 0:
            // per-device, no holder, within the seats.
            Migration.sql(3, "seat policies: lease holder, pool policies, seat groups, seat queue", List.of(
                    "ALTER TABLE lease ADD COLUMN holder TEXT NOT NULL DEFAULT ''",
                    "ALTER TABLE lease ADD COLUMN over_limit INTEGER NOT NULL DEFAULT 0",
                    "CREATE TABLE pool_policy (license_id INTEGER PRIMARY KEY, policy TEXT NOT NULL) STRICT",
                    "CREATE TABLE seat_group (kind TEXT NOT NULL, name TEXT NOT NULL, members TEXT NOT NULL,"
                            + " PRIMARY KEY (kind, name)) STRICT, WITHOUT ROWID",
                    "CREATE TABLE seat_queue (license_id INTEGER NOT NULL, hardware_id TEXT NOT NULL,"
                            + " ticket INTEGER NOT NULL, enqueued_s INTEGER NOT NULL, enqueued_ns INTEGER NOT NULL,"
                            + " expires_s INTEGER NOT NULL, expires_ns INTEGER NOT NULL, holder TEXT NOT NULL,"
                            + " PRIMARY KEY (license_id, hardware_id)) STRICT, WITHOUT ROWID",
                    "CREATE INDEX seat_queue_by_ticket ON seat_queue (license_id, ticket)")),
            // Structured values typed (issue 26): policies, group members and holders were text
            // parsed back, which cut names at '#' or a space. Converts the rows already written.
            TypedValues.migration(4, SqliteDialect.INSTANCE, ddl -> ddl),
            // Listings and license deletion (issue 23): an index per keyset listing, and the names
            // of deleted licenses, which are never given to another license.
            Migration.sql(5, "listing indexes, retired license names",
                    dev.licensor.store.jdbc.Schema.listing(SqliteDialect.INSTANCE)),
            // Who made an admin change (issue 27, S17): a typed column of its own.
            Migration.sql(6, "ledger actor", dev.licensor.store.jdbc.Schema.ledgerActor()),
            // What a ledger entry records, typed (issue 19): borrow end, uses, queue position, level
            // and holder were text in detail that readers parsed back. Converts the rows written.
            LedgerFacts.migration(7, SqliteDialect.INSTANCE, ddl -> ddl),
            // Ids never reused (issue 23): a plain INTEGER PRIMARY KEY hands out max(id) + 1, so
            // deleting the newest license or client gave its id to the next one, and an engine that
            // remembered a deleted key's id would reach another customer's license. AUTOINCREMENT
            // keeps the highest id ever given (one more page written per license or client created).
            // Numbered 8 by the tracks' allocation (7 is issue 19's).
            Migration.sql(8, "license and client ids never reused", idsNeverReused()),
            // Holder metadata typed (issue 19, item 5): a row per pair instead of one length-prefixed
            // text column; triggers drop a row's pairs when it is deleted or rewritten.
            HolderMeta.migration(9, SqliteDialect.INSTANCE, ddl -> ddl, holderMetaTriggers()));

    /**
     * Migration 9's triggers: a lease's or queue entry's pairs go with it when it is deleted, and
     * when it is written again (its {@code meta_count} set by the upsert; the new pairs follow).
     * Only rows that had pairs run them.
     */
    private static List<String> holderMetaTriggers() {
        List<String> triggers = new java.util.ArrayList<>();
        for (String[] t : new String[][] {{"lease", "lease"}, {"seat_queue", "queue"}}) {
            String body = " FOR EACH ROW WHEN OLD.meta_count > 0 BEGIN DELETE FROM holder_meta WHERE license_id ="
                    + " OLD.license_id AND kind = '" + t[1] + "' AND seat = OLD.hardware_id; END";
            triggers.add("CREATE TRIGGER " + t[0] + "_meta_deleted AFTER DELETE ON " + t[0] + body);
            triggers.add("CREATE TRIGGER " + t[0] + "_meta_rewritten AFTER UPDATE OF meta_count ON " + t[0] + body);
        }
        return triggers;
    }

    private static final String LICENSE_COLUMNS = "id, product, license_key, username, type, enabled, active,"
            + " valid_from_s, valid_from_ns, valid_until_s, valid_until_ns, max_activations, floating_seats,"
            + " floating_timeout_s, floating_timeout_ns, borrow_allowed, max_borrow_s, max_borrow_ns,"
            + " max_consumptions, consumed, overage_allowed, max_overage";

    /**
     * Migration 8: the license and client tables rebuilt with AUTOINCREMENT, their indexes again,
     * and the counters set to the highest id known: the rows', and for licenses also the ledger's
     * (a license deleted before this version left its id there, unless the ledger was pruned).
     */
    private static List<String> idsNeverReused() {
        return List.of(
                "CREATE TABLE license_v8 (id INTEGER PRIMARY KEY AUTOINCREMENT, product TEXT NOT NULL,"
                        + " license_key TEXT, username TEXT, type TEXT NOT NULL,"
                        + " enabled INTEGER NOT NULL, active INTEGER NOT NULL,"
                        + " valid_from_s INTEGER, valid_from_ns INTEGER, valid_until_s INTEGER, valid_until_ns INTEGER,"
                        + " max_activations INTEGER NOT NULL, floating_seats INTEGER NOT NULL,"
                        + " floating_timeout_s INTEGER, floating_timeout_ns INTEGER,"
                        + " borrow_allowed INTEGER NOT NULL, max_borrow_s INTEGER, max_borrow_ns INTEGER,"
                        + " max_consumptions INTEGER NOT NULL, consumed INTEGER NOT NULL,"
                        + " overage_allowed INTEGER NOT NULL, max_overage INTEGER NOT NULL) STRICT",
                "INSERT INTO license_v8 (" + LICENSE_COLUMNS + ") SELECT " + LICENSE_COLUMNS + " FROM license",
                "DROP TABLE license",
                "ALTER TABLE license_v8 RENAME TO license",
                "CREATE UNIQUE INDEX license_by_key ON license (product, license_key)",
                "CREATE UNIQUE INDEX license_by_user ON license (product, username)",
                "CREATE INDEX license_by_product ON license (product, id)",
                "CREATE INDEX license_by_username ON license (username, id)",
                "CREATE TABLE client_v8 (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE,"
                        + " platform_type INTEGER NOT NULL, host_name TEXT NOT NULL) STRICT",
                "INSERT INTO client_v8 (id, name, platform_type, host_name)"
                        + " SELECT id, name, platform_type, host_name FROM client",
                "DROP TABLE client",
                "ALTER TABLE client_v8 RENAME TO client",
                "DELETE FROM sqlite_sequence WHERE name IN ('license', 'license_v8', 'client', 'client_v8')",
                "INSERT INTO sqlite_sequence (name, seq) SELECT 'license', max(coalesce((SELECT max(id) FROM license), 0),"
                        + " coalesce((SELECT max(license_id) FROM ledger), 0))",
                "INSERT INTO sqlite_sequence (name, seq) SELECT 'client', coalesce((SELECT max(id) FROM client), 0)");
    }

    /** The version this build writes. */
    public static final int LATEST = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

    private Schema() {
    }

    /**
     * Migration 2. Written to accept both forms version 1 had on the main branch for a few minutes
     * (with AUTOINCREMENT, and already with the floor table), so every file written at version 1
     * ends in the same state.
     */
    private static void ledgerWithoutAutoincrement(Handle handle) {
        long floor = handle.createQuery("SELECT ifnull(max(seq), 0) FROM ledger").mapTo(long.class).one();
        if (exists(handle, "sqlite_sequence")) {
            floor = Math.max(floor, handle.createQuery("SELECT ifnull(max(seq), 0) FROM sqlite_sequence"
                    + " WHERE name = 'ledger'").mapTo(long.class).one());
        }
        if (exists(handle, "ledger_seq_floor")) {
            floor = Math.max(floor, handle.createQuery("SELECT ifnull(max(seq), 0) FROM ledger_seq_floor")
                    .mapTo(long.class).one());
            handle.execute("DELETE FROM ledger_seq_floor");
        } else {
            handle.execute("CREATE TABLE ledger_seq_floor (id INTEGER PRIMARY KEY CHECK (id = 1),"
                    + " seq INTEGER NOT NULL) STRICT");
        }
        handle.createUpdate("INSERT INTO ledger_seq_floor (id, seq) VALUES (1, :floor)").bind("floor", floor).execute();
        String ledgerSql = handle.createQuery("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'ledger'")
                .mapTo(String.class).one();
        if (ledgerSql.toUpperCase(java.util.Locale.ROOT).contains("AUTOINCREMENT")) {
            handle.execute("CREATE TABLE ledger_v2 (seq INTEGER PRIMARY KEY, at_s INTEGER NOT NULL,"
                    + " at_ns INTEGER NOT NULL, event TEXT NOT NULL, license_id INTEGER NOT NULL,"
                    + " client_license_id INTEGER NOT NULL, subject TEXT NOT NULL, code TEXT NOT NULL,"
                    + " detail TEXT NOT NULL) STRICT");
            handle.execute("INSERT INTO ledger_v2 (seq, at_s, at_ns, event, license_id, client_license_id, subject,"
                    + " code, detail) SELECT seq, at_s, at_ns, event, license_id, client_license_id, subject, code,"
                    + " detail FROM ledger ORDER BY seq");
            handle.execute("DROP TABLE ledger");
            handle.execute("ALTER TABLE ledger_v2 RENAME TO ledger");
            handle.execute("CREATE INDEX ledger_by_time ON ledger (at_s, at_ns)");
        }
    }

    private static boolean exists(Handle handle, String table) {
        return handle.createQuery("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = :name")
                .bind("name", table).mapTo(int.class).one() == 1;
    }
}
