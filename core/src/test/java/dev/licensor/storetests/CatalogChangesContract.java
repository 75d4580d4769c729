package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseChange;
import dev.licensor.catalog.LicenseQuery;
import dev.licensor.catalog.LicenseType;
import dev.licensor.event.LicensorEvent;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.Count;
import dev.licensor.store.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Catalog changes after a sale: seats, activation cap, validity, suspend and resume, delete.
 * Each is recorded in the ledger (and so published as an {@link LicensorEvent.AdminChanged}),
 * refuses with a typed code what would take away seats or activations in use, and changes
 * nothing when refused.
 */
public abstract class CatalogChangesContract extends ContractBase {

    private static LicenseChange seats(int n) {
        return LicenseChange.builder().floatingSeats(n).build();
    }

    private LedgerEntry last(LedgerEvent event) {
        List<LedgerEntry> entries = ledger(event);
        assertThat(entries).as("ledger entries %s", event).isNotEmpty();
        return entries.get(entries.size() - 1);
    }

    @Test
    void seatsGoUpAtOnceAndDownOnlyToWhatIsHeld() {
        product("cad");
        License pool = floating("cad", "POOL", 2);
        for (String hw : List.of("hw-1", "hw-2", "hw-3")) {
            activate(pool, hw);
        }
        check(pool, "hw-1");
        check(pool, "hw-2");
        fails(tryCheck(pool, "hw-3"), Code.FLOATING_NOT_AVAILABLE);

        License more = ok(licensor.catalog().changeLicense(pool.id(), seats(3)));
        assertThat(more.floatingSeats()).isEqualTo(3);
        assertThat(more.key()).isEqualTo("POOL");
        assertThat(fresh(pool)).isEqualTo(more);
        check(pool, "hw-3");
        LedgerEntry changed = last(LedgerEvent.LICENSE_CHANGED);
        assertThat(changed.licenseId()).isEqualTo(pool.id());
        assertThat(changed.detail()).isEqualTo("floatingSeats=2->3");
        assertThat(LicensorEvent.of(changed)).isInstanceOfSatisfying(LicensorEvent.AdminChanged.class,
                e -> assertThat(e.event()).isEqualTo(LedgerEvent.LICENSE_CHANGED));

        // three held: two seats would oversubscribe the pool
        rejected("seats below those held", Code.LICENSE_IN_USE, () -> licensor.catalog().changeLicense(pool.id(), seats(2)));
        ok(licensor.floating().release(device(pool, "hw-3")));
        ok(licensor.floating().release(device(pool, "hw-2")));
        assertThat(ok(licensor.catalog().changeLicense(pool.id(), seats(1))).floatingSeats()).isEqualTo(1);
        fails(tryCheck(pool, "hw-2"), Code.FLOATING_NOT_AVAILABLE);
        assertThat(holders(pool)).containsExactly("hw-1");

        rejected("a floating license keeps a seat", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeLicense(pool.id(), seats(0)));
        License fixed = license(License.builder("cad").key("FIXED"));
        rejected("seats for a license that is not floating", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeLicense(fixed.id(), seats(4)));
        rejected("negative seats", Code.INVALID_REQUEST, () -> licensor.catalog().changeLicense(pool.id(), seats(-1)));
        rejected("an empty change", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeLicense(pool.id(), LicenseChange.builder().build()));
        rejected("no change", Code.INVALID_REQUEST, () -> licensor.catalog().changeLicense(pool.id(), null));
        rejected("no such license", Code.LICENSE_NOT_FOUND, () -> licensor.catalog().changeLicense(999_999, seats(3)));
    }

    @Test
    void theActivationCapGoesDownOnlyToTheDevicesActivated() {
        product("cad");
        License l = license(License.builder("cad").key("K").maxActivations(3));
        activate(l, "hw-1");
        activate(l, "hw-2");
        rejected("cap below the activations", Code.LICENSE_IN_USE,
                () -> licensor.catalog().changeLicense(l.id(), LicenseChange.builder().maxActivations(1).build()));
        assertThat(ok(licensor.catalog().changeLicense(l.id(), LicenseChange.builder().maxActivations(2).build()))
                .maxActivations()).isEqualTo(2);
        fails(licensor.floating().activate(device(l, "hw-3")), Code.LICENSE_ACTIVATED_MAX_TIMES);
        ok(licensor.catalog().changeLicense(l.id(), LicenseChange.builder().maxActivations(5).build()));
        activate(l, "hw-3");
        assertThat(last(LedgerEvent.LICENSE_CHANGED).detail()).isEqualTo("maxActivations=2->5");
        rejected("cap 0", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeLicense(l.id(), LicenseChange.builder().maxActivations(0).build()));
    }

