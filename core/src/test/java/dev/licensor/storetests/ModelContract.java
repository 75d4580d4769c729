package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.clients.UsageSummary;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.Count;
import dev.licensor.store.Key;
import dev.licensor.store.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Seeded random walks through every operation of the engine, with the invariants checked after
 * each step (see {@code docs/testing.md}):
 * <ul>
 *   <li>a pool never has more leases than seats, live or lapsed, so no clock moved back can
 *       show more holders than seats; a device holds at most one seat of a pool, and only while
 *       it is activated; activations stay within their maximum;</li>
 *   <li>a client license's used count equals the consumptions held, in the store, in the
 *       clients' lists and in the usage report, and never exceeds its capacity;</li>
 *   <li>a refused call changes nothing (every row and view as before; the ledger too, but for
 *       one {@code DENIED} entry when the code is a licensing denial);</li>
 *   <li>the ledger, replayed in sequence order, gives the store's leases, activations, held
 *       consumptions and blacklist exactly, and never grants a seat twice or releases one that
 *       is not held;</li>
 *   <li>the lookups (and the engine's cache, if on) agree with the store.</li>
 * </ul>
 * The clock moves both ways (minutes forward and back, hours forward), so leases lapse, come back
 * to life before their sweep, and a license's validity is crossed in both directions.
 *
 * <p>Each repetition walks with its own seed, {@code licensor.model.seed} (a system property,
 * default {@value #SEED}) plus the repetition index minus one, on a fresh store; a failure names
 * the seed and the step. {@code licensor.model.steps} (default {@value #STEPS}) lengthens the
 * walks for a soak run.
 */
public abstract class ModelContract extends ContractBase {

    static final long SEED = 20_261_201L;
    static final int STEPS = 150;
    private static final int WALKS = 3;

    private static final List<String> DEVICES = List.of("hw-0", "hw-1", "hw-2", "hw-3", "hw-4");
    private static final Set<Code> INPUT_ERRORS = Set.of(Code.MISSING_PARAMETERS, Code.INVALID_REQUEST,
            Code.ALREADY_EXISTS, Code.STORE_FAILURE);

    private final List<License> pools = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final List<ClientLicense> clientLicenses = new ArrayList<>();
    private final Map<String, Integer> seen = new TreeMap<>();

    @RepeatedTest(value = WALKS, name = "walk {currentRepetition} of {totalRepetitions}")
    void randomWalksKeepEveryInvariant(RepetitionInfo repetition) {
        long seed = Long.getLong("licensor.model.seed", SEED) + repetition.getCurrentRepetition() - 1;
        int steps = Integer.getInteger("licensor.model.steps", STEPS);
        catalog();
        SplittableRandom random = new SplittableRandom(seed);
        for (int step = 0; step < steps; step++) {
            StateSnapshot before = snapshot();
            Outcome<?> outcome = step(random);
            String what = "seed " + seed + ", step " + step + " " + tag
                    + (outcome == null ? "" : ": " + outcome.code().key());
            if (outcome != null && !outcome.isSuccess()) {
                assertThat(outcome.code()).as("%s (%s)", what, outcome.message()).isNotIn(INPUT_ERRORS);
                refusalChangedNothing(what, before, outcome);
            }
            invariants(what);
            ledgerReplaysToTheState(what);
        }
        assertThat(seen.keySet()).as("outcomes the walk met, seed %d: %s", seed, seen)
                .contains("check: ok", "check: floating_not_available", "consume: ok",
                        "consume: not_enough_licenses", "release-clients: ok");
    }

    /** Two pools (one lapsing by validity), three clients, three client licenses. */
    private void catalog() {
        product("cad");
        pools.add(license(License.builder("cad").key("K").maxActivations(5).floatingSeats(2).borrowAllowed(true)));
        pools.add(license(License.builder("cad").username("ann").type(LicenseType.SUBSCRIPTION).maxActivations(3).floatingSeats(1)
                .validUntil(START.plus(Duration.ofHours(6)))));
        clients.add(client("client000"));
        clients.add(client("client001"));
        clients.add(client("client002"));
        agent(clients.get(0), 33, "Windows File System");
        agent(clients.get(0), 1002, "MediaAgent Management");
        agent(clients.get(1), 33, "Windows File System");
        clientLicenses.add(clientLicense(1, 1, 33, "File System", 2));
        clientLicenses.add(clientLicense(2, 11, 1002, "MediaAgent", 1));
        clientLicenses.add(clientLicense(1, 2, 0, "Client Access", 2));
        for (License l : pools) {
            DEVICES.forEach(hw -> device(l, hw)); // so snapshots read every device's rows
        }
        // Most devices start activated (the walk deactivates and activates them again); the
        // second pool's limit keeps two of them out.
        DEVICES.forEach(hw -> activate(pools.get(0), hw));
        DEVICES.subList(0, 3).forEach(hw -> activate(pools.get(1), hw));
    }

    /** One random operation; returns its outcome, or null for a call without one. */
    private Outcome<?> step(SplittableRandom random) {
        License pool = pools.get(random.nextInt(pools.size()));
        String hw = DEVICES.get(random.nextInt(DEVICES.size()));
        Client c = clients.get(random.nextInt(clients.size()));
        int op = random.nextInt(100);
        if (op < 10) {
            return tagged("activate", () -> licensor.floating().activate(device(pool, hw)));
        } else if (op < 35) {
            return tagged("check", () -> licensor.floating().check(device(pool, hw)));
        } else if (op < 41) {
            Instant until = clock.instant().plus(Duration.ofMinutes(random.nextInt(-60, 30 * 60)));
            return tagged("borrow", () -> licensor.floating().borrow(device(pool, hw), until));
        } else if (op < 46) {
            return tagged("release", () -> licensor.floating().release(device(pool, hw)));
        } else if (op < 49) {
            return tagged("deactivate", () -> licensor.floating().deactivate(device(pool, hw)));
        } else if (op < 53) {
            return tagged("force-release", () -> licensor.seats().forceRelease(pool.id(), hw));
        } else if (op < 55) {
            tag = "purge: " + licensor.seats().purgeLapsed();
            return null;
        } else if (op < 57) {
            boolean add = random.nextBoolean();
            return tagged(add ? "blacklist" : "unblacklist",
                    () -> add ? licensor.seats().blacklist("cad", hw) : licensor.seats().unblacklist("cad", hw));
        } else if (op < 71) {
            ClientLicense l = clientLicenses.get(random.nextInt(clientLicenses.size()));
            boolean agentLevel = l.appType() != 0 && random.nextBoolean(); // agent level needs an app type
            return tagged("consume", () -> tryConsume(c, l, agentLevel));
        } else if (op < 80) {
            boolean clientLevel = random.nextBoolean();
            LicenseSelector[] entries = entries(random, clientLevel);
            return tagged("release-clients", () -> licensor.clients().release(request(clientLevel, c, entries)));
        } else if (op < 86) {
            boolean clientLevel = random.nextBoolean();
            LicenseSelector[] entries = entries(random, clientLevel);
            return tagged("reconfigure", () -> licensor.clients().reconfigure(request(clientLevel, c, entries)));
        } else if (op < 94) {
            clock.advance(Duration.ofMinutes(random.nextInt(1, 11)));
            tag = "clock forward to " + clock.instant();
        } else if (op < 98) {
            // back, but never before the walk began: the catalog's rows were made at START
            Instant back = clock.instant().minus(Duration.ofMinutes(random.nextInt(1, 25)));
            clock.set(back.isBefore(START) ? START : back);
            tag = "clock back to " + clock.instant();
        } else {
            clock.advance(Duration.ofHours(random.nextInt(1, 9)));
            tag = "clock forward to " + clock.instant();
        }
        return null;
    }

    /** One entry (or two) naming client licenses; agent-level requests name only those with an app type. */
    private LicenseSelector[] entries(SplittableRandom random, boolean clientLevel) {
        List<ClientLicense> candidates = new ArrayList<>(clientLicenses.stream()
                .filter(l -> clientLevel || l.appType() != 0).toList());
        int n = random.nextInt(5) == 0 ? 2 : 1;
        List<LicenseSelector> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(entry(candidates.remove(random.nextInt(candidates.size()))));
        }
        return entries.toArray(LicenseSelector[]::new);
    }

    /** What the last step did, for failure messages. */
    private String tag;

    private Outcome<?> tagged(String name, Supplier<Outcome<?>> call) {
        tag = name;
        Outcome<?> outcome = call.get();
        seen.merge(name + ": " + outcome.code().key(), 1, Integer::sum);
        return outcome;
    }

    // ------------------------------------------------------------------ invariants

    private void invariants(String what) {
        Instant now = clock.instant();
        // What the store holds, read in one unit; then the engine's views of it.
        Map<String, Object> rows = new TreeMap<>();
        store.read(tx -> {
            for (License pool : pools) {
                List<Lease> leases = tx.list(Query.leasesLiveAfter(pool.id(), Instant.EPOCH));
                rows.put("leases " + pool.id(), leases);
                rows.put("activations " + pool.id(), tx.count(Count.activations(pool.id())));
                rows.put("unactivated holders " + pool.id(), leases.stream()
                        .filter(l -> tx.find(Key.activation(pool.id(), l.hardwareId())).isEmpty()).toList());
            }
            for (ClientLicense l : clientLicenses) {
                rows.put("used " + l.id(), tx.find(Key.clientLicense(l.id())).orElseThrow().used());
                rows.put("held " + l.id(), tx.list(Query.heldConsumptionsOf(l.id())).size());
            }
            return null;
        });
        for (License pool : pools) {
            @SuppressWarnings("unchecked")
            List<Lease> leases = (List<Lease>) rows.get("leases " + pool.id());
            assertThat(ok(licensor.seats().holders(pool.id()))).as("%s: live holders of %d", what, pool.id())
                    .isEqualTo(leases.stream().filter(l -> l.isLiveAt(now))
                            // holders() lists by grant time, then hardware id
                            .sorted(java.util.Comparator.comparing(Lease::grantedAt).thenComparing(Lease::hardwareId))
                            .toList());
            assertThat(leases).as("%s: leases of %d, live or lapsed, within its seats", what, pool.id())
                    .hasSizeLessThanOrEqualTo(pool.floatingSeats());
            assertThat(leases.stream().map(Lease::hardwareId)).as("%s: one seat per device", what).doesNotHaveDuplicates();
            assertThat((int) rows.get("activations " + pool.id())).as("%s: activations of %d", what, pool.id())
                    .isLessThanOrEqualTo(pool.maxActivations());
            assertThat((List<?>) rows.get("unactivated holders " + pool.id()))
                    .as("%s: a device holds a seat of %d only while activated", what, pool.id()).isEmpty();
        }
        List<HeldLicense> listed = clients.stream().flatMap(c -> held(c).stream()).toList();
        List<UsageSummary> usage = licensor.clients().usage();
        for (ClientLicense l : clientLicenses) {
            long lines = listed.stream().filter(h -> h.platformType() == l.platformType()
                    && h.licenseType() == l.licenseType() && h.appType() == l.appType()).count();
            UsageSummary u = usage.stream().filter(s -> s.clientLicenseId() == l.id()).findFirst().orElseThrow();
            assertThat((int) rows.get("used " + l.id())).as("%s: used of %s equals the consumptions held", what, l.licenseName())
                    .isEqualTo(rows.get("held " + l.id())).isEqualTo((int) lines).isEqualTo(u.used())
                    .isEqualTo(u.byClient().values().stream().mapToInt(Integer::intValue).sum())
                    .isLessThanOrEqualTo(l.permanent());
        }
    }

    /** The ledger, replayed in commit (sequence) order, gives the rows the store holds. */
    private void ledgerReplaysToTheState(String what) {
        List<LedgerEntry> entries = new ArrayList<>(ledger());
        entries.sort(Comparator.comparingLong(LedgerEntry::seq));
        Set<String> leases = new TreeSet<>();
        Set<String> activations = new TreeSet<>();
        Set<String> consumptions = new TreeSet<>();
        Set<String> blacklist = new TreeSet<>();
        for (LedgerEntry e : entries) {
            String device = e.licenseId() + "/" + e.subject();
            String consumption = e.subject() + "/" + e.clientLicenseId() + "/" + (e.agentLevel() ? "agent" : "client");
            String at = what + ": ledger entry " + e;
            switch (e.event()) {
                case GRANTED -> assertThat(leases.add(device)).as("%s grants a held seat", at).isTrue();
                case REFRESHED, BORROWED -> assertThat(leases).as("%s needs a seat", at).contains(device);
                case RELEASED, LAPSED, FORCE_RELEASED ->
                        assertThat(leases.remove(device)).as("%s frees a seat not held", at).isTrue();
                case ACTIVATED -> assertThat(activations.add(device)).as(at).isTrue();
                case DEACTIVATED -> assertThat(activations.remove(device)).as(at).isTrue();
                case CONSUMED, RECONFIGURED -> assertThat(consumptions.add(consumption)).as(at).isTrue();
                case CLIENT_RELEASED -> assertThat(consumptions.remove(consumption)).as(at).isTrue();
                case BLACKLISTED -> blacklist.add(e.detail() + "/" + e.subject()); // detail "product cad"; recorded even if there
                case UNBLACKLISTED -> blacklist.remove(e.detail() + "/" + e.subject());
                case CONSUMPTION_ADDED, DENIED, SWITCHED -> { }
            }
        }
        Set<String> leaseRows = new TreeSet<>();
        Set<String> activationRows = new TreeSet<>();
        Set<String> consumptionRows = new TreeSet<>();
        Set<String> blacklistRows = new TreeSet<>();
        store.read(tx -> {
            for (String hw : DEVICES) {
                if (tx.find(Key.blacklisted("cad", hw)).isPresent()) {
                    blacklistRows.add("product cad/" + hw);
                }
            }
            for (License pool : pools) {
                for (String hw : DEVICES) {
                    tx.find(Key.lease(pool.id(), hw)).ifPresent(l -> leaseRows.add(pool.id() + "/" + hw));
                    tx.find(Key.activation(pool.id(), hw)).ifPresent(a -> activationRows.add(pool.id() + "/" + hw));
                }
            }
            for (Client c : clients) {
                for (ConsumedLicense cl : tx.list(Query.consumptionsOfClient(c.id()))) {
                    if (!cl.released()) {
                        consumptionRows.add(c.name() + "/" + cl.clientLicenseId() + "/" + (cl.agentLevel() ? "agent" : "client"));
                    }
                }
            }
            return null;
        });
        assertThat(leaseRows).as("%s: leases replayed from the ledger", what).isEqualTo(leases);
        assertThat(activationRows).as("%s: activations replayed from the ledger", what).isEqualTo(activations);
        assertThat(consumptionRows).as("%s: consumptions replayed from the ledger", what).isEqualTo(consumptions);
        assertThat(blacklistRows).as("%s: blacklist replayed from the ledger", what).isEqualTo(blacklist);
    }
}
