package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.Change;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ClientRules#consume} on plain values, no store: every code it can return. */
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
}
