package dev.licensor.internal;

import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.floating.Activation;
import dev.licensor.floating.ConsumptionBalance;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.FloatingLicenses;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LockKey;
import dev.licensor.store.StoreTransaction;
import java.time.Instant;
import java.util.Optional;

/**
 * The device-side rules: activation, seats, borrowing, consumption. Every rule about floating
 * pools lives here, once; stores only persist. Thread-safe (stateless beyond the engine).
 */
public final class FloatingService implements FloatingLicenses {
    /** Lapsed leases of one pool swept per seat-taking call; more are swept by the next. */
    private static final int SWEEP_BATCH = 64;
    /** Largest count accepted by one addConsumption call. */
    private static final long MAX_CONSUMPTION_STEP = 1_000_000_000L;

    private final Engine engine;
    private final SeatCacheHook cache;

    public FloatingService(Engine engine, SeatCacheHook cache) {
        this.engine = engine;
        this.cache = cache;
    }

    /** A validated request: what the unit of work may rely on. */
    private record Target(String product, String key, String username, Long licenseId, String hardwareId) {
    }

    static Target validate(DeviceRequest request) {
        if (request == null) {
            throw Denied.of(Code.MISSING_PARAMETERS, "request is required");
        }
        String product = Check.productCode(request.product());
        String hardwareId = Check.text("hardware_id", request.hardwareId());
        String key = Check.optionalText("license_key", request.licenseKey(), Check.MAX_TEXT);
        String user = Check.optionalText("username", request.username(), Check.MAX_TEXT);
        boolean hasKey = key != null && !key.isBlank();
        boolean hasUser = user != null && !user.isBlank();
        if (!hasKey && !hasUser) {
            throw Denied.of(Code.MISSING_PARAMETERS, "license_key or username is required");
        }
        if (hasKey && hasUser) {
            throw Denied.of(Code.INVALID_REQUEST, "give license_key or username, not both");
        }
        if (request.licenseId() != null) {
            Check.positive("license_id", request.licenseId());
        }
        return new Target(product, hasKey ? key : null, hasUser ? user : null, request.licenseId(), hardwareId);
    }

    /** The license a validated request names, after the checks every call shares, in documented order. */
    private static License admit(StoreTransaction tx, Target t, Instant now) {
        product(tx, t);
        return admitLicense(tx, t, now);
    }

    /** The product a validated request names: the first check of every call. */
    private static Product product(StoreTransaction tx, Target t) {
        return tx.product(t.product()).orElseThrow(() -> Denied.of(Code.UNKNOWN_PRODUCT));
    }

