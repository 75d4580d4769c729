package dev.licensor.internal;

import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.floating.Activation;
import dev.licensor.floating.ConsumptionBalance;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.FloatingLicenses;
import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.floating.QueueEntry;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.internal.SeatRules;
import dev.licensor.store.LockKey;
import dev.licensor.store.StoreTransaction;
import dev.licensor.token.internal.TokenIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The device-side rules: activation, seats, borrowing, consumption. Every rule about floating
 * pools lives here, once; stores only persist. Thread-safe (stateless beyond the engine).
 */
public final class FloatingService implements FloatingLicenses {
    /** Lapsed leases of one pool swept per seat-taking call; more are swept by the next. */
    private static final int SWEEP_BATCH = 64;
    /** Largest count accepted by one addConsumption call. */
    private static final long MAX_CONSUMPTION_STEP = 1_000_000_000L;

    /** Longest {@code awaitSeat} timeout. */
    private static final Duration MAX_WAIT = Duration.ofDays(1);
    /** How often a waiting caller re-checks without a wake-up (keeps its queue entry alive). */
    private static final Duration RECHECK = Duration.ofSeconds(5);

    private final Engine engine;
    private final SeatCacheHook cache;
    private final TokenIssuer tokens;
    private final SeatSignal signal;

    public FloatingService(Engine engine, SeatCacheHook cache) {
        this(engine, cache, TokenIssuer.NONE, new SeatSignal());
    }

    public FloatingService(Engine engine, SeatCacheHook cache, TokenIssuer tokens, SeatSignal signal) {
        this.engine = engine;
        this.cache = cache;
        this.tokens = tokens;
        this.signal = signal;
    }

    /** An activation with the license it binds, so the license file is signed after the unit. */
    private record Bound(Activation activation, License license) {
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

    /** The seat step's answer: a lease, or the caller's 1-based place in the pool's queue. */
    private record Seat(Lease lease, int position) {
    }

    /** The check unit's answer: the check, or the caller's place in the queue. */
    private record Checked(LicenseCheck check, int position) {
    }

    /** The seat a unit freed (or would have), for the cache. */
    private record Freed(long licenseId, String key) {
    }

    /** The seats a deactivation freed (and the device's own key), for the cache. */
    private record DeviceFreed(long licenseId, List<String> keys) {
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

    /** The license a validated request names, after the checks every call shares, in documented order. */
    private License admit(StoreTransaction tx, Target t, Instant now) {
        product(tx, t);
        return admitLicense(tx, t, now);
    }

    /** The product a validated request names: the first check of every call. */
    private Product product(StoreTransaction tx, Target t) {
        return engine.fixed().product(tx, t.product()).orElseThrow(() -> Denied.of(Code.UNKNOWN_PRODUCT));
    }

