package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ClientRef;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Products, licenses of every kind, clients, agents and client licenses: created once, validated, read back. */
public abstract class CatalogContract extends ContractBase {

    @Test
    void definesAProductOnceAndFindsItByCode() {
        Product defined = product("cad-pro");
        assertThat(defined).isEqualTo(new Product("cad-pro", "Product cad-pro", TIMEOUT, MAX_BORROW));
        assertThat(licensor.catalog().product("cad-pro")).contains(defined);
        assertThat(licensor.catalog().product("cad-lite")).isEmpty();

        fails(licensor.catalog().defineProduct(new Product("cad-pro", "Other", Duration.ofMinutes(1), Duration.ZERO)),
                Code.ALREADY_EXISTS);
        assertThat(licensor.catalog().product("cad-pro")).contains(defined);
    }

    @Test
    void refusesMalformedProducts() {
        String longCode = "p".repeat(65);
        fails(licensor.catalog().defineProduct(null), Code.MISSING_PARAMETERS);
        fails(licensor.catalog().defineProduct(new Product("", "n", TIMEOUT, MAX_BORROW)), Code.MISSING_PARAMETERS);
        fails(licensor.catalog().defineProduct(new Product("  ", "n", TIMEOUT, MAX_BORROW)), Code.MISSING_PARAMETERS);
        fails(licensor.catalog().defineProduct(new Product(longCode, "n", TIMEOUT, MAX_BORROW)), Code.INVALID_REQUEST);
        fails(licensor.catalog().defineProduct(new Product("a b", "n", TIMEOUT, MAX_BORROW)), Code.INVALID_REQUEST);
        fails(licensor.catalog().defineProduct(new Product("a\nb", "n", TIMEOUT, MAX_BORROW)), Code.INVALID_REQUEST);
        fails(licensor.catalog().defineProduct(new Product("p", "", TIMEOUT, MAX_BORROW)), Code.MISSING_PARAMETERS);
        fails(licensor.catalog().defineProduct(new Product("p", "n\u0007", TIMEOUT, MAX_BORROW)), Code.INVALID_REQUEST);
        fails(licensor.catalog().defineProduct(new Product("p", "n".repeat(257), TIMEOUT, MAX_BORROW)), Code.INVALID_REQUEST);
        fails(licensor.catalog().defineProduct(new Product("p", "n", Duration.ZERO, MAX_BORROW)), Code.INVALID_REQUEST);
        fails(licensor.catalog().defineProduct(new Product("p", "n", TIMEOUT, Duration.ofHours(-1))), Code.INVALID_REQUEST);
        assertThat(licensor.catalog().product("p")).isEmpty();
        assertThat(licensor.catalog().product(longCode)).isEmpty();
        // the longest code is accepted
        assertThat(licensor.catalog().defineProduct(new Product("p".repeat(64), "n", TIMEOUT, Duration.ZERO)).isSuccess()).isTrue();
    }

    @Test
    void createsKeyAndUserLicensesOfEveryTypeAndTheyWork() {
        product("cad");
        Instant end = START.plus(Duration.ofDays(30));
        Set<Long> ids = new TreeSet<>();
        for (LicenseType type : LicenseType.values()) {
            for (boolean byKey : new boolean[] {true, false}) {
                License.Builder draft = License.builder("cad").type(type).maxActivations(2);
                String name = type.name().toLowerCase() + (byKey ? "-key" : "-user");
                draft = byKey ? draft.key(name) : draft.username(name);
                if (type == LicenseType.TIME_LIMITED || type == LicenseType.SUBSCRIPTION) {
                    draft.validUntil(end);
                }
                if (type == LicenseType.CONSUMPTION) {
                    draft.maxConsumptions(100);
                }
                License created = license(draft);
                assertThat(created.id()).as(name).isPositive();
                assertThat(ids.add(created.id())).as("ids are unique").isTrue();
                assertThat(created.isKeyBased()).isEqualTo(byKey);
                assertThat(created.type()).isEqualTo(type);
                assertThat(created.consumed()).isZero();
                assertThat(licensor.catalog().license(created.id())).contains(created);
                // it works for a device, whichever way it names the license
                activate(created, "hw-" + name);
                LicenseCheck checked = ok(tryCheck(created, "hw-" + name));
                assertThat(checked.license()).isEqualTo(created);
                assertThat(checked.lease()).isNull();
            }
        }
        assertThat(licensor.catalog().license(999_999)).isEmpty();
    }

