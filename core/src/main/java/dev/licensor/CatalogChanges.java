package dev.licensor;

import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientChange;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseChange;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.catalog.ProductChange;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.store.Change;
import dev.licensor.store.Count;
import dev.licensor.store.Key;
import dev.licensor.store.LockKey;
import dev.licensor.store.Query;
import dev.licensor.store.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The catalog changes a vendor makes after a license was sold: seats, activation cap, validity,
 * suspend and resume, delete; and the changes and deletes of products and clients. Each is one
 * write unit under the license's pool lock (the catalog lock first for a delete, which frees
 * nothing: its key stays taken; the catalog lock for products and clients, then the client's key
 * for a client delete), decided from the rows read under those locks, and recorded in the ledger
 * in the same unit; the caches drop what changed after the commit. Not API; thread-safe
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

    private static License license(StoreTransaction tx, long licenseId) {
        return tx.find(Key.license(licenseId)).orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
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
                License old = license(tx, licenseId);
                Instant now = engine.now();
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
                    int held = tx.count(Count.liveLeases(licenseId, now));
                    if (seats < held) {
                        throw Denied.license(Code.LICENSE_IN_USE,
                                held + " seats are held; release them before lowering the seats to " + seats, licenseId, "");
                    }
                    PoolPolicy policy = tx.find(Key.poolPolicy(licenseId)).orElse(PoolPolicy.NONE);
                    Check.that(policy.reservedSeats() <= seats,
                            "the pool policy reserves " + policy.reservedSeats() + " seats, more than " + seats);
                    Check.that(policy.borrowLowwater() <= seats,
                            "the pool policy's BORROW_LOWWATER exceeds " + seats + " seats");
                }
                if (cap < old.maxActivations()) {
                    int activated = tx.count(Count.activations(licenseId));
                    if (cap < activated) {
                        throw Denied.license(Code.LICENSE_IN_USE,
                                activated + " devices are activated; deactivate some before lowering the cap to " + cap, licenseId, "");
                    }
                }
                License next = new License(old.id(), old.product(), old.key(), old.username(), old.type(), old.enabled(),
                        old.active(), from, until, cap, seats, old.floatingTimeout(), old.borrowAllowed(),
                        old.maxBorrowTime(), old.maxConsumptions(), old.consumed(), old.overageAllowed(), old.maxOverage());
                tx.apply(Change.putLicense(next));
                Audit.append(tx, now, LedgerEvent.LICENSE_CHANGED, licenseId, "", difference(old, next), actor);
                return next;
            });
            cache.licenseChanged(licenseId);
            signal.seatFreed(); // more seats may admit a waiting caller
            return changed;
        });
    }

    /** {@code name=old->new} for each changed field, or {@code unchanged}. */
    private static String difference(License a, License b) {
        List<String> parts = new ArrayList<>();
        if (a.floatingSeats() != b.floatingSeats()) {
            parts.add("floatingSeats=" + a.floatingSeats() + "->" + b.floatingSeats());
        }
        if (a.maxActivations() != b.maxActivations()) {
            parts.add("maxActivations=" + a.maxActivations() + "->" + b.maxActivations());
        }
        if (!Objects.equals(a.validFrom(), b.validFrom())) {
            parts.add("validFrom=" + a.validFrom() + "->" + b.validFrom());
        }
        if (!Objects.equals(a.validUntil(), b.validUntil())) {
            parts.add("validUntil=" + a.validUntil() + "->" + b.validUntil());
        }
        return parts.isEmpty() ? "unchanged" : String.join(", ", parts);
    }

    Outcome<License> suspend(long licenseId, boolean suspend) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            License changed = engine.store().write(tx -> {
                tx.lock(LockKey.pool(licenseId));
                License old = license(tx, licenseId);
                if (old.active() != suspend) {
                    return old; // already so: nothing to record
                }
                License next = old.withSwitches(old.enabled(), !suspend);
                tx.apply(Change.putLicense(next));
                Audit.append(tx, engine.now(), suspend ? LedgerEvent.SUSPENDED : LedgerEvent.RESUMED,
                        licenseId, "", "", actor);
                return next;
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
                License old = license(tx, licenseId);
                Instant now = engine.now();
                int held = tx.count(Count.liveLeases(licenseId, now));
                if (held > 0) {
                    throw Denied.license(Code.LICENSE_IN_USE,
                                held + " seats are held; release them before deleting the license", licenseId, "");
                }
                tx.apply(Change.deleteLicense(old));
                Audit.append(tx, now, LedgerEvent.LICENSE_DELETED, licenseId, "",
                        "product " + old.product() + (old.isKeyBased() ? ", key " + old.key() : ", username " + old.username()), actor);
                return null;
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
                Product old = tx.find(Key.product(code)).orElseThrow(() -> Denied.of(Code.UNKNOWN_PRODUCT, "no product " + code));
                Product next = new Product(code, change.name() != null ? change.name() : old.name(),
                        change.floatingTimeout() != null ? change.floatingTimeout() : old.floatingTimeout(),
                        change.maxBorrowTime() != null ? change.maxBorrowTime() : old.maxBorrowTime());
                if (next.equals(old)) {
                    return old; // already so: nothing to record
                }
                tx.apply(Change.putProduct(next));
                List<String> parts = new ArrayList<>();
                changed(parts, "name", old.name(), next.name());
                changed(parts, "floatingTimeout", old.floatingTimeout(), next.floatingTimeout());
                changed(parts, "maxBorrowTime", old.maxBorrowTime(), next.maxBorrowTime());
                Audit.append(tx, engine.now(), LedgerEvent.PRODUCT_CHANGED, 0, code, String.join(", ", parts), actor);
                return next;
            });
            engine.fixed().productChanged(code);
            return changed;
        });
    }

    private static void changed(List<String> parts, String name, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            parts.add(name + "=" + a + "->" + b);
        }
    }

    Outcome<Void> deleteProduct(String code) {
        return engine.attempt(() -> {
            Check.productCode(code);
            engine.store().write(tx -> {
                // licenses are created under the catalog key: none can appear while this unit holds it
                tx.lock(LockKey.CATALOG);
                Product old = tx.find(Key.product(code)).orElseThrow(() -> Denied.of(Code.UNKNOWN_PRODUCT, "no product " + code));
                List<License> some = tx.list(Query.licensesOfProductAfter(code, 0, 1));
                if (!some.isEmpty()) {
                    throw Denied.subject(Code.PRODUCT_IN_USE, "product " + code + " still has licenses (license "
                            + some.get(0).id() + "); delete them before the product", code);
                }
                tx.apply(Change.deleteProduct(code));
                Audit.append(tx, engine.now(), LedgerEvent.PRODUCT_DELETED, 0, code, "name " + old.name(), actor);
                return null;
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
                Client old = tx.find(Key.client(clientId)).orElseThrow(() -> Denied.of(Code.CLIENT_NOT_FOUND, "no client " + clientId));
                Client next = new Client(clientId, old.name(),
                        change.platformType() != null ? change.platformType() : old.platformType(),
                        change.hostName() != null ? change.hostName() : old.hostName());
                if (next.equals(old)) {
                    return old;
                }
                tx.apply(Change.putClient(next));
                List<String> parts = new ArrayList<>();
                changed(parts, "platformType", old.platformType(), next.platformType());
                changed(parts, "hostName", old.hostName(), next.hostName());
                Audit.append(tx, engine.now(), LedgerEvent.CLIENT_CHANGED, 0, old.name(), String.join(", ", parts), actor);
                return next;
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
                Client old = tx.find(Key.client(clientId)).orElseThrow(() -> Denied.of(Code.CLIENT_NOT_FOUND, "no client " + clientId));
                long held = tx.list(Query.consumptionsOfClient(clientId)).stream().filter(c -> !c.released()).count();
                if (held > 0) {
                    throw Denied.subject(Code.CLIENT_IN_USE, "client " + old.name() + " holds " + held
                            + " client licenses; release them before deleting the client", old.name());
                }
                tx.apply(Change.deleteClient(old));
                Audit.append(tx, engine.now(), LedgerEvent.CLIENT_DELETED, 0, old.name(), "client " + clientId, actor);
                return null;
            });
            cache.clientChanged(clientId);
            return null;
        });
    }
}
