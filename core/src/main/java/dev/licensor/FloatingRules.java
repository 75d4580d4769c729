package dev.licensor;

import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.floating.QueueEntry;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.PoolState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The floating operations' decisions, as pure functions of (the pool's loaded state, the
 * validated request, the engine's {@code now}): no store call, no clock read. Each returns a
 * {@link Decision}: granted (with the changes to apply and what the cache and the seat signal
 * must hear after the commit), queued (with the changes that put the caller in the queue), or
 * refused (with the code the caller gets; nothing is applied).
 *
 * <p>The checks run in the documented order (docs/engine.md): blacklist, switches and validity,
 * device ({@link Admission}), then each operation's own: the seat step here (allocation, the
 * queue through {@link SeatQueue}), freeing seats ({@link Sweep}), consumption ({@link Metering}).
 * {@link PoolLoads} says what each decision reads, so the service asks the store for exactly that.
 *
 * <p>Thread-safe (stateless).
 */
final class FloatingRules {

    private FloatingRules() {
    }

    /** What a decision does. */
    sealed interface Decision<T> permits Granted, Queued, Refused {
    }

    /**
     * The request succeeds with {@code value} once {@code changes} are applied.
     *
     * @param value   the caller's answer
     * @param changes the rows to write and the ledger entries to append
     * @param after   what the cache and the seat signal hear after the commit
     */
    record Granted<T>(T value, PoolChanges changes, AfterCommit after) implements Decision<T> {
    }

    /**
     * The caller waits at {@code position} (1-based) in the pool's queue once {@code changes}
     * are applied.
     */
    record Queued<T>(int position, PoolChanges changes, AfterCommit after) implements Decision<T> {
    }

    /**
     * The request is refused: nothing is applied. A licensing denial (3xx, 4xx) names the
     * license and subject its ledger entry records; bad input names license 0 and "".
     */
    record Refused<T>(Code code, String message, long licenseId, String subject, String user, String host)
            implements Decision<T> {
        Denied denied() {
            return Denied.seat(code, message, licenseId, subject, new Holder(user, host, null,
                    Map.of()));
        }
    }

    /**
     * What must be told after the commit: the seat keys whose cached answers are stale ({@code seat},
     * if not null, then {@code others}), whether the license row changed (its cached copy is
     * stale), and whether a seat was freed (wake waiters). The one seat most decisions change is a
     * field of its own, so they build no list for it.
     */
    record AfterCommit(@Nullable String seat, List<String> others, boolean licenseChanged, boolean seatFreed) {
        static final AfterCommit NOTHING = new AfterCommit(null, List.of(), false, false);

        AfterCommit {
            others = List.copyOf(others);
        }

        /** The stale seat keys {@code keys}, as a list of any length. */
        static AfterCommit seats(List<String> keys, boolean licenseChanged, boolean seatFreed) {
            return new AfterCommit(null, keys, licenseChanged, seatFreed);
        }

        /** Every stale seat key: {@code seat} first, if any, then {@code others}. */
        List<String> seats() {
            if (seat == null) {
                return others;
            }
            List<String> all = new ArrayList<>(others.size() + 1);
            all.add(seat);
            all.addAll(others);
            return all;
        }
    }

    // ---- decisions

    /** An activation with the license it binds, so the license file is signed after the unit. */
    record Bound(Activation activation, License license) {
    }

    /** A device binds to the license (or finds its binding); {@code offline} refuses a floating license. */
    static Decision<Bound> activate(PoolState s, DeviceTarget t, Instant now, boolean offline) {
        try {
            License license = Admission.admit(s, t, now);
            if (offline && license.isFloating()) {
                throw Denied.license(Code.FLOATING_NOT_AVAILABLE, "a floating license goes offline only as a"
                        + " borrowed lease: activate online, then borrow", license.id(), t.hardwareId());
            }
            if (s.activation().isPresent()) {
                return granted(new Bound(s.activation().get(), license), Changes.of(s), AfterCommit.NOTHING);
            }
            if (s.activations() >= license.maxActivations()) {
                throw Denied.license(Code.LICENSE_ACTIVATED_MAX_TIMES, license.id(), t.hardwareId());
            }
            Activation activation = new Activation(license.id(), t.hardwareId(), now);
            Changes c = Changes.of(s);
            c.activationPut = activation;
            c.ledger(now, LedgerEvent.ACTIVATED, t.hardwareId(), "");
            return granted(new Bound(activation, license), c, AfterCommit.NOTHING);
        } catch (Denied d) {
            return refused(d);
        }
    }

