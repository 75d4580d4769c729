package dev.licensor.store;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import java.time.Instant;
import java.util.Objects;

/**
 * One row change of a change set, for {@link StoreTransaction#apply(Change...)}: the closed set of
 * writes core makes outside a pool decision (catalog, clients, seat administration, policies,
 * the ledger). <b>Puts</b> insert the row, or replace the row with the same key (SQL:
 * {@code INSERT ... ON CONFLICT (key) DO UPDATE}); <b>inserts</b> add a row with a generated id
 * and return it; <b>deletes</b> remove a row by key and say whether one existed. Each record
 * states its key and its result (0 where none is stated). The unit holds the key that guards
 * the row (see {@link LockKey}); the unique keys named here are the only constraints a store
 * enforces (a violation is a bug in core and may throw {@link IllegalStateException}).
 *
 * <p>Values: immutable and thread-safe.
 */
public sealed interface Change {

    /** Inserts the product or replaces its name and defaults (key: code). Holds {@link LockKey#CATALOG}. */
    record PutProduct(Product product) implements Change {
        /** Checks for nulls. */
        public PutProduct {
            Objects.requireNonNull(product, "product");
        }
    }

    /** Deletes the product (which exists and has no license) and its blacklist entries; retired license names of the product stay ({@link Key.RetiredName}). */
    record DeleteProduct(String code) implements Change {
        /** Checks for nulls. */
        public DeleteProduct {
            Objects.requireNonNull(code, "code");
        }
    }

    /** Inserts the license (its id is ignored; its (product, key) or (product, username) is unique and not retired). Result: the new id, positive, never reused. */
    record InsertLicense(License license) implements Change {
        /** Checks for nulls. */
        public InsertLicense {
            Objects.requireNonNull(license, "license");
        }
    }

    /** Replaces the license with the same id (which exists); its product, key and username never change. */
    record PutLicense(License license) implements Change {
        /** Checks for nulls. */
        public PutLicense {
            Objects.requireNonNull(license, "license");
        }
    }

    /** Deletes the license (which exists) and every row keyed by its id: activations, leases, queue entries and pool policy. Its (product, key), or (product, username), stays taken for ever: {@link Key.LicenseByKey}/{@link Key.LicenseByUser} find nothing, {@link Key.RetiredName} is present. */
    record DeleteLicense(License license) implements Change {
        /** Checks for nulls. */
        public DeleteLicense {
            Objects.requireNonNull(license, "license");
        }
    }

    /** Inserts or replaces the activation (key: licenseId, hardwareId). */
    record PutActivation(Activation activation) implements Change {
        /** Checks for nulls. */
        public PutActivation {
            Objects.requireNonNull(activation, "activation");
        }
    }

    /** Deletes the activation if there is one. Result: 1 if one existed, else 0. */
    record DeleteActivation(long licenseId, String hardwareId) implements Change {
        /** Checks for nulls. */
        public DeleteActivation {
            Objects.requireNonNull(hardwareId, "hardwareId");
        }
    }

    /** Adds the device to the product's blacklist, recording {@code at}; keeps the first time if it was there. Result: 1 if added, 0 if it was there. */
    record PutBlacklist(String product, String hardwareId, Instant at) implements Change {
        /** Checks for nulls. */
        public PutBlacklist {
            Objects.requireNonNull(product, "product");
            Objects.requireNonNull(hardwareId, "hardwareId");
            Objects.requireNonNull(at, "at");
        }
    }

    /** Removes the device from the product's blacklist. Result: 1 if it was there, else 0. */
    record DeleteBlacklist(String product, String hardwareId) implements Change {
        /** Checks for nulls. */
        public DeleteBlacklist {
            Objects.requireNonNull(product, "product");
            Objects.requireNonNull(hardwareId, "hardwareId");
        }
    }

    /** Inserts or replaces the lease (key: licenseId, hardwareId = the seat key), every field persisted. */
    record PutLease(Lease lease) implements Change {
        /** Checks for nulls. */
        public PutLease {
            Objects.requireNonNull(lease, "lease");
        }
    }

    /** Deletes the lease of the seat key if there is one. Result: 1 if one existed, else 0. */
    record DeleteLease(long licenseId, String hardwareId) implements Change {
        /** Checks for nulls. */
        public DeleteLease {
            Objects.requireNonNull(hardwareId, "hardwareId");
        }
    }

