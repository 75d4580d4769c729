package dev.licensor;

import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.Activation;
import dev.licensor.floating.ConsumptionBalance;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.FloatingLicenses;
import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.LockKey;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.PoolLoad;
import dev.licensor.store.PoolState;
import dev.licensor.store.StoreTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The device-side operations. Each is one unit of work on one pool: validate the request, read the
 * product and the license it names (rows that never change), lock the pool, load its state in one
 * call ({@link StoreTransaction#loadPool}), decide with {@link FloatingRules} (pure: no store
 * call, no clock read), apply the decision's changes in one call ({@link StoreTransaction#apply}),
 * then, after the commit, tell the cache and the seat signal and sign tokens. Every rule about
 * floating pools lives in {@link FloatingRules}, once; stores only persist. Thread-safe
 * (stateless beyond the engine).
 */
final class FloatingService implements FloatingLicenses {
    /** Longest {@code awaitSeat} timeout. */
    private static final Duration MAX_WAIT = Duration.ofDays(1);
    /** How often a waiting caller re-checks without a wake-up (keeps its queue entry alive). */
    private static final Duration RECHECK = Duration.ofSeconds(5);

    private final Engine engine;
    private final SeatCacheHook cache;
    private final TokenIssuer tokens;
    private final SeatSignal signal;

    FloatingService(Engine engine, SeatCacheHook cache, TokenIssuer tokens, SeatSignal signal) {
        this.engine = engine;
        this.cache = cache;
        this.tokens = tokens;
        this.signal = signal;
    }

    /**
     * Adds a signed token to a success (outside the store unit: signing holds no lock). The
     * token's issue time is the engine's clock, read after the unit committed.
     */
    private <T, R> Outcome<R> signed(Outcome<T> outcome, Function<T, R> value,
                                     BiFunction<T, Instant, String> token) {
        if (!(outcome instanceof Outcome.Success<T> ok)) {
            return outcome.map(value);
        }
        R result = value.apply(ok.value());
        String signed = tokens.enabled() ? token.apply(ok.value(), engine.now()) : null;
        return signed != null ? Outcome.success(result, signed) : Outcome.success(result);
    }

    /** A validated request: what the unit of work may rely on. */
    record Target(String product, String key, String username, Long licenseId, String hardwareId, Holder holder) {
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
        return new Target(product, hasKey ? key : null, hasUser ? user : null, request.licenseId(), hardwareId,
                Seats.validate(request.holder()));
    }

    /** What a unit loads about the pool, given the license id, the request and now. */
    @FunctionalInterface
    private interface Load {
        PoolLoad of(long licenseId, Target t, Instant now);
    }

    /** The decision of a unit, from the loaded pool, the product and now. */
    @FunctionalInterface
    private interface Decide<T> {
        FloatingRules.Decision<T> of(PoolState state, Product product, Instant now);
    }

    /**
     * One pool unit, in the documented order of checks: the product (the first check of every
     * call), the license the key or username names (which never changes, so the engine
     * remembers it: {@link FixedRows}), the pool's lock, its state, the decision. A refusal
     * throws (the unit writes nothing); a grant or a queueing applies its changes. Returns the
     * decision for the after-commit steps ({@link #after}).
     */
    private <T> FloatingRules.Decision<T> unit(Target t, Load load, Decide<T> decide) {
        return engine.store().write(tx -> {
            Instant now = engine.now();
            Product product = engine.fixed().product(tx, t.product()).orElseThrow(() -> Denied.of(Code.UNKNOWN_PRODUCT));
            Long id = engine.fixed().licenseId(tx, t.product(), t.key(), t.username());
            if (id == null || (t.licenseId() != null && t.licenseId().longValue() != id)) {
                throw Denied.of(Code.LICENSE_NOT_FOUND);
            }
            tx.lock(LockKey.pool(id));
            PoolState state = tx.loadPool(load.of(id, t, now)).orElseThrow(() -> Denied.of(Code.LICENSE_NOT_FOUND));
            FloatingRules.Decision<T> decision = decide.of(state, product, now);
            if (decision instanceof FloatingRules.Refused<T> r) {
                throw r.denied();
            }
            PoolChanges changes = decision instanceof FloatingRules.Granted<T> g ? g.changes()
                    : ((FloatingRules.Queued<T>) decision).changes();
            if (!changes.isEmpty()) {
                tx.apply(changes);
            }
            return decision;
        });
    }

    /** After the commit: drop the changed seats' (or license's) cached answers, wake waiters. */
    private void after(FloatingRules.Decision<?> decision) {
        PoolChanges changes;
        FloatingRules.AfterCommit after;
        if (decision instanceof FloatingRules.Granted<?> g) {
            changes = g.changes();
            after = g.after();
        } else {
            FloatingRules.Queued<?> q = (FloatingRules.Queued<?>) decision;
            changes = q.changes();
            after = q.after();
        }
        for (String key : after.seats()) {
            cache.seatChanged(changes.licenseId(), key);
        }
        if (after.licenseChanged()) {
            cache.licenseChanged(changes.licenseId());
        }
        if (after.seatFreed()) {
            signal.seatFreed();
        }
    }

    /** A unit whose decision is a grant (or a refusal, thrown): its value, after the commit's steps. */
    private <T> T granted(Target t, Load load, Decide<T> decide) {
        FloatingRules.Decision<T> d = unit(t, load, decide);
        after(d);
        return ((FloatingRules.Granted<T>) d).value();
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

    static void append(StoreTransaction tx, Instant at, LedgerEvent event, long licenseId, String subject, String detail) {
        tx.appendLedger(new LedgerEntry(0, at, event, licenseId, 0, subject, Code.OK, detail));
    }

    /** An administrative entry, naming who made the change ("" if the host stated no actor). */
    static void append(StoreTransaction tx, Instant at, LedgerEvent event, long licenseId, String subject, String detail,
            String actor) {
        tx.appendLedger(new LedgerEntry(0, at, event, licenseId, 0, subject, Code.OK, detail, actor));
    }

    @Override
    public Outcome<Activation> activate(DeviceRequest request) {
        return activate(request, false);
    }

    /**
     * Activates; an offline activation ({@code offline}) of a floating license is refused before
     * anything is bound: its only product would be a license file, and a floating seat leaves the
     * engine only as a lease that ends (a borrow, for a device that goes offline).
     */
    public Outcome<Activation> activate(DeviceRequest request, boolean offline) {
        Outcome<FloatingRules.Bound> bound = engine.attempt(() -> {
            Target t = validate(request);
            return granted(t, FloatingRules::activateLoad, (s, p, now) -> FloatingRules.activate(s, t, now, offline));
        });
        // No license file for a floating license: it would grant offline what only a seat grants.
        return signed(bound, FloatingRules.Bound::activation, (b, now) -> b.license().isFloating() ? null
                : tokens.licenseFile(b.license(), b.activation().hardwareId(), b.activation().activatedAt(), now));
    }

    @Override
    public Outcome<LicenseCheck> check(DeviceRequest request) {
        return check(request, false);
    }

    @Override
    public Outcome<LicenseCheck> checkOrQueue(DeviceRequest request) {
        return check(request, true);
    }

    private Outcome<LicenseCheck> check(DeviceRequest request, boolean queue) {
        Outcome<FloatingRules.Decision<LicenseCheck>> outcome = engine.attempt(() -> {
            Target t = validate(request);
            FloatingRules.Decision<LicenseCheck> d = unit(t, FloatingRules::seatLoad,
                    (s, product, now) -> FloatingRules.check(s, product, t, now, queue));
            after(d);
            return d;
        });
        if (!outcome.isSuccess()) {
            return Outcome.failure(outcome.code(), outcome.message());
        }
        if (outcome.orElseThrow() instanceof FloatingRules.Queued<LicenseCheck> q) {
            return Outcome.failure(Code.QUEUED, "queued at position " + q.position());
        }
        LicenseCheck check = ((FloatingRules.Granted<LicenseCheck>) outcome.orElseThrow()).value();
        return signed(Outcome.success(check), c -> c, (c, now) -> c.lease() != null
                ? tokens.lease(c.license().product(), c.lease(), now)
                : tokens.licenseFile(c.license(), request.hardwareId(), null, now));
    }

    @Override
    public Outcome<LicenseCheck> awaitSeat(DeviceRequest request, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.compareTo(MAX_WAIT) > 0) {
            return Outcome.failure(Code.INVALID_REQUEST, "timeout must be between 0 and " + MAX_WAIT);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        signal.enter();
        try {
            return awaitSeat(request, timeout, deadline);
        } finally {
            signal.leave();
        }
    }

    private Outcome<LicenseCheck> awaitSeat(DeviceRequest request, Duration timeout, long deadline) {
        while (true) {
            long seen = signal.version();
            Outcome<LicenseCheck> outcome = check(request, true);
            if (outcome.code() != Code.QUEUED) {
                return outcome;
            }
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    // woken by a commit that freed a seat; the bounded wait refreshes the entry
                    // and sees what other engines and processes freed
                    signal.awaitChange(seen, Math.min(left, RECHECK.toNanos()));
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String message = "no seat within " + timeout;
            leaveQueue(request, message);
            return Outcome.failure(Code.FLOATING_NOT_AVAILABLE, message);
        }
    }

    /**
     * Deletes the caller's queue entry, if any (it gave up waiting), and records the refusal as
     * {@code DENIED}, as every other licensing refusal is.
     */
    private void leaveQueue(DeviceRequest request, String message) {
        engine.attempt(() -> {
            Target t = validate(request);
            return granted(t, FloatingRules::seatKeysLoad, (s, p, now) -> FloatingRules.leaveQueue(s, t, now, message));
        });
    }

    @Override
    public Outcome<Lease> borrow(DeviceRequest request, Instant until) {
        Outcome<Lease> outcome = engine.attempt(() -> {
            Target t = validate(request);
            return granted(t, FloatingRules::seatLoad, (s, product, now) -> FloatingRules.borrow(s, product, t, now, until));
        });
        return signed(outcome, l -> l, (l, now) -> tokens.lease(request.product(), l, now));
    }

    @Override
    public Outcome<Void> release(DeviceRequest request) {
        return engine.attempt(() -> {
            Target t = validate(request);
            granted(t, FloatingRules::seatKeysLoad, (s, p, now) -> FloatingRules.release(s, t, now));
            return null;
        });
    }

    @Override
    public Outcome<Void> returnBorrow(DeviceRequest request, String borrowToken) {
        return engine.attempt(() -> {
            Target t = validate(request);
            // signature and claims are checked before the unit: no lock is held for the crypto
            Map<String, Object> proof = tokens.readOwn(borrowToken);
            if (proof == null) {
                throw Denied.of(Code.INVALID_REQUEST, tokens.enabled()
                        ? "borrow_token is not a lease this server signed"
                        : "this engine signs no tokens, so it cannot check a return: the seat ends with its borrow");
            }
            granted(t, FloatingRules::seatKeysLoad, (s, p, now) -> FloatingRules.returnBorrow(s, t, now, proof));
            return null;
        });
    }

    @Override
    public Outcome<Void> deactivate(DeviceRequest request) {
        return engine.attempt(() -> {
            Target t = validate(request);
            return granted(t, FloatingRules::deactivateLoad, (s, p, now) -> FloatingRules.deactivate(s, t, now));
        });
    }

    @Override
    public Outcome<ConsumptionBalance> addConsumption(DeviceRequest request, long count, boolean allowOverage,
                                                      Long maxOverage) {
        return engine.attempt(() -> {
            Target t = validate(request);
            Check.positive("consumptions", count);
            if (maxOverage != null) {
                Check.notNegative("max_overages", maxOverage);
            }
            Check.that(count <= FloatingRules.MAX_CONSUMPTION_STEP,
                    "consumptions must be at most " + FloatingRules.MAX_CONSUMPTION_STEP);
            return granted(t, FloatingRules::licenseLoad,
                    (s, p, now) -> FloatingRules.addConsumption(s, t, now, count, allowOverage, maxOverage));
        });
    }
}
