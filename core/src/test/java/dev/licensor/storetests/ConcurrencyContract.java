package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.clients.UsageSummary;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.Count;
import dev.licensor.store.Query;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real threads racing for fewer seats and licenses than they want: exact counts, balanced ledger. */
public abstract class ConcurrencyContract extends ContractBase {

    private static final int THREADS = 8;
    private static final long RACE_TIMEOUT_SECONDS = 60;
    static final int ROUNDS = 50;

    ExecutorService executor;
    /** A second engine over the same store: seat decisions must hold across engines too. */
    Licensor other;

    @BeforeEach
    void threads() {
        executor = Executors.newFixedThreadPool(THREADS);
        other = engine(store, clock).build();
    }

    /** Even threads use the suite's engine, odd ones the second engine. */
    private Licensor engineOf(int thread) {
        return thread % 2 == 0 ? licensor : other;
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        shutdown(executor);
    }

    /**
     * Runs {@code task.apply(i)} for i in 0..threads-1 on {@code threads} threads released at
     * once by a barrier; returns the results in index order. Bounded in time.
     */
    private static <T> List<T> race(ExecutorService executor, int threads, IntFunction<Callable<T>> task)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Callable<T> body = task.apply(i);
            futures.add(executor.submit(() -> {
                start.await(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return body.call();
            }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        return results;
    }

    private static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("race threads ended").isTrue();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void threadsRacingForFewerSeatsNeverOversubscribeAndTheLedgerBalances() throws Exception {
        product("cad");
        License[] pools = {floating("cad", "POOL-3", 3), floating("cad", "POOL-2", 2)};
        for (License pool : pools) {
            for (int t = 0; t < THREADS; t++) {
                activate(pool, "hw-" + t);
            }
        }
        long[] expectedDenials = new long[pools.length];
        for (int round = 0; round < ROUNDS; round++) {
            int p = round % pools.length;
            License pool = pools[p];
            List<Outcome<LicenseCheck>> outcomes = race(executor, THREADS,
                    t -> () -> engineOf(t).floating().check(device(pool, "hw-" + t)));
            Set<String> winners = new TreeSet<>();
            for (int t = 0; t < THREADS; t++) {
                Outcome<LicenseCheck> o = outcomes.get(t);
                if (o.isSuccess()) {
                    winners.add("hw-" + t);
                } else {
                    assertThat(o.code()).as("round %d, thread %d", round, t).isEqualTo(Code.FLOATING_NOT_AVAILABLE);
                }
            }
            assertThat(winners).as("round %d: exactly the pool's seats are granted", round).hasSize(pool.floatingSeats());
            assertThat(holders(pool)).as("round %d", round).containsExactlyElementsOf(winners);
            expectedDenials[p] += THREADS - pool.floatingSeats();
            if (round == ROUNDS - 1) {
                break; // the last winners keep their seats
            }
            // free the seats three ways in turn: release, force-release, lapse
            switch (round % 3) {
                case 0:
                    for (String hw : winners) {
                        ok(licensor.floating().release(device(pool, hw)));
                    }
                    break;
                case 1:
                    for (String hw : winners) {
                        ok(licensor.seats().forceRelease(pool.id(), hw));
                    }
                    break;
                default:
                    clock.advance(TIMEOUT);
                    break;
            }
            assertThat(holders(pool)).as("round %d freed", round).isEmpty();
        }
        licensor.seats().purgeLapsed();
        List<LedgerEntry> entries = ledger();
        for (int p = 0; p < pools.length; p++) {
            long id = pools[p].id();
            long held = count(entries, LedgerEvent.GRANTED, id, 0) - count(entries, LedgerEvent.RELEASED, id, 0)
                    - count(entries, LedgerEvent.LAPSED, id, 0) - count(entries, LedgerEvent.FORCE_RELEASED, id, 0);
            assertThat(held).as("ledger balance of pool %d", p).isEqualTo(holders(pools[p]).size());
            assertThat(count(entries, LedgerEvent.GRANTED, id, 0)).isEqualTo(ROUNDS / pools.length * pools[p].floatingSeats());
            long denials = entries.stream().filter(e -> e.event() == LedgerEvent.DENIED && e.licenseId() == id
                    && e.code() == Code.FLOATING_NOT_AVAILABLE).count();
            assertThat(denials).isEqualTo(expectedDenials[p]);
        }
        assertThat(holders(pools[(ROUNDS - 1) % pools.length])).hasSize(pools[(ROUNDS - 1) % pools.length].floatingSeats());
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theSameDeviceFromManyThreadsHoldsExactlyOneSeat() throws Exception {
        product("cad");
        License pool = floating("cad", "K", 3);
        activate(pool, "hw-shared");
        int rounds = 10;
        for (int round = 0; round < rounds; round++) {
            List<Outcome<LicenseCheck>> outcomes = race(executor, THREADS,
                    t -> () -> engineOf(t).floating().check(device(pool, "hw-shared")));
            for (Outcome<LicenseCheck> o : outcomes) {
                assertThat(o.isSuccess()).as("round %d: %s %s", round, o.code(), o.message()).isTrue();
            }
            assertThat(holders(pool)).as("round %d", round).containsExactly("hw-shared");
            ok(licensor.floating().release(device(pool, "hw-shared")));
        }
        assertThat(count(LedgerEvent.GRANTED, pool)).isEqualTo(rounds);
        assertThat(count(LedgerEvent.REFRESHED, pool)).isEqualTo((long) rounds * (THREADS - 1));
        assertThat(count(LedgerEvent.RELEASED, pool)).isEqualTo(rounds);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aSeatEndsExactlyOnceWhenDevicesAndAdministratorsRace() throws Exception {
        product("cad");
        int devices = THREADS / 2;
        License pool = floating("cad", "K", devices);
        for (int d = 0; d < devices; d++) {
            activate(pool, "hw-" + d);
        }
        int rounds = 20;
        for (int round = 0; round < rounds; round++) {
            for (int d = 0; d < devices; d++) {
                check(pool, "hw-" + d);
            }
            boolean lapse = round % 2 == 1;
            if (lapse) {
                clock.advance(TIMEOUT);
            }
            // half the threads release their device's seat; the other half force-release the same
            // seat, or (once the seats lapsed) purge the lapsed leases
            List<Outcome<?>> outcomes = race(executor, THREADS, t -> () -> {
                Licensor engine = engineOf(t);
                if (t < devices) {
                    return engine.floating().release(device(pool, "hw-" + t));
                }
                if (lapse) {
                    engine.seats().purgeLapsed();
                    return Outcome.success(null);
                }
                return engine.seats().forceRelease(pool.id(), "hw-" + (t - devices));
            });
            for (int t = 0; t < THREADS; t++) {
                Outcome<?> o = outcomes.get(t);
                assertThat(o.isSuccess() || o.code() == Code.DEVICE_NOT_FOUND)
                        .as("round %d thread %d: %s", round, t, o.code()).isTrue();
            }
            assertThat(holders(pool)).as("round %d", round).isEmpty();
        }
        List<LedgerEntry> entries = ledger();
        for (int d = 0; d < devices; d++) {
            String hw = "hw-" + d;
            long granted = entries.stream().filter(e -> e.event() == LedgerEvent.GRANTED && hw.equals(e.subject())).count();
            long ended = entries.stream().filter(e -> hw.equals(e.subject()) && EnumSet.of(LedgerEvent.RELEASED,
                    LedgerEvent.LAPSED, LedgerEvent.FORCE_RELEASED).contains(e.event())).count();
            assertThat(granted).isEqualTo(rounds);
            assertThat(ended).as("every seat of %s ended exactly once", hw).isEqualTo(granted);
        }
        assertThat(count(LedgerEvent.LAPSED, pool)).isEqualTo((long) devices * rounds / 2);
        assertThat(store.<List<Lease>>read(tx -> tx.list(Query.leasesLapsedBy(StateSnapshot.FAR, 100)))).isEmpty();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void threadsRacingToActivateNeverExceedMaxActivations() throws Exception {
        product("cad");
        License l = license(License.builder("cad").key("K").maxActivations(3));
        int rounds = 10;
        for (int round = 0; round < rounds; round++) {
            List<Outcome<Activation>> outcomes = race(executor, THREADS,
                    t -> () -> engineOf(t).floating().activate(device(l, "hw-" + t)));
            List<String> winners = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                if (outcomes.get(t).isSuccess()) {
                    winners.add("hw-" + t);
                } else {
                    assertThat(outcomes.get(t).code()).isEqualTo(Code.LICENSE_ACTIVATED_MAX_TIMES);
                }
            }
            assertThat(winners).as("round %d", round).hasSize(3);
            assertThat(store.<Integer>read(tx -> tx.count(Count.activations(l.id())))).isEqualTo(3);
            for (String hw : winners) {
                ok(licensor.floating().deactivate(device(l, hw)));
            }
        }
        assertThat(count(LedgerEvent.ACTIVATED, l)).isEqualTo(3L * rounds);
        assertThat(count(LedgerEvent.DENIED, l)).isEqualTo((long) (THREADS - 3) * rounds);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void clientsRacingForFewerLicensesNeverExceedCapacityAndTheLedgerBalances() throws Exception {
        int capacity = 3;
        int iterations = 25;
        ClientLicense fs = clientLicense(1, 1, 33, "Windows File System", capacity);
        List<Client> clients = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            clients.add(client(String.format("client%03d", t)));
        }
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger mostHolding = new AtomicInteger();
        AtomicInteger overUsed = new AtomicInteger();
        List<Integer> wins = race(executor, THREADS, t -> () -> {
            Client c = clients.get(t);
            boolean released = false;
            int won = 0;
            for (int i = 0; i < iterations; i++) {
                Licensor engine = engineOf(t);
                Outcome<?> got = released && i % 2 == 1
                        ? engine.clients().reconfigure(request(true, c, entry(fs)))
                        : engine.clients().consume(new ConsumeRequest(ClientRef.id(c.id()), 1, 1, 33, false));
                if (!got.isSuccess()) {
                    if (got.code() != Code.NOT_ENOUGH_LICENSES) {
                        throw new AssertionError("unexpected " + got.code() + ": " + got.message());
                    }
                    continue;
                }
                won++;
                mostHolding.accumulateAndGet(holding.incrementAndGet(), Math::max);
                if (usage(fs).used() > capacity) {
                    overUsed.incrementAndGet();
                }
                holding.decrementAndGet();
                ClientLicensesRequest release = i % 2 == 0
                        ? new ClientLicensesRequest(true, ClientRef.id(c.id()), List.of(entry(fs)))
                        : new ClientLicensesRequest(true, ClientRef.name(c.name()), List.of(LicenseSelector.everyLicense(1)));
                Outcome<List<HeldLicense>> gone = engine.clients().release(release);
                if (!gone.isSuccess()) {
                    throw new AssertionError("release failed: " + gone.code() + ": " + gone.message());
                }
                released = true;
            }
            return won;
        });
        assertThat(mostHolding.get()).as("clients holding at once").isLessThanOrEqualTo(capacity);
        assertThat(overUsed.get()).as("times used exceeded capacity").isZero();
        assertThat(wins.stream().mapToInt(Integer::intValue).sum()).as("some consumptions won").isPositive();
        assertThat(usage(fs).used()).isZero();

        // a last race, with nobody releasing: exactly the capacity is consumed
        List<Outcome<HeldLicense>> last = race(executor, THREADS, t -> () -> tryConsume(clients.get(t), fs, false));
        assertThat(last.stream().filter(Outcome::isSuccess).count()).isEqualTo(capacity);
        assertThat(last.stream().filter(o -> !o.isSuccess()).map(Outcome::code)).containsOnly(Code.NOT_ENOUGH_LICENSES);
        UsageSummary u = usage(fs);
        assertThat(u.used()).isEqualTo(capacity);
        assertThat(u.available()).isZero();
        assertThat(u.byClient().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(capacity);

        List<LedgerEntry> entries = ledger();
        long consumed = count(entries, LedgerEvent.CONSUMED, 0, fs.id());
        long reconfigured = count(entries, LedgerEvent.RECONFIGURED, 0, fs.id());
        long released = count(entries, LedgerEvent.CLIENT_RELEASED, 0, fs.id());
        assertThat(consumed + reconfigured - released).as("ledger balance").isEqualTo(u.used());
        assertThat(consumed + reconfigured).isEqualTo(wins.stream().mapToInt(Integer::intValue).sum() + capacity);
    }
}
