package dev.licensor;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Catalog;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientChange;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseChange;
import dev.licensor.catalog.LicenseQuery;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Page;
import dev.licensor.catalog.PoolSummary;
import dev.licensor.catalog.Product;
import dev.licensor.catalog.ProductChange;
import dev.licensor.catalog.ProductPage;
import dev.licensor.clients.ClientRef;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.Change;
import dev.licensor.store.Count;
import dev.licensor.store.Key;
import dev.licensor.store.LockKey;
import dev.licensor.store.Query;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates and stores catalog definitions: each validates the request (no store), then in one
 * unit locks, loads the rows it decides on, decides in {@link CatalogRules} and applies the change
 * set. Thread-safe (stateless beyond the engine).
 */
final class CatalogService implements Catalog {
    private final Engine engine;
    private final CatalogListing listing;
    private final CatalogChanges changes;
    private final SeatCacheHook cache;
    private final SeatSignal signal;
    /** Who makes this view's changes ("" when the host stated no actor). */
    private final String actor;

    CatalogService(Engine engine, SeatCacheHook cache, SeatSignal signal) {
        this(engine, cache, signal, "");
    }

    private CatalogService(Engine engine, SeatCacheHook cache, SeatSignal signal, String actor) {
        this.engine = engine;
        this.cache = cache;
        this.signal = signal;
        this.actor = actor;
        this.listing = new CatalogListing(engine);
        this.changes = new CatalogChanges(engine, cache, signal, actor);
    }

    /** The same catalog, recording {@code actor} as who made each change. */
    public CatalogService as(dev.licensor.ledger.Actor actor) {
        return new CatalogService(engine, cache, signal, actor.name());
    }

    @Override
    public Outcome<Product> defineProduct(Product product) {
        return engine.attempt(() -> {
            Check.required("product", product);
            Check.productCode(product.code());
            Check.text("name", product.name());
            Check.duration("floatingTimeout", product.floatingTimeout(), false);
            Check.duration("maxBorrowTime", product.maxBorrowTime(), true);
            return engine.store().write(tx -> {
                tx.lock(LockKey.CATALOG);
                boolean exists = tx.find(Key.product(product.code())).isPresent();
                return CatalogChanges.apply(tx, CatalogRules.defineProduct(product, exists, engine.now(), actor));
            });
        });
    }

    @Override
    public Optional<Product> product(String code) {
        if (!Check.lookable(code)) {
            return Optional.empty();
        }
        return engine.store().read(tx -> tx.find(Key.product(code)));
    }

    @Override
    public Outcome<License> createLicense(License d) {
        return engine.attempt(() -> {
            Check.required("license", d);
            Check.productCode(d.product());
            Check.optionalText("key", d.key(), Check.MAX_TEXT);
            Check.optionalText("username", d.username(), Check.MAX_TEXT);
            boolean hasKey = d.key() != null && !d.key().isBlank();
            boolean hasUser = d.username() != null && !d.username().isBlank();
            if (!hasKey && !hasUser) {
                throw Denied.of(Code.MISSING_PARAMETERS, "a license needs a key or a username");
            }
            // a blank key next to a username would be stored and make the license look key-based
            if (d.key() != null && d.username() != null) {
                throw Denied.of(Code.INVALID_REQUEST, "a license has exactly one of key and username");
            }
            Check.required("type", d.type());
            Check.positive("maxActivations", d.maxActivations());
            Check.notNegative("floatingSeats", d.floatingSeats());
            if (d.floatingTimeout() != null) {
                Check.duration("floatingTimeout", d.floatingTimeout(), false);
            }
            if (d.maxBorrowTime() != null) {
                Check.duration("maxBorrowTime", d.maxBorrowTime(), true);
            }
            Check.notNegative("maxConsumptions", d.maxConsumptions());
            Check.notNegative("maxOverage", d.maxOverage());
            Check.that(d.consumed() == 0, "a new license has consumed 0");
            Check.optionalInstant("validFrom", d.validFrom());
            Check.optionalInstant("validUntil", d.validUntil());
            boolean dated = d.type() == LicenseType.TIME_LIMITED || d.type() == LicenseType.SUBSCRIPTION;
            Check.that(!dated || d.validUntil() != null, d.type() + " licenses need validUntil");
            Check.that(d.type() != LicenseType.PERPETUAL || d.validUntil() == null, "perpetual licenses have no validUntil");
            Check.that(d.validFrom() == null || d.validUntil() == null || d.validFrom().isBefore(d.validUntil()),
                    "validFrom must be before validUntil");
            return engine.store().write(tx -> {
                tx.lock(LockKey.CATALOG);
                boolean product = tx.find(Key.product(d.product())).isPresent();
                boolean taken = product && (hasKey ? tx.find(Key.licenseByKey(d.product(), d.key())).isPresent()
                        : tx.find(Key.licenseByUser(d.product(), d.username())).isPresent());
                boolean retired = product && !taken
                        && tx.find(Key.retiredName(d.product(), hasKey ? d.key() : null, hasKey ? null : d.username())).isPresent();
                Change insert = CatalogRules.createLicense(d, new CatalogRules.LicenseName(product, taken, retired));
                // the entry names the id the store assigns: a second apply
                License created = d.withId(tx.apply(insert)[0]);
                tx.apply(CatalogRules.licenseCreated(created, engine.now(), actor));
                return created;
            });
        });
    }

