package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.licensor.Licensor;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientChange;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.catalog.ProductChange;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.event.LicensorEvent;
import dev.licensor.ledger.Actor;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.Key;
import dev.licensor.store.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Products and clients after their definition: a product's name and defaults change (never its
 * code), a client's platform type and host name change (never its name), and either is deleted
 * only when nothing depends on it ({@code product_in_use}, {@code client_in_use} otherwise, changing
 * nothing). Each change is recorded in the ledger with its actor and published as an
 * {@link LicensorEvent.AdminChanged}; the engine's caches never serve what was changed or deleted.
 */
public abstract class ProductClientChangesContract extends ContractBase {

    private LedgerEntry last(LedgerEvent event) {
        List<LedgerEntry> entries = ledger(event);
        assertThat(entries).as("ledger entries %s", event).isNotEmpty();
        return entries.get(entries.size() - 1);
    }

    /** A changed default reaches the very next seat: the engine remembers products, and must drop it. */
    @Test
    void aProductsNewDefaultsApplyToTheNextSeatAndNeverItsCode() {
        product("cad");
        License pool = license(License.builder("cad").key("POOL").maxActivations(100).floatingSeats(2).borrowAllowed(true));
        License own = license(License.builder("cad").key("OWN").maxActivations(2).floatingSeats(1)
                .floatingTimeout(Duration.ofMinutes(5)));
        activate(pool, "hw-1");
        activate(own, "hw-2");
        assertThat(check(pool, "hw-1").expiresAt()).isEqualTo(START.plus(TIMEOUT));
        check(own, "hw-2");

        Product changed = ok(licensor.catalog().changeProduct("cad",
                new ProductChange("CAD 2", Duration.ofMinutes(30), Duration.ofHours(2))));
        assertThat(changed).isEqualTo(new Product("cad", "CAD 2", Duration.ofMinutes(30), Duration.ofHours(2)));
        assertThat(licensor.catalog().product("cad")).contains(changed);
        clock.advance(Duration.ofSeconds(1)); // well within the engine's product TTL: only a drop makes it right
        assertThat(check(pool, "hw-1").expiresAt()).as("the refresh after the change")
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        assertThat(check(own, "hw-2").expiresAt()).as("a license's own timeout wins")
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        fails(licensor.floating().borrow(device(pool, "hw-1"), clock.instant().plus(Duration.ofHours(3))),
                Code.BORROW_UNTIL_NOT_VALID);

        LedgerEntry entry = last(LedgerEvent.PRODUCT_CHANGED);
        assertThat(entry.subject()).isEqualTo("cad");
        assertThat(entry.detail()).isEqualTo("name=Product cad->CAD 2, floatingTimeout=PT10M->PT30M, maxBorrowTime=PT24H->PT2H");
        assertThat(LicensorEvent.of(entry)).isInstanceOfSatisfying(LicensorEvent.AdminChanged.class,
                e -> assertThat(e.event()).isEqualTo(LedgerEvent.PRODUCT_CHANGED));
        // the same values again change nothing and record nothing
        assertThat(ok(licensor.catalog().changeProduct("cad", ProductChange.name("CAD 2")))).isEqualTo(changed);
        assertThat(ledger(LedgerEvent.PRODUCT_CHANGED)).hasSize(1);
        assertThat(ok(licensor.catalog().changeProduct("cad", ProductChange.name("CAD 3"))).floatingTimeout())
                .as("a null field keeps the value").isEqualTo(Duration.ofMinutes(30));

        rejected("an empty change", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeProduct("cad", new ProductChange(null, null, null)));
        rejected("no change", Code.INVALID_REQUEST, () -> licensor.catalog().changeProduct("cad", null));
        rejected("a zero timeout", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeProduct("cad", new ProductChange(null, Duration.ZERO, null)));
        rejected("a negative borrow", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeProduct("cad", new ProductChange(null, null, Duration.ofHours(-1))));
        rejected("no such product", Code.UNKNOWN_PRODUCT,
                () -> licensor.catalog().changeProduct("nope", ProductChange.name("x")));
        rejected("a code that is not one", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeProduct("c d", ProductChange.name("x")));
        rejected("a blank name", Code.MISSING_PARAMETERS,
                () -> licensor.catalog().changeProduct("cad", ProductChange.name(" ")));
    }

