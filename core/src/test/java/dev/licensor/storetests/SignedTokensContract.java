package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.License;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.token.ActivationRequest;
import dev.licensor.token.TokenSigner;
import dev.licensor.json.internal.FlatJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What signed tokens may grant (issue 27, S1 and S2), on every store: a floating license leaves
 * the engine only as leases that end, never as an unbounded license file; a borrowed seat stays
 * counted while its signed lease is out, unless the device returns it with that lease. The tokens'
 * claims are read here without {@code licensor-verify} (core cannot depend on it); the verify
 * module's {@code EngineTokensTest} checks the same tokens with the verifier.
 */
public abstract class SignedTokensContract extends ContractBase {
    private static final TokenSigner SIGNER = TokenSigner.generate("contract-1");

    @BeforeEach
    void signingEngine() {
        licensor = engine(store, clock).signer(SIGNER).build();
        product("cad");
    }

    static Map<String, Object> claims(String token) {
        return FlatJson.parse(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    License borrowable(int seats) {
        return license(License.builder("cad").key("POOL").maxActivations(10).floatingSeats(seats).borrowAllowed(true));
    }

    // ------------------------------------------------------------------ S1

    @Test
    void aFloatingLicenseIsNeverHandedOutAsALicenseFileOnlyAsLeasesThatEnd() {
        License pool = borrowable(2);
        for (String hw : List.of("hw-1", "hw-2", "hw-3", "hw-4")) {
            Outcome<?> activated = licensor.floating().activate(device(pool, hw));
            assertThat(activated.isSuccess()).isTrue();
            assertThat(activated.token()).as("activation of a floating license answers no license file").isNull();
        }
        List<String> leases = new ArrayList<>();
        for (String hw : List.of("hw-1", "hw-2", "hw-3", "hw-4")) {
            Outcome<LicenseCheck> o = tryCheck(pool, hw);
            if (o.isSuccess()) {
                leases.add(o.token());
            } else {
                assertThat(o.code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
                assertThat(o.token()).isNull();
            }
        }
        assertThat(leases).as("2 seats: 2 signed leases, no more").hasSize(2);
        for (String lease : leases) {
            Map<String, Object> c = claims(lease);
            assertThat(c.get("kind")).isEqualTo("lease");
            assertThat(c.get("exp")).isEqualTo(START.plus(TIMEOUT).getEpochSecond());
        }
    }

    @Test
    void aNodeLockedLicenseStillGetsItsLicenseFile() {
        License locked = license(License.builder("cad").key("LOCKED").maxActivations(2));
        String file = licensor.floating().activate(device(locked, "hw-1")).token();
        assertThat(file).isNotNull();
        assertThat(claims(file)).containsEntry("kind", "license").containsEntry("floating_seats", 0L)
                .containsEntry("hardware_id", "hw-1");
    }

    @Test
    void offlineActivationOfAFloatingLicenseIsRefusedAndBindsNothing() {
        License pool = borrowable(2);
        activate(pool, "hw-1");
        String request = new ActivationRequest("cad", "POOL", null, "hw-offline").encode();
        rejected("offline activation of a floating license", Code.FLOATING_NOT_AVAILABLE,
                () -> licensor.offline().activate(request));
        assertThat(licensor.floating().check(device(pool, "hw-offline")).code()).isEqualTo(Code.DEVICE_NOT_FOUND);
    }

    // ------------------------------------------------------------------ S2

    @Test
    void aBorrowedSeatStaysCountedThroughReleaseDeactivateAndForceRelease() {
        License pool = borrowable(2);
        activate(pool, "hw-a");
        activate(pool, "hw-b");
        activate(pool, "hw-c");
        ok(licensor.floating().borrow(device(pool, "hw-a"), null));
        rejected("release of a borrowed seat", Code.SEAT_BORROWED, () -> licensor.floating().release(device(pool, "hw-a")));
        rejected("deactivation of a borrowing device", Code.SEAT_BORROWED,
                () -> licensor.floating().deactivate(device(pool, "hw-a")));
        rejected("force-release of a borrowed seat", Code.SEAT_BORROWED,
                () -> licensor.seats().forceRelease(pool.id(), "hw-a"));
        ok(licensor.seats().blacklist("cad", "hw-a"));
        check(pool, "hw-b");
        assertThat(tryCheck(pool, "hw-c").code()).as("the borrowed seat still counts").isEqualTo(Code.FLOATING_NOT_AVAILABLE);
        assertThat(holders(pool)).containsExactlyInAnyOrder("hw-a", "hw-b");

        clock.advance(MAX_BORROW);
        check(pool, "hw-c"); // the borrow ended: its seat lapsed and went to the next device
        assertThat(ledger(LedgerEvent.LAPSED)).extracting(e -> e.subject()).contains("hw-a");
    }

    @Test
    void aBorrowMayBeExtendedButNotShortened() {
        License pool = borrowable(1);
        activate(pool, "hw-a");
        ok(licensor.floating().borrow(device(pool, "hw-a"), START.plus(Duration.ofHours(10))));
        rejected("a shorter borrow", Code.BORROW_UNTIL_NOT_VALID,
                () -> licensor.floating().borrow(device(pool, "hw-a"), START.plus(Duration.ofHours(2))));
        Lease longer = ok(licensor.floating().borrow(device(pool, "hw-a"), START.plus(Duration.ofHours(12))));
        assertThat(longer.borrowedUntil()).isEqualTo(START.plus(Duration.ofHours(12)));
    }

    @Test
    void aReturnWithTheLatestBorrowedLeaseFreesTheSeatAndNothingElseDoes() {
        License pool = borrowable(1);
        activate(pool, "hw-a");
        activate(pool, "hw-b");
        DeviceRequest a = device(pool, "hw-a");
        String first = licensor.floating().borrow(a, START.plus(Duration.ofHours(4))).token();
        clock.advance(Duration.ofSeconds(30));
        String latest = licensor.floating().borrow(a, START.plus(Duration.ofHours(8))).token();
        String otherKey = TokenSigner.generate("contract-1").sign(claims(latest));
        String[] parts = latest.split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                FlatJson.writeBytes(withClaim(claims(latest), "borrowed_until", START.plus(Duration.ofHours(8)).getEpochSecond() + 1)))
                + "." + parts[2];
        for (String proof : new String[] {null, "", "a.b.c", first, otherKey, tampered,
                licensor.floating().check(a).token() + "x"}) {
            rejected("return with " + proof, Code.INVALID_REQUEST, () -> licensor.floating().returnBorrow(a, proof));
        }
        rejected("return by another device", Code.INVALID_REQUEST,
                () -> licensor.floating().returnBorrow(device(pool, "hw-b"), latest));
        assertThat(tryCheck(pool, "hw-b").code()).isEqualTo(Code.FLOATING_NOT_AVAILABLE);

        ok(licensor.floating().returnBorrow(a, latest));
        assertThat(holders(pool)).isEmpty();
        check(pool, "hw-b");
        assertThat(ledger(LedgerEvent.RELEASED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("borrow returned"));
    }

    @Test
    void aPerProcessBorrowIsReturnedWithTheLeaseNamingItsDevice() {
        License pool = borrowable(1);
        ok(licensor.catalog().setPolicy(pool.id(), PoolPolicy.NONE.withLeasing(LeasingStrategy.PROCESS)));
        activate(pool, "hw-a");
        DeviceRequest p1 = device(pool, "hw-a").withHolder(Holder.NONE.withProcess("p1"));
        String token = licensor.floating().borrow(p1, START.plus(Duration.ofHours(2))).token();
        assertThat(claims(token).get("hardware_id")).as("the token names the device, not the seat key")
                .isEqualTo("hw-a");
        // another process of the device holds no seat: like a release, nothing to free, p1's stays
        ok(licensor.floating().returnBorrow(device(pool, "hw-a").withHolder(Holder.NONE.withProcess("p2")), token));
        assertThat(holders(pool)).hasSize(1);
        ok(licensor.floating().returnBorrow(p1, token));
        assertThat(holders(pool)).isEmpty();
    }

    @Test
    void aReturnNeedsASigningEngine() {
        licensor = engine(store, clock).build();
        License pool = borrowable(1);
        activate(pool, "hw-a");
        ok(licensor.floating().borrow(device(pool, "hw-a"), null));
        rejected("return to an engine that signs nothing", Code.INVALID_REQUEST,
                () -> licensor.floating().returnBorrow(device(pool, "hw-a"), "x.y.z"));
        rejected("release", Code.SEAT_BORROWED, () -> licensor.floating().release(device(pool, "hw-a")));
    }

    /** Devices race to borrow and then release: the pool never holds more borrows than seats. */
    @Test
    void racingBorrowersAndReleasersNeverFreeABorrowedSeat() throws Exception {
        int seats = 2;
        int devices = 8;
        License pool = borrowable(seats);
        for (int i = 0; i < devices; i++) {
            activate(pool, "hw-" + i);
        }
        AtomicInteger borrowed = new AtomicInteger();
        AtomicInteger released = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            DeviceRequest d = device(pool, "hw-" + i);
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int round = 0; round < 3; round++) {
                    if (licensor.floating().borrow(d, null).isSuccess()) {
                        borrowed.incrementAndGet();
                    }
                    if (licensor.floating().release(d).isSuccess()) {
                        released.incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(borrowed.get()).as("each seat borrowed once, then only refreshed by its holder").isEqualTo(seats * 3);
        assertThat(holders(pool)).hasSize(seats);
        assertThat(released.get()).as("releases of devices holding no seat succeed; of borrowed seats, never")
                .isEqualTo((devices - seats) * 3);
    }

    private static Map<String, Object> withClaim(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(claims);
        copy.put(name, value);
        return copy;
    }
}