    /** Inserts or replaces the pool's policy (key: licenseId), read back equal. */
    record PutPolicy(long licenseId, PoolPolicy policy) implements Change {
        /** Checks for nulls. */
        public PutPolicy {
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** Inserts or replaces the seat group (key: kind, name); groups are never deleted. */
    record PutGroup(SeatGroup group) implements Change {
        /** Checks for nulls. */
        public PutGroup {
            Objects.requireNonNull(group, "group");
        }
    }

    /** Inserts or replaces the queue entry (key: licenseId, hardwareId = the seat key), every field persisted. */
    record PutQueueEntry(QueueEntry entry) implements Change {
        /** Checks for nulls. */
        public PutQueueEntry {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** Deletes the queue entry of the seat key if there is one. Result: 1 if one existed, else 0. */
    record DeleteQueueEntry(long licenseId, String hardwareId) implements Change {
        /** Checks for nulls. */
        public DeleteQueueEntry {
            Objects.requireNonNull(hardwareId, "hardwareId");
        }
    }

    /** Inserts the client (its id is ignored; its name is unique). Result: the new id, positive, never reused. */
    record InsertClient(Client client) implements Change {
        /** Checks for nulls. */
        public InsertClient {
            Objects.requireNonNull(client, "client");
        }
    }

    /** Replaces the platform type and host name of the client with the same id (which exists); never its name. */
    record PutClient(Client client) implements Change {
        /** Checks for nulls. */
        public PutClient {
            Objects.requireNonNull(client, "client");
        }
    }

    /** Deletes the client (which exists and holds no consumption), its agents and its released consumptions. */
    record DeleteClient(Client client) implements Change {
        /** Checks for nulls. */
        public DeleteClient {
            Objects.requireNonNull(client, "client");
        }
    }

    /** Inserts or replaces the agent (key: clientId, appType). */
    record PutAgent(Agent agent) implements Change {
        /** Checks for nulls. */
        public PutAgent {
            Objects.requireNonNull(agent, "agent");
        }
    }

    /** Inserts the client license (its id is ignored; its (platformType, licenseType, appType) is unique). Result: the new id, positive. */
    record InsertClientLicense(ClientLicense clientLicense) implements Change {
        /** Checks for nulls. */
        public InsertClientLicense {
            Objects.requireNonNull(clientLicense, "clientLicense");
        }
    }

    /** Replaces the client license with the same id (which exists). */
    record PutClientLicense(ClientLicense clientLicense) implements Change {
        /** Checks for nulls. */
        public PutClientLicense {
            Objects.requireNonNull(clientLicense, "clientLicense");
        }
    }

    /** Inserts or replaces the consumption (key: clientId, clientLicenseId, agentLevel). */
    record PutConsumption(ConsumedLicense consumption) implements Change {
        /** Checks for nulls. */
        public PutConsumption {
            Objects.requireNonNull(consumption, "consumption");
        }
    }

    /** Appends the ledger entry (its seq is ignored). Result: the assigned seq, positive and increasing in commit order, never reused, under the feed rule of {@link StoreTransaction#apply(Change...)}. */
    record AppendLedger(LedgerEntry entry) implements Change {
        /** Checks for nulls. */
        public AppendLedger {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** {@link PutProduct}. */
    static Change putProduct(Product product) {
        return new PutProduct(product);
    }

    /** {@link DeleteProduct}. */
    static Change deleteProduct(String code) {
        return new DeleteProduct(code);
    }

    /** {@link InsertLicense}. */
    static Change insertLicense(License license) {
        return new InsertLicense(license);
    }

    /** {@link PutLicense}. */
    static Change putLicense(License license) {
        return new PutLicense(license);
    }

    /** {@link DeleteLicense}. */
    static Change deleteLicense(License license) {
        return new DeleteLicense(license);
    }

    /** {@link PutActivation}. */
    static Change putActivation(Activation activation) {
        return new PutActivation(activation);
    }

    /** {@link DeleteActivation}. */
    static Change deleteActivation(long licenseId, String hardwareId) {
        return new DeleteActivation(licenseId, hardwareId);
    }

    /** {@link PutBlacklist}. */
    static Change putBlacklist(String product, String hardwareId, Instant at) {
        return new PutBlacklist(product, hardwareId, at);
    }

    /** {@link DeleteBlacklist}. */
    static Change deleteBlacklist(String product, String hardwareId) {
        return new DeleteBlacklist(product, hardwareId);
    }

    /** {@link PutLease}. */
    static Change putLease(Lease lease) {
        return new PutLease(lease);
    }

    /** {@link DeleteLease}. */
    static Change deleteLease(long licenseId, String hardwareId) {
        return new DeleteLease(licenseId, hardwareId);
    }

    /** {@link PutPolicy}. */
    static Change putPoolPolicy(long licenseId, PoolPolicy policy) {
        return new PutPolicy(licenseId, policy);
    }

    /** {@link PutGroup}. */
    static Change putSeatGroup(SeatGroup group) {
        return new PutGroup(group);
    }

    /** {@link PutQueueEntry}. */
    static Change putQueueEntry(QueueEntry entry) {
        return new PutQueueEntry(entry);
    }

    /** {@link DeleteQueueEntry}. */
    static Change deleteQueueEntry(long licenseId, String hardwareId) {
        return new DeleteQueueEntry(licenseId, hardwareId);
    }

    /** {@link InsertClient}. */
    static Change insertClient(Client client) {
        return new InsertClient(client);
    }

    /** {@link PutClient}. */
    static Change putClient(Client client) {
        return new PutClient(client);
    }

    /** {@link DeleteClient}. */
    static Change deleteClient(Client client) {
        return new DeleteClient(client);
    }

    /** {@link PutAgent}. */
    static Change putAgent(Agent agent) {
        return new PutAgent(agent);
    }

    /** {@link InsertClientLicense}. */
    static Change insertClientLicense(ClientLicense clientLicense) {
        return new InsertClientLicense(clientLicense);
    }

    /** {@link PutClientLicense}. */
    static Change putClientLicense(ClientLicense clientLicense) {
        return new PutClientLicense(clientLicense);
    }

    /** {@link PutConsumption}. */
    static Change putConsumption(ConsumedLicense consumption) {
        return new PutConsumption(consumption);
    }

    /** {@link AppendLedger}. */
    static Change appendLedger(LedgerEntry entry) {
        return new AppendLedger(entry);
    }
}
