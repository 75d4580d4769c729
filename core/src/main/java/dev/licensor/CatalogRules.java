package dev.licensor;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientChange;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseChange;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.catalog.ProductChange;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.Change;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog's decisions (definitions, and the changes and deletes made after a sale) as
 * functions of the rows {@link CatalogService} and {@link CatalogChanges} loaded under their locks,
 * the validated request, the engine's {@code now} and the actor: no store call and no clock read,
 * so {@code CatalogRulesTest} checks each code on plain values. Each returns a {@link Decision}
 * (the answer and one change set, the ledger entry last) or throws {@link Denied}.
 *
 * <p>A definition that inserts a row whose id the store assigns (a license, a client, a client
 * license) decides the insert first, and its ledger entry (which names the new id) from the
 * inserted row: its unit calls {@code apply(Change...)} twice.
 *
 * <p>Not API. Stateless and thread-safe.
 */
final class CatalogRules {
    private CatalogRules() {
    }

    private static Change entry(Instant at, LedgerEvent event, long licenseId, long clientLicenseId, String subject,
                                String detail, String actor) {
        return Change.appendLedger(new LedgerEntry(0, at, event, licenseId, clientLicenseId, subject, Code.OK, detail, actor));
    }

    // ---- definitions

    /** Defines a product: {@code already_exists} if its code is taken; else the row and {@code PRODUCT_DEFINED}. */
    static Decision<Product> defineProduct(Product product, boolean exists, Instant now, String actor) {
        if (exists) {
            throw Denied.of(Code.ALREADY_EXISTS, "product " + product.code() + " already exists");
        }
        return new Decision<>(product, List.of(Change.putProduct(product),
                entry(now, LedgerEvent.PRODUCT_DEFINED, 0, 0, product.code(), "name " + product.name(), actor)));
    }

    /**
     * What deciding a new license's name reads, under the catalog's lock: whether the product exists,
     * whether a license of it has the key (or username), and whether a deleted one had it.
     */
    record LicenseName(boolean productExists, boolean taken, boolean retired) {
    }

    /**
     * The insert of a validated license draft: {@code unknown_product}, then {@code already_exists}
     * when a license of the product has the name, then when a deleted one had it (a name is never
     * given to another license). The ledger entry follows from the inserted row:
     * {@link #licenseCreated}.
     */
    static Change createLicense(License draft, LicenseName name) {
        if (!name.productExists()) {
            throw Denied.of(Code.UNKNOWN_PRODUCT);
        }
        String what = draft.isKeyBased() ? "key" : "username";
        if (name.taken()) {
            throw Denied.of(Code.ALREADY_EXISTS, "the product already has a license with this " + what);
        }
        if (name.retired()) {
            throw Denied.of(Code.ALREADY_EXISTS, "a deleted license of the product had this " + what
                    + ", which is never given to another license");
        }
        return Change.insertLicense(draft);
    }

    /** {@code LICENSE_CREATED} for the license as inserted (its id; detail product, type, key or username). */
    static Change licenseCreated(License created, Instant now, String actor) {
        return entry(now, LedgerEvent.LICENSE_CREATED, created.id(), 0, "", "product " + created.product() + ", "
                + created.type() + (created.isKeyBased() ? ", key " + created.key() : ", username " + created.username()), actor);
    }

    /** The insert of a new client: {@code already_exists} if the name is taken. Its entry: {@link #clientRegistered}. */
    static Change registerClient(Client draft, boolean nameTaken) {
        if (nameTaken) {
            throw Denied.of(Code.ALREADY_EXISTS, "client " + draft.name() + " already exists");
        }
        return Change.insertClient(draft);
    }

    /** {@code CLIENT_REGISTERED} for the client as inserted (subject its name, detail its id). */
    static Change clientRegistered(Client created, Instant now, String actor) {
        return entry(now, LedgerEvent.CLIENT_REGISTERED, 0, 0, created.name(), "client " + created.id(), actor);
    }

    /** Adds an agent: {@code already_exists} if the client has one of that app type; else the row and {@code AGENT_ADDED}. */
    static Decision<Agent> addAgent(Client client, int appType, String name, boolean exists, Instant now, String actor) {
        if (exists) {
            throw Denied.of(Code.ALREADY_EXISTS, "client " + client.name() + " already has appType " + appType);
        }
        Agent agent = new Agent(client.id(), appType, name);
        return new Decision<>(agent, List.of(Change.putAgent(agent),
                entry(now, LedgerEvent.AGENT_ADDED, 0, 0, client.name(), "appType " + appType, actor)));
    }

