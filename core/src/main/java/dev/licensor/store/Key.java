package dev.licensor.store;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row looked up by a unique key, for {@link StoreTransaction#find}: the closed set of lookups
 * core makes. {@code R} is the row type returned. Each is a primary-key or unique-index lookup; a
 * store must answer it without scanning a table that grows.
 *
 * <p>Two keys answer a yes/no question with {@code Key<Boolean>}: {@code find} returns
 * {@code Optional.of(true)} when the row exists and empty when not ({@link Blacklisted},
 * {@link RetiredName}).
 *
 * <p>Values: immutable and thread-safe.
 *
 * @param <R> the row type found
 */
public sealed interface Key<R> {

    /** A product by code. */
    record ProductByCode(String code) implements Key<Product> {
        /** Checks for null. */
        public ProductByCode {
            Objects.requireNonNull(code, "code");
        }
    }

    /** A license by id. */
    record LicenseById(long id) implements Key<License> {
    }

    /** The key-based license of a product with this key (unique); not a deleted one. */
    record LicenseByKey(String product, String key) implements Key<License> {
        /** Checks for nulls. */
        public LicenseByKey {
            Objects.requireNonNull(product, "product");
            Objects.requireNonNull(key, "key");
        }
    }

    /** The user-based license of a product with this username (unique); not a deleted one. */
    record LicenseByUser(String product, String username) implements Key<License> {
        /** Checks for nulls. */
        public LicenseByUser {
            Objects.requireNonNull(product, "product");
            Objects.requireNonNull(username, "username");
        }
    }

    /**
     * Present (true) if a deleted license had this (product, key), or, with a null {@code key},
     * this (product, username): a name that stays taken for ever.
     */
    record RetiredName(String product, @Nullable String key, @Nullable String username) implements Key<Boolean> {
        /** Checks that the product and one of key and username are given. */
        public RetiredName {
            Objects.requireNonNull(product, "product");
            if (key == null && username == null) {
                throw new IllegalArgumentException("a key or a username");
            }
        }
    }

    /** The activation of a device on a license: key (licenseId, hardwareId). */
    record ActivationOf(long licenseId, String hardwareId) implements Key<Activation> {
        /** Checks for null. */
        public ActivationOf {
            Objects.requireNonNull(hardwareId, "hardwareId");
        }
    }

    /** Present (true) if the device is on the product's blacklist: key (product, hardwareId). */
    record Blacklisted(String product, String hardwareId) implements Key<Boolean> {
        /** Checks for nulls. */
        public Blacklisted {
            Objects.requireNonNull(product, "product");
            Objects.requireNonNull(hardwareId, "hardwareId");
        }
    }

    /** The lease of a seat key, live or lapsed: key (licenseId, hardwareId = the seat key). */
    record LeaseOf(long licenseId, String hardwareId) implements Key<Lease> {
        /** Checks for null. */
        public LeaseOf {
            Objects.requireNonNull(hardwareId, "hardwareId");
        }
    }

    /** The pool's policy as it was put: key licenseId. */
    record PolicyOf(long licenseId) implements Key<PoolPolicy> {
    }

    /** A seat group: key (kind, name). */
    record GroupByName(GroupKind kind, String name) implements Key<SeatGroup> {
        /** Checks for nulls. */
        public GroupByName {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
        }
    }

    /** A client by id. */
    record ClientById(long id) implements Key<Client> {
    }

    /** A client by its unique name. */
    record ClientByName(String name) implements Key<Client> {
        /** Checks for null. */
        public ClientByName {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A client's agent: key (clientId, appType). */
    record AgentOf(long clientId, int appType) implements Key<Agent> {
    }

    /** A client license by id. */
    record ClientLicenseById(long id) implements Key<ClientLicense> {
    }

    /** A client license by its unique (platformType, licenseType, appType). */
    record ClientLicenseByType(int platformType, int licenseType, int appType) implements Key<ClientLicense> {
    }

    /** A consumption, held or released: key (clientId, clientLicenseId, agentLevel). */
    record ConsumptionOf(long clientId, long clientLicenseId, boolean agentLevel) implements Key<ConsumedLicense> {
    }

    /** {@link ProductByCode}. */
    static Key<Product> product(String code) {
        return new ProductByCode(code);
    }

    /** {@link LicenseById}. */
    static Key<License> license(long id) {
        return new LicenseById(id);
    }

    /** {@link LicenseByKey}. */
    static Key<License> licenseByKey(String product, String key) {
        return new LicenseByKey(product, key);
    }

    /** {@link LicenseByUser}. */
    static Key<License> licenseByUser(String product, String username) {
        return new LicenseByUser(product, username);
    }

    /** {@link RetiredName}. */
    static Key<Boolean> retiredName(String product, @Nullable String key, @Nullable String username) {
        return new RetiredName(product, key, username);
    }

    /** {@link ActivationOf}. */
    static Key<Activation> activation(long licenseId, String hardwareId) {
        return new ActivationOf(licenseId, hardwareId);
    }

    /** {@link Blacklisted}. */
    static Key<Boolean> blacklisted(String product, String hardwareId) {
        return new Blacklisted(product, hardwareId);
    }

    /** {@link LeaseOf}. */
    static Key<Lease> lease(long licenseId, String hardwareId) {
        return new LeaseOf(licenseId, hardwareId);
    }

    /** {@link PolicyOf}. */
    static Key<PoolPolicy> poolPolicy(long licenseId) {
        return new PolicyOf(licenseId);
    }

    /** {@link GroupByName}. */
    static Key<SeatGroup> seatGroup(GroupKind kind, String name) {
        return new GroupByName(kind, name);
    }

    /** {@link ClientById}. */
    static Key<Client> client(long id) {
        return new ClientById(id);
    }

    /** {@link ClientByName}. */
    static Key<Client> clientByName(String name) {
        return new ClientByName(name);
    }

    /** {@link AgentOf}. */
    static Key<Agent> agent(long clientId, int appType) {
        return new AgentOf(clientId, appType);
    }

    /** {@link ClientLicenseById}. */
    static Key<ClientLicense> clientLicense(long id) {
        return new ClientLicenseById(id);
    }

    /** {@link ClientLicenseByType}. */
    static Key<ClientLicense> clientLicenseByType(int platformType, int licenseType, int appType) {
        return new ClientLicenseByType(platformType, licenseType, appType);
    }

    /** {@link ConsumptionOf}. */
    static Key<ConsumedLicense> consumption(long clientId, long clientLicenseId, boolean agentLevel) {
        return new ConsumptionOf(clientId, clientLicenseId, agentLevel);
    }
}
