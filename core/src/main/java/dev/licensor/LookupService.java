package dev.licensor;

import dev.licensor.catalog.License;
import dev.licensor.clients.HeldLicense;
import dev.licensor.floating.Lease;
import dev.licensor.lookup.CacheStats;
import dev.licensor.lookup.Lookups;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.Key;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The host's read-only lookups, through the {@link LookupCache} when there is one. Never used by
 * the services that grant seats. Thread-safe.
 */
final class LookupService implements Lookups {
    /** The expiry cached for "no lease": never after any instant. */
    private static final Instant NO_LEASE = Instant.MIN;

    private final Engine engine;
    private final LookupCache cache;

    /** {@code cache} may be null: every lookup then reads the store. */
    LookupService(Engine engine, LookupCache cache) {
        this.engine = engine;
        this.cache = cache;
    }

    /** Shared answers: outcomes are immutable, and the hit path allocates no answer. */
    private static final Outcome<Boolean> HOLDS = Outcome.success(true);
    private static final Outcome<Boolean> HOLDS_NOT = Outcome.success(false);

    @Override
    public Outcome<Boolean> holdsLiveSeat(long licenseId, String hardwareId) {
        if (cache != null) {
            // Fast path: only validated input is ever cached, so a hit needs no validation.
            Object expiresAt = cache.hit(new LookupCache.SeatKey(licenseId, hardwareId));
            if (expiresAt != null) {
                return engine.now().isBefore((Instant) expiresAt) ? HOLDS : HOLDS_NOT;
            }
        }
        return engine.attempt(() -> {
            Check.positive("license_id", licenseId);
            String hw = Check.text("hardware_id", hardwareId);
            Supplier<Instant> load = () -> engine.store().read(tx -> tx.find(Key.lease(licenseId, hw))
                    .map(Lease::expiresAt).orElse(NO_LEASE));
            Instant expiresAt = cache == null ? load.get() : cache.get(new LookupCache.SeatKey(licenseId, hw), load);
            // Compared at every hit, so a cached lease lapses on time.
            return engine.now().isBefore(expiresAt);
        });
    }

    @Override
    public Outcome<License> licenseByKey(String product, String key) {
        return engine.attempt(() -> {
            String code = Check.productCode(product);
            String k = Check.text("license_key", key);
            Supplier<License> load = () -> engine.store().read(tx -> tx.find(Key.licenseByKey(code, k))).orElse(null);
            return found(cache == null ? load.get() : cache.license(new LookupCache.ByKey(code, k), load));
        });
    }

    @Override
    public Outcome<License> licenseByUser(String product, String username) {
        return engine.attempt(() -> {
            String code = Check.productCode(product);
            String user = Check.text("username", username);
            Supplier<License> load = () -> engine.store().read(tx -> tx.find(Key.licenseByUser(code, user))).orElse(null);
            return found(cache == null ? load.get() : cache.license(new LookupCache.ByUser(code, user), load));
        });
    }

    private static License found(License license) {
        if (license == null) {
            throw Denied.of(Code.LICENSE_NOT_FOUND);
        }
        return license;
    }

    @Override
    public Outcome<List<HeldLicense>> consumedLicenses(long clientId) {
        return engine.attempt(() -> {
            Check.positive("clientId", clientId);
            Supplier<List<HeldLicense>> load = () -> engine.store().read(tx -> tx.find(Key.client(clientId))
                    .map(c -> ClientService.heldBy(tx, c)).orElse(null));
            List<HeldLicense> held = cache == null ? load.get() : cache.get(new LookupCache.ClientKey(clientId), load);
            if (held == null) {
                throw Denied.of(Code.CLIENT_NOT_FOUND);
            }
            return held;
        });
    }

    @Override
    public CacheStats stats() {
        return cache == null ? CacheStats.NONE : cache.stats();
    }
}