    /**
     * The insert of a client license: {@code already_exists} if one has its platform, license and
     * app type. Its entry: {@link #clientLicenseDefined}.
     */
    static Change defineClientLicense(ClientLicense draft, boolean exists) {
        if (exists) {
            throw Denied.of(Code.ALREADY_EXISTS, "a client license with this platform, license and app type exists");
        }
        return Change.insertClientLicense(draft);
    }

    /** {@code CLIENT_LICENSE_DEFINED} for the client license as inserted. */
    static Change clientLicenseDefined(ClientLicense created, Instant now, String actor) {
        return entry(now, LedgerEvent.CLIENT_LICENSE_DEFINED, 0, created.id(), "", "platformType " + created.platformType()
                + ", licenseType " + created.licenseType() + ", appType " + created.appType() + ", " + created.licenseName(), actor);
    }

    /** Defines (or redefines) a group: the row and {@code GROUP_DEFINED} (kind and member count). */
    static Decision<SeatGroup> defineGroup(SeatGroup group, Instant now, String actor) {
        return new Decision<>(group, List.of(Change.putSeatGroup(group), entry(now, LedgerEvent.GROUP_DEFINED, 0, 0,
                group.name(), group.kind() + ", " + group.members().size() + " members", actor)));
    }

    /**
     * What setting a pool policy reads under the pool's lock: the license, the groups the policy's
     * rules name that exist ({@code kind:name}), the current policy, and the live leases (counted
     * only when the leasing strategy changes; 0 otherwise).
     */
    record PolicyTarget(Optional<License> license, Set<String> groups, PoolPolicy current, int liveLeases) {
        PolicyTarget {
            groups = Set.copyOf(groups);
        }

        /** The name a group has in {@link #groups}. */
        static String groupName(GroupKind kind, String name) {
            return kind + ":" + name;
        }
    }

    /** The group kind a rule names, or null for a rule on a user or host. */
    static GroupKind groupKind(PolicyRule rule) {
        return rule.type() == PolicyRule.TargetType.GROUP ? GroupKind.USER
                : rule.type() == PolicyRule.TargetType.HOST_GROUP ? GroupKind.HOST : null;
    }

    /**
     * Sets a validated policy: {@code license_not_found}; then {@code invalid_request} when the
     * license is not floating, the reservations or the borrow low-water mark exceed its seats, a
     * named group does not exist, or the leasing strategy changes while a seat is held. Else the
     * row and {@code POLICY_SET} (leasing, overdraft and rule count).
     */
    static Decision<PoolPolicy> setPolicy(long licenseId, PoolPolicy policy, PolicyTarget target, Instant now, String actor) {
        License license = target.license().orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
        Check.that(license.isFloating(), "only a floating license has a pool policy");
        Check.that(policy.reservedSeats() <= license.floatingSeats(),
                "RESERVE lines reserve " + policy.reservedSeats() + " of " + license.floatingSeats() + " seats");
        Check.that(policy.borrowLowwater() <= license.floatingSeats(),
                "BORROW_LOWWATER exceeds the pool's " + license.floatingSeats() + " seats");
        for (PolicyRule rule : policy.rules()) {
            GroupKind kind = groupKind(rule);
            Check.that(kind == null || target.groups().contains(PolicyTarget.groupName(kind, rule.name())),
                    "no " + rule.type() + " named " + rule.name());
        }
        Check.that(target.current().leasing() == policy.leasing() || target.liveLeases() == 0,
                "the leasing strategy changes only while no seat is held");
        return new Decision<>(policy, List.of(Change.putPoolPolicy(licenseId, policy), entry(now, LedgerEvent.POLICY_SET,
                licenseId, 0, "", "leasing " + policy.leasing() + ", overdraft " + policy.overdraft().text() + ", "
                        + policy.rules().size() + " rules", actor)));
    }

    // ---- changes after a sale

    /**
     * What a license change reads under the pool's lock besides the license: the live leases and
     * the policy (read only when the change lowers the seats), and the activations (counted only
     * when it lowers the cap); 0 and {@code PoolPolicy.NONE} otherwise.
     */
    record InUse(int liveLeases, PoolPolicy policy, int activations) {
        static final InUse NONE = new InUse(0, PoolPolicy.NONE, 0);
    }

    /** Whether {@code change} lowers the license's seats (so the decision reads the live leases and the policy). */
    static boolean lowersSeats(License old, LicenseChange change) {
        return change.floatingSeats() != null && change.floatingSeats() < old.floatingSeats();
    }

    /** Whether {@code change} lowers the activation cap (so the decision reads the activations). */
    static boolean lowersCap(License old, LicenseChange change) {
        return change.maxActivations() != null && change.maxActivations() < old.maxActivations();
    }