    @Test
    void validityIsExtendedOrShortenedWithinWhatTheTypeAllows() {
        product("cad");
        Instant end = START.plus(Duration.ofDays(30));
        License l = license(License.builder("cad").key("SUB").type(LicenseType.SUBSCRIPTION).validUntil(end).maxActivations(3));
        activate(l, "hw-1");
        clock.set(end);
        fails(licensor.floating().activate(device(l, "hw-2")), Code.LICENSE_EXPIRED);
        Instant renewed = end.plus(Duration.ofDays(365));
        License changed = ok(licensor.catalog().changeLicense(l.id(), LicenseChange.builder().validity(null, renewed).build()));
        assertThat(changed.validUntil()).isEqualTo(renewed);
        activate(l, "hw-2");
        assertThat(last(LedgerEvent.LICENSE_CHANGED).detail()).isEqualTo("validUntil=" + end + "->" + renewed);

        rejected("a subscription needs an end", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeLicense(l.id(), LicenseChange.builder().validity(null, null).build()));
        rejected("start after end", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeLicense(l.id(), LicenseChange.builder().validity(renewed, end).build()));
        License perpetual = license(License.builder("cad").key("PERP"));
        rejected("a perpetual license has no end", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeLicense(perpetual.id(), LicenseChange.builder().validity(null, renewed).build()));
        // a start in the future makes the license inactive until then
        ok(licensor.catalog().changeLicense(perpetual.id(), LicenseChange.builder().validity(renewed, null).build()));
        fails(licensor.floating().activate(device(perpetual, "hw-9")), Code.LICENSE_NOT_ACTIVE);
    }

    @Test
    void suspendRefusesDevicesUntilResumedAndKeepsHeldSeats() {
        product("cad");
        License pool = floating("cad", "POOL", 2);
        activate(pool, "hw-1");
        activate(pool, "hw-2");
        check(pool, "hw-1");

        License suspended = ok(licensor.catalog().suspend(pool.id()));
        assertThat(suspended.active()).isFalse();
        fails(tryCheck(pool, "hw-2"), Code.LICENSE_NOT_ACTIVE);
        assertThat(holders(pool)).containsExactly("hw-1");
        ok(licensor.catalog().suspend(pool.id())); // again: already so, nothing recorded
        assertThat(ledger(LedgerEvent.SUSPENDED)).hasSize(1);

        assertThat(ok(licensor.catalog().resume(pool.id())).active()).isTrue();
        check(pool, "hw-2");
        assertThat(ledger(LedgerEvent.RESUMED)).singleElement().satisfies(e -> assertThat(e.licenseId()).isEqualTo(pool.id()));
        fails(licensor.catalog().suspend(0), Code.INVALID_REQUEST);
        fails(licensor.catalog().resume(424_242), Code.LICENSE_NOT_FOUND);
    }

    @Test
    void deleteNeedsNoLiveSeatAndTheKeyIsNeverGivenAgain() {
        product("cad");
        License pool = floating("cad", "POOL", 2);
        License user = license(License.builder("cad").username("alice").maxActivations(2));
        activate(pool, "hw-1");
        check(pool, "hw-1");
        activate(user, "hw-u");

        rejected("a live seat", Code.LICENSE_IN_USE, () -> licensor.catalog().deleteLicense(pool.id()));
        clock.advance(TIMEOUT); // the seat lapses: nothing live is taken away
        ok(licensor.catalog().deleteLicense(pool.id()));
        forget(pool);
        assertThat(licensor.catalog().license(pool.id())).isEmpty();
        assertThat(licensor.catalog().licenseByKey("cad", "POOL").code()).isEqualTo(Code.LICENSE_NOT_FOUND);
        assertThat(licensor.lookups().licenseByKey("cad", "POOL").code()).isEqualTo(Code.LICENSE_NOT_FOUND);
        fails(tryCheck(pool, "hw-1"), Code.LICENSE_NOT_FOUND);
        fails(licensor.seats().holders(pool.id()), Code.LICENSE_NOT_FOUND);
        assertThat(store.<Integer>read(tx -> tx.count(Count.activations(pool.id())))).isZero();
        assertThat(store.<Integer>read(tx -> tx.list(Query.leasesLapsedBy(pool.id(), clock.instant(), 10)).size())).isZero();
        assertThat(ok(licensor.catalog().licenses(LicenseQuery.all())).items()).extracting(License::id)
                .containsExactly(user.id());
        assertThat(last(LedgerEvent.LICENSE_DELETED).detail()).isEqualTo("product cad, key POOL");

        // the name stays taken: a device holding the old key must never reach someone else's license
        rejected("the deleted key again", Code.ALREADY_EXISTS,
                () -> licensor.catalog().createLicense(License.builder("cad").key("POOL").build()));
        ok(licensor.catalog().deleteLicense(user.id())); // activations alone do not hold a license
        forget(user);
        rejected("the deleted username again", Code.ALREADY_EXISTS,
                () -> licensor.catalog().createLicense(License.builder("cad").username("alice").build()));
        assertThat(ledger(LedgerEvent.LICENSE_DELETED)).extracting(LedgerEntry::detail)
                .containsExactly("product cad, key POOL", "product cad, username alice");
        fails(licensor.catalog().deleteLicense(pool.id()), Code.LICENSE_NOT_FOUND);
        // another product may use the same key
        product("cam");
        license(License.builder("cam").key("POOL"));
    }

