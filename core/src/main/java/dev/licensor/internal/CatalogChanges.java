package dev.licensor.internal;

import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseChange;
import dev.licensor.catalog.LicenseType;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.store.LockKey;
import dev.licensor.store.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The catalog changes a vendor makes after a license was sold: seats, activation cap, validity,
 * suspend and resume, delete. Each is one write unit under the license's pool lock (the catalog
 * lock first for a delete, which frees nothing: its key stays taken), decided from the rows read
 * under that lock, and recorded in the ledger in the same unit; the lookup cache drops the
 * license after the commit. Not API; thread-safe (stateless beyond the engine).
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
        return tx.license(licenseId).orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
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
                    int held = tx.countLeasesLiveAfter(licenseId, now);
                    if (seats < held) {
                        throw Denied.license(Code.LICENSE_IN_USE,
                                held + " seats are held; release them before lowering the seats to " + seats, licenseId, "");
                    }
                    PoolPolicy policy = tx.poolPolicy(licenseId).orElse(PoolPolicy.NONE);
                    Check.that(policy.reservedSeats() <= seats,
                            "the pool policy reserves " + policy.reservedSeats() + " seats, more than " + seats);
                    Check.that(policy.borrowLowwater() <= seats,
                            "the pool policy's BORROW_LOWWATER exceeds " + seats + " seats");
                }
                if (cap < old.maxActivations()) {
                    int activated = tx.countActivations(licenseId);
                    if (cap < activated) {
                        throw Denied.license(Code.LICENSE_IN_USE,
                                activated + " devices are activated; deactivate some before lowering the cap to " + cap, licenseId, "");
                    }
                }
                License next = new License(old.id(), old.product(), old.key(), old.username(), old.type(), old.enabled(),
                        old.active(), from, until, cap, seats, old.floatingTimeout(), old.borrowAllowed(),
                        old.maxBorrowTime(), old.maxConsumptions(), old.consumed(), old.overageAllowed(), old.maxOverage());
                tx.putLicense(next);
                FloatingService.append(tx, now, LedgerEvent.LICENSE_CHANGED, licenseId, "", difference(old, next), actor);
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
                tx.putLicense(next);
                FloatingService.append(tx, engine.now(), suspend ? LedgerEvent.SUSPENDED : LedgerEvent.RESUMED,
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
                int held = tx.countLeasesLiveAfter(licenseId, now);
                if (held > 0) {
                    throw Denied.license(Code.LICENSE_IN_USE,
                                held + " seats are held; release them before deleting the license", licenseId, "");
                }
                tx.deleteLicense(old);
                FloatingService.append(tx, now, LedgerEvent.LICENSE_DELETED, licenseId, "",
                        "product " + old.product() + (old.isKeyBased() ? ", key " + old.key() : ", username " + old.username()), actor);
                return null;
            });
            cache.licenseChanged(licenseId);
            return null;
        });
    }
}