    @Test
    void keepsEveryLicenseFieldAsCreated() {
        product("cad");
        License created = license(License.builder("cad").key("FULL-1").type(LicenseType.SUBSCRIPTION)
                .enabled(true).active(true).validFrom(START.minusSeconds(60)).validUntil(START.plus(Duration.ofDays(365)))
                .maxActivations(7).floatingSeats(3).floatingTimeout(Duration.ofMinutes(3)).borrowAllowed(true)
                .maxBorrowTime(Duration.ofHours(5)).maxConsumptions(0).overage(false, 0));
        assertThat(licensor.catalog().license(created.id())).contains(created);
        assertThat(created.floatingSeats()).isEqualTo(3);
        assertThat(created.maxBorrowTime()).isEqualTo(Duration.ofHours(5));
    }

    @Test
    void refusesMalformedLicenses() {
        product("cad");
        Instant end = START.plus(Duration.ofDays(1));
        fails(licensor.catalog().createLicense(null), Code.MISSING_PARAMETERS);
        fails(licensor.catalog().createLicense(License.builder("").key("K").build()), Code.MISSING_PARAMETERS);
        fails(licensor.catalog().createLicense(License.builder("cad").build()), Code.MISSING_PARAMETERS);
        fails(licensor.catalog().createLicense(License.builder("cad").key("K").username("u").build()), Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("cad").key("  ").username("u").build()), Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("cad").key("K".repeat(257)).build()), Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("cad").key("K\t1").build()), Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("cad").username("u\u0000").build()), Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(0).build()), Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("cad").key("K").floatingSeats(-1).build()), Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("cad").key("K").floatingSeats(1)
                .floatingTimeout(Duration.ZERO).build()), Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("cad").key("K").maxConsumptions(-1).build()), Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("cad").key("K").type(LicenseType.TIME_LIMITED).build()),
                Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("cad").key("K").type(LicenseType.SUBSCRIPTION).build()),
                Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("cad").key("K").validUntil(end).build()), Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("cad").key("K").type(LicenseType.TIME_LIMITED)
                .validFrom(end).validUntil(end).build()), Code.INVALID_REQUEST);
        fails(licensor.catalog().createLicense(License.builder("nope").key("K").build()), Code.UNKNOWN_PRODUCT);
        assertThat(ledger()).extracting(LedgerEntry::event).containsExactly(LedgerEvent.PRODUCT_DEFINED); // no refusal left a trace
        // nothing was created: the key is still free
        assertThat(license(License.builder("cad").key("K")).id()).isPositive();
    }

    @Test
    void refusesDuplicateKeysAndUsersPerProduct() {
        product("cad");
        product("cam");
        License key = license(License.builder("cad").key("K-1"));
        License user = license(License.builder("cad").username("alice"));
        fails(licensor.catalog().createLicense(License.builder("cad").key("K-1").maxActivations(9).build()), Code.ALREADY_EXISTS);
        fails(licensor.catalog().createLicense(License.builder("cad").username("alice").build()), Code.ALREADY_EXISTS);
        // the same key or user on another product is another license
        License other = license(License.builder("cam").key("K-1"));
        assertThat(other.id()).isNotIn(key.id(), user.id());
        assertThat(license(License.builder("cam").username("alice")).id()).isPositive();
        // a key and a user of the same text do not collide
        assertThat(license(License.builder("cad").username("K-1")).id()).isPositive();
        assertThat(fresh(key)).isEqualTo(key);
    }

    @Test
    void registersClientsWithUniqueNames() {
        Client a = client("client001");
        Client b = client("client002");
        assertThat(a.id()).isPositive();
        assertThat(b.id()).isPositive().isNotEqualTo(a.id());
        assertThat(a).isEqualTo(new Client(a.id(), "client001", 1, "client001.example.com"));
        assertThat(licensor.catalog().client(ClientRef.id(a.id()))).contains(a);
        assertThat(licensor.catalog().client(ClientRef.name("client002"))).contains(b);
        assertThat(licensor.catalog().client(new ClientRef(a.id(), "client001"))).contains(a);
        assertThat(licensor.catalog().client(new ClientRef(a.id(), "client002"))).isEmpty();
        assertThat(licensor.catalog().client(ClientRef.name("client003"))).isEmpty();

        fails(licensor.catalog().registerClient("client001", 2, "x"), Code.ALREADY_EXISTS);
        fails(licensor.catalog().registerClient(" ", 1, "x"), Code.MISSING_PARAMETERS);
        fails(licensor.catalog().registerClient(null, 1, "x"), Code.MISSING_PARAMETERS);
        fails(licensor.catalog().registerClient("c".repeat(257), 1, "x"), Code.INVALID_REQUEST);
        fails(licensor.catalog().registerClient("bad\rname", 1, "x"), Code.INVALID_REQUEST);
        fails(licensor.catalog().registerClient("c3", 1, "host\n"), Code.INVALID_REQUEST);
        fails(licensor.catalog().registerClient("c3", -1, "x"), Code.INVALID_REQUEST);
        assertThat(licensor.catalog().client(ClientRef.name("c3"))).isEmpty();
        assertThat(licensor.catalog().client(ClientRef.id(a.id()))).contains(a);
    }

    @Test
    void addsAgentsToClients() {
        Client c = client("client001");
        Agent fs = agent(c, 33, "Windows File System");
        Agent ma = ok(licensor.catalog().addAgent(ClientRef.name("client001"), 1002, "MediaAgent Management"));
        Agent sql = agent(c, 81, null);
        assertThat(fs).isEqualTo(new Agent(c.id(), 33, "Windows File System"));
        assertThat(sql.name()).isEmpty();
        assertThat(licensor.catalog().agents(ClientRef.id(c.id()))).containsExactly(fs, sql, ma);
        assertThat(licensor.catalog().agents(ClientRef.name("client001"))).containsExactly(fs, sql, ma);

        fails(licensor.catalog().addAgent(ClientRef.id(c.id()), 33, "again"), Code.ALREADY_EXISTS);
        fails(licensor.catalog().addAgent(ClientRef.id(c.id()), 0, "zero"), Code.INVALID_REQUEST);
        fails(licensor.catalog().addAgent(ClientRef.id(c.id()), 29, "x".repeat(257)), Code.INVALID_REQUEST);
        fails(licensor.catalog().addAgent(ClientRef.name("ghost"), 29, "Linux"), Code.CLIENT_NOT_FOUND);
        fails(licensor.catalog().addAgent(null, 29, "Linux"), Code.MISSING_PARAMETERS);
        assertThat(licensor.catalog().agents(ClientRef.id(c.id()))).containsExactly(fs, sql, ma);
        assertThat(licensor.catalog().agents(ClientRef.name("ghost"))).isEmpty();
        // the same kind of list on every store: a host cannot change it
        assertThatThrownBy(() -> licensor.catalog().agents(ClientRef.id(c.id())).clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> licensor.catalog().clientLicenses().add(null))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void definesClientLicensesOncePerPlatformLicenseAndAppType() {
        ClientLicense fs = clientLicense(1, 1, 33, "Server File System - Windows File System", 10);
        ClientLicense ma = ok(licensor.catalog().defineClientLicense(ClientLicense.draft(2, 11, 1002, "MediaAgent",
                1, 2, START.plus(Duration.ofDays(30)))));
        assertThat(fs.id()).isPositive();
        assertThat(ma.id()).isPositive().isNotEqualTo(fs.id());
        assertThat(ma.used()).isZero();
        assertThat(licensor.catalog().clientLicenses()).containsExactly(fs, ma);

        fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 1, 33, "again", 1, 0, null)), Code.ALREADY_EXISTS);
        fails(licensor.catalog().defineClientLicense(null), Code.MISSING_PARAMETERS);
        fails(licensor.catalog().defineClientLicense(ClientLicense.draft(3, 1, 33, "p3", 1, 0, null)), Code.INVALID_REQUEST);
        fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 0, 33, "t0", 1, 0, null)), Code.INVALID_REQUEST);
        fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 2, -1, "a", 1, 0, null)), Code.INVALID_REQUEST);
        fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 2, 33, "", 1, 0, null)), Code.MISSING_PARAMETERS);
        fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 2, 33, "n\u001b", 1, 0, null)), Code.INVALID_REQUEST);
        fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 2, 33, "neg", -1, 0, null)), Code.INVALID_REQUEST);
        fails(licensor.catalog().defineClientLicense(ClientLicense.draft(1, 2, 33, "neg", 1, -1, null)), Code.INVALID_REQUEST);
        assertThat(licensor.catalog().clientLicenses()).containsExactly(fs, ma);
        // the same license and app type on the other platform is another license
        assertThat(clientLicense(2, 1, 33, "p2", 1).id()).isPositive();
    }

    @Test
    void everyDefinitionIsRecordedWithItsActorAndPublished() {
        java.util.List<dev.licensor.event.LicensorEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.licensor.Licensor bob = engine(store, clock).listener(events::add).build()
                .as(dev.licensor.ledger.Actor.of("admin:bob"));
        licensor = bob; // the fixtures below define through bob
        product("cad");
        License pool = floating("cad", "POOL", 3);
        License user = license(License.builder("cad").username("alice").maxActivations(2));
        Client c = client("client001");
        agent(c, 33, "File System");
        ClientLicense fs = clientLicense(1, 1, 33, "Windows File System", 5);
        ok(bob.catalog().defineGroup(new dev.licensor.policy.SeatGroup(dev.licensor.policy.GroupKind.USER, "eng",
                java.util.List.of("alice", "bob"))));
        ok(bob.catalog().setPolicy(pool.id(), dev.licensor.policy.PoolPolicy.parse("RESERVE 1 GROUP eng")));
        // refusals define nothing and record nothing
        fails(bob.catalog().defineProduct(new Product("cad", "again", TIMEOUT, MAX_BORROW)), Code.ALREADY_EXISTS);
        fails(bob.catalog().registerClient("client001", 1, "h"), Code.ALREADY_EXISTS);

        java.util.List<dev.licensor.ledger.LedgerEntry> all = ledger();
        assertThat(all).extracting(e -> e.event() + " " + e.licenseId() + " " + e.clientLicenseId() + " " + e.subject()
                + " | " + e.detail()).containsExactly(
                "PRODUCT_DEFINED 0 0 cad | name Product cad",
                "LICENSE_CREATED " + pool.id() + " 0  | product cad, PERPETUAL, key POOL",
                "LICENSE_CREATED " + user.id() + " 0  | product cad, PERPETUAL, username alice",
                "CLIENT_REGISTERED 0 0 client001 | client " + c.id(),
                "AGENT_ADDED 0 0 client001 | appType 33",
                "CLIENT_LICENSE_DEFINED 0 " + fs.id() + "  | platformType 1, licenseType 1, appType 33, Windows File System",
                "GROUP_DEFINED 0 0 eng | USER, 2 members",
                "POLICY_SET " + pool.id() + " 0  | leasing DEVICE, overdraft 0, 1 rules");
        assertThat(all).extracting(dev.licensor.ledger.LedgerEntry::actor).containsOnly("admin:bob");
        assertThat(events).hasSameSizeAs(all).allSatisfy(e -> assertThat(e)
                .isInstanceOfSatisfying(dev.licensor.event.LicensorEvent.AdminChanged.class,
                        a -> assertThat(a.actor()).isEqualTo("admin:bob")));
        assertThat(events).extracting(dev.licensor.event.LicensorEvent::seq)
                .containsExactlyElementsOf(all.stream().map(dev.licensor.ledger.LedgerEntry::seq).toList());
    }
}
