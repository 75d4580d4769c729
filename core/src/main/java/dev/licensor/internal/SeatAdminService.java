package dev.licensor.internal;

import dev.licensor.catalog.License;
import dev.licensor.floating.Lease;
import dev.licensor.floating.SeatAdministration;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The administrator's view of pools and licenses. Thread-safe (stateless beyond the engine).
 */
public final class SeatAdminService implements SeatAdministration {
    /** Lapsed leases deleted per purge transaction, so writers are never held up long. */
    private static final int PURGE_BATCH = 500;

    /** Order of {@link #holders}: by grant time, then hardware id by Unicode code point. */
    static final Comparator<Lease> HOLDER_ORDER = Comparator.comparing(Lease::grantedAt)
            .thenComparing(Lease::hardwareId, Check::byCodePoint);

    private final Engine engine;
    private final SeatCacheHook cache;

    public SeatAdminService(Engine engine, SeatCacheHook cache) {
        this.engine = engine;
        this.cache = cache;
    }

    private static License license(StoreTransaction tx, long licenseId) {
        return tx.license(licenseId).orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
    }

    @Override
    public Outcome<List<Lease>> holders(long licenseId) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            return engine.store().read(tx -> {
                license(tx, licenseId);
                List<Lease> live = new ArrayList<>(tx.leasesLiveAfter(licenseId, engine.now()));
                live.sort(HOLDER_ORDER); // the documented order, whatever order the store returned
                return List.copyOf(live);
            });
        });
    }

    @Override
    public Outcome<Lease> forceRelease(long licenseId, String hardwareId) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            String hw = Check.text("hardware_id", hardwareId);
            Lease freed = engine.store().write(tx -> {
                Instant now = engine.now();
                license(tx, licenseId);
                Lease lease = tx.lease(licenseId, hw).filter(l -> l.isLiveAt(now))
                        .orElseThrow(() -> Denied.of(Code.DEVICE_NOT_FOUND, "the device holds no live seat"));
                tx.deleteLease(licenseId, hw);
                FloatingService.append(tx, now, LedgerEvent.FORCE_RELEASED, licenseId, hw, "");
                return lease;
            });
            cache.seatChanged(licenseId, hw);
            return freed;
        });
    }

    @Override
    public int purgeLapsed() {
        int total = 0;
        while (true) {
            List<Lease> purged = engine.store().write(tx -> {
                List<Lease> lapsed = tx.leasesLapsedBy(engine.now(), PURGE_BATCH);
                for (Lease lease : lapsed) {
                    tx.deleteLease(lease.licenseId(), lease.hardwareId());
                    FloatingService.append(tx, lease.expiresAt(), LedgerEvent.LAPSED, lease.licenseId(),
                            lease.hardwareId(), "purged");
                }
                return lapsed;
            });
            for (Lease lease : purged) {
                cache.seatChanged(lease.licenseId(), lease.hardwareId()); // a cached expiry must not outlive the row
            }
            total += purged.size();
            if (purged.size() < PURGE_BATCH) {
                return total;
            }
        }
    }

    @Override
    public Outcome<Void> blacklist(String product, String hardwareId) {
        return changeBlacklist(product, hardwareId, true);
    }

    @Override
    public Outcome<Void> unblacklist(String product, String hardwareId) {
        return changeBlacklist(product, hardwareId, false);
    }

    private Outcome<Void> changeBlacklist(String product, String hardwareId, boolean add) {
        return engine.attempt(() -> {
            String code = Check.productCode(product);
            String hw = Check.text("hardware_id", hardwareId);
            return engine.store().write(tx -> {
                tx.product(code).orElseThrow(() -> Denied.of(Code.UNKNOWN_PRODUCT));
                Instant now = engine.now();
                if (add) {
                    tx.insertBlacklist(code, hw, now);
                } else {
                    tx.deleteBlacklist(code, hw);
                }
                // Administrative changes are audited like grants and releases.
                FloatingService.append(tx, now, add ? LedgerEvent.BLACKLISTED : LedgerEvent.UNBLACKLISTED, 0, hw,
                        "product " + code);
                return null;
            });
        });
    }

    @Override
    public Outcome<Void> setEnabled(long licenseId, boolean enabled) {
        return setSwitches(licenseId, enabled, null);
    }

    @Override
    public Outcome<Void> setActive(long licenseId, boolean active) {
        return setSwitches(licenseId, null, active);
    }

    private Outcome<Void> setSwitches(long licenseId, Boolean enabled, Boolean active) {
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            engine.store().write(tx -> {
                License license = license(tx, licenseId);
                License changed = license.withSwitches(enabled != null ? enabled : license.enabled(),
                        active != null ? active : license.active());
                tx.updateLicense(changed);
                FloatingService.append(tx, engine.now(), LedgerEvent.SWITCHED, licenseId, "",
                        "enabled=" + changed.enabled() + ", active=" + changed.active());
                return null;
            });
            cache.licenseChanged(licenseId);
            return null;
        });
    }
}