    /**
     * A license check: a non-floating license answers without a seat; a floating one refreshes
     * the requester's seat or takes one, or (with {@code queue}) queues for one.
     */
    static Decision<LicenseCheck> check(PoolState s, Product product, DeviceTarget t, Instant now,
                                        boolean queue) {
        try {
            License license = Admission.admit(s, t, now);
            Admission.requireDevice(s, t);
            if (!license.isFloating()) {
                return granted(new LicenseCheck(license, null, 0), Changes.of(s), AfterCommit.NOTHING);
            }
            Changes c = Changes.of(s);
            Seat seat = takeOrRefresh(s, product, t, now, queue, c);
            if (seat.lease() == null) {
                return new Queued<>(seat.position(), c.build(), AfterCommit.seats(c.swept(), false, false));
            }
            return granted(new LicenseCheck(license, seat.lease(), c.seatsInUse(s, now)), c,
                    c.seatsAfter(seat.lease().hardwareId()));
        } catch (Denied d) {
            return refused(d);
        }
    }

    /** A borrow: the seat first (as a check), then borrow's own rules; {@code until} null means the longest. */
    static Decision<Lease> borrow(PoolState s, Product product, DeviceTarget t, Instant now, Instant until) {
        try {
            License license = Admission.admit(s, t, now);
            Admission.requireDevice(s, t);
            Admission.requireFloating(license, t.hardwareId());
            // the seat first: the policy and floating_not_available answer before borrow's own
            // rules (docs/engine.md, order of checks); a refusal below drops the seat's changes
            PoolPolicy policy = s.policy();
            Changes c = Changes.of(s);
            Lease seat = takeOrRefresh(s, product, t, now, false, c).lease();
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
                // the loaded live leases: borrow() counts the others, so the seat's own state is moot
                SeatRules.Decision d = SeatRules.borrow(policy, license.floatingSeats(), s.live(), seat.hardwareId(), now);
                if (d instanceof SeatRules.Refuse r) {
                    throw Denied.license(r.code(), r.message(), license.id(), seat.hardwareId());
                }
            }
            // The new end replaces the old one (never earlier, above): expiresAt = max(now + timeout, end).
            Instant fresh = now.plus(license.effectiveFloatingTimeout(product));
            Lease borrowed = seat.withTimes(now, end.isAfter(fresh) ? end : fresh, end);
            c.putLease(borrowed);
            c.ledger(c.entry(now, LedgerEvent.BORROWED, seat.hardwareId(), "").withUntil(end));
            return granted(borrowed, c, c.seatsAfter(borrowed.hardwareId()));
        } catch (Denied d) {
            return refused(d);
        }
    }

    /** A release of the requester's seat (a borrowed one refuses). Answers the freed seat key. */
    static Decision<String> release(PoolState s, DeviceTarget t, Instant now) {
        try {
            License license = Admission.admit(s, t, now);
            Admission.requireDevice(s, t);
            Admission.requireFloating(license, t.hardwareId());
            String key = Seats.key(s.policy().leasing(), t);
            Changes c = Changes.of(s);
            Sweep.freeSeat(s.seatLease(key), now, c);
            return granted(key, c, new AfterCommit(key, List.of(), false, true));
        } catch (Denied d) {
            return refused(d);
        }
    }

    /**
     * A borrow returned early: {@code proof} is the lease token's verified claims. A borrowed
     * seat is freed only by its latest token; a seat not borrowed is released as by
     * {@link #release}. Answers the freed seat key.
     */
    static Decision<String> returnBorrow(PoolState s, DeviceTarget t, Instant now, Map<String, Object> proof) {
        try {
            License license = Admission.admit(s, t, now);
            Admission.requireDevice(s, t);
            Admission.requireFloating(license, t.hardwareId());
            String key = Seats.key(s.policy().leasing(), t);
            Optional<Lease> lease = s.seatLease(key);
            // a lease token names the device (hardware_id), not the seat key (user or process)
            if (!"lease".equals(proof.get("kind")) || !Long.valueOf(license.id()).equals(proof.get("license_id"))
                    || !t.hardwareId().equals(proof.get("hardware_id"))) {
                throw Denied.of(Code.INVALID_REQUEST, "borrow_token is not a lease of this seat");
            }
            Changes c = Changes.of(s);
            if (lease.isPresent() && lease.get().isBorrowedAt(now)) {
                Lease held = lease.get();
                if (!held.device().equals(t.hardwareId())
                        || !Long.valueOf(TokenIssuer.seconds(held.borrowedUntil())).equals(proof.get("borrowed_until"))) {
                    throw Denied.of(Code.INVALID_REQUEST, "borrow_token is not the latest borrow of this seat");
                }
                c.deleteLease(key);
                c.ledger(c.entry(now, LedgerEvent.RELEASED, key, "borrow returned").withUntil(held.borrowedUntil()));
            } else {
                Sweep.freeSeat(lease, now, c);
            }
            return granted(key, c, new AfterCommit(key, List.of(), false, true));
        } catch (Denied d) {
            return refused(d);
        }
    }

    /**
     * A device unbinds: its seats go first (the request's own, live or lapsed, if it sits on this
     * device, then every other live seat on the device); a borrowed one refuses the whole
     * deactivation, since no seat outlives its device's activation.
     */
    static Decision<Void> deactivate(PoolState s, DeviceTarget t, Instant now) {
        try {
            License license = Admission.admit(s, t, now);
            Admission.requireDevice(s, t);
            String key = Seats.keyIfGiven(s.policy().leasing(), t);
            Changes c = Changes.of(s);
            List<String> keys = new ArrayList<>();
            // the request's own seat, live or lapsed, if it sits on this device (a user's seat
            // on another of the user's devices stays)
            Optional<Lease> own = key == null ? Optional.empty() : s.seatLease(key);
            if (own.filter(l -> l.device().equals(t.hardwareId())).isPresent()) {
                Sweep.freeSeat(own, now, c);
                keys.add(key);
            }
            if (license.isFloating()) {
                for (Lease l : s.live()) {
                    if (l.device().equals(t.hardwareId()) && !l.hardwareId().equals(key)) {
                        Sweep.freeSeat(Optional.of(l), now, c);
                        keys.add(l.hardwareId());
                    }
                }
            }
            c.activationDelete = t.hardwareId();
            c.ledger(now, LedgerEvent.DEACTIVATED, t.hardwareId(), "");
            keys.add(t.hardwareId());
            return granted(null, c, AfterCommit.seats(keys, false, true));
        } catch (Denied d) {
            return refused(d);
        }
    }

    /**
     * A waiting caller gives up: its queue entry goes, and the refusal is recorded as
     * {@code DENIED} with {@code message}, as every other licensing refusal is.
     */
    static Decision<Void> leaveQueue(PoolState s, DeviceTarget t, Instant now, String message) {
        try {
            License license = Admission.admit(s, t, now);
            String key = Seats.keyIfGiven(s.policy().leasing(), t);
            Changes c = Changes.of(s);
            c.ledger(new LedgerEntry(0, now, LedgerEvent.DENIED, license.id(), 0,
                    key != null ? key : t.hardwareId(), Code.FLOATING_NOT_AVAILABLE, message + Seats.who(t))
                    .withHolder(t.holder().user(), t.holder().host()));
            if (key != null) {
                c.deleteQueued(key);
            }
            return granted(null, c, new AfterCommit(null, List.of(), false, true));
        } catch (Denied d) {
            return refused(d);
        }
    }

    // ---- the shared steps

    /**
     * Runs a decision, turning its refusal into {@link Refused}. The decisions above catch
     * inline instead: a lambda over their arguments cost an allocation per call.
     */
    static <T> Decision<T> decide(java.util.function.Supplier<Decision<T>> body) {
        try {
            return body.get();
        } catch (Denied d) {
            return refused(d);
        }
    }

    static <T> Decision<T> refused(Denied d) {
        return new Refused<>(d.code(), d.getMessage(), d.licenseId(), d.subject(), d.user(), d.host());
    }

    static <T> Decision<T> granted(T value, Changes c, AfterCommit after) {
        return new Granted<>(value, c.build(), after);
    }

    /** The seat step's answer: a lease, or the caller's 1-based place in the pool's queue. */
    private record Seat(Lease lease, int position) {
    }

    /**
     * The seat step: refresh the live lease of the requester's seat key, or sweep the pool's
     * lapsed leases and take a seat if the pool's policy allows it (a bare count when the pool has
     * no policy). The service holds the pool's lock from the load to the apply, so the decision
     * and the write are one atomic step.
     */
    private static Seat takeOrRefresh(PoolState s, Product product, DeviceTarget t, Instant now,
                                      boolean queue, Changes c) {
        License license = s.license();
        PoolPolicy policy = s.policy();
        String key = Seats.key(policy.leasing(), t);
        Instant fresh = now.plus(license.effectiveFloatingTimeout(product));
        Optional<Lease> own = s.seatLease(key);
        if (own.isPresent() && own.get().isLiveAt(now)) {
            Lease held = own.get();
            if (!policy.isNone() && !Seats.sameIdentity(held.holder(), t.holder())) {
                // the seat passes to another user or host (a refresh records the latest holder):
                // the policy decides for the new holder as if it took the seat, so the pool view,
                // the MAX counts and usage() all name one holder that the policy admitted
                List<Lease> others = s.live().stream().filter(l -> !l.hardwareId().equals(key)).toList();
                if (SeatRules.take(policy, Seats.groups(s), license.floatingSeats(), others, t.holder())
                        instanceof SeatRules.Refuse r) {
                    throw Denied.seat(r.code(), r.message() + Seats.who(t), license.id(), key, t.holder());
                }
            }
            Instant expires = held.borrowedUntil() != null && held.borrowedUntil().isAfter(fresh)
                    ? held.borrowedUntil() : fresh;
            Lease refreshed = new Lease(held.licenseId(), key, held.grantedAt(), now, expires, held.borrowedUntil(),
                    t.hardwareId(), t.holder(), held.overLimit());
            c.putLease(refreshed);
            c.ledger(c.entry(now, LedgerEvent.REFRESHED, key, Seats.describe(refreshed), refreshed.holder()));
            return new Seat(refreshed, 0);
        }
        if (own.isPresent()) {
            // The requester's own lease has lapsed: freed here, apart from the sweep's batch.
            c.deleteLease(key);
            c.ledger(own.get().expiresAt(), LedgerEvent.LAPSED, key, "");
        }
        Sweep.sweep(s, key, c);
        boolean overLimit = false;
        if (policy.isNone()) {
            if (s.liveCount() >= license.floatingSeats()) {
                throw Denied.seat(Code.FLOATING_NOT_AVAILABLE,
                        Code.FLOATING_NOT_AVAILABLE.defaultMessage() + Seats.who(t), license.id(), key, t.holder());
            }
        } else {
            List<Lease> live = s.live();
            SeatRules.Groups groups = Seats.groups(s);
            SeatRules.Decision d = SeatRules.take(policy, groups, license.floatingSeats(), live, t.holder());
            List<QueueEntry> waiting = policy.queueLength() > 0 ? SeatQueue.live(s.queue(), now, c) : List.of();
            int ahead = SeatQueue.ahead(waiting, key);
            // a freed seat goes to the first live entries of the queue: one per seat they could take
            if (d instanceof SeatRules.Grant g && ahead > 0 && SeatQueue.heldBack(g, waiting, ahead, groups)) {
                d = new SeatRules.Refuse(Code.FLOATING_NOT_AVAILABLE, ahead + " callers queue for a seat");
            }
            if (d instanceof SeatRules.Refuse r) {
                if (queue && r.code() == Code.FLOATING_NOT_AVAILABLE && policy.queueLength() > 0) {
                    int position = SeatQueue.join(license.id(), t, key, waiting, now, fresh, policy.queueLength(), c);
                    if (position > 0) {
                        return new Seat(null, position);
                    }
                }
                throw Denied.seat(r.code(), r.message() + Seats.who(t), license.id(), key, t.holder());
            }
            if (ahead < waiting.size()) {
                c.deleteQueued(key);
            }
            overLimit = ((SeatRules.Grant) d).overLimit();
        }
        Lease granted = new Lease(license.id(), key, now, now, fresh, null, t.hardwareId(), t.holder(), overLimit);
        c.putLease(granted);
        c.ledger(c.entry(now, LedgerEvent.GRANTED, key, Seats.describe(granted), granted.holder()));
        return new Seat(granted, 0);
    }

    /**
     * A decision's changes as they accumulate (one per decision, never shared): a put of a seat
     * key replaces an earlier put of the same key in place.
     *
     * <p>Every list starts as {@code List.of()} and holds one entry as {@code List.of(e)}, which
     * {@link PoolChanges} keeps without a copy; only a second entry makes an {@code ArrayList}
     * (copied once, by {@link PoolChanges}). A decision on the hot path (a grant, a release)
     * changes one lease and appends one entry.
     */
    static final class Changes {
        private final long licenseId;
        License license;
        Activation activationPut;
        String activationDelete;
        private List<String> leaseDeletes = List.of();
        private List<Lease> leasePuts = List.of();
        private List<String> queueDeletes = List.of();
        private List<QueueEntry> queuePuts = List.of();
        private List<LedgerEntry> ledger = List.of();
        /** Lapsed leases the sweep freed, for the cache. */
        private List<String> swept = List.of();

        private Changes(long licenseId) {
            this.licenseId = licenseId;
        }

        static Changes of(PoolState s) {
            return new Changes(s.license().id());
        }

        long licenseId() {
            return licenseId;
        }

        void deleteLease(String key) {
            leaseDeletes = add(leaseDeletes, key);
        }

        void putLease(Lease lease) {
            for (int i = 0; i < leasePuts.size(); i++) {
                if (leasePuts.get(i).hardwareId().equals(lease.hardwareId())) {
                    if (leasePuts instanceof ArrayList<Lease> grown) {
                        grown.set(i, lease);
                    } else {
                        leasePuts = List.of(lease); // a List.of holds one entry: this one
                    }
                    return;
                }
            }
            leasePuts = add(leasePuts, lease);
        }

        void deleteQueued(String key) {
            queueDeletes = add(queueDeletes, key);
        }

        void putQueued(QueueEntry entry) {
            queuePuts = add(queuePuts, entry);
        }

        /** A lapsed lease the sweep freed. */
        void swept(String key) {
            swept = add(swept, key);
        }

        List<String> swept() {
            return swept;
        }

        /** A device-call entry of this pool: code OK, no actor, no typed facts. */
        LedgerEntry entry(Instant at, LedgerEvent event, String subject, String detail) {
            return new LedgerEntry(0, at, event, licenseId, 0, subject, Code.OK, detail);
        }

        /** {@link #entry} with the holder's user and host, built once rather than copied by {@code withHolder}. */
        LedgerEntry entry(Instant at, LedgerEvent event, String subject, String detail, Holder holder) {
            return new LedgerEntry(0, at, event, licenseId, 0, subject, Code.OK, detail, "", null, 0, 0, false,
                    holder.user(), holder.host());
        }

        /** Appends {@link #entry}. */
        void ledger(Instant at, LedgerEvent event, String subject, String detail) {
            ledger(entry(at, event, subject, detail));
        }

        void ledger(LedgerEntry entry) {
            ledger = add(ledger, entry);
        }

        /**
         * The pool's live leases once these changes are applied: the loaded live count, less each
         * changed seat that was live, plus each that is live after (deletes apply before puts). A
         * seat was live if the loaded live list or its candidate-key lease says so; a pool without
         * a policy deletes no live lease but the requester's, a candidate key. -1 if the load
         * counted no live leases.
         */
        int seatsInUse(PoolState s, Instant now) {
            if (s.liveCount() < 0) {
                return -1;
            }
            int n = s.liveCount();
            // each changed seat key once: the deleted ones, then the put ones not deleted too
            for (int i = 0; i < leaseDeletes.size(); i++) {
                String key = leaseDeletes.get(i);
                if (leaseDeletes.indexOf(key) == i) {
                    n += liveAfter(key, now) - liveBefore(s, key, now);
                }
            }
            for (int i = 0; i < leasePuts.size(); i++) {
                String key = leasePuts.get(i).hardwareId();
                if (!leaseDeletes.contains(key)) {
                    n += liveAfter(key, now) - liveBefore(s, key, now);
                }
            }
            return n;
        }

        private static int liveBefore(PoolState s, String key, Instant now) {
            List<Lease> live = s.live();
            for (int i = 0; i < live.size(); i++) {
                if (live.get(i).hardwareId().equals(key)) {
                    return 1;
                }
            }
            Lease own = s.seatLeases().get(key);
            return own != null && own.expiresAt().isAfter(now) ? 1 : 0;
        }

        private int liveAfter(String key, Instant now) {
            for (int i = 0; i < leasePuts.size(); i++) {
                Lease put = leasePuts.get(i);
                if (put.hardwareId().equals(key)) {
                    return put.expiresAt().isAfter(now) ? 1 : 0;
                }
            }
            return 0;
        }

        /** The seat {@code key} and the swept ones, for the cache. */
        AfterCommit seatsAfter(String key) {
            return new AfterCommit(key, swept, false, false);
        }

        PoolChanges build() {
            return new PoolChanges(licenseId, license, activationPut, leaseDeletes, leasePuts, queueDeletes, queuePuts,
                    activationDelete, List.of(), ledger);
        }

        /** {@code list} with {@code e} appended: see the class comment. */
        private static <E> List<E> add(List<E> list, E e) {
            if (list.isEmpty()) {
                return List.of(e);
            }
            if (list instanceof ArrayList<E> grown) {
                grown.add(e);
                return grown;
            }
            List<E> grown = new ArrayList<>(4);
            grown.addAll(list);
            grown.add(e);
            return grown;
        }
    }
}