    @Override
    public Optional<License> license(long id) {
        return engine.store().read(tx -> tx.find(Key.license(id)));
    }

    @Override
    public Outcome<License> licenseByKey(String product, String key) {
        return engine.attempt(() -> {
            String code = Check.productCode(product);
            String k = Check.text("license_key", key);
            return engine.store().read(tx -> tx.find(Key.licenseByKey(code, k))).orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
        });
    }

    @Override
    public Outcome<License> licenseByUser(String product, String username) {
        return engine.attempt(() -> {
            String code = Check.productCode(product);
            String user = Check.text("username", username);
            return engine.store().read(tx -> tx.find(Key.licenseByUser(code, user))).orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
        });
    }

    @Override
    public Outcome<Client> registerClient(String name, int platformType, String hostName) {
        return engine.attempt(() -> {
            Check.text("clientName", name);
            Check.optionalText("hostName", hostName, Check.MAX_TEXT);
            Check.notNegative("platformType", platformType);
            return engine.store().write(tx -> {
                tx.lock(LockKey.CATALOG);
                Client draft = new Client(0, name, platformType, hostName);
                Change insert = CatalogRules.registerClient(draft, tx.find(Key.clientByName(name)).isPresent());
                Client created = new Client(tx.apply(insert)[0], name, platformType, draft.hostName());
                tx.apply(CatalogRules.clientRegistered(created, engine.now(), actor));
                return created;
            });
        });
    }

    @Override
    public Optional<Client> client(ClientRef ref) {
        Outcome<Client> found = engine.attempt(() -> {
            ClientService.validate(ref);
            return engine.store().read(tx -> ClientService.resolve(tx, ref));
        });
        return found.isSuccess() ? Optional.of(found.orElseThrow()) : Optional.empty();
    }

    @Override
    public Outcome<Agent> addAgent(ClientRef ref, int appType, String name) {
        return engine.attempt(() -> {
            ClientService.validate(ref);
            Check.positive("appType", appType);
            Check.optionalText("name", name, Check.MAX_TEXT);
            return engine.store().write(tx -> {
                tx.lock(LockKey.CATALOG);
                Client client = ClientService.resolve(tx, ref);
                boolean exists = tx.find(Key.agent(client.id(), appType)).isPresent();
                return CatalogChanges.apply(tx, CatalogRules.addAgent(client, appType, name, exists, engine.now(), actor));
            });
        });
    }

    @Override
    public List<Agent> agents(ClientRef ref) {
        Outcome<List<Agent>> found = engine.attempt(() -> {
            ClientService.validate(ref);
            return List.copyOf(engine.store().read(tx -> tx.list(Query.agents(ClientService.resolve(tx, ref).id()))));
        });
        return found.isSuccess() ? found.orElseThrow() : List.of();
    }

    @Override
    public Outcome<ClientLicense> defineClientLicense(ClientLicense d) {
        return engine.attempt(() -> {
            Check.required("client license", d);
            Check.that(d.platformType() == ClientLicense.PLATFORM_CLIENT
                    || d.platformType() == ClientLicense.PLATFORM_MEDIA_AGENT, "platformType must be 1 or 2");
            Check.positive("licenseType", d.licenseType());
            Check.notNegative("appType", d.appType());
            Check.text("licenseName", d.licenseName());
            Check.notNegative("permanent", d.permanent());
            Check.notNegative("evaluation", d.evaluation());
            // capacity is permanent + evaluation: it must be an int too
            Check.that((long) d.permanent() + d.evaluation() <= Integer.MAX_VALUE,
                    "permanent + evaluation must be at most " + Integer.MAX_VALUE);
            Check.optionalInstant("evaluationExpiry", d.evaluationExpiry());
            Check.that(d.used() == 0, "a new client license has used 0");
            return engine.store().write(tx -> {
                tx.lock(LockKey.CATALOG);
                boolean exists = tx.find(Key.clientLicenseByType(d.platformType(), d.licenseType(), d.appType())).isPresent();
                ClientLicense created = d.withId(tx.apply(CatalogRules.defineClientLicense(d, exists))[0]);
                tx.apply(CatalogRules.clientLicenseDefined(created, engine.now(), actor));
                return created;
            });
        });
    }

    @Override
    public List<ClientLicense> clientLicenses() {
        return List.copyOf(engine.store().read(tx -> tx.list(Query.clientLicenses()))); // the same (immutable) on every store
    }

    /** Most members of one group. */
    private static final int MAX_MEMBERS = 10_000;