    /**
     * Changes a validated license change: {@code license_not_found}; {@code invalid_request} when a
     * floating license would lose its last seat (or a non-floating one gain seats), a dated license
     * would lose its {@code validUntil} or a perpetual one gain one; {@code license_in_use} when the
     * seats go below those held; {@code invalid_request} when they go below the policy's reservations
     * or low-water mark; {@code license_in_use} when the cap goes below the devices activated. Else
     * the row and {@code LICENSE_CHANGED} ({@code name=old->new} per field).
     */
    static Decision<License> changeLicense(Optional<License> license, LicenseChange change, InUse inUse, Instant now,
                                           String actor) {
        License old = license.orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
        long licenseId = old.id();
        int seats = change.floatingSeats() != null ? change.floatingSeats() : old.floatingSeats();
        int cap = change.maxActivations() != null ? change.maxActivations() : old.maxActivations();
        Instant from = change.validity() ? change.validFrom() : old.validFrom();
        Instant until = change.validity() ? change.validUntil() : old.validUntil();
        Check.that((seats > 0) == old.isFloating(), old.isFloating()
                ? "a floating license keeps at least one seat" : "the license is not floating: it has no seats to change");
        boolean dated = old.type() == LicenseType.TIME_LIMITED || old.type() == LicenseType.SUBSCRIPTION;
        Check.that(!dated || until != null, old.type() + " licenses need validUntil");
        Check.that(old.type() != LicenseType.PERPETUAL || until == null, "perpetual licenses have no validUntil");
        if (seats < old.floatingSeats()) {
            if (seats < inUse.liveLeases()) {
                throw Denied.license(Code.LICENSE_IN_USE, inUse.liveLeases()
                        + " seats are held; release them before lowering the seats to " + seats, licenseId, "");
            }
            Check.that(inUse.policy().reservedSeats() <= seats,
                    "the pool policy reserves " + inUse.policy().reservedSeats() + " seats, more than " + seats);
            Check.that(inUse.policy().borrowLowwater() <= seats,
                    "the pool policy's BORROW_LOWWATER exceeds " + seats + " seats");
        }
        if (cap < old.maxActivations() && cap < inUse.activations()) {
            throw Denied.license(Code.LICENSE_IN_USE, inUse.activations()
                    + " devices are activated; deactivate some before lowering the cap to " + cap, licenseId, "");
        }
        License next = new License(old.id(), old.product(), old.key(), old.username(), old.type(), old.enabled(),
                old.active(), from, until, cap, seats, old.floatingTimeout(), old.borrowAllowed(),
                old.maxBorrowTime(), old.maxConsumptions(), old.consumed(), old.overageAllowed(), old.maxOverage());
        return new Decision<>(next, List.of(Change.putLicense(next),
                entry(now, LedgerEvent.LICENSE_CHANGED, licenseId, 0, "", difference(old, next), actor)));
    }

    /** {@code name=old->new} for each changed field, or {@code unchanged}. */
    private static String difference(License a, License b) {
        List<String> parts = new ArrayList<>();
        changed(parts, "floatingSeats", a.floatingSeats(), b.floatingSeats());
        changed(parts, "maxActivations", a.maxActivations(), b.maxActivations());
        changed(parts, "validFrom", a.validFrom(), b.validFrom());
        changed(parts, "validUntil", a.validUntil(), b.validUntil());
        return parts.isEmpty() ? "unchanged" : String.join(", ", parts);
    }