    /**
     * The checks of {@link #admit} after the product's; for a caller that reads the product itself
     * because it needs it, so the unit does not read it twice. Locks the license's pool once the
     * key or username has named it (which license they name never changes, so the engine
     * remembers it: {@link FixedRows}), then reads the license under the lock: its switches and
     * counts are what the unit decides from.
     */
    private License admitLicense(StoreTransaction tx, Target t, Instant now) {
        Long id = engine.fixed().licenseId(tx, t.product(), t.key(), t.username());
        if (id == null || (t.licenseId() != null && t.licenseId().longValue() != id)) {
            throw Denied.of(Code.LICENSE_NOT_FOUND);
        }
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

    /** An administrative entry, naming who made the change ("" if the host stated no actor). */
    static void append(StoreTransaction tx, Instant at, LedgerEvent event, long licenseId, String subject, String detail,
            String actor) {
        tx.appendLedger(new LedgerEntry(0, at, event, licenseId, 0, subject, Code.OK, detail, actor));
    }

    /**
     * The seat step: refresh the live lease of the requester's seat key, or sweep the pool's
     * lapsed leases and take a seat if the pool's policy allows it (a bare count when the pool has
     * no policy). Runs inside one unit holding the pool's lock, so the decision and the insert
     * are one atomic step.
     */
    private static Seat takeOrRefresh(StoreTransaction tx, Product product, License license, PoolPolicy policy,
                                      Target t, Instant now, boolean queue, List<String> swept) {
        String key = Seats.key(policy.leasing(), t);
        Instant fresh = now.plus(license.effectiveFloatingTimeout(product));
        Optional<Lease> own = tx.lease(license.id(), key);
        if (own.isPresent() && own.get().isLiveAt(now)) {
            Lease held = own.get();
            if (!policy.isNone() && !Seats.sameIdentity(held.holder(), t.holder())) {
                // the seat passes to another user or host (a refresh records the latest holder):
                // the policy decides for the new holder as if it took the seat, so the pool view,
                // the MAX counts and usage() all name one holder that the policy admitted
                List<Lease> others = tx.leasesLiveAfter(license.id(), now).stream()
                        .filter(l -> !l.hardwareId().equals(key)).toList();
                if (SeatRules.take(policy, Seats.groups(tx, policy), license.floatingSeats(), others, t.holder())
                        instanceof SeatRules.Decision.Refuse r) {
                    throw Denied.license(r.code(), r.message() + Seats.who(t), license.id(), key);
                }
            }
            Instant expires = held.borrowedUntil() != null && held.borrowedUntil().isAfter(fresh)
                    ? held.borrowedUntil() : fresh;
            Lease refreshed = new Lease(held.licenseId(), key, held.grantedAt(), now, expires, held.borrowedUntil(),
                    t.hardwareId(), t.holder(), held.overLimit());
            tx.putLease(refreshed);
            append(tx, now, LedgerEvent.REFRESHED, license.id(), key, Seats.describe(refreshed));
            return new Seat(refreshed, 0);
        }
        if (own.isPresent()) {
            // The requester's own lease has lapsed; the sweep below takes only the oldest batch, so
            // free this one here or the insert would collide with it.
            tx.deleteLease(license.id(), key);
            append(tx, own.get().expiresAt(), LedgerEvent.LAPSED, license.id(), key, "");
        }
        swept.addAll(sweep(tx, license.id(), now));
        boolean overLimit = false;
        if (policy.isNone()) {
            if (tx.countLeasesLiveAfter(license.id(), now) >= license.floatingSeats()) {
                throw Denied.license(Code.FLOATING_NOT_AVAILABLE,
                        Code.FLOATING_NOT_AVAILABLE.defaultMessage() + Seats.who(t), license.id(), key);
            }
        } else {
            List<Lease> live = tx.leasesLiveAfter(license.id(), now);
            SeatRules.Groups groups = Seats.groups(tx, policy);
            SeatRules.Decision d = SeatRules.take(policy, groups, license.floatingSeats(), live, t.holder());
            List<QueueEntry> waiting = policy.queueLength() > 0 ? SeatQueue.live(tx, license.id(), now) : List.of();
            int ahead = SeatQueue.ahead(waiting, key);
            // a freed seat goes to the first live entries of the queue: one per seat they could take
            if (d instanceof SeatRules.Decision.Grant g && ahead > 0 && SeatQueue.heldBack(g, waiting, ahead, groups)) {
                d = new SeatRules.Decision.Refuse(Code.FLOATING_NOT_AVAILABLE, ahead + " callers queue for a seat");
            }
            if (d instanceof SeatRules.Decision.Refuse r) {
                if (queue && r.code() == Code.FLOATING_NOT_AVAILABLE && policy.queueLength() > 0) {
                    int position = SeatQueue.join(tx, license.id(), t, key, waiting, now, fresh, policy.queueLength());
                    if (position > 0) {
                        return new Seat(null, position);
                    }
                }
                throw Denied.license(r.code(), r.message() + Seats.who(t), license.id(), key);
            }
            if (ahead < waiting.size()) {
                tx.deleteQueueEntry(license.id(), key);
            }
            overLimit = ((SeatRules.Decision.Grant) d).overLimit();
        }
        Lease granted = new Lease(license.id(), key, now, now, fresh, null, t.hardwareId(), t.holder(), overLimit);
        tx.putLease(granted);
        append(tx, now, LedgerEvent.GRANTED, license.id(), key, Seats.describe(granted));
        return new Seat(granted, 0);
    }

    /**
     * Deletes the pool's lapsed leases (a batch), recording each lapse at the time it happened;
     * returns their hardware ids, for the caller to drop from the cache after the commit.
     */
    static List<String> sweep(StoreTransaction tx, long licenseId, Instant now) {
        List<Lease> batch = tx.leasesLapsedBy(licenseId, now, SWEEP_BATCH);
        if (batch.isEmpty()) {
            return List.of(); // the common case: nothing lapsed, nothing allocated
        }
        List<String> swept = new ArrayList<>(batch.size());
        for (Lease lapsed : batch) {
            tx.deleteLease(licenseId, lapsed.hardwareId());
            append(tx, lapsed.expiresAt(), LedgerEvent.LAPSED, licenseId, lapsed.hardwareId(), "");
            swept.add(lapsed.hardwareId());
        }
        return swept;
    }

    /** Drops from the cache the seats a committed unit swept (a retried unit clears the list first). */
    private void sweptSeats(long licenseId, List<String> swept) {
        for (String hardwareId : swept) {
            cache.seatChanged(licenseId, hardwareId);
        }
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
        Outcome<Bound> bound = engine.attempt(() -> {
            Target t = validate(request);
            return engine.store().write(tx -> {
                Instant now = engine.now();
                License license = admit(tx, t, now);
                if (offline && license.isFloating()) {
                    throw Denied.license(Code.FLOATING_NOT_AVAILABLE, "a floating license goes offline only as a"
                            + " borrowed lease: activate online, then borrow", license.id(), t.hardwareId());
                }
                Optional<Activation> existing = tx.activation(license.id(), t.hardwareId());
                if (existing.isPresent()) {
                    return new Bound(existing.get(), license);
                }
                if (tx.countActivations(license.id()) >= license.maxActivations()) {
                    throw Denied.license(Code.LICENSE_ACTIVATED_MAX_TIMES, license.id(), t.hardwareId());
                }
                Activation activation = new Activation(license.id(), t.hardwareId(), now);
                tx.putActivation(activation);
                append(tx, now, LedgerEvent.ACTIVATED, license.id(), t.hardwareId(), "");
                return new Bound(activation, license);
            });
        });
        // No license file for a floating license: it would grant offline what only a seat grants.
        return signed(bound, Bound::activation, (b, now) -> b.license().isFloating() ? null
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
        Outcome<Checked> outcome = engine.attempt(() -> {
            Target t = validate(request);
            List<String> swept = new ArrayList<>();
            Checked result = engine.store().write(tx -> {
                swept.clear();
                Instant now = engine.now();
                Product product = product(tx, t);
                License license = admitLicense(tx, t, now);
                requireDevice(tx, license, t.hardwareId());
                if (!license.isFloating()) {
                    return new Checked(new LicenseCheck(license, null), 0);
                }
                PoolPolicy policy = tx.poolPolicy(license.id()).orElse(PoolPolicy.NONE);
                Seat seat = takeOrRefresh(tx, product, license, policy, t, now, queue, swept);
                return new Checked(new LicenseCheck(license, seat.lease()), seat.position());
            });
            if (result.check().lease() != null) {
                cache.seatChanged(result.check().license().id(), result.check().lease().hardwareId());
                sweptSeats(result.check().license().id(), swept);
            }
            return result;
        });
        if (!outcome.isSuccess()) {
            return Outcome.failure(outcome.code(), outcome.message());
        }
        Checked checked = outcome.orElseThrow();
        return checked.position() > 0
                ? Outcome.failure(Code.QUEUED, "queued at position " + checked.position())
                : signed(Outcome.success(checked.check()), c -> c, (c, now) -> c.lease() != null
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
            engine.store().write(tx -> {
                Instant now = engine.now();
                License license = admitLicense(tx, t, now);
                String key = Seats.keyIfGiven(tx.poolPolicy(license.id()).orElse(PoolPolicy.NONE).leasing(), t);
                tx.appendLedger(new LedgerEntry(0, now, LedgerEvent.DENIED, license.id(), 0,
                        key != null ? key : t.hardwareId(), Code.FLOATING_NOT_AVAILABLE, message + Seats.who(t)));
                return key != null && tx.deleteQueueEntry(license.id(), key);
            });
            signal.seatFreed();
            return null;
        });
    }

    @Override
    public Outcome<Lease> borrow(DeviceRequest request, Instant until) {
        Outcome<Lease> outcome = engine.attempt(() -> {
            Target t = validate(request);
            List<String> swept = new ArrayList<>();
            Lease lease = engine.store().write(tx -> {
                swept.clear();
                Instant now = engine.now();
                Product product = product(tx, t);
                License license = admitLicense(tx, t, now);
                requireDevice(tx, license, t.hardwareId());
                requireFloating(license, t.hardwareId());
                // the seat first: the policy and floating_not_available answer before borrow's own
                // rules (docs/engine.md, order of checks); a refusal below rolls the seat back
                PoolPolicy policy = tx.poolPolicy(license.id()).orElse(PoolPolicy.NONE);
                Lease seat = takeOrRefresh(tx, product, license, policy, t, now, false, swept).lease();
                if (!license.borrowAllowed()) {
                    throw Denied.license(Code.LICENSE_BORROW_NOT_ALLOWED, license.id(), t.hardwareId());
                }
                Instant cap = now.plus(license.effectiveMaxBorrowTime(product));
                Instant end = until == null ? cap : until;
                if (!end.isAfter(now) || end.isAfter(cap)) {
                    throw Denied.license(Code.BORROW_UNTIL_NOT_VALID,
                            "borrowed_until must be after now and at most " + cap, license.id(), t.hardwareId());
                }
                if (seat.isBorrowedAt(now) && end.isBefore(seat.borrowedUntil())) {
                    // a token signed for the later end is out: the seat must stay counted until then
                    throw Denied.license(Code.BORROW_UNTIL_NOT_VALID, "the seat is borrowed until "
                            + seat.borrowedUntil() + "; a borrow may be extended, not shortened (return it first)",
                            license.id(), seat.hardwareId());
                }
                if (!seat.isBorrowedAt(now) && (policy.borrowLowwater() > 0 || policy.maxBorrowed() > 0)) {
                    SeatRules.Decision d = SeatRules.borrow(policy, license.floatingSeats(),
                            tx.leasesLiveAfter(license.id(), now), seat.hardwareId(), now);
                    if (d instanceof SeatRules.Decision.Refuse r) {
                        throw Denied.license(r.code(), r.message(), license.id(), seat.hardwareId());
                    }
                }
                // The new end replaces the old one (never earlier, above): expiresAt = max(now + timeout, end).
                Instant fresh = now.plus(license.effectiveFloatingTimeout(product));
                Lease borrowed = seat.withTimes(now, end.isAfter(fresh) ? end : fresh, end);
                tx.putLease(borrowed);
                append(tx, now, LedgerEvent.BORROWED, license.id(), seat.hardwareId(), "until " + end);
                return borrowed;
            });
            cache.seatChanged(lease.licenseId(), lease.hardwareId());
            sweptSeats(lease.licenseId(), swept);
            return lease;
        });
        return signed(outcome, l -> l, (l, now) -> tokens.lease(request.product(), l, now));
    }

    @Override
    public Outcome<Void> release(DeviceRequest request) {
        return engine.attempt(() -> {
            Target t = validate(request);
            Freed freed = engine.store().write(tx -> {
                Instant now = engine.now();
                License license = admit(tx, t, now);
                requireDevice(tx, license, t.hardwareId());
                requireFloating(license, t.hardwareId());
                String key = Seats.key(tx.poolPolicy(license.id()).orElse(PoolPolicy.NONE).leasing(), t);
                freeSeat(tx, license.id(), key, now);
                return new Freed(license.id(), key);
            });
            cache.seatChanged(freed.licenseId(), freed.key());
            signal.seatFreed();
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
            Freed freed = engine.store().write(tx -> {
                Instant now = engine.now();
                License license = admit(tx, t, now);
                requireDevice(tx, license, t.hardwareId());
                requireFloating(license, t.hardwareId());
                String key = Seats.key(tx.poolPolicy(license.id()).orElse(PoolPolicy.NONE).leasing(), t);
                Optional<Lease> lease = tx.lease(license.id(), key);
                // a lease token names the device (hardware_id), not the seat key (user or process)
                if (!"lease".equals(proof.get("kind")) || !Long.valueOf(license.id()).equals(proof.get("license_id"))
                        || !t.hardwareId().equals(proof.get("hardware_id"))) {
                    throw Denied.of(Code.INVALID_REQUEST, "borrow_token is not a lease of this seat");
                }
                if (lease.isPresent() && lease.get().isBorrowedAt(now)) {
                    Lease held = lease.get();
                    if (!held.device().equals(t.hardwareId())
                            || !Long.valueOf(TokenIssuer.seconds(held.borrowedUntil())).equals(proof.get("borrowed_until"))) {
                        throw Denied.of(Code.INVALID_REQUEST, "borrow_token is not the latest borrow of this seat");
                    }
                    tx.deleteLease(license.id(), key);
                    append(tx, now, LedgerEvent.RELEASED, license.id(), key, "borrow returned before " + held.borrowedUntil());
                } else {
                    freeSeat(tx, license.id(), key, now);
                }
                return new Freed(license.id(), key);
            });
            cache.seatChanged(freed.licenseId(), freed.key());
            signal.seatFreed();
            return null;
        });
    }

    /** Refuses to free a borrowed seat: its signed lease is out until the borrow ends. */
    static void refuseIfBorrowed(Lease lease, Instant now) {
        if (lease.isBorrowedAt(now)) {
            throw Denied.license(Code.SEAT_BORROWED, "the seat is borrowed until " + lease.borrowedUntil()
                    + "; it is freed then, or when the device returns it", lease.licenseId(), lease.hardwareId());
        }
    }

    /**
     * Deletes the device's lease if any, recording a release (or a lapse, if it had lapsed);
     * refuses a borrowed one ({@link #refuseIfBorrowed}).
     */
    private static void freeSeat(StoreTransaction tx, long licenseId, String hardwareId, Instant now) {
        Optional<Lease> lease = tx.lease(licenseId, hardwareId);
        if (lease.isPresent()) {
            refuseIfBorrowed(lease.get(), now);
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
            DeviceFreed freed = engine.store().write(tx -> {
                Instant now = engine.now();
                License license = admit(tx, t, now);
                requireDevice(tx, license, t.hardwareId());
                String key = Seats.keyIfGiven(tx.poolPolicy(license.id()).orElse(PoolPolicy.NONE).leasing(), t);
                List<String> keys = new ArrayList<>();
                // the request's own seat, live or lapsed, if it sits on this device (a user's seat
                // on another of the user's devices stays)
                if (key != null && tx.lease(license.id(), key).filter(l -> l.device().equals(t.hardwareId())).isPresent()) {
                    freeSeat(tx, license.id(), key, now);
                    keys.add(key);
                }
                // and every other seat on the device (its other processes): no seat outlives its
                // device's activation, so a borrowed one refuses the whole unit (freeSeat)
                if (license.isFloating()) {
                    for (Lease l : tx.leasesLiveAfter(license.id(), now)) {
                        if (l.device().equals(t.hardwareId()) && !l.hardwareId().equals(key)) {
                            freeSeat(tx, license.id(), l.hardwareId(), now);
                            keys.add(l.hardwareId());
                        }
                    }
                }
                tx.deleteActivation(license.id(), t.hardwareId());
                append(tx, now, LedgerEvent.DEACTIVATED, license.id(), t.hardwareId(), "");
                keys.add(t.hardwareId());
                return new DeviceFreed(license.id(), keys);
            });
            freed.keys().forEach(k -> cache.seatChanged(freed.licenseId(), k));
            signal.seatFreed();
            return null;
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
                long cap = tighterOverage(license.maxOverage(), maxOverage);
                boolean unlimited = overage && cap == 0;
                long limit = license.maxConsumptions() + (overage ? cap : 0);
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

    /** The tighter of two overage caps where 0 (or null for the caller's) means unlimited. */
    private static long tighterOverage(long license, Long caller) {
        if (caller == null || caller == 0) {
            return license;
        }
        return license == 0 ? caller : Math.min(license, caller);
    }
}