    @Override
    public Outcome<SeatGroup> defineGroup(SeatGroup group) {
        return engine.attempt(() -> {
            Check.required("group", group);
            Check.required("group kind", group.kind());
            Check.text("group name", group.name());
            Check.that(group.members().size() <= MAX_MEMBERS, "a group has at most " + MAX_MEMBERS + " members");
            group.members().forEach(m -> Check.text("group member", m));
            return engine.store().write(tx -> {
                tx.lock(LockKey.CATALOG);
                return CatalogChanges.apply(tx, CatalogRules.defineGroup(group, engine.now(), actor));
            });
        });
    }

    @Override
    public Optional<SeatGroup> group(GroupKind kind, String name) {
        if (kind == null || name == null) {
            return Optional.empty();
        }
        return engine.store().read(tx -> tx.find(Key.seatGroup(kind, name)));
    }

    @Override
    public Outcome<PoolPolicy> setPolicy(long licenseId, PoolPolicy policy) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            Check.required("policy", policy);
            Check.required("leasing", policy.leasing());
            Check.required("overdraft", policy.overdraft());
            Check.that(policy.rules().size() <= PoolPolicy.MAX_RULES, "a policy has at most " + PoolPolicy.MAX_RULES + " rules");
            for (PolicyRule rule : policy.rules()) {
                Check.required("policy rule", rule);
                Check.required("rule kind", rule.kind());
                Check.required("rule type", rule.type());
                Check.text("policy name", rule.name());
                boolean counted = rule.kind() == PolicyRule.Kind.RESERVE || rule.kind() == PolicyRule.Kind.MAX;
                Check.that(counted ? rule.count() > 0 : rule.count() == 0,
                        counted ? rule.kind() + " needs a positive count" : rule.kind() + " takes no count");
            }
            Check.notNegative("borrowLowwater", policy.borrowLowwater());
            Check.notNegative("maxBorrowed", policy.maxBorrowed());
            Check.notNegative("queueLength", policy.queueLength());
            Check.that(policy.queueLength() <= 10_000, "QUEUE is at most 10000");
            return engine.store().write(tx -> {
                tx.lock(LockKey.pool(licenseId));
                Optional<License> license = tx.find(Key.license(licenseId));
                Set<String> groups = new HashSet<>();
                PoolPolicy current = PoolPolicy.NONE;
                int live = 0;
                if (license.isPresent()) {
                    for (PolicyRule rule : policy.rules()) {
                        GroupKind kind = CatalogRules.groupKind(rule);
                        if (kind != null && tx.find(Key.seatGroup(kind, rule.name())).isPresent()) {
                            groups.add(CatalogRules.PolicyTarget.groupName(kind, rule.name()));
                        }
                    }
                    current = tx.find(Key.poolPolicy(licenseId)).orElse(PoolPolicy.NONE);
                    live = current.leasing() == policy.leasing() ? 0 : tx.count(Count.liveLeases(licenseId, engine.now()));
                }
                return CatalogChanges.apply(tx, CatalogRules.setPolicy(licenseId, policy,
                        new CatalogRules.PolicyTarget(license, groups, current, live), engine.now(), actor));
            });
        });
    }

    @Override
    public Optional<PoolPolicy> policy(long licenseId) {
        return engine.store().read(tx -> tx.find(Key.license(licenseId)).isEmpty() ? Optional.<PoolPolicy>empty()
                : Optional.of(tx.find(Key.poolPolicy(licenseId)).orElse(PoolPolicy.NONE)));
    }

    @Override
    public Outcome<Page<License>> licenses(LicenseQuery query) {
        return listing.licenses(query);
    }

    @Override
    public Outcome<ProductPage> products(String after, int limit) {
        return listing.products(after, limit);
    }

    @Override
    public Outcome<Page<Client>> clients(long after, int limit) {
        return listing.clients(after, limit);
    }

    @Override
    public Outcome<Page<PoolSummary>> pools(String product, long after, int limit) {
        return listing.pools(product, after, limit);
    }

    @Override
    public Outcome<License> changeLicense(long licenseId, LicenseChange change) {
        return changes.change(licenseId, change);
    }

    @Override
    public Outcome<License> suspend(long licenseId) {
        return changes.suspend(licenseId, true);
    }

    @Override
    public Outcome<License> resume(long licenseId) {
        return changes.suspend(licenseId, false);
    }

    @Override
    public Outcome<Void> deleteLicense(long licenseId) {
        return changes.delete(licenseId);
    }

    @Override
    public Outcome<Product> changeProduct(String code, ProductChange change) {
        return changes.changeProduct(code, change);
    }

    @Override
    public Outcome<Void> deleteProduct(String code) {
        return changes.deleteProduct(code);
    }

    @Override
    public Outcome<Client> changeClient(long clientId, ClientChange change) {
        return changes.changeClient(clientId, change);
    }

    @Override
    public Outcome<Void> deleteClient(long clientId) {
        return changes.deleteClient(clientId);
    }
}