    @Test
    void aProductIsDeletedOnlyWithoutLicensesAndItsDeletedKeysStayTaken() {
        product("cad");
        product("cam");
        License k = license(License.builder("cad").key("K").maxActivations(2).floatingSeats(1));
        activate(k, "hw-1");
        check(k, "hw-1");
        ok(licensor.seats().blacklist("cad", "hw-bad"));
        ok(licensor.seats().blacklist("cam", "hw-bad"));

        rejected("a product with a license", Code.PRODUCT_IN_USE, () -> licensor.catalog().deleteProduct("cad"));
        assertThat(last(LedgerEvent.DENIED).subject()).isEqualTo("cad");
        clock.advance(TIMEOUT);
        activate(k, "hw-3"); // the engine reads (and remembers) the product now
        ok(licensor.catalog().deleteLicense(k.id()));
        forget(k);

        ok(licensor.catalog().deleteProduct("cad"));
        assertThat(licensor.catalog().product("cad")).isEmpty();
        assertThat(ok(licensor.catalog().products(null, 10)).items()).extracting(Product::code).containsExactly("cam");
        fails(licensor.floating().activate(device(k, "hw-2")), Code.UNKNOWN_PRODUCT);
        assertThat(store.<Boolean>read(tx -> tx.find(Key.blacklisted("cad", "hw-bad")).isPresent())).as("its blacklist goes").isFalse();
        assertThat(store.<Boolean>read(tx -> tx.find(Key.blacklisted("cam", "hw-bad")).isPresent())).as("another product's stays").isTrue();
        LedgerEntry entry = last(LedgerEvent.PRODUCT_DELETED);
        assertThat(entry.subject()).isEqualTo("cad");
        assertThat(entry.detail()).isEqualTo("name Product cad");
        rejected("deleted already", Code.UNKNOWN_PRODUCT, () -> licensor.catalog().deleteProduct("cad"));
        rejected("no code", Code.MISSING_PARAMETERS, () -> licensor.catalog().deleteProduct(""));
        rejected("a code that is not one", Code.INVALID_REQUEST, () -> licensor.catalog().deleteProduct("c/d"));

        // defined again with other defaults: the engine serves the new row, and the old key stays taken
        ok(licensor.catalog().defineProduct(new Product("cad", "CAD again", Duration.ofMinutes(40), MAX_BORROW)));
        rejected("a key of the deleted product's license", Code.ALREADY_EXISTS,
                () -> licensor.catalog().createLicense(License.builder("cad").key("K").build()));
        License again = license(License.builder("cad").key("K2").maxActivations(2).floatingSeats(1));
        assertThat(again.id()).as("the deleted (highest) license's id is never given again").isGreaterThan(k.id());
        activate(again, "hw-1");
        assertThat(check(again, "hw-1").expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(40)));
        ok(licensor.seats().blacklist("cad", "hw-bad")); // listed anew, not "already listed"
        assertThat(ledger(LedgerEvent.BLACKLISTED)).hasSize(3);
    }

    @Test
    void aClientChangesItsPlatformAndHostButNeverItsName() {
        Client c = client("c1");
        ClientLicense server = clientLicense(1, 10, 0, "Server", 2);
        Client changed = ok(licensor.catalog().changeClient(c.id(), new ClientChange(2, "new.example.com")));
        assertThat(changed).isEqualTo(new Client(c.id(), "c1", 2, "new.example.com"));
        assertThat(licensor.catalog().client(ClientRef.id(c.id()))).contains(changed);
        assertThat(licensor.catalog().client(ClientRef.name("c1"))).contains(changed);
        LedgerEntry entry = last(LedgerEvent.CLIENT_CHANGED);
        assertThat(entry.subject()).isEqualTo("c1");
        assertThat(entry.detail()).isEqualTo("platformType=1->2, hostName=c1.example.com->new.example.com");
        assertThat(ok(licensor.catalog().changeClient(c.id(), ClientChange.hostName(""))).hostName()).isEmpty();
        assertThat(ok(licensor.catalog().changeClient(c.id(), ClientChange.hostName("")))).as("unchanged").isNotNull();
        assertThat(ledger(LedgerEvent.CLIENT_CHANGED)).hasSize(2);
        consume(c, server, false); // still named by its name

        rejected("an empty change", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeClient(c.id(), new ClientChange(null, null)));
        rejected("no change", Code.INVALID_REQUEST, () -> licensor.catalog().changeClient(c.id(), null));
        rejected("a negative platform type", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeClient(c.id(), new ClientChange(-1, null)));
        rejected("no such client", Code.CLIENT_NOT_FOUND,
                () -> licensor.catalog().changeClient(c.id() + 1000, ClientChange.hostName("h")));
        rejected("id 0", Code.INVALID_REQUEST, () -> licensor.catalog().changeClient(0, ClientChange.hostName("h")));
        rejected("a control character", Code.INVALID_REQUEST,
                () -> licensor.catalog().changeClient(c.id(), ClientChange.hostName("a\u0000b")));
    }

    /** With a lookup cache on, a deleted client's remembered licenses must go with it. */
    @Test
    void aClientIsDeletedOnlyWhenItHoldsNothingAndItsNameMayComeBack() {
        Client c = client("c1");
        agent(c, 5, "fs");
        ClientLicense server = clientLicense(1, 10, 0, "Server", 2);
        ClientLicense agentLicense = clientLicense(1, 11, 5, "FS agent", 2);
        consume(c, server, false);
        consume(c, agentLicense, true);

        rejected("a client holding licenses", Code.CLIENT_IN_USE, () -> licensor.catalog().deleteClient(c.id()));
        assertThat(last(LedgerEvent.DENIED).subject()).isEqualTo("c1");
        ok(licensor.clients().release(request(false, c, entry(agentLicense))));
        rejected("a client holding one license", Code.CLIENT_IN_USE, () -> licensor.catalog().deleteClient(c.id()));
        ok(licensor.clients().release(request(true, c, entry(server))));
        assertThat(ok(licensor.lookups().consumedLicenses(c.id()))).isEmpty(); // remembered, if cached

        ok(licensor.catalog().deleteClient(c.id()));
        assertThat(licensor.catalog().client(ClientRef.id(c.id()))).isEmpty();
        assertThat(licensor.catalog().client(ClientRef.name("c1"))).isEmpty();
        assertThat(licensor.lookups().consumedLicenses(c.id()).code()).isEqualTo(Code.CLIENT_NOT_FOUND);
        assertThat(licensor.catalog().agents(ClientRef.id(c.id()))).isEmpty();
        assertThat(store.<List<ConsumedLicense>>read(tx -> tx.list(Query.consumptionsOfClient(c.id())))).isEmpty();
        assertThat(store.<Object>read(tx -> tx.find(Key.agent(c.id(), 5)))).isEqualTo(java.util.Optional.empty());
        assertThat(usage(server).used()).isZero();
        assertThat(ok(licensor.catalog().clients(0, 10)).items()).isEmpty();
        LedgerEntry entry = last(LedgerEvent.CLIENT_DELETED);
        assertThat(entry.subject()).isEqualTo("c1");
        assertThat(entry.detail()).isEqualTo("client " + c.id());
        rejected("deleted already", Code.CLIENT_NOT_FOUND, () -> licensor.catalog().deleteClient(c.id()));
        rejected("id 0", Code.INVALID_REQUEST, () -> licensor.catalog().deleteClient(0));
        fails(licensor.clients().consume(new dev.licensor.clients.ConsumeRequest(ClientRef.id(c.id()), 1, 10, 0, false)),
                Code.CLIENT_NOT_FOUND);

        // the name registers again, as a new client with a new id and nothing of the old one
        Client back = client("c1");
        assertThat(back.id()).isGreaterThan(c.id());
        assertThat(licensor.catalog().agents(ClientRef.id(back.id()))).isEmpty();
        consume(back, server, false);
        assertThat(held(back)).hasSize(1);
        assertThat(usage(server).used()).isEqualTo(1);
    }

    /**
     * Consumers race an administrator deleting their client: the delete either finds nothing held
     * (and no consume then writes for the deleted client) or is refused, and every used count
     * matches the consumptions held.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void consumersRacingADeleteNeverWriteForADeletedClient() throws Exception {
        int threads = 4;
        List<ClientLicense> licenses = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            licenses.add(clientLicense(1, 20 + t, 0, "L" + t, 1000));
        }
        ExecutorService executor = Executors.newFixedThreadPool(threads + 1);
        try {
            for (int round = 0; round < 20; round++) {
                Client c = client("race-" + round);
                List<Callable<Outcome<?>>> tasks = new ArrayList<>();
                for (ClientLicense l : licenses) {
                    tasks.add(() -> tryConsume(c, l, false));
                }
                tasks.add(() -> licensor.catalog().deleteClient(c.id()));
                List<Future<Outcome<?>>> futures = executor.invokeAll(tasks, 60, TimeUnit.SECONDS);
                long consumed = 0;
                for (int t = 0; t < threads; t++) {
                    Outcome<?> o = futures.get(t).get();
                    assertThat(o.isSuccess() || o.code() == Code.CLIENT_NOT_FOUND).as(o.message()).isTrue();
                    consumed += o.isSuccess() ? 1 : 0;
                }
                Outcome<?> delete = futures.get(threads).get();
                List<ConsumedLicense> rows = store.read(tx -> tx.list(Query.consumptionsOfClient(c.id())));
                if (delete.isSuccess()) {
                    assertThat(consumed).as("round %d: nothing consumed for a deleted client", round).isZero();
                    assertThat(rows).isEmpty();
                } else {
                    assertThat(delete.code()).isEqualTo(Code.CLIENT_IN_USE);
                    assertThat(rows).hasSize((int) consumed).allMatch(r -> !r.released());
                    ok(licensor.clients().release(new dev.licensor.clients.ClientLicensesRequest(true,
                            ClientRef.id(c.id()), licenses.stream().filter(l -> rows.stream()
                                    .anyMatch(r -> r.clientLicenseId() == l.id())).map(ContractBase::entry).toList())));
                    ok(licensor.catalog().deleteClient(c.id()));
                }
                for (ClientLicense l : licenses) {
                    assertThat(usage(l).used()).as("round %d: %s used", round, l.licenseName())
                            .isEqualTo(store.<List<ConsumedLicense>>read(tx -> tx.list(Query.heldConsumptionsOf(l.id()))).size())
                            .isZero();
                }
            }
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ledger(LedgerEvent.CLIENT_DELETED)).hasSize(20);
    }

    @Test
    void everyChangeNamesItsActorInTheLedgerAndItsEvent() {
        List<LicensorEvent> events = new CopyOnWriteArrayList<>();
        licensor = engine(store, clock).listener(events::add).build();
        product("cad");
        Client c = client("c1");
        long mark = ledger().get(ledger().size() - 1).seq();
        Licensor bob = licensor.as(Actor.of("admin:bob"));
        ok(bob.catalog().changeProduct("cad", ProductChange.name("CAD")));
        ok(bob.catalog().deleteProduct("cad"));
        ok(bob.catalog().changeClient(c.id(), ClientChange.hostName("h")));
        ok(licensor.catalog().deleteClient(c.id()));
        List<LedgerEntry> after = ledger().stream().filter(e -> e.seq() > mark).toList();
        assertThat(after).extracting(LedgerEntry::event, LedgerEntry::actor).containsExactly(
                tuple(LedgerEvent.PRODUCT_CHANGED, "admin:bob"), tuple(LedgerEvent.PRODUCT_DELETED, "admin:bob"),
                tuple(LedgerEvent.CLIENT_CHANGED, "admin:bob"), tuple(LedgerEvent.CLIENT_DELETED, ""));
        assertThat(events).filteredOn(e -> e.seq() > mark).extracting(e -> ((LicensorEvent.AdminChanged) e).event(),
                e -> ((LicensorEvent.AdminChanged) e).actor(), e -> ((LicensorEvent.AdminChanged) e).subject())
                .containsExactly(tuple(LedgerEvent.PRODUCT_CHANGED, "admin:bob", "cad"),
                        tuple(LedgerEvent.PRODUCT_DELETED, "admin:bob", "cad"),
                        tuple(LedgerEvent.CLIENT_CHANGED, "admin:bob", "c1"),
                        tuple(LedgerEvent.CLIENT_DELETED, "", "c1"));
    }
}