    /**
     * Devices race for a pool's seats while an administrator lowers and raises its seats and
     * finally deletes it: at no commit are more seats held than the pool has, and a delete
     * either finds no live seat or is refused.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void devicesRacingAnAdministratorNeverOversubscribe() throws Exception {
        product("cad");
        License pool = floating("cad", "POOL", 4);
        int threads = 6;
        for (int t = 0; t < threads; t++) {
            activate(pool, "hw-" + t);
        }
        ExecutorService executor = Executors.newFixedThreadPool(threads + 1);
        try {
            for (int round = 0; round < 20; round++) {
                int target = round % 2 == 0 ? 2 : 4;
                List<Callable<Outcome<?>>> tasks = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String hw = "hw-" + t;
                    tasks.add(() -> licensor.floating().check(device(pool, hw)));
                }
                tasks.add(() -> licensor.catalog().changeLicense(pool.id(), seats(target)));
                List<Future<Outcome<?>>> futures = executor.invokeAll(tasks, 60, TimeUnit.SECONDS);
                long granted = 0;
                for (int t = 0; t < threads; t++) {
                    Outcome<?> o = futures.get(t).get();
                    assertThat(o.isSuccess() || o.code() == Code.FLOATING_NOT_AVAILABLE).as(o.message()).isTrue();
                    granted += o.isSuccess() ? 1 : 0;
                }
                Outcome<?> change = futures.get(threads).get();
                assertThat(change.isSuccess() || change.code() == Code.LICENSE_IN_USE).as(change.message()).isTrue();
                int seatsNow = fresh(pool).floatingSeats();
                assertThat(holders(pool).size()).as("round %d", round).isEqualTo((int) granted)
                        .isLessThanOrEqualTo(seatsNow);
                for (int t = 0; t < threads; t++) {
                    licensor.floating().release(device(pool, "hw-" + t));
                }
            }
            // the last race: seats against a delete
            List<Callable<Outcome<?>>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String hw = "hw-" + t;
                tasks.add(() -> licensor.floating().check(device(pool, hw)));
            }
            tasks.add(() -> licensor.catalog().deleteLicense(pool.id()));
            List<Future<Outcome<?>>> futures = executor.invokeAll(tasks, 60, TimeUnit.SECONDS);
            Outcome<?> delete = futures.get(threads).get();
            long granted = 0;
            for (int t = 0; t < threads; t++) {
                granted += futures.get(t).get().isSuccess() ? 1 : 0;
            }
            if (delete.isSuccess()) {
                forget(pool);
                assertThat(licensor.catalog().license(pool.id())).isEmpty();
                assertThat(granted).as("seats granted before the delete were all released before it").isZero();
                assertThat(store.<Integer>read(tx -> tx.count(Count.liveLeases(pool.id(), clock.instant())))).isZero();
            } else {
                assertThat(delete.code()).isEqualTo(Code.LICENSE_IN_USE);
                assertThat(granted).isPositive();
                assertThat(holders(pool)).hasSize((int) granted);
            }
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    // ------------------------------------------------------------------ who made the change (S17)

    private static final java.util.Set<LedgerEvent> ADMIN = java.util.EnumSet.of(LedgerEvent.BLACKLISTED,
            LedgerEvent.UNBLACKLISTED, LedgerEvent.SWITCHED, LedgerEvent.FORCE_RELEASED, LedgerEvent.LICENSE_CHANGED,
            LedgerEvent.SUSPENDED, LedgerEvent.RESUMED, LedgerEvent.LICENSE_DELETED);

    @Test
    void everyAdminChangeNamesItsActorInTheLedgerAndItsEvent() {
        List<LicensorEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        licensor = engine(store, clock).listener(events::add).build();
        product("cad");
        License pool = floating("cad", "POOL", 2);
        activate(pool, "hw-1");
        check(pool, "hw-1");
        long mark = ledger().get(ledger().size() - 1).seq();

        dev.licensor.Licensor alice = licensor.as(dev.licensor.ledger.Actor.of("admin:alice"));
        ok(alice.seats().blacklist("cad", "hw-9"));
        ok(alice.seats().unblacklist("cad", "hw-9"));
        ok(alice.seats().setEnabled(pool.id(), true));
        ok(alice.seats().forceRelease(pool.id(), "hw-1"));
        ok(alice.catalog().changeLicense(pool.id(), seats(3)));
        ok(alice.catalog().suspend(pool.id()));
        ok(alice.catalog().resume(pool.id()));
        check(pool, "hw-1"); // a device call through the engine: no actor
        ok(licensor.as(dev.licensor.ledger.Actor.of("support-bot")).seats().forceRelease(pool.id(), "hw-1"));
        ok(alice.catalog().deleteLicense(pool.id()));
        forget(pool);

        List<LedgerEntry> after = ledger().stream().filter(e -> e.seq() > mark).toList();
        assertThat(after).extracting(LedgerEntry::event, LedgerEntry::actor).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LedgerEvent.BLACKLISTED, "admin:alice"),
                org.assertj.core.groups.Tuple.tuple(LedgerEvent.UNBLACKLISTED, "admin:alice"),
                org.assertj.core.groups.Tuple.tuple(LedgerEvent.SWITCHED, "admin:alice"),
                org.assertj.core.groups.Tuple.tuple(LedgerEvent.FORCE_RELEASED, "admin:alice"),
                org.assertj.core.groups.Tuple.tuple(LedgerEvent.LICENSE_CHANGED, "admin:alice"),
                org.assertj.core.groups.Tuple.tuple(LedgerEvent.SUSPENDED, "admin:alice"),
                org.assertj.core.groups.Tuple.tuple(LedgerEvent.RESUMED, "admin:alice"),
                org.assertj.core.groups.Tuple.tuple(LedgerEvent.GRANTED, ""),
                org.assertj.core.groups.Tuple.tuple(LedgerEvent.FORCE_RELEASED, "support-bot"),
                org.assertj.core.groups.Tuple.tuple(LedgerEvent.LICENSE_DELETED, "admin:alice"));
        // device calls never carry one
        assertThat(ledger()).filteredOn(e -> !ADMIN.contains(e.event())).allMatch(e -> e.actor().isEmpty());
        // the events say the same as the ledger
        List<LicensorEvent.AdminChanged> admin = events.stream().filter(e -> e.seq() > mark)
                .filter(LicensorEvent.AdminChanged.class::isInstance).map(LicensorEvent.AdminChanged.class::cast).toList();
        assertThat(admin).extracting(LicensorEvent.AdminChanged::seq).containsExactlyElementsOf(after.stream()
                .filter(e -> ADMIN.contains(e.event()) && e.event() != LedgerEvent.FORCE_RELEASED).map(LedgerEntry::seq).toList());
        assertThat(admin).allMatch(e -> e.actor().equals("admin:alice"));
        assertThat(events).filteredOn(e -> e.seq() > mark).filteredOn(LicensorEvent.SeatForceReleased.class::isInstance)
                .hasSize(2);
    }

    @Test
    void aChangeMadeWithoutAnActorHasNoneAndABadActorIsRefused() {
        product("cad");
        License pool = floating("cad", "POOL", 2);
        ok(licensor.catalog().suspend(pool.id()));
        assertThat(last(LedgerEvent.SUSPENDED).actor()).isEmpty();
        for (String bad : new String[] {null, "", "  ", "a\nb", "x".repeat(dev.licensor.ledger.Actor.MAX_LENGTH + 1)}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.licensor.ledger.Actor.of(bad))
                    .as("actor %s", bad).isInstanceOfSatisfying(dev.licensor.outcome.LicensingException.class,
                            e -> assertThat(e.code()).isEqualTo(Code.INVALID_REQUEST));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> licensor.as(null))
                .isExactlyInstanceOf(NullPointerException.class); // a programmer error, not a wire code
        // the longest name is stored whole, on every store
        String longest = "\u00e9".repeat(dev.licensor.ledger.Actor.MAX_LENGTH);
        ok(licensor.as(dev.licensor.ledger.Actor.of(longest)).catalog().resume(pool.id()));
        assertThat(last(LedgerEvent.RESUMED).actor()).isEqualTo(longest);
    }
}
