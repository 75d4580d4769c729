package dev.licensor.store;

import java.util.Objects;

/**
 * What a changing unit of work locks before it reads the rows it decides from. Core names the
 * keys; a store turns each into its own mechanism (a row lock, an advisory lock, a JVM lock, or
 * nothing when the whole unit already runs alone, as under SQLite's {@code BEGIN IMMEDIATE}).
 *
 * <h2>The global order</h2>
 * Keys compare by {@link Kind} (in declaration order: {@code CATALOG < POOL < CLIENT <
 * CLIENT_LICENSE}) and then by id. A unit takes its keys in ascending order only
 * ({@link StoreTransaction#lock} refuses anything else), so two units can never wait for each
 * other in a cycle: units cannot deadlock on these locks.
 *
 * <h2>What each key guards</h2>
 * <ul>
 *   <li>{@link Kind#CATALOG} (id 0): every catalog write (products, licenses created, clients,
 *       agents, client licenses defined), seat groups and the blacklist.</li>
 *   <li>{@link Kind#POOL} (the license id): the license row once created (switches, consumed
 *       count), its pool policy, its activations and its leases.</li>
 *   <li>{@link Kind#CLIENT} (the client id): the client's consumption rows, and the client's
 *       existence (a delete takes it after the catalog key, so a unit that consumes for the client
 *       and reads the client again under this key never writes for a deleted one).</li>
 *   <li>{@link Kind#CLIENT_LICENSE} (the client license id): its {@code used} count.</li>
 * </ul>
 * The ledger needs no key: entries are only appended and pruned.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind what is locked
 * @param id   which one: a license, client or client license id; 0 for the catalog
 */
public record LockKey(Kind kind, long id) implements Comparable<LockKey> {

    /** The kinds of lock, in the global order. */
    public enum Kind {
        /** The catalog and the blacklist, as one key. */
        CATALOG,
        /** One license: its row, activations and leases. */
        POOL,
        /** One client: its consumptions. */
        CLIENT,
        /** One client license: its used count. */
        CLIENT_LICENSE
    }

    /** The one catalog key. */
    public static final LockKey CATALOG = new LockKey(Kind.CATALOG, 0);

    /** Checks the id: positive, or 0 for the catalog. */
    public LockKey {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.CATALOG ? id != 0 : id <= 0) {
            throw new IllegalArgumentException("bad id " + id + " for a " + kind + " lock");
        }
    }

    /** The key of license {@code licenseId}'s pool. */
    public static LockKey pool(long licenseId) {
        return new LockKey(Kind.POOL, licenseId);
    }

    /** The key of client {@code clientId}. */
    public static LockKey client(long clientId) {
        return new LockKey(Kind.CLIENT, clientId);
    }

    /** The key of client license {@code clientLicenseId}. */
    public static LockKey clientLicense(long clientLicenseId) {
        return new LockKey(Kind.CLIENT_LICENSE, clientLicenseId);
    }

    /** The global order: by kind, then by id. */
    @Override
    public int compareTo(LockKey o) {
        int c = kind.compareTo(o.kind);
        return c != 0 ? c : Long.compare(id, o.id);
    }
}
