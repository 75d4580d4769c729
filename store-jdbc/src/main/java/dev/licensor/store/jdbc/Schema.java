package dev.licensor.store.jdbc;

import java.util.List;

/**
 * The tables every relational store holds, in their first shape, rendered for a
 * {@link Dialect}: what a new dialect's first migration creates; {@link TypedValues} is the next
 * migration, which brings them to the shape {@link Statements} runs on. Never edit this list:
 * databases written with it exist. (SQLite keeps its own migration history, which created these
 * same tables and columns in three steps.)
 *
 * <p>Times are two integer columns, epoch seconds ({@code _s}) and the nano adjustment
 * ({@code _ns}), so any {@link java.time.Instant} round-trips exactly and sorts by
 * {@code (s, ns)}; durations likewise; booleans are integers 0/1. Every lookup and range of
 * {@link Statements} hits a key or one of these indexes.
 *
 * <p>Thread-safe (stateless).
 */
public final class Schema {
    private Schema() {
    }

    /** The version table and every table and index of the current schema, as DDL for {@code d}. */
    public static List<String> tables(Dialect d) {
        String big = d.bigint();
        String plain = d.tableOptions(false);
        String natural = d.tableOptions(true);
        return List.of(
                "CREATE TABLE " + Migrations.VERSION_TABLE + " (version " + big + " PRIMARY KEY,"
                        + " description TEXT NOT NULL, applied_at_ms " + big + " NOT NULL)" + plain,
                "CREATE TABLE product (code TEXT PRIMARY KEY, name TEXT NOT NULL,"
                        + " floating_timeout_s " + big + " NOT NULL, floating_timeout_ns " + big + " NOT NULL,"
                        + " max_borrow_s " + big + " NOT NULL, max_borrow_ns " + big + " NOT NULL)" + natural,
                "CREATE TABLE license (" + d.idColumn("id") + ", product TEXT NOT NULL,"
                        + " license_key TEXT, username TEXT, type TEXT NOT NULL,"
                        + " enabled " + big + " NOT NULL, active " + big + " NOT NULL,"
                        + " valid_from_s " + big + ", valid_from_ns " + big + ", valid_until_s " + big + ","
                        + " valid_until_ns " + big + ", max_activations " + big + " NOT NULL,"
                        + " floating_seats " + big + " NOT NULL, floating_timeout_s " + big + ","
                        + " floating_timeout_ns " + big + ", borrow_allowed " + big + " NOT NULL,"
                        + " max_borrow_s " + big + ", max_borrow_ns " + big + ", max_consumptions " + big + " NOT NULL,"
                        + " consumed " + big + " NOT NULL, overage_allowed " + big + " NOT NULL,"
                        + " max_overage " + big + " NOT NULL)" + plain,
                "CREATE UNIQUE INDEX license_by_key ON license (product, license_key)",
                "CREATE UNIQUE INDEX license_by_user ON license (product, username)",
                "CREATE TABLE activation (license_id " + big + " NOT NULL, hardware_id TEXT NOT NULL,"
                        + " activated_s " + big + " NOT NULL, activated_ns " + big + " NOT NULL,"
                        + " PRIMARY KEY (license_id, hardware_id))" + natural,
                "CREATE TABLE blacklist (product TEXT NOT NULL, hardware_id TEXT NOT NULL,"
                        + " at_s " + big + " NOT NULL, at_ns " + big + " NOT NULL,"
                        + " PRIMARY KEY (product, hardware_id))" + natural,
                "CREATE TABLE lease (license_id " + big + " NOT NULL, hardware_id TEXT NOT NULL,"
                        + " granted_s " + big + " NOT NULL, granted_ns " + big + " NOT NULL,"
                        + " refreshed_s " + big + " NOT NULL, refreshed_ns " + big + " NOT NULL,"
                        + " expires_s " + big + " NOT NULL, expires_ns " + big + " NOT NULL,"
                        + " borrowed_until_s " + big + ", borrowed_until_ns " + big + ","
                        + " holder TEXT NOT NULL DEFAULT '', over_limit " + big + " NOT NULL DEFAULT 0,"
                        + " PRIMARY KEY (license_id, hardware_id))" + natural,
                "CREATE INDEX lease_by_license_expiry ON lease (license_id, expires_s, expires_ns, hardware_id)",
                "CREATE INDEX lease_by_expiry ON lease (expires_s, expires_ns, license_id, hardware_id)",
                "CREATE TABLE client (" + d.idColumn("id") + ", name TEXT NOT NULL UNIQUE,"
                        + " platform_type " + big + " NOT NULL, host_name TEXT NOT NULL)" + plain,
                "CREATE TABLE agent (client_id " + big + " NOT NULL, app_type " + big + " NOT NULL,"
                        + " name TEXT NOT NULL, PRIMARY KEY (client_id, app_type))" + natural,
                "CREATE TABLE client_license (" + d.idColumn("id") + ", platform_type " + big + " NOT NULL,"
                        + " license_type " + big + " NOT NULL, app_type " + big + " NOT NULL,"
                        + " license_name TEXT NOT NULL, permanent " + big + " NOT NULL, evaluation " + big + " NOT NULL,"
                        + " evaluation_expiry_s " + big + ", evaluation_expiry_ns " + big + ", used " + big + " NOT NULL,"
                        + " UNIQUE (platform_type, license_type, app_type))" + plain,
                "CREATE TABLE consumption (client_id " + big + " NOT NULL, client_license_id " + big + " NOT NULL,"
                        + " agent_level " + big + " NOT NULL, released " + big + " NOT NULL,"
                        + " changed_s " + big + " NOT NULL, changed_ns " + big + " NOT NULL,"
                        + " PRIMARY KEY (client_id, client_license_id, agent_level))" + natural,
                "CREATE INDEX consumption_by_license ON consumption (client_license_id, released)",
                "CREATE TABLE ledger (" + d.idColumn("seq") + ", at_s " + big + " NOT NULL,"
                        + " at_ns " + big + " NOT NULL, event TEXT NOT NULL, license_id " + big + " NOT NULL,"
                        + " client_license_id " + big + " NOT NULL, subject TEXT NOT NULL, code TEXT NOT NULL,"
                        + " detail TEXT NOT NULL)" + plain,
                "CREATE INDEX ledger_by_time ON ledger (at_s, at_ns, seq)",
                "CREATE TABLE pool_policy (license_id " + big + " PRIMARY KEY, policy TEXT NOT NULL)" + natural,
                "CREATE TABLE seat_group (kind TEXT NOT NULL, name TEXT NOT NULL, members TEXT NOT NULL,"
                        + " PRIMARY KEY (kind, name))" + natural,
                "CREATE TABLE seat_queue (license_id " + big + " NOT NULL, hardware_id TEXT NOT NULL,"
                        + " ticket " + big + " NOT NULL, enqueued_s " + big + " NOT NULL, enqueued_ns " + big + " NOT NULL,"
                        + " expires_s " + big + " NOT NULL, expires_ns " + big + " NOT NULL, holder TEXT NOT NULL,"
                        + " PRIMARY KEY (license_id, hardware_id))" + natural,
                "CREATE INDEX seat_queue_by_ticket ON seat_queue (license_id, ticket)");
    }

    /**
     * The ledger's {@code actor} column (who made an admin change; empty for device calls). Not
     * part of {@link #tables}: stores add it as a migration of their own.
     */
    public static List<String> ledgerActor() {
        // entries written before (device calls and unattributed changes alike) have no actor
        return List.of("ALTER TABLE ledger ADD COLUMN actor TEXT NOT NULL DEFAULT ''");
    }

    /**
     * What the listings and license deletion added (issue 23), as DDL for {@code d}: an index per
     * listing, (product, id) and (username, id), so a keyset page is one index range scan; and
     * the names of deleted licenses, which stay taken. Not part of {@link #tables}: stores add it
     * as a migration of their own, after their first.
     */
    public static List<String> listing(Dialect d) {
        return List.of(
                "CREATE INDEX license_by_product ON license (product, id)",
                "CREATE INDEX license_by_username ON license (username, id)",
                "CREATE TABLE license_retired (product TEXT NOT NULL, by_key " + d.bigint() + " NOT NULL,"
                        + " name TEXT NOT NULL, PRIMARY KEY (product, by_key, name))" + d.tableOptions(true));
    }
}
