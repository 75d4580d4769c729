package dev.licensor;

import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientChange;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseChange;
import dev.licensor.catalog.Product;
import dev.licensor.catalog.ProductChange;
import dev.licensor.outcome.Outcome;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.store.Count;
import dev.licensor.store.Key;
import dev.licensor.store.LockKey;
import dev.licensor.store.Query;
import dev.licensor.store.StoreTransaction;
import java.time.Instant;
import java.util.Optional;

/**
 * The catalog changes a vendor makes after a license was sold: seats, activation cap, validity,
 * suspend and resume, delete; and the changes and deletes of products and clients. Each is one
 * write unit under the license's pool lock (the catalog lock first for a delete, which frees
 * nothing: its key stays taken; the catalog lock for products and clients, then the client's key
 * for a client delete), which loads the rows it decides on, decides in {@link CatalogRules} with no
 * store call and applies the change set, ledger entry included, in one {@code apply(Change...)}; the
 * caches drop what changed after the commit. Not API; thread-safe
 * (stateless beyond the engine).
 */
final class CatalogChanges {
    private final Engine engine;
    private final SeatCacheHook cache;
    private final SeatSignal signal;
    private final String actor;

    CatalogChanges(Engine engine, SeatCacheHook cache, SeatSignal signal, String actor) {
        this.engine = engine;
        this.cache = cache;
        this.signal = signal;
        this.actor = actor;
    }

    /** Applies a decision's change set (if it changes anything) and answers its result. */
    static <T> T apply(StoreTransaction tx, Decision<T> decision) {
        if (!decision.changes().isEmpty()) {
            tx.apply(decision.toApply());
        }
        return decision.result();
    }

    Outcome<License> change(long licenseId, LicenseChange change) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            Check.that(change != null && !change.isEmpty(), "the change changes nothing");
            if (change.floatingSeats() != null) {
                Check.notNegative("floatingSeats", change.floatingSeats());
            }
            if (change.maxActivations() != null) {
                Check.positive("maxActivations", change.maxActivations());
            }
            if (change.validity()) {
                Check.optionalInstant("validFrom", change.validFrom());
                Check.optionalInstant("validUntil", change.validUntil());
                Check.that(change.validFrom() == null || change.validUntil() == null
                        || change.validFrom().isBefore(change.validUntil()), "validFrom must be before validUntil");
            }
            License changed = engine.store().write(tx -> {
                tx.lock(LockKey.pool(licenseId));
                Optional<License> old = tx.find(Key.license(licenseId));
                Instant now = engine.now();
                CatalogRules.InUse inUse = CatalogRules.InUse.NONE;
                if (old.isPresent()) {
                    boolean seats = CatalogRules.lowersSeats(old.get(), change);
                    boolean cap = CatalogRules.lowersCap(old.get(), change);
                    inUse = new CatalogRules.InUse(seats ? tx.count(Count.liveLeases(licenseId, now)) : 0,
                            seats ? tx.find(Key.poolPolicy(licenseId)).orElse(PoolPolicy.NONE) : PoolPolicy.NONE,
                            cap ? tx.count(Count.activations(licenseId)) : 0);
                }
                return apply(tx, CatalogRules.changeLicense(old, change, inUse, now, actor));
            });
            cache.licenseChanged(licenseId);
            signal.seatFreed(); // more seats may admit a waiting caller
            return changed;
        });
    }

    Outcome<License> suspend(long licenseId, boolean suspend) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            License changed = engine.store().write(tx -> {
                tx.lock(LockKey.pool(licenseId));
                return apply(tx, CatalogRules.suspend(tx.find(Key.license(licenseId)), suspend, engine.now(), actor));
            });
            cache.licenseChanged(licenseId);
            return changed;
        });
    }

    Outcome<Void> delete(long licenseId) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            engine.store().write(tx -> {
                // the catalog key first (global order): the license's name stays taken, which
                // createLicense checks under the same key
                tx.lock(LockKey.CATALOG, LockKey.pool(licenseId));
                Optional<License> old = tx.find(Key.license(licenseId));
                Instant now = engine.now();
                int held = old.isPresent() ? tx.count(Count.liveLeases(licenseId, now)) : 0;
                return apply(tx, CatalogRules.deleteLicense(old, held, now, actor));
            });
            cache.licenseChanged(licenseId);
            return null;
        });
    }

    Outcome<Product> changeProduct(String code, ProductChange change) {
        return engine.attempt(() -> {
            Check.productCode(code);
            Check.that(change != null && !change.isEmpty(), "the change changes nothing");
            if (change.name() != null) {
                Check.text("name", change.name());
            }
            if (change.floatingTimeout() != null) {
                Check.duration("floatingTimeout", change.floatingTimeout(), false);
            }
            if (change.maxBorrowTime() != null) {
                Check.duration("maxBorrowTime", change.maxBorrowTime(), true);
            }
            Product changed = engine.store().write(tx -> {
                tx.lock(LockKey.CATALOG);
                return apply(tx, CatalogRules.changeProduct(code, tx.find(Key.product(code)), change, engine.now(), actor));
            });
            engine.fixed().productChanged(code);
            return changed;
        });
    }

    Outcome<Void> deleteProduct(String code) {
        return engine.attempt(() -> {
            Check.productCode(code);
            engine.store().write(tx -> {
                // licenses are created under the catalog key: none can appear while this unit holds it
                tx.lock(LockKey.CATALOG);
                Optional<Product> old = tx.find(Key.product(code));
                Optional<License> some = old.isPresent()
                        ? tx.list(Query.licensesOfProductAfter(code, 0, 1)).stream().findFirst() : Optional.empty();
                return apply(tx, CatalogRules.deleteProduct(code, old, some, engine.now(), actor));
            });
            engine.fixed().productChanged(code);
            return null;
        });
    }

    Outcome<Client> changeClient(long clientId, ClientChange change) {
        return engine.attempt(() -> {
            Check.positive("clientId", clientId);
            Check.that(change != null && !change.isEmpty(), "the change changes nothing");
            if (change.platformType() != null) {
                Check.notNegative("platformType", change.platformType());
            }
            if (change.hostName() != null) {
                Check.optionalText("hostName", change.hostName(), Check.MAX_TEXT);
            }
            return engine.store().write(tx -> {
                tx.lock(LockKey.CATALOG);
                return apply(tx, CatalogRules.changeClient(clientId, tx.find(Key.client(clientId)), change, engine.now(), actor));
            });
        });
    }

    Outcome<Void> deleteClient(long clientId) {
        return engine.attempt(() -> {
            Check.positive("clientId", clientId);
            engine.store().write(tx -> {
                // the catalog key (agents, the name), then the client's: consumptions of the client
                // are written under the latter, and read the client again under it
                tx.lock(LockKey.CATALOG, LockKey.client(clientId));
                Optional<Client> old = tx.find(Key.client(clientId));
                long held = old.isEmpty() ? 0
                        : tx.list(Query.consumptionsOfClient(clientId)).stream().filter(c -> !c.released()).count();
                return apply(tx, CatalogRules.deleteClient(clientId, old, held, engine.now(), actor));
            });
            cache.clientChanged(clientId);
            return null;
        });
    }
}