    /**
     * The checks of {@link #admit} after the product's; for a caller that reads the product itself
     * because it needs it, so the unit does not read it twice. Locks the license's pool once the
     * key or username has named it (which license they name never changes), then reads the
     * license again under the lock: its switches and counts are what the unit decides from.
     */
    private static License admitLicense(StoreTransaction tx, Target t, Instant now) {
        Optional<License> found = t.key() != null
                ? tx.licenseByKey(t.product(), t.key())
                : tx.licenseByUser(t.product(), t.username());
        long id = found
                .filter(l -> t.licenseId() == null || t.licenseId() == l.id())
                .orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND)).id();
        tx.lock(LockKey.pool(id));
        License license = tx.license(id).orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
        if (tx.isBlacklisted(t.product(), t.hardwareId())) {
            throw Denied.license(Code.BLACKLISTED, license.id(), t.hardwareId());
        }
        checkUsable(license, now, t.hardwareId());
        return license;
    }

    /** The switch and validity checks, in documented order. */
    static void checkUsable(License license, Instant now, String subject) {
        if (!license.enabled()) {
            throw Denied.license(Code.LICENSE_NOT_ENABLED, license.id(), subject);
        }
        if (!license.active() || (license.validFrom() != null && now.isBefore(license.validFrom()))) {
            throw Denied.license(Code.LICENSE_NOT_ACTIVE, license.id(), subject);
        }
        if (license.isExpiredAt(now)) {
            throw Denied.license(Code.LICENSE_EXPIRED, license.id(), subject);
        }
    }

    private static void requireDevice(StoreTransaction tx, License license, String hardwareId) {
        if (tx.activation(license.id(), hardwareId).isEmpty()) {
            throw Denied.license(Code.DEVICE_NOT_FOUND, license.id(), hardwareId);
        }
    }

    private static void requireFloating(License license, String hardwareId) {
        if (!license.isFloating()) {
            throw Denied.license(Code.FLOATING_NOT_AVAILABLE, "the license is not floating", license.id(), hardwareId);
        }
    }

    static void append(StoreTransaction tx, Instant at, LedgerEvent event, long licenseId, String subject, String detail) {
        tx.appendLedger(new LedgerEntry(0, at, event, licenseId, 0, subject, Code.OK, detail));
    }

    /**
     * The seat step: refresh the device's live lease, or sweep the pool's lapsed leases, count
     * the live ones and take a seat if one is free. Runs inside one serializable unit, so the
     * count and the insert are one atomic step.
     */
    private static Lease takeOrRefresh(StoreTransaction tx, Product product, License license, String hardwareId,
                                       Instant now) {
        Instant fresh = now.plus(license.effectiveFloatingTimeout(product));
        Optional<Lease> own = tx.lease(license.id(), hardwareId);
        if (own.isPresent() && own.get().isLiveAt(now)) {
            Lease held = own.get();
            Instant expires = held.borrowedUntil() != null && held.borrowedUntil().isAfter(fresh)
                    ? held.borrowedUntil() : fresh;
            Lease refreshed = new Lease(held.licenseId(), hardwareId, held.grantedAt(), now, expires, held.borrowedUntil());
            tx.putLease(refreshed);
            append(tx, now, LedgerEvent.REFRESHED, license.id(), hardwareId, "");
            return refreshed;
        }
        if (own.isPresent()) {
            // The device's own lease has lapsed; the sweep below takes only the oldest batch, so
            // free this one here or the insert would collide with it.
            tx.deleteLease(license.id(), hardwareId);
            append(tx, own.get().expiresAt(), LedgerEvent.LAPSED, license.id(), hardwareId, "");
        }
        sweep(tx, license.id(), now);
        if (tx.countLeasesLiveAfter(license.id(), now) >= license.floatingSeats()) {
            throw Denied.license(Code.FLOATING_NOT_AVAILABLE, license.id(), hardwareId);
        }
        Lease granted = new Lease(license.id(), hardwareId, now, now, fresh, null);
        tx.putLease(granted);
        append(tx, now, LedgerEvent.GRANTED, license.id(), hardwareId, "");
        return granted;
    }

    /** Deletes the pool's lapsed leases (a batch), recording each lapse at the time it happened. */
    static void sweep(StoreTransaction tx, long licenseId, Instant now) {
        for (Lease lapsed : tx.leasesLapsedBy(licenseId, now, SWEEP_BATCH)) {
            tx.deleteLease(licenseId, lapsed.hardwareId());
            append(tx, lapsed.expiresAt(), LedgerEvent.LAPSED, licenseId, lapsed.hardwareId(), "");
        }
    }

    @Override
    public Outcome<Activation> activate(DeviceRequest request) {
        return engine.attempt(() -> {
            Target t = validate(request);
            return engine.store().write(tx -> {
                Instant now = engine.now();
                License license = admit(tx, t, now);
                Optional<Activation> existing = tx.activation(license.id(), t.hardwareId());
                if (existing.isPresent()) {
                    return existing.get();
                }
                if (tx.countActivations(license.id()) >= license.maxActivations()) {
                    throw Denied.license(Code.LICENSE_ACTIVATED_MAX_TIMES, license.id(), t.hardwareId());
                }
                Activation activation = new Activation(license.id(), t.hardwareId(), now);
                tx.putActivation(activation);
                append(tx, now, LedgerEvent.ACTIVATED, license.id(), t.hardwareId(), "");
                return activation;
            });
        });
    }

    @Override
    public Outcome<LicenseCheck> check(DeviceRequest request) {
        return engine.attempt(() -> {
            Target t = validate(request);
            LicenseCheck result = engine.store().write(tx -> {
                Instant now = engine.now();
                Product product = product(tx, t);
                License license = admitLicense(tx, t, now);
                requireDevice(tx, license, t.hardwareId());
                if (!license.isFloating()) {
                    return new LicenseCheck(license, null);
                }
                return new LicenseCheck(license, takeOrRefresh(tx, product, license, t.hardwareId(), now));
            });
            if (result.lease() != null) {
                cache.seatChanged(result.license().id(), t.hardwareId());
            }
            return result;
        });
    }

    @Override
    public Outcome<Lease> borrow(DeviceRequest request, Instant until) {
        return engine.attempt(() -> {
            Target t = validate(request);
            Lease lease = engine.store().write(tx -> {
                Instant now = engine.now();
                Product product = product(tx, t);
                License license = admitLicense(tx, t, now);
                requireDevice(tx, license, t.hardwareId());
                requireFloating(license, t.hardwareId());
                if (!license.borrowAllowed()) {
                    throw Denied.license(Code.LICENSE_BORROW_NOT_ALLOWED, license.id(), t.hardwareId());
                }
                Instant cap = now.plus(license.effectiveMaxBorrowTime(product));
                Instant end = until == null ? cap : until;
                if (!end.isAfter(now) || end.isAfter(cap)) {
                    throw Denied.license(Code.BORROW_UNTIL_NOT_VALID,
                            "borrowed_until must be after now and at most " + cap, license.id(), t.hardwareId());
                }
                Lease seat = takeOrRefresh(tx, product, license, t.hardwareId(), now);
                Lease borrowed = new Lease(seat.licenseId(), seat.hardwareId(), seat.grantedAt(), now,
                        end.isAfter(seat.expiresAt()) ? end : seat.expiresAt(), end);
                tx.putLease(borrowed);
                append(tx, now, LedgerEvent.BORROWED, license.id(), t.hardwareId(), "until " + end);
                return borrowed;
            });
            cache.seatChanged(lease.licenseId(), t.hardwareId());
            return lease;
        });
    }

    @Override
    public Outcome<Void> release(DeviceRequest request) {
        return engine.attempt(() -> {
            Target t = validate(request);
            long licenseId = engine.store().write(tx -> {
                Instant now = engine.now();
                License license = admit(tx, t, now);
                requireDevice(tx, license, t.hardwareId());
                requireFloating(license, t.hardwareId());
                freeSeat(tx, license.id(), t.hardwareId(), now);
                return license.id();
            });
            cache.seatChanged(licenseId, t.hardwareId());
            return null;
        });
    }

    /** Deletes the device's lease if any, recording a release (or a lapse, if it had lapsed). */
    private static void freeSeat(StoreTransaction tx, long licenseId, String hardwareId, Instant now) {
        Optional<Lease> lease = tx.lease(licenseId, hardwareId);
        if (lease.isPresent()) {
            tx.deleteLease(licenseId, hardwareId);
            if (lease.get().isLiveAt(now)) {
                append(tx, now, LedgerEvent.RELEASED, licenseId, hardwareId, "");
            } else {
                append(tx, lease.get().expiresAt(), LedgerEvent.LAPSED, licenseId, hardwareId, "");
            }
        }
    }

    @Override
    public Outcome<Void> deactivate(DeviceRequest request) {
        return engine.attempt(() -> {
            Target t = validate(request);
            long licenseId = engine.store().write(tx -> {
                Instant now = engine.now();
                License license = admit(tx, t, now);
                requireDevice(tx, license, t.hardwareId());
                freeSeat(tx, license.id(), t.hardwareId(), now);
                tx.deleteActivation(license.id(), t.hardwareId());
                append(tx, now, LedgerEvent.DEACTIVATED, license.id(), t.hardwareId(), "");
                return license.id();
            });
            cache.seatChanged(licenseId, t.hardwareId());
            return null;
        });
    }

    @Override
    public Outcome<ConsumptionBalance> addConsumption(DeviceRequest request, long count, boolean allowOverage) {
        return engine.attempt(() -> {
            Target t = validate(request);
            Check.positive("consumptions", count);
            Check.that(count <= MAX_CONSUMPTION_STEP, "consumptions must be at most " + MAX_CONSUMPTION_STEP);
            ConsumptionBalance balance = engine.store().write(tx -> {
                Instant now = engine.now();
                License license = admit(tx, t, now);
                requireDevice(tx, license, t.hardwareId());
                if (license.type() != LicenseType.CONSUMPTION) {
                    throw Denied.license(Code.LICENSE_NOT_CONSUMPTION, license.id(), t.hardwareId());
                }
                long total = license.consumed() + count;
                boolean overage = allowOverage && license.overageAllowed();
                boolean unlimited = overage && license.maxOverage() == 0;
                long limit = license.maxConsumptions() + (overage ? license.maxOverage() : 0);
                if (limit < 0) {
                    limit = Long.MAX_VALUE; // both terms are non-negative: the sum overflowed
                }
                if (!unlimited && (total < 0 || total > limit)) {
                    throw Denied.license(Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS,
                            "consumed " + license.consumed() + " + " + count + " exceeds " + limit,
                            license.id(), t.hardwareId());
                }
                tx.putLicense(license.withConsumed(total));
                append(tx, now, LedgerEvent.CONSUMPTION_ADDED, license.id(), t.hardwareId(), "+" + count);
                return new ConsumptionBalance(license.id(), total, license.maxConsumptions(),
                        Math.max(0, total - license.maxConsumptions()));
            });
            cache.licenseChanged(balance.licenseId());
            return balance;
        });
    }
}
