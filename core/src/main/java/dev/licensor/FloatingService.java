package dev.licensor;

import dev.licensor.floating.Activation;
import dev.licensor.floating.ConsumptionBalance;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.FloatingLicenses;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The device-side operations ({@link FloatingLicenses}), each composed of focused steps:
 * validation ({@link DeviceTarget}), one pool unit that locks, loads, decides and applies
 * ({@link PoolUnit}), the decision itself ({@link FloatingRules}: admission, allocation,
 * sweeping, the queue, metering; pure), token signing after the commit ({@link TokenIssuer}) and
 * the bounded wait for a seat ({@link SeatWaiter}). Every rule about floating pools lives in
 * {@link FloatingRules}, once; stores only persist. Not API.
 *
 * <p>Thread-safe: stateless beyond its parts, which are.
 */
final class FloatingService implements FloatingLicenses {
    private final Engine engine;
    private final PoolUnit pool;
    private final TokenIssuer tokens;
    private final SeatWaiter waiter;

    FloatingService(Engine engine, SeatCacheHook cache, TokenIssuer tokens, SeatSignal signal) {
        this.engine = engine;
        this.pool = new PoolUnit(engine, cache, signal);
        this.tokens = tokens;
        this.waiter = new SeatWaiter(signal);
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
            DeviceTarget t = DeviceTarget.validate(request);
            return pool.granted(t, PoolLoads::activateLoad, (s, p, now) -> FloatingRules.activate(s, t, now, offline));
        });
        // No license file for a floating license: it would grant offline what only a seat grants.
        return tokens.signed(bound, FloatingRules.Bound::activation, (b, now) -> b.license().isFloating() ? null
                : tokens.licenseFile(b.license(), b.activation().hardwareId(), b.activation().activatedAt(), now),
                engine::now);
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
            DeviceTarget t = DeviceTarget.validate(request);
            FloatingRules.Decision<LicenseCheck> d = pool.unit(t, PoolLoads::seatLoad,
                    (s, product, now) -> FloatingRules.check(s, product, t, now, queue));
            pool.after(d);
            return d;
        });
        if (!outcome.isSuccess()) {
            return Outcome.failure(outcome.code(), outcome.message());
        }
        if (outcome.orElseThrow() instanceof FloatingRules.Queued<LicenseCheck> q) {
            return Outcome.failure(Code.QUEUED, "queued at position " + q.position());
        }
        LicenseCheck check = ((FloatingRules.Granted<LicenseCheck>) outcome.orElseThrow()).value();
        if (!tokens.enabled()) {
            return Outcome.success(check); // what signed() answers without a signer, without its lambdas
        }
        return tokens.signed(Outcome.success(check), c -> c, (c, now) -> c.lease() != null
                ? tokens.lease(c.license().product(), c.lease(), now)
                : tokens.licenseFile(c.license(), request.hardwareId(), null, now), engine::now);
    }

    @Override
    public Outcome<LicenseCheck> awaitSeat(DeviceRequest request, Duration timeout) {
        return waiter.await(request, timeout, r -> check(r, true), this::leaveQueue);
    }

    /**
     * Deletes the caller's queue entry, if any (it gave up waiting), and records the refusal as
     * {@code DENIED}, as every other licensing refusal is.
     */
    private void leaveQueue(DeviceRequest request, String message) {
        engine.attempt(() -> {
            DeviceTarget t = DeviceTarget.validate(request);
            return pool.granted(t, PoolLoads::seatKeysLoad, (s, p, now) -> FloatingRules.leaveQueue(s, t, now, message));
        });
    }

    @Override
    public Outcome<Lease> borrow(DeviceRequest request, Instant until) {
        Outcome<Lease> outcome = engine.attempt(() -> {
            DeviceTarget t = DeviceTarget.validate(request);
            return pool.granted(t, PoolLoads::seatLoad, (s, product, now) -> FloatingRules.borrow(s, product, t, now, until));
        });
        return tokens.signed(outcome, l -> l, (l, now) -> tokens.lease(request.product(), l, now), engine::now);
    }

    @Override
    public Outcome<Void> release(DeviceRequest request) {
        return engine.attempt(() -> {
            DeviceTarget t = DeviceTarget.validate(request);
            pool.granted(t, PoolLoads::seatKeysLoad, (s, p, now) -> FloatingRules.release(s, t, now));
            return null;
        });
    }

    @Override
    public Outcome<Void> returnBorrow(DeviceRequest request, String borrowToken) {
        return engine.attempt(() -> {
            DeviceTarget t = DeviceTarget.validate(request);
            // signature and claims are checked before the unit: no lock is held for the crypto
            Map<String, Object> proof = tokens.readOwn(borrowToken);
            if (proof == null) {
                throw Denied.of(Code.INVALID_REQUEST, tokens.enabled()
                        ? "borrow_token is not a lease this server signed"
                        : "this engine signs no tokens, so it cannot check a return: the seat ends with its borrow");
            }
            pool.granted(t, PoolLoads::seatKeysLoad, (s, p, now) -> FloatingRules.returnBorrow(s, t, now, proof));
            return null;
        });
    }

    @Override
    public Outcome<Void> deactivate(DeviceRequest request) {
        return engine.attempt(() -> {
            DeviceTarget t = DeviceTarget.validate(request);
            return pool.granted(t, PoolLoads::deactivateLoad, (s, p, now) -> FloatingRules.deactivate(s, t, now));
        });
    }

    @Override
    public Outcome<ConsumptionBalance> addConsumption(DeviceRequest request, long count, boolean allowOverage,
                                                      Long maxOverage) {
        return engine.attempt(() -> {
            DeviceTarget t = DeviceTarget.validate(request);
            Check.positive("consumptions", count);
            if (maxOverage != null) {
                Check.notNegative("max_overages", maxOverage);
            }
            Check.that(count <= Metering.MAX_CONSUMPTION_STEP,
                    "consumptions must be at most " + Metering.MAX_CONSUMPTION_STEP);
            return pool.granted(t, PoolLoads::licenseLoad,
                    (s, p, now) -> Metering.addConsumption(s, t, now, count, allowOverage, maxOverage));
        });
    }
}
