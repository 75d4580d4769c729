package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.Change;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.ledger.LedgerEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ClientRules} (consume, release, reconfigure) on plain values, no store: every code each decision can return. */
class ClientRulesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Client CLIENT = new Client(7, "ws-7", 1, "ws-7.example");

    private static ClientLicense license(int permanent, int evaluation, Instant expiry, int used) {
        return new ClientLicense(3, 1, 10, 5, "backup", permanent, evaluation, expiry, used);
    }

    private static Code refusal(Runnable call) {
        try {
            call.run();
        } catch (Denied d) {
            return d.code();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void aFreeLicenseIsConsumedWithItsCountAndLedgerEntryInOneChangeSet() {
        ClientRules.Consumed d = ClientRules.consume(CLIENT, license(2, 0, null, 1), false, false, Optional.empty(), NOW);
        ClientRules.Consumed.Granted g = (ClientRules.Consumed.Granted) d;
        assertThat(g.consumption()).isEqualTo(new ConsumedLicense(7, 3, false, false, NOW));
        assertThat(g.changes()).hasSize(3);
        assertThat(g.changes().get(0)).isEqualTo(Change.putConsumption(g.consumption()));
        assertThat(((Change.PutClientLicense) g.changes().get(1)).clientLicense().used()).isEqualTo(2);
        Change.AppendLedger entry = (Change.AppendLedger) g.changes().get(2);
        assertThat(entry.entry().event()).isEqualTo(LedgerEvent.CONSUMED);
        assertThat(entry.entry().subject()).isEqualTo("ws-7");
        assertThat(entry.entry().agentLevel()).isFalse();
    }

    @Test
    void aHeldConsumptionAnswersAsItIsAndAReleasedOneIsTakenAgain() {
        ConsumedLicense held = new ConsumedLicense(7, 3, true, false, NOW.minusSeconds(60));
        assertThat(ClientRules.consume(CLIENT, license(1, 0, null, 1), true, true, Optional.of(held), NOW))
                .isEqualTo(new ClientRules.Consumed.AlreadyHeld(held));
        ConsumedLicense released = new ConsumedLicense(7, 3, true, true, NOW.minusSeconds(60));
        ClientRules.Consumed again = ClientRules.consume(CLIENT, license(1, 0, null, 0), true, true, Optional.of(released), NOW);
        assertThat(again).isInstanceOf(ClientRules.Consumed.Granted.class);
        assertThat(((Change.AppendLedger) ((ClientRules.Consumed.Granted) again).changes().get(2)).entry().agentLevel()).isTrue();
    }

    @Test
    void agentLevelNeedsTheAgentFirst() {
        assertThat(refusal(() -> ClientRules.consume(CLIENT, license(0, 0, null, 0), true, false, Optional.empty(), NOW)))
                .as("checked before the count").isEqualTo(Code.AGENT_NOT_FOUND);
        assertThat(ClientRules.consume(CLIENT, license(1, 0, null, 0), false, false, Optional.empty(), NOW))
                .as("client level reads no agent").isInstanceOf(ClientRules.Consumed.Granted.class);
    }

    @Test
    void everyCountingLicenseInUseIsNotEnoughAndEvaluationCountsOnlyBeforeItsExpiry() {
        assertThat(refusal(() -> ClientRules.consume(CLIENT, license(2, 0, null, 2), false, false, Optional.empty(), NOW)))
                .isEqualTo(Code.NOT_ENOUGH_LICENSES);
        assertThat(ClientRules.consume(CLIENT, license(2, 1, NOW.plusSeconds(1), 2), false, false, Optional.empty(), NOW))
                .isInstanceOf(ClientRules.Consumed.Granted.class);
        assertThat(refusal(() -> ClientRules.consume(CLIENT, license(2, 1, NOW, 2), false, false, Optional.empty(), NOW)))
                .as("expired at now").isEqualTo(Code.NOT_ENOUGH_LICENSES);
        assertThat(refusal(() -> ClientRules.consume(CLIENT, license(Integer.MAX_VALUE, 0, null, Integer.MAX_VALUE), false,
                false, Optional.empty(), NOW))).as("no overflow at the top").isEqualTo(Code.NOT_ENOUGH_LICENSES);
    }

    @Test
    void aRefusalNamesTheClientLicenseAndClientForTheLedger() {
        assertThatThrownBy(() -> ClientRules.consume(CLIENT, license(0, 0, null, 0), false, false, Optional.empty(), NOW))
                .isInstanceOfSatisfying(Denied.class, d -> {
                    assertThat(d.clientLicenseId()).isEqualTo(3);
                    assertThat(d.subject()).isEqualTo("ws-7");
                    assertThat(d.isRecorded()).isTrue();
                });
    }

    // release and reconfigure: a client holding a client-level platform-1 license (id 3), an
    // agent-level one of app type 5 (id 4) and a MediaAgent license (id 8)

    private static final ClientLicense CLIENT_1 = new ClientLicense(3, 1, 10, 0, "backup", 5, 0, null, 2);
    private static final ClientLicense AGENT_1 = new ClientLicense(4, 1, 20, 5, "sql", 5, 0, null, 1);
    private static final ClientLicense MEDIA = new ClientLicense(8, 2, 30, 0, "media", 5, 0, null, 1);
    private static final Instant BEFORE = NOW.minusSeconds(3600);

    private static ConsumedLicense consumption(ClientLicense l, boolean agentLevel, boolean released) {
        return new ConsumedLicense(7, l.id(), agentLevel, released, BEFORE);
    }

    private static ClientRules.Holdings holdings(Set<Integer> agents, ConsumedLicense... consumptions) {
        return new ClientRules.Holdings(CLIENT, List.of(consumptions),
                Map.of(3L, CLIENT_1, 4L, AGENT_1, 8L, MEDIA), agents);
    }

    private static ClientLicensesRequest request(Boolean clientLevel, LicenseSelector... entries) {
        return new ClientLicensesRequest(clientLevel, ClientRef.id(7), List.of(entries));
    }

    private static List<LedgerEntry> ledger(Decision<List<HeldLicense>> d) {
        return d.changes().stream().filter(c -> c instanceof Change.AppendLedger)
                .map(c -> ((Change.AppendLedger) c).entry()).toList();
    }

    @Test
    void releaseWritesTheConsumptionTheCountAndTheEntryPerReleaseMediaAgentFirst() {
        ClientRules.Holdings h = holdings(Set.of(), consumption(CLIENT_1, false, false), consumption(MEDIA, false, false));
        Decision<List<HeldLicense>> d = ClientRules.release(h, request(null, LicenseSelector.everyLicense(1),
                LicenseSelector.everyLicense(2)), NOW);
        assertThat(d.result()).containsExactly(new HeldLicense(2, 30, 0, "media", false, BEFORE),
                new HeldLicense(1, 10, 0, "backup", false, BEFORE));
        assertThat(d.changes()).containsExactly(
                Change.putConsumption(new ConsumedLicense(7, 8, false, true, NOW)),
                Change.putClientLicense(MEDIA.withUsed(0)),
                d.changes().get(2),
                Change.putConsumption(new ConsumedLicense(7, 3, false, true, NOW)),
                Change.putClientLicense(CLIENT_1.withUsed(1)),
                d.changes().get(5));
        assertThat(ledger(d)).extracting(LedgerEntry::event).containsExactly(LedgerEvent.CLIENT_RELEASED, LedgerEvent.CLIENT_RELEASED);
        assertThat(ledger(d)).extracting(LedgerEntry::clientLicenseId).containsExactly(8L, 3L);
        assertThat(ledger(d)).allSatisfy(e -> {
            assertThat(e.subject()).isEqualTo("ws-7");
            assertThat(e.at()).isEqualTo(NOW);
            assertThat(e.code()).isEqualTo(Code.OK);
        });
    }

    @Test
    void twoReleasesOfOneLicenseCountDownFromTheLoadedCount() {
        ClientRules.Holdings h = holdings(Set.of(5), consumption(AGENT_1, false, false), consumption(AGENT_1, true, false));
        Decision<List<HeldLicense>> d = ClientRules.release(h.withLicenses(Map.of(4L, AGENT_1.withUsed(2))),
                request(null, new LicenseSelector(1, 20, 0, "SQL")), NOW);
        assertThat(d.changes()).filteredOn(c -> c instanceof Change.PutClientLicense)
                .extracting(c -> ((Change.PutClientLicense) c).clientLicense().used()).containsExactly(1, 0);
        assertThat(ledger(d)).extracting(LedgerEntry::agentLevel).containsExactly(false, true);
    }

    @Test
    void releaseAnswersAgentNotFoundThenLicenseNotConsumedThenMediaAgentLicensesHeld() {
        ClientRules.Holdings h = holdings(Set.of(), consumption(CLIENT_1, false, false), consumption(AGENT_1, true, false),
                consumption(MEDIA, false, false));
        assertThat(refusal(() -> ClientRules.release(h, request(false, new LicenseSelector(1, 0, 5, null)), NOW)))
                .as("agent level, no agent of app type 5").isEqualTo(Code.AGENT_NOT_FOUND);
        assertThat(refusal(() -> ClientRules.licensesToLock(h, request(false, new LicenseSelector(1, 0, 5, null)), true)))
                .as("answered before the licenses are locked").isEqualTo(Code.AGENT_NOT_FOUND);
        assertThat(refusal(() -> ClientRules.release(h, request(null, LicenseSelector.everyLicense(1),
                new LicenseSelector(1, 99, 0, null)), NOW))).as("one entry matches nothing").isEqualTo(Code.LICENSE_NOT_CONSUMED);
        assertThat(refusal(() -> ClientRules.release(h, request(null, new LicenseSelector(1, 10, 0, null)), NOW)))
                .as("a MediaAgent license stays held").isEqualTo(Code.MEDIA_AGENT_LICENSES_HELD);
        ClientRules.Holdings released = holdings(Set.of(), consumption(CLIENT_1, false, true));
        assertThat(refusal(() -> ClientRules.release(released, request(null, LicenseSelector.everyLicense(1)), NOW)))
                .as("released already").isEqualTo(Code.LICENSE_NOT_CONSUMED);
        assertThat(ClientRules.release(holdings(Set.of(5), consumption(AGENT_1, true, false)),
                request(false, new LicenseSelector(1, 0, 5, null)), NOW).result()).hasSize(1);
    }

    @Test
    void licensesToLockAreTheSelectedOnesAscending() {
        ClientRules.Holdings h = holdings(Set.of(), consumption(MEDIA, false, false), consumption(CLIENT_1, false, false),
                consumption(AGENT_1, true, true));
        assertThat(ClientRules.licensesToLock(h, request(null, LicenseSelector.everyLicense(2), LicenseSelector.everyLicense(1)), true))
                .containsExactly(3L, 8L);
        assertThat(ClientRules.licensesToLock(h, request(null, LicenseSelector.everyLicense(1)), false)).containsExactly(4L);
    }

    @Test
    void reconfigureHoldsAgainWithOneEntryEachThenTheCounts() {
        ClientRules.Holdings h = holdings(Set.of(5), consumption(CLIENT_1, false, true), consumption(AGENT_1, true, true));
        Decision<List<HeldLicense>> d = ClientRules.reconfigure(h, request(null, LicenseSelector.everyLicense(1)), NOW);
        assertThat(d.result()).containsExactly(new HeldLicense(1, 10, 0, "backup", false, NOW),
                new HeldLicense(1, 20, 5, "sql", true, NOW));
        assertThat(d.changes()).containsExactly(
                Change.putConsumption(new ConsumedLicense(7, 3, false, false, NOW)), d.changes().get(1),
                Change.putConsumption(new ConsumedLicense(7, 4, true, false, NOW)), d.changes().get(3),
                Change.putClientLicense(CLIENT_1.withUsed(3)), Change.putClientLicense(AGENT_1.withUsed(2)));
        assertThat(ledger(d)).extracting(LedgerEntry::event).containsOnly(LedgerEvent.RECONFIGURED);
        assertThat(ledger(d)).extracting(LedgerEntry::agentLevel).containsExactly(false, true);
    }

    @Test
    void reconfigureAnswersEveryCodeInItsOrder() {
        ClientRules.Holdings noAgent = holdings(Set.of(), consumption(CLIENT_1, false, true), consumption(AGENT_1, true, true));
        assertThat(refusal(() -> ClientRules.reconfigure(noAgent, request(false, new LicenseSelector(1, 0, 5, null)), NOW)))
                .as("agent-level request").isEqualTo(Code.AGENT_NOT_FOUND);
        assertThat(refusal(() -> ClientRules.reconfigure(noAgent, request(null, LicenseSelector.everyLicense(1)), NOW)))
                .as("a selected agent-level consumption whose agent is gone").isEqualTo(Code.AGENT_NOT_FOUND);
        assertThat(refusal(() -> ClientRules.reconfigure(noAgent, request(null, LicenseSelector.everyLicense(2)), NOW)))
                .isEqualTo(Code.LICENSE_NOT_RELEASED);
        ClientRules.Holdings held = holdings(Set.of(), consumption(CLIENT_1, false, false));
        assertThat(refusal(() -> ClientRules.reconfigure(held, request(null, LicenseSelector.everyLicense(1)), NOW)))
                .as("held, not released").isEqualTo(Code.LICENSE_NOT_RELEASED);
        ClientRules.Holdings full = holdings(Set.of(), consumption(CLIENT_1, false, true))
                .withLicenses(Map.of(3L, CLIENT_1.withUsed(5)));
        assertThatThrownBy(() -> ClientRules.reconfigure(full, request(null, LicenseSelector.everyLicense(1)), NOW))
                .isInstanceOfSatisfying(Denied.class, d -> {
                    assertThat(d.code()).isEqualTo(Code.NOT_ENOUGH_LICENSES);
                    assertThat(d.clientLicenseId()).isEqualTo(3);
                });
        ClientRules.Holdings twoOfOne = holdings(Set.of(5), consumption(AGENT_1, false, true), consumption(AGENT_1, true, true))
                .withLicenses(Map.of(4L, AGENT_1.withUsed(4)));
        assertThat(refusal(() -> ClientRules.reconfigure(twoOfOne, request(null, LicenseSelector.everyLicense(1)), NOW)))
                .as("room for one of the two: all or nothing").isEqualTo(Code.NOT_ENOUGH_LICENSES);
    }
}
