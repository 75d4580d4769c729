package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.Agent;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientChange;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseChange;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.catalog.ProductChange;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.Overdraft;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.Change;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link CatalogRules} on plain values, no store: every code each decision can return, and its change set. */
class CatalogRulesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String ACTOR = "admin:alice";
    private static final Product CAD = new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofHours(24));
    private static final License FLOATING = License.builder("cad").key("K").maxActivations(5).floatingSeats(3).build().withId(9);
    private static final Client CLIENT = new Client(7, "ws-7", 1, "ws-7.example");

    private static Code refusal(Runnable call) {
        try {
            call.run();
        } catch (Denied d) {
            return d.code();
        }
        throw new AssertionError("not refused");
    }

    private static LedgerEntry entry(Change change) {
        return ((Change.AppendLedger) change).entry();
    }

    /** The decision's change set is the row change, then one entry with this event, at now, by the actor. */
    private static LedgerEntry rowThenEntry(Decision<?> d, Change row, LedgerEvent event) {
        assertThat(d.changes()).hasSize(2);
        assertThat(d.changes().get(0)).isEqualTo(row);
        LedgerEntry e = entry(d.changes().get(1));
        assertThat(e.event()).isEqualTo(event);
        assertThat(e.at()).isEqualTo(NOW);
        assertThat(e.actor()).isEqualTo(ACTOR);
        assertThat(e.code()).isEqualTo(Code.OK);
        return e;
    }

    @Test
    void defineProduct() {
        LedgerEntry e = rowThenEntry(CatalogRules.defineProduct(CAD, false, NOW, ACTOR), Change.putProduct(CAD),
                LedgerEvent.PRODUCT_DEFINED);
        assertThat(e.subject()).isEqualTo("cad");
        assertThat(e.detail()).isEqualTo("name CAD");
        assertThat(refusal(() -> CatalogRules.defineProduct(CAD, true, NOW, ACTOR))).isEqualTo(Code.ALREADY_EXISTS);
    }

    @Test
    void createLicenseAnswersUnknownProductThenATakenThenARetiredName() {
        License draft = License.builder("cad").key("K").build();
        assertThat(CatalogRules.createLicense(draft, new CatalogRules.LicenseName(true, false, false)))
                .isEqualTo(Change.insertLicense(draft));
        assertThat(refusal(() -> CatalogRules.createLicense(draft, new CatalogRules.LicenseName(false, true, true))))
                .isEqualTo(Code.UNKNOWN_PRODUCT);
        assertThat(refusal(() -> CatalogRules.createLicense(draft, new CatalogRules.LicenseName(true, true, false))))
                .isEqualTo(Code.ALREADY_EXISTS);
        assertThat(refusal(() -> CatalogRules.createLicense(draft, new CatalogRules.LicenseName(true, false, true))))
                .as("a deleted license's key is never given again").isEqualTo(Code.ALREADY_EXISTS);
        LedgerEntry e = entry(CatalogRules.licenseCreated(draft.withId(12), NOW, ACTOR));
        assertThat(e.event()).isEqualTo(LedgerEvent.LICENSE_CREATED);
        assertThat(e.licenseId()).isEqualTo(12);
        assertThat(e.detail()).isEqualTo("product cad, PERPETUAL, key K");
        License byUser = License.builder("cad").username("bob").build().withId(13);
        assertThat(entry(CatalogRules.licenseCreated(byUser, NOW, ACTOR)).detail()).isEqualTo("product cad, PERPETUAL, username bob");
    }

    @Test
    void registerClientAddAgentAndDefineClientLicense() {
        Client draft = new Client(0, "ws-7", 1, "h");
        assertThat(CatalogRules.registerClient(draft, false)).isEqualTo(Change.insertClient(draft));
        assertThat(refusal(() -> CatalogRules.registerClient(draft, true))).isEqualTo(Code.ALREADY_EXISTS);
        LedgerEntry registered = entry(CatalogRules.clientRegistered(CLIENT, NOW, ACTOR));
        assertThat(registered.event()).isEqualTo(LedgerEvent.CLIENT_REGISTERED);
        assertThat(registered.subject()).isEqualTo("ws-7");
        assertThat(registered.detail()).isEqualTo("client 7");

        Decision<Agent> agent = CatalogRules.addAgent(CLIENT, 5, "sql", false, NOW, ACTOR);
        assertThat(agent.result()).isEqualTo(new Agent(7, 5, "sql"));
        assertThat(rowThenEntry(agent, Change.putAgent(agent.result()), LedgerEvent.AGENT_ADDED).detail()).isEqualTo("appType 5");
        assertThat(refusal(() -> CatalogRules.addAgent(CLIENT, 5, "sql", true, NOW, ACTOR))).isEqualTo(Code.ALREADY_EXISTS);

        ClientLicense cl = new ClientLicense(0, 1, 10, 5, "backup", 2, 0, null, 0);
        assertThat(CatalogRules.defineClientLicense(cl, false)).isEqualTo(Change.insertClientLicense(cl));
        assertThat(refusal(() -> CatalogRules.defineClientLicense(cl, true))).isEqualTo(Code.ALREADY_EXISTS);
        LedgerEntry defined = entry(CatalogRules.clientLicenseDefined(cl.withId(4), NOW, ACTOR));
        assertThat(defined.clientLicenseId()).isEqualTo(4);
        assertThat(defined.detail()).isEqualTo("platformType 1, licenseType 10, appType 5, backup");
    }

    @Test
    void defineGroup() {
        SeatGroup group = new SeatGroup(GroupKind.USER, "eng", List.of("ann", "bob"));
        assertThat(rowThenEntry(CatalogRules.defineGroup(group, NOW, ACTOR), Change.putSeatGroup(group), LedgerEvent.GROUP_DEFINED)
                .detail()).isEqualTo("USER, 2 members");
    }

    @Test
    void setPolicyAnswersEveryCode() {
        PoolPolicy reserve = new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE,
                List.of(PolicyRule.reserve(2, PolicyRule.TargetType.GROUP, "eng")), 0, 0, 0);
        CatalogRules.PolicyTarget ok = new CatalogRules.PolicyTarget(Optional.of(FLOATING),
                Set.of(CatalogRules.PolicyTarget.groupName(GroupKind.USER, "eng")), PoolPolicy.NONE, 0);
        LedgerEntry e = rowThenEntry(CatalogRules.setPolicy(9, reserve, ok, NOW, ACTOR), Change.putPoolPolicy(9, reserve),
                LedgerEvent.POLICY_SET);
        assertThat(e.licenseId()).isEqualTo(9);
        assertThat(e.detail()).startsWith("leasing DEVICE, overdraft ").endsWith(", 1 rules");

        assertThat(refusal(() -> CatalogRules.setPolicy(9, reserve, new CatalogRules.PolicyTarget(Optional.empty(),
                Set.of(), PoolPolicy.NONE, 0), NOW, ACTOR))).isEqualTo(Code.LICENSE_NOT_FOUND);
        License notFloating = License.builder("cad").key("K").build().withId(9);
        assertThat(refusal(() -> CatalogRules.setPolicy(9, reserve, new CatalogRules.PolicyTarget(Optional.of(notFloating),
                ok.groups(), PoolPolicy.NONE, 0), NOW, ACTOR))).as("not floating").isEqualTo(Code.INVALID_REQUEST);
        PoolPolicy tooMany = new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE,
                List.of(PolicyRule.reserve(4, PolicyRule.TargetType.GROUP, "eng")), 0, 0, 0);
        assertThat(refusal(() -> CatalogRules.setPolicy(9, tooMany, ok, NOW, ACTOR))).as("reserves 4 of 3")
                .isEqualTo(Code.INVALID_REQUEST);
        PoolPolicy lowwater = new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE, List.of(), 4, 0, 0);
        assertThat(refusal(() -> CatalogRules.setPolicy(9, lowwater, ok, NOW, ACTOR))).isEqualTo(Code.INVALID_REQUEST);
        CatalogRules.PolicyTarget noGroup = new CatalogRules.PolicyTarget(Optional.of(FLOATING),
                Set.of(CatalogRules.PolicyTarget.groupName(GroupKind.HOST, "eng")), PoolPolicy.NONE, 0);
        assertThat(refusal(() -> CatalogRules.setPolicy(9, reserve, noGroup, NOW, ACTOR))).as("a host group is not a user group")
                .isEqualTo(Code.INVALID_REQUEST);
        PoolPolicy byUser = PoolPolicy.NONE.withLeasing(LeasingStrategy.USER);
        assertThat(refusal(() -> CatalogRules.setPolicy(9, byUser, new CatalogRules.PolicyTarget(Optional.of(FLOATING),
                Set.of(), PoolPolicy.NONE, 1), NOW, ACTOR))).as("leasing changes while a seat is held")
                .isEqualTo(Code.INVALID_REQUEST);
        assertThat(CatalogRules.setPolicy(9, byUser, new CatalogRules.PolicyTarget(Optional.of(FLOATING), Set.of(),
                PoolPolicy.NONE, 0), NOW, ACTOR).result()).isEqualTo(byUser);
    }

    @Test
    void changeLicenseWritesTheRowAndWhatChanged() {
        LicenseChange change = new LicenseChange(2, 4, false, null, null);
        assertThat(CatalogRules.lowersSeats(FLOATING, change)).isTrue();
        assertThat(CatalogRules.lowersCap(FLOATING, change)).isTrue();
        Decision<License> d = CatalogRules.changeLicense(Optional.of(FLOATING), change,
                new CatalogRules.InUse(2, PoolPolicy.NONE, 4), NOW, ACTOR);
        assertThat(d.result().floatingSeats()).isEqualTo(2);
        assertThat(d.result().maxActivations()).isEqualTo(4);
        assertThat(d.result().key()).isEqualTo("K");
        LedgerEntry e = rowThenEntry(d, Change.putLicense(d.result()), LedgerEvent.LICENSE_CHANGED);
        assertThat(e.detail()).isEqualTo("floatingSeats=3->2, maxActivations=5->4");
        assertThat(CatalogRules.changeLicense(Optional.of(FLOATING), new LicenseChange(3, null, false, null, null),
                CatalogRules.InUse.NONE, NOW, ACTOR).changes().get(1)).extracting(c -> entry(c).detail()).isEqualTo("unchanged");
    }

    @Test
    void changeLicenseAnswersEveryCode() {
        CatalogRules.InUse none = CatalogRules.InUse.NONE;
        assertThat(refusal(() -> CatalogRules.changeLicense(Optional.empty(), new LicenseChange(2, null, false, null, null),
                none, NOW, ACTOR))).isEqualTo(Code.LICENSE_NOT_FOUND);
        assertThat(refusal(() -> CatalogRules.changeLicense(Optional.of(FLOATING), new LicenseChange(0, null, false, null, null),
                none, NOW, ACTOR))).as("a floating license keeps a seat").isEqualTo(Code.INVALID_REQUEST);
        License fixed = License.builder("cad").key("K").build().withId(9);
        assertThat(refusal(() -> CatalogRules.changeLicense(Optional.of(fixed), new LicenseChange(1, null, false, null, null),
                none, NOW, ACTOR))).as("not floating").isEqualTo(Code.INVALID_REQUEST);
        assertThat(refusal(() -> CatalogRules.changeLicense(Optional.of(fixed), new LicenseChange(null, null, true, null, NOW),
                none, NOW, ACTOR))).as("perpetual has no validUntil").isEqualTo(Code.INVALID_REQUEST);
        License dated = License.builder("cad").key("K").type(LicenseType.SUBSCRIPTION).validUntil(NOW).build().withId(9);
        assertThat(refusal(() -> CatalogRules.changeLicense(Optional.of(dated), new LicenseChange(null, null, true, null, null),
                none, NOW, ACTOR))).as("a subscription needs validUntil").isEqualTo(Code.INVALID_REQUEST);
        assertThat(refusal(() -> CatalogRules.changeLicense(Optional.of(FLOATING), new LicenseChange(1, null, false, null, null),
                new CatalogRules.InUse(2, PoolPolicy.NONE, 0), NOW, ACTOR))).as("2 seats held").isEqualTo(Code.LICENSE_IN_USE);
        PoolPolicy reserves2 = new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE,
                List.of(PolicyRule.reserve(2, PolicyRule.TargetType.USER, "ann")), 0, 0, 0);
        assertThat(refusal(() -> CatalogRules.changeLicense(Optional.of(FLOATING), new LicenseChange(1, null, false, null, null),
                new CatalogRules.InUse(0, reserves2, 0), NOW, ACTOR))).isEqualTo(Code.INVALID_REQUEST);
        PoolPolicy lowwater2 = new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE, List.of(), 2, 0, 0);
        assertThat(refusal(() -> CatalogRules.changeLicense(Optional.of(FLOATING), new LicenseChange(1, null, false, null, null),
                new CatalogRules.InUse(0, lowwater2, 0), NOW, ACTOR))).isEqualTo(Code.INVALID_REQUEST);
        assertThat(refusal(() -> CatalogRules.changeLicense(Optional.of(FLOATING), new LicenseChange(null, 2, false, null, null),
                new CatalogRules.InUse(0, PoolPolicy.NONE, 3), NOW, ACTOR))).as("3 devices activated").isEqualTo(Code.LICENSE_IN_USE);
        assertThat(CatalogRules.changeLicense(Optional.of(FLOATING), new LicenseChange(null, 9, false, null, null),
                new CatalogRules.InUse(0, PoolPolicy.NONE, 7), NOW, ACTOR).result().maxActivations())
                .as("raising the cap reads no count").isEqualTo(9);
    }

    @Test
    void suspendAndResume() {
        assertThat(refusal(() -> CatalogRules.suspend(Optional.empty(), true, NOW, ACTOR))).isEqualTo(Code.LICENSE_NOT_FOUND);
        Decision<License> suspended = CatalogRules.suspend(Optional.of(FLOATING), true, NOW, ACTOR);
        assertThat(suspended.result().active()).isFalse();
        rowThenEntry(suspended, Change.putLicense(suspended.result()), LedgerEvent.SUSPENDED);
        assertThat(CatalogRules.suspend(Optional.of(suspended.result()), true, NOW, ACTOR).changes())
                .as("already suspended: nothing recorded").isEmpty();
        Decision<License> resumed = CatalogRules.suspend(Optional.of(suspended.result()), false, NOW, ACTOR);
        rowThenEntry(resumed, Change.putLicense(FLOATING), LedgerEvent.RESUMED);
    }

    @Test
    void deleteLicense() {
        assertThat(refusal(() -> CatalogRules.deleteLicense(Optional.empty(), 0, NOW, ACTOR))).isEqualTo(Code.LICENSE_NOT_FOUND);
        assertThat(refusal(() -> CatalogRules.deleteLicense(Optional.of(FLOATING), 1, NOW, ACTOR))).isEqualTo(Code.LICENSE_IN_USE);
        assertThat(rowThenEntry(CatalogRules.deleteLicense(Optional.of(FLOATING), 0, NOW, ACTOR), Change.deleteLicense(FLOATING),
                LedgerEvent.LICENSE_DELETED).detail()).isEqualTo("product cad, key K");
    }

    @Test
    void changeAndDeleteProduct() {
        ProductChange rename = new ProductChange("CAD 2", null, null);
        assertThat(refusal(() -> CatalogRules.changeProduct("cad", Optional.empty(), rename, NOW, ACTOR)))
                .isEqualTo(Code.UNKNOWN_PRODUCT);
        Decision<Product> d = CatalogRules.changeProduct("cad", Optional.of(CAD), rename, NOW, ACTOR);
        assertThat(rowThenEntry(d, Change.putProduct(d.result()), LedgerEvent.PRODUCT_CHANGED).detail()).isEqualTo("name=CAD->CAD 2");
        assertThat(CatalogRules.changeProduct("cad", Optional.of(CAD), new ProductChange("CAD", null, null), NOW, ACTOR).changes())
                .as("unchanged: nothing recorded").isEmpty();

        assertThat(refusal(() -> CatalogRules.deleteProduct("cad", Optional.empty(), Optional.empty(), NOW, ACTOR)))
                .isEqualTo(Code.UNKNOWN_PRODUCT);
        assertThat(refusal(() -> CatalogRules.deleteProduct("cad", Optional.of(CAD), Optional.of(FLOATING), NOW, ACTOR)))
                .isEqualTo(Code.PRODUCT_IN_USE);
        assertThat(rowThenEntry(CatalogRules.deleteProduct("cad", Optional.of(CAD), Optional.empty(), NOW, ACTOR),
                Change.deleteProduct("cad"), LedgerEvent.PRODUCT_DELETED).detail()).isEqualTo("name CAD");
    }

    @Test
    void changeAndDeleteClient() {
        ClientChange host = new ClientChange(null, "new.example");
        assertThat(refusal(() -> CatalogRules.changeClient(7, Optional.empty(), host, NOW, ACTOR))).isEqualTo(Code.CLIENT_NOT_FOUND);
        Decision<Client> d = CatalogRules.changeClient(7, Optional.of(CLIENT), host, NOW, ACTOR);
        assertThat(d.result().name()).isEqualTo("ws-7");
        assertThat(rowThenEntry(d, Change.putClient(d.result()), LedgerEvent.CLIENT_CHANGED).detail())
                .isEqualTo("hostName=ws-7.example->new.example");
        assertThat(CatalogRules.changeClient(7, Optional.of(CLIENT), new ClientChange(1, null), NOW, ACTOR).changes()).isEmpty();

        assertThat(refusal(() -> CatalogRules.deleteClient(7, Optional.empty(), 0, NOW, ACTOR))).isEqualTo(Code.CLIENT_NOT_FOUND);
        assertThat(refusal(() -> CatalogRules.deleteClient(7, Optional.of(CLIENT), 1, NOW, ACTOR))).isEqualTo(Code.CLIENT_IN_USE);
        assertThat(rowThenEntry(CatalogRules.deleteClient(7, Optional.of(CLIENT), 0, NOW, ACTOR), Change.deleteClient(CLIENT),
                LedgerEvent.CLIENT_DELETED).detail()).isEqualTo("client 7");
    }
}
