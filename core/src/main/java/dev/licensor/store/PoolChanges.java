package dev.licensor.store;

import org.jspecify.annotations.Nullable;
import dev.licensor.catalog.License;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import dev.licensor.ledger.LedgerEntry;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The rows one decision changes in one pool, and the ledger entries it records: what
 * {@link StoreTransaction#apply} writes, atomically with the rest of the unit. Built by core; a
 * store only writes it, in the order {@link StoreTransaction#apply} states.
 *
 * <p>Every lease, queue entry and activation belongs to the pool {@code licenseId}, whose
 * {@link LockKey#pool} the unit holds; blacklist changes need {@link LockKey#CATALOG}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param licenseId        the pool
 * @param license          the license row to replace ({@link Change.PutLicense}), or null
 * @param activationPut    an activation to put, or null
 * @param leaseDeletes     seat keys whose leases to delete (a key without a lease is skipped)
 * @param leasePuts        leases to put (insert or replace by seat key)
 * @param queueDeletes     seat keys whose queue entries to delete (a key without one is skipped)
 * @param queuePuts        queue entries to put (insert or replace by seat key)
 * @param activationDelete the hardware id whose activation to delete, or null
 * @param blacklist        blacklist changes, in order
 * @param ledger           entries to append, in order (their seq is ignored)
 */
public record PoolChanges(long licenseId, @Nullable License license, @Nullable Activation activationPut,
                          List<String> leaseDeletes, List<Lease> leasePuts, List<String> queueDeletes,
                          List<QueueEntry> queuePuts, @Nullable String activationDelete,
                          List<BlacklistChange> blacklist, List<LedgerEntry> ledger) {

    /**
     * A device added to ({@code add}) or removed from a product's blacklist
     * ({@link Change.PutBlacklist} / {@link Change.DeleteBlacklist}).
     *
     * @param product    the product code
     * @param hardwareId the device
     * @param at         when it was added (kept only if it was not there already)
     * @param add        true to add, false to remove
     */
    public record BlacklistChange(String product, String hardwareId, Instant at, boolean add) {
        /** Checks for nulls. */
        public BlacklistChange {
            Objects.requireNonNull(product, "product");
            Objects.requireNonNull(hardwareId, "hardwareId");
            Objects.requireNonNull(at, "at");
        }
    }

    /** No change to pool {@code licenseId}. */
    public static PoolChanges none(long licenseId) {
        return new PoolChanges(licenseId, null, null, List.of(), List.of(), List.of(), List.of(), null, List.of(),
                List.of());
    }

    /** Checks the rows belong to the pool and copies the lists. */
    public PoolChanges {
        if (license != null && license.id() != licenseId) {
            throw new IllegalArgumentException("license " + license.id() + " is not pool " + licenseId);
        }
        if (activationPut != null && activationPut.licenseId() != licenseId) {
            throw new IllegalArgumentException("activation of another pool");
        }
        leaseDeletes = List.copyOf(leaseDeletes);
        leasePuts = List.copyOf(leasePuts);
        queueDeletes = List.copyOf(queueDeletes);
        queuePuts = List.copyOf(queuePuts);
        blacklist = List.copyOf(blacklist);
        ledger = List.copyOf(ledger);
        // indexed: an iterator per list was an allocation on every decision
        for (int i = 0; i < leasePuts.size(); i++) {
            if (leasePuts.get(i).licenseId() != licenseId) {
                throw new IllegalArgumentException("lease of another pool");
            }
        }
        for (int i = 0; i < queuePuts.size(); i++) {
            if (queuePuts.get(i).licenseId() != licenseId) {
                throw new IllegalArgumentException("queue entry of another pool");
            }
        }
    }

    /** True if there is nothing to write. */
    public boolean isEmpty() {
        return license == null && activationPut == null && leaseDeletes.isEmpty() && leasePuts.isEmpty()
                && queueDeletes.isEmpty() && queuePuts.isEmpty() && activationDelete == null && blacklist.isEmpty()
                && ledger.isEmpty();
    }
}
