package dev.licensor.store;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import dev.licensor.ledger.LedgerEntry;
import java.time.Instant;
import java.util.Objects;

/**
 * A list of rows, for {@link StoreTransaction#list}: the closed set of range reads core makes,
 * each with the order it must come in (the shared suite checks every order) and what bounds it.
 * Each is one index range scan bounded by what it returns (or, for the few small by nature, by
 * the owner's rows); a store must not scan a table that grows. "Code point order" is
 * {@link CodePointOrder} (SQL: binary / {@code "C"} collation).
 *
 * <p>A {@code limit} is positive. Values: immutable and thread-safe.
 *
 * @param <R> the row type listed
 */
public sealed interface Query<R> {

    /** Up to {@code limit} products with {@code code > afterCode} ({@code ""} first), in code point order of code. */
    record ProductsAfter(String afterCode, int limit) implements Query<Product> {
        /** Checks the arguments. */
        public ProductsAfter {
            Objects.requireNonNull(afterCode, "afterCode");
            positive(limit);
        }
    }

    /** Up to {@code limit} licenses with {@code id > afterId}, by id: a primary-key range. */
    record LicensesAfter(long afterId, int limit) implements Query<License> {
        /** Checks the limit. */
        public LicensesAfter {
            positive(limit);
        }
    }

    /** Up to {@code limit} licenses of the product with {@code id > afterId}, by id: an index range on (product, id). */
    record LicensesOfProduct(String product, long afterId, int limit) implements Query<License> {
        /** Checks the arguments. */
        public LicensesOfProduct {
            Objects.requireNonNull(product, "product");
            positive(limit);
        }
    }

    /**
     * Up to {@code limit} user-based licenses of the username, in any product, with
     * {@code id > afterId}, by id: an index range on (username, id).
     */
    record LicensesOfUser(String username, long afterId, int limit) implements Query<License> {
        /** Checks the arguments. */
        public LicensesOfUser {
            Objects.requireNonNull(username, "username");
            positive(limit);
        }
    }

    /** Up to {@code limit} clients with {@code id > afterId}, by id: a primary-key range. */
    record ClientsAfter(long afterId, int limit) implements Query<Client> {
        /** Checks the limit. */
        public ClientsAfter {
            positive(limit);
        }
    }

    /**
     * The leases of the license with {@code expiresAt > after} (the pool's holders, at most its seat
     * count), ordered by grantedAt, then hardware id in code point order.
     */
    record LiveLeases(long licenseId, Instant after) implements Query<Lease> {
        /** Checks for null. */
        public LiveLeases {
            Objects.requireNonNull(after, "after");
        }
    }

    /**
     * Up to {@code limit} leases with {@code expiresAt <= by}: of license {@code licenseId}, ordered
     * by expiresAt, then hardware id in code point order; or, with {@code licenseId} 0, of any
     * license, ordered by expiresAt, then license id, then hardware id. An index range on
     * (licenseId, expiresAt), or on (expiresAt).
     */
    record LapsedLeases(long licenseId, Instant by, int limit) implements Query<Lease> {
        /** Checks the arguments. */
        public LapsedLeases {
            Objects.requireNonNull(by, "by");
            positive(limit);
            if (licenseId < 0) {
                throw new IllegalArgumentException("licenseId must not be negative");
            }
        }
    }

    /** Every entry of the pool's queue, live or lapsed, ordered by ticket (at most its queue length plus lapsed ones). */
    record Queue(long licenseId) implements Query<QueueEntry> {
    }

    /** The agents of the client, ordered by app type. */
    record Agents(long clientId) implements Query<Agent> {
    }

    /** Every client license, ordered by id (a catalog, small by nature: the one full read). */
    record ClientLicenses() implements Query<ClientLicense> {
    }

    /**
     * Every consumption (held or released) of the client, ordered by client license id, then
     * client-level before agent-level.
     */
    record ConsumptionsOfClient(long clientId) implements Query<ConsumedLicense> {
    }

    /** Held (not released) consumptions of the client license, ordered by client id, then client-level before agent-level. */
    record HeldConsumptions(long clientLicenseId) implements Query<ConsumedLicense> {
    }

    /**
     * Up to {@code limit} ledger entries with {@code seq > after}, ordered by seq: the ledger feed,
     * an index range on seq. Seqs must become visible in seq order (the feed rule of
     * {@link StoreTransaction}): a reader that stores the last seq it read and asks for what
     * comes after it must never miss an entry.
     */
    record LedgerAfter(long after, int limit) implements Query<LedgerEntry> {
        /** Checks the limit. */
        public LedgerAfter {
            positive(limit);
        }
    }

    /** Up to {@code limit} ledger entries with {@code from <= at < to}, ordered by (at, seq): an index range on at. */
    record LedgerBetween(Instant from, Instant to, int limit) implements Query<LedgerEntry> {
        /** Checks the arguments. */
        public LedgerBetween {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            positive(limit);
        }
    }

    private static void positive(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    /** {@link ProductsAfter}. */
    static Query<Product> productsAfter(String afterCode, int limit) {
        return new ProductsAfter(afterCode, limit);
    }

    /** {@link LicensesAfter}. */
    static Query<License> licensesAfter(long afterId, int limit) {
        return new LicensesAfter(afterId, limit);
    }

    /** {@link LicensesOfProduct}. */
    static Query<License> licensesOfProductAfter(String product, long afterId, int limit) {
        return new LicensesOfProduct(product, afterId, limit);
    }

    /** {@link LicensesOfUser}. */
    static Query<License> licensesOfUserAfter(String username, long afterId, int limit) {
        return new LicensesOfUser(username, afterId, limit);
    }

    /** {@link ClientsAfter}. */
    static Query<Client> clientsAfter(long afterId, int limit) {
        return new ClientsAfter(afterId, limit);
    }

    /** {@link LiveLeases}. */
    static Query<Lease> leasesLiveAfter(long licenseId, Instant after) {
        return new LiveLeases(licenseId, after);
    }

    /** {@link LapsedLeases} of one license. */
    static Query<Lease> leasesLapsedBy(long licenseId, Instant by, int limit) {
        return new LapsedLeases(licenseId, by, limit);
    }

    /** {@link LapsedLeases} of any license. */
    static Query<Lease> leasesLapsedBy(Instant by, int limit) {
        return new LapsedLeases(0, by, limit);
    }

    /** {@link Queue}. */
    static Query<QueueEntry> queue(long licenseId) {
        return new Queue(licenseId);
    }

    /** {@link Agents}. */
    static Query<Agent> agents(long clientId) {
        return new Agents(clientId);
    }

    /** {@link ClientLicenses}. */
    static Query<ClientLicense> clientLicenses() {
        return new ClientLicenses();
    }

    /** {@link ConsumptionsOfClient}. */
    static Query<ConsumedLicense> consumptionsOfClient(long clientId) {
        return new ConsumptionsOfClient(clientId);
    }

    /** {@link HeldConsumptions}. */
    static Query<ConsumedLicense> heldConsumptionsOf(long clientLicenseId) {
        return new HeldConsumptions(clientLicenseId);
    }

    /** {@link LedgerAfter}. */
    static Query<LedgerEntry> ledgerAfter(long after, int limit) {
        return new LedgerAfter(after, limit);
    }

    /** {@link LedgerBetween}. */
    static Query<LedgerEntry> ledger(Instant from, Instant to, int limit) {
        return new LedgerBetween(from, to, limit);
    }
}