    private static void changed(List<String> parts, String name, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            parts.add(name + "=" + a + "->" + b);
        }
    }

    /**
     * Suspends ({@code suspend}) or resumes: {@code license_not_found}; nothing changes (no entry)
     * if the license is already so; else the row and {@code SUSPENDED} or {@code RESUMED}.
     */
    static Decision<License> suspend(Optional<License> license, boolean suspend, Instant now, String actor) {
        License old = license.orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
        if (old.active() != suspend) {
            return new Decision<>(old, List.of());
        }
        License next = old.withSwitches(old.enabled(), !suspend);
        return new Decision<>(next, List.of(Change.putLicense(next),
                entry(now, suspend ? LedgerEvent.SUSPENDED : LedgerEvent.RESUMED, old.id(), 0, "", "", actor)));
    }

    /**
     * Deletes a license: {@code license_not_found}; {@code license_in_use} while a seat is live;
     * else the delete (its key or username stays taken) and {@code LICENSE_DELETED}.
     *
     * @param liveLeases the license's live leases, counted under the pool's lock
     */
    static Decision<Void> deleteLicense(Optional<License> license, int liveLeases, Instant now, String actor) {
        License old = license.orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
        if (liveLeases > 0) {
            throw Denied.license(Code.LICENSE_IN_USE,
                    liveLeases + " seats are held; release them before deleting the license", old.id(), "");
        }
        return new Decision<>(null, List.of(Change.deleteLicense(old), entry(now, LedgerEvent.LICENSE_DELETED, old.id(), 0,
                "", "product " + old.product() + (old.isKeyBased() ? ", key " + old.key() : ", username " + old.username()),
                actor)));
    }

    /**
     * Changes a product: {@code unknown_product}; nothing changes (no entry) if the change leaves it
     * as it is; else the row and {@code PRODUCT_CHANGED}.
     */
    static Decision<Product> changeProduct(String code, Optional<Product> product, ProductChange change, Instant now,
                                           String actor) {
        Product old = product.orElseThrow(() -> Denied.of(Code.UNKNOWN_PRODUCT, "no product " + code));
        Product next = new Product(code, change.name() != null ? change.name() : old.name(),
                change.floatingTimeout() != null ? change.floatingTimeout() : old.floatingTimeout(),
                change.maxBorrowTime() != null ? change.maxBorrowTime() : old.maxBorrowTime());
        if (next.equals(old)) {
            return new Decision<>(old, List.of());
        }
        List<String> parts = new ArrayList<>();
        changed(parts, "name", old.name(), next.name());
        changed(parts, "floatingTimeout", old.floatingTimeout(), next.floatingTimeout());
        changed(parts, "maxBorrowTime", old.maxBorrowTime(), next.maxBorrowTime());
        return new Decision<>(next, List.of(Change.putProduct(next),
                entry(now, LedgerEvent.PRODUCT_CHANGED, 0, 0, code, String.join(", ", parts), actor)));
    }

    /**
     * Deletes a product: {@code unknown_product}; {@code product_in_use} while it has a license;
     * else the delete (with its blacklist) and {@code PRODUCT_DELETED}.
     *
     * @param someLicense the product's first license by id, if any
     */
    static Decision<Void> deleteProduct(String code, Optional<Product> product, Optional<License> someLicense, Instant now,
                                        String actor) {
        Product old = product.orElseThrow(() -> Denied.of(Code.UNKNOWN_PRODUCT, "no product " + code));
        if (someLicense.isPresent()) {
            throw Denied.subject(Code.PRODUCT_IN_USE, "product " + code + " still has licenses (license "
                    + someLicense.get().id() + "); delete them before the product", code);
        }
        return new Decision<>(null, List.of(Change.deleteProduct(code),
                entry(now, LedgerEvent.PRODUCT_DELETED, 0, 0, code, "name " + old.name(), actor)));
    }

    /**
     * Changes a client: {@code client_not_found}; nothing changes (no entry) if the change leaves it
     * as it is; else the row and {@code CLIENT_CHANGED}. The name never changes.
     */
    static Decision<Client> changeClient(long clientId, Optional<Client> client, ClientChange change, Instant now,
                                         String actor) {
        Client old = client.orElseThrow(() -> Denied.of(Code.CLIENT_NOT_FOUND, "no client " + clientId));
        Client next = new Client(clientId, old.name(),
                change.platformType() != null ? change.platformType() : old.platformType(),
                change.hostName() != null ? change.hostName() : old.hostName());
        if (next.equals(old)) {
            return new Decision<>(old, List.of());
        }
        List<String> parts = new ArrayList<>();
        changed(parts, "platformType", old.platformType(), next.platformType());
        changed(parts, "hostName", old.hostName(), next.hostName());
        return new Decision<>(next, List.of(Change.putClient(next),
                entry(now, LedgerEvent.CLIENT_CHANGED, 0, 0, old.name(), String.join(", ", parts), actor)));
    }

    /**
     * Deletes a client: {@code client_not_found}; {@code client_in_use} while it holds a client
     * license; else the delete (with its agents and released consumptions) and {@code CLIENT_DELETED}.
     *
     * @param held the client's held consumptions, read under its lock
     */
    static Decision<Void> deleteClient(long clientId, Optional<Client> client, long held, Instant now, String actor) {
        Client old = client.orElseThrow(() -> Denied.of(Code.CLIENT_NOT_FOUND, "no client " + clientId));
        if (held > 0) {
            throw Denied.subject(Code.CLIENT_IN_USE, "client " + old.name() + " holds " + held
                    + " client licenses; release them before deleting the client", old.name());
        }
        return new Decision<>(null, List.of(Change.deleteClient(old),
                entry(now, LedgerEvent.CLIENT_DELETED, 0, 0, old.name(), "client " + clientId, actor)));
    }
}
