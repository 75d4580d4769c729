package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.clients.UsageSummary;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Consume, list, release (by id or name, client- or agent-level, wildcard, MediaAgent first,
 * all-or-nothing), reconfigure, evaluation counts and the usage summary.
 */
public abstract class ClientLicenseContract extends ContractBase {

    static final String FS_NAME = "Server File System - Windows File System";

    Client c1;
    Client c2;
    Client c3;
    ClientLicense fs;
    ClientLicense sql;
    ClientLicense access;
    ClientLicense ma;
    ClientLicense disk;

    @BeforeEach
    void catalog() {
        c1 = client("client001");
        c2 = client("client002");
        c3 = client("client003");
        agent(c1, 33, "Windows File System");
        agent(c1, 1002, "MediaAgent Management");
        agent(c2, 33, "Windows File System");
        fs = clientLicense(1, 1, 33, FS_NAME, 3);
        sql = clientLicense(1, 5, 81, "SQL Server", 2);
        access = clientLicense(1, 2, 0, "Client Access", 5);
        ma = clientLicense(2, 11, 1002, "MediaAgent", 2);
        disk = clientLicense(2, 84, 1020, "Disk Library", 1);
    }

    private HeldLicense line(ClientLicense l, boolean agentLevel, Instant at) {
        return new HeldLicense(l.platformType(), l.licenseType(), l.appType(), l.licenseName(), agentLevel, at);
    }

    @Test
    void consumesAtClientAndAgentLevelIdempotently() {
        assertThat(consume(c1, fs, false)).isEqualTo(line(fs, false, START));
        clock.advance(Duration.ofMinutes(1));
        assertThat(consume(c1, fs, false)).as("consuming again returns the held line").isEqualTo(line(fs, false, START));
        assertThat(usage(fs).used()).isEqualTo(1);
        assertThat(consume(c1, fs, true)).isEqualTo(line(fs, true, START.plusSeconds(60)));
        assertThat(usage(fs).used()).as("client- and agent-level are two consumptions").isEqualTo(2);
        assertThat(held(c1)).containsExactly(line(fs, false, START), line(fs, true, START.plusSeconds(60)));
        assertThat(ledger(LedgerEvent.CONSUMED)).hasSize(2);
        assertThat(ledger(LedgerEvent.CONSUMED)).extracting(LedgerEntry::subject).containsOnly("client001");
        assertThat(ledger(LedgerEvent.CONSUMED)).extracting(LedgerEntry::clientLicenseId).containsOnly(fs.id());
        // a client-level-only license is consumed by the client
        consume(c2, access, false);
        assertThat(held(c2)).containsExactly(line(access, false, START.plusSeconds(60)));
    }

    @Test
    void agentLevelConsumptionNeedsTheAgent() {
        fails(tryConsume(c2, sql, true), Code.AGENT_NOT_FOUND);
        fails(tryConsume(c3, fs, true), Code.AGENT_NOT_FOUND);
        fails(tryConsume(c1, access, true), Code.MISSING_PARAMETERS);
        assertThat(consume(c2, fs, true).agentLevel()).isTrue();
        assertThat(consume(c2, sql, false).agentLevel()).as("the client itself needs no agent").isFalse();
        agent(c2, 81, "SQL Server");
        assertThat(consume(c2, sql, true).agentLevel()).isTrue();
    }

    @Test
    void consumeRefusesUnknownsAndBadInput() {
        fails(licensor.clients().consume(null), Code.MISSING_PARAMETERS);
        fails(licensor.clients().consume(new ConsumeRequest(null, 1, 1, 33, false)), Code.MISSING_PARAMETERS);
        fails(licensor.clients().consume(new ConsumeRequest(ClientRef.name("ghost"), 1, 1, 33, false)), Code.CLIENT_NOT_FOUND);
        fails(licensor.clients().consume(new ConsumeRequest(ClientRef.id(999_999), 1, 1, 33, false)), Code.CLIENT_NOT_FOUND);
        fails(licensor.clients().consume(new ConsumeRequest(ClientRef.id(c1.id()), 1, 99, 33, false)),
                Code.CLIENT_LICENSE_NOT_FOUND);
        fails(licensor.clients().consume(new ConsumeRequest(ClientRef.id(c1.id()), 3, 1, 33, false)), Code.INVALID_REQUEST);
        fails(licensor.clients().consume(new ConsumeRequest(ClientRef.id(c1.id()), 1, 0, 33, false)), Code.INVALID_REQUEST);
        fails(licensor.clients().consume(new ConsumeRequest(ClientRef.id(c1.id()), 1, 1, -33, false)), Code.INVALID_REQUEST);
        fails(licensor.clients().consume(new ConsumeRequest(ClientRef.id(0), 1, 1, 33, false)), Code.INVALID_REQUEST);
        fails(licensor.clients().consume(new ConsumeRequest(ClientRef.name("x\u0000"), 1, 1, 33, false)), Code.INVALID_REQUEST);
        assertThat(usage(fs).used()).isZero();
        assertThat(ledgerWithoutDefinitions()).isEmpty();
    }

    @Test
    void consumeStopsAtCapacityAndRecordsTheDenial() {
        consume(c1, disk, false);
        Outcome<HeldLicense> refused = tryConsume(c2, disk, false);
        fails(refused, Code.NOT_ENOUGH_LICENSES);
        List<LedgerEntry> denied = ledger(LedgerEvent.DENIED);
        assertThat(denied).hasSize(1);
        assertThat(denied.get(0).code()).isEqualTo(Code.NOT_ENOUGH_LICENSES);
        assertThat(denied.get(0).clientLicenseId()).isEqualTo(disk.id());
        assertThat(denied.get(0).subject()).isEqualTo("client002");
        assertThat(usage(disk).used()).isEqualTo(1);
        assertThat(held(c2)).isEmpty();
    }

    @Test
    void listsWhatAClientHoldsByIdOrName() {
        consume(c1, ma, true);
        consume(c1, sql, false);
        consume(c1, fs, true);
        consume(c1, fs, false);
        consume(c1, access, false);
        List<HeldLicense> lines = held(c1);
        assertThat(lines).containsExactly(line(fs, false, START), line(fs, true, START), line(access, false, START),
                line(sql, false, START), line(ma, true, START));
        assertThat(ok(licensor.clients().consumed(ClientRef.name("client001")))).isEqualTo(lines);
        assertThat(held(c2)).isEmpty();
        fails(licensor.clients().consumed(ClientRef.name("ghost")), Code.CLIENT_NOT_FOUND);
        fails(licensor.clients().consumed(new ClientRef(c1.id(), "client002")), Code.CLIENT_NOT_FOUND);
        fails(licensor.clients().consumed(null), Code.MISSING_PARAMETERS);
    }

    @Test
    void releasesByIdOrByNameButNotByAMismatch() {
        consume(c1, fs, false);
        rejected("id and name of two clients", Code.CLIENT_NOT_FOUND, () -> licensor.clients().release(
                new ClientLicensesRequest(true, new ClientRef(c1.id(), "client002"), List.of(entry(fs)))));
        rejected("unknown name", Code.CLIENT_NOT_FOUND, () -> licensor.clients().release(
                new ClientLicensesRequest(true, ClientRef.name("ghost"), List.of(entry(fs)))));
        Instant t = clock.advance(Duration.ofMinutes(1));
        assertThat(ok(licensor.clients().release(
                new ClientLicensesRequest(true, ClientRef.id(c1.id()), List.of(entry(fs))))))
                .containsExactly(line(fs, false, START));
        assertThat(held(c1)).isEmpty();
        assertThat(usage(fs).used()).isZero();
        assertThat(ledger(LedgerEvent.CLIENT_RELEASED)).extracting(LedgerEntry::at).containsExactly(t);

        consume(c1, fs, false);
        ok(licensor.clients().release(new ClientLicensesRequest(true, ClientRef.name("client001"), List.of(entry(fs)))));
        consume(c1, fs, false);
        ok(licensor.clients().release(new ClientLicensesRequest(true, new ClientRef(c1.id(), "client001"), List.of(entry(fs)))));
        assertThat(held(c1)).isEmpty();
        assertThat(ledger(LedgerEvent.CLIENT_RELEASED)).hasSize(3);
    }

    @Test
    void clientLevelReleaseCoversAgentLevelConsumptions() {
        consume(c1, fs, false);
        consume(c1, fs, true);
        consume(c1, sql, false);
        List<HeldLicense> released = ok(licensor.clients().release(request(true, c1, entry(fs))));
        assertThat(released).containsExactlyInAnyOrder(line(fs, false, START), line(fs, true, START));
        assertThat(held(c1)).containsExactly(line(sql, false, START));
        assertThat(usage(fs).used()).isZero();
    }

    @Test
    void agentLevelReleaseCoversOnlyTheAgent() {
        consume(c1, fs, false);
        consume(c1, fs, true);
        consume(c2, fs, true);
        List<HeldLicense> released = ok(licensor.clients().release(
                request(false, c1, new LicenseSelector(1, 1, 33, null))));
        assertThat(released).containsExactly(line(fs, true, START));
        assertThat(held(c1)).containsExactly(line(fs, false, START));
        assertThat(held(c2)).containsExactly(line(fs, true, START));
        assertThat(usage(fs).used()).isEqualTo(2);
        rejected("agent-level with appType 0", Code.MISSING_PARAMETERS,
                () -> licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 0, null))));
        rejected("agent-level for a missing agent", Code.AGENT_NOT_FOUND,
                () -> licensor.clients().release(request(false, c1, new LicenseSelector(1, 5, 81, null))));
        rejected("agent-level for a client-level consumption", Code.LICENSE_NOT_CONSUMED,
                () -> licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 33, null))));
    }

    @Test
    void withoutALevelAnEntryMatchesWhateverLevelTheLicenseWasConsumedAt() {
        // The vendor's SDK never sends isClientLevelOperation: null means "either level".
        consume(c1, fs, false);
        consume(c1, sql, false);
        consume(c2, fs, true);
        List<HeldLicense> byName = ok(licensor.clients().release(new ClientLicensesRequest(null, ClientRef.id(c1.id()),
                List.of(new LicenseSelector(1, 0, 33, FS_NAME)))));
        assertThat(byName).containsExactly(line(fs, false, START));
        assertThat(ok(licensor.clients().release(new ClientLicensesRequest(null, ClientRef.id(c2.id()),
                List.of(new LicenseSelector(1, 0, 0, FS_NAME)))))).containsExactly(line(fs, true, START));
        assertThat(ok(licensor.clients().release(new ClientLicensesRequest(null, ClientRef.id(c1.id()),
                List.of(LicenseSelector.everyLicense(1)))))).containsExactly(line(sql, false, START));
        assertThat(held(c1)).isEmpty();
        assertThat(held(c2)).isEmpty();
    }

    @Test
    void theAllZeroEntryReleasesEveryLicenseOnItsPlatform() {
        consume(c1, fs, false);
        consume(c1, fs, true);
        consume(c1, sql, false);
        consume(c1, access, false);
        consume(c2, fs, false);
        List<HeldLicense> released = ok(licensor.clients().release(request(true, c1, LicenseSelector.everyLicense(1))));
        assertThat(released).hasSize(4);
        assertThat(held(c1)).isEmpty();
        assertThat(held(c2)).hasSize(1);
        assertThat(usage(fs).used()).isEqualTo(1);
        rejected("wildcard with nothing held", Code.LICENSE_NOT_CONSUMED,
                () -> licensor.clients().release(request(true, c1, LicenseSelector.everyLicense(1))));
        rejected("wildcard of the other platform", Code.LICENSE_NOT_CONSUMED,
                () -> licensor.clients().release(request(true, c2, LicenseSelector.everyLicense(2))));
    }

    @Test
    void entriesMatchByLicenseTypeAppTypeOrName() {
        consume(c1, fs, false);
        consume(c1, sql, false);
        consume(c1, access, false);
        assertThat(ok(licensor.clients().release(request(true, c1, new LicenseSelector(1, 0, 0, "sql server")))))
                .containsExactly(line(sql, false, START));
        assertThat(ok(licensor.clients().release(request(true, c1, new LicenseSelector(1, 2, 0, "")))))
                .containsExactly(line(access, false, START));
        rejected("wrong name", Code.LICENSE_NOT_CONSUMED,
                () -> licensor.clients().release(request(true, c1, new LicenseSelector(1, 1, 33, "Linux File System"))));
        rejected("wrong app type", Code.LICENSE_NOT_CONSUMED,
                () -> licensor.clients().release(request(true, c1, new LicenseSelector(1, 1, 29, null))));
        assertThat(ok(licensor.clients().release(request(true, c1, new LicenseSelector(1, 0, 33, null)))))
                .containsExactly(line(fs, false, START));
    }

    @Test
    void entriesSelectingTheSameLicenseReleaseItOnce() {
        consume(c1, fs, false);
        consume(c1, fs, true);
        consume(c1, sql, false);
        consume(c2, fs, false);
        List<HeldLicense> released = ok(licensor.clients().release(
                request(true, c1, LicenseSelector.everyLicense(1), entry(fs), entry(fs), new LicenseSelector(1, 0, 33, null))));
        assertThat(released).containsExactlyInAnyOrder(line(fs, false, START), line(fs, true, START),
                line(sql, false, START));
        assertThat(usage(fs).used()).isEqualTo(1);
        assertThat(usage(sql).used()).isZero();
        assertThat(ledger(LedgerEvent.CLIENT_RELEASED)).hasSize(3);
        List<HeldLicense> again = ok(licensor.clients().reconfigure(
                request(true, c1, entry(fs), LicenseSelector.everyLicense(1))));
        assertThat(again).hasSize(3);
        assertThat(usage(fs).used()).isEqualTo(3);
        assertThat(usage(sql).used()).isEqualTo(1);
        assertThat(ledger(LedgerEvent.RECONFIGURED)).hasSize(3);
    }

    @Test
    void platformOneLicensesGoOnlyAfterTheMediaAgentLicenses() {
        consume(c1, fs, false);
        consume(c1, ma, true);
        rejected("platform 1 while platform 2 is kept", Code.MEDIA_AGENT_LICENSES_HELD,
                () -> licensor.clients().release(request(true, c1, entry(fs))));
        rejected("wildcard of platform 1 while platform 2 is kept", Code.MEDIA_AGENT_LICENSES_HELD,
                () -> licensor.clients().release(request(true, c1, LicenseSelector.everyLicense(1))));
        consume(c1, fs, true);
        rejected("agent-level platform 1 while platform 2 is kept", Code.MEDIA_AGENT_LICENSES_HELD,
                () -> licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 33, null))));
        ok(licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 33, null),
                new LicenseSelector(2, 11, 1002, null))));
        assertThat(ledger(LedgerEvent.DENIED)).extracting(LedgerEntry::subject).containsOnly("client001");
        consume(c1, ma, true);
        // both in one request: allowed, MediaAgent first
        List<HeldLicense> both = ok(licensor.clients().release(request(true, c1, entry(fs), entry(ma))));
        assertThat(both).containsExactlyInAnyOrder(line(fs, false, START), line(ma, true, START));
        assertThat(held(c1)).isEmpty();
        // or the MediaAgent license before, in its own request
        consume(c1, fs, false);
        consume(c1, ma, false);
        ok(licensor.clients().release(request(true, c1, entry(ma))));
        assertThat(held(c1)).containsExactly(line(fs, false, START));
        ok(licensor.clients().release(request(true, c1, entry(fs))));
        assertThat(held(c1)).isEmpty();
        // another client's MediaAgent license does not hold this one back
        consume(c2, ma, false);
        consume(c1, fs, false);
        ok(licensor.clients().release(request(true, c1, entry(fs))));
    }

    @Test
    void aRequestIsAllOrNothing() {
        consume(c1, fs, false);
        consume(c1, fs, true);
        consume(c1, sql, false);
        rejected("one entry matches nothing", Code.LICENSE_NOT_CONSUMED,
                () -> licensor.clients().release(request(true, c1, entry(fs), entry(disk), entry(sql))));
        rejected("an agent-level entry names a missing agent", Code.AGENT_NOT_FOUND,
                () -> licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 33, null),
                        new LicenseSelector(1, 5, 81, null))));
        rejected("a bad entry among good ones", Code.INVALID_REQUEST,
                () -> licensor.clients().release(request(true, c1, entry(fs), new LicenseSelector(3, 0, 0, null))));
        assertThat(held(c1)).hasSize(3);
        assertThat(ok(licensor.clients().release(request(true, c1, entry(fs), entry(sql))))).hasSize(3);
    }

    @Test
    void releaseChecksTheClientThenEveryAgentThenEveryEntry() {
        consume(c1, fs, false);
        // the first entry matches nothing, the second names a missing agent: the agent is reported
        rejected("missing agent before unmatched entry", Code.AGENT_NOT_FOUND,
                () -> licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 33, null),
                        new LicenseSelector(1, 5, 81, null))));
        rejected("missing client before anything else", Code.CLIENT_NOT_FOUND,
                () -> licensor.clients().release(new ClientLicensesRequest(false, ClientRef.name("ghost"),
                        List.of(new LicenseSelector(1, 5, 81, null)))));
        rejected("bad input before the client", Code.INVALID_REQUEST,
                () -> licensor.clients().release(new ClientLicensesRequest(false, ClientRef.name("ghost"),
                        List.of(new LicenseSelector(7, 5, 81, null)))));
        consume(c1, ma, true);
        rejected("unmatched before MediaAgent-first", Code.LICENSE_NOT_CONSUMED,
                () -> licensor.clients().release(request(true, c1, entry(fs), entry(disk))));
    }

    @Test
    void refusesMalformedReleaseRequests() {
        consume(c1, fs, false);
        rejected("no request", Code.MISSING_PARAMETERS, () -> licensor.clients().release(null));
        rejected("no client", Code.MISSING_PARAMETERS,
                () -> licensor.clients().release(new ClientLicensesRequest(true, null, List.of(entry(fs)))));
        rejected("empty client", Code.MISSING_PARAMETERS,
                () -> licensor.clients().release(new ClientLicensesRequest(true, new ClientRef(null, " "), List.of(entry(fs)))));
        rejected("no entries", Code.MISSING_PARAMETERS,
                () -> licensor.clients().release(new ClientLicensesRequest(true, ClientRef.id(c1.id()), List.of())));
        rejected("null entries", Code.MISSING_PARAMETERS,
                () -> licensor.clients().release(new ClientLicensesRequest(true, ClientRef.id(c1.id()), null)));
        rejected("platform 0", Code.INVALID_REQUEST,
                () -> licensor.clients().release(request(true, c1, new LicenseSelector(0, 1, 33, null))));
        rejected("negative license type", Code.INVALID_REQUEST,
                () -> licensor.clients().release(request(true, c1, new LicenseSelector(1, -1, 33, null))));
        rejected("oversize name", Code.INVALID_REQUEST,
                () -> licensor.clients().release(request(true, c1, new LicenseSelector(1, 1, 33, "n".repeat(257)))));
        LicenseSelector[] many = new LicenseSelector[1001];
        Arrays.fill(many, entry(fs));
        rejected("too many entries", Code.INVALID_REQUEST, () -> licensor.clients().release(request(true, c1, many)));
        assertThat(held(c1)).hasSize(1);
    }

    @Test
    void reconfigureConsumesAgainWhatWasReleased() {
        consume(c1, fs, false);
        consume(c1, fs, true);
        ok(licensor.clients().release(request(true, c1, entry(fs))));
        rejected("nothing released of that kind", Code.LICENSE_NOT_RELEASED,
                () -> licensor.clients().reconfigure(request(true, c1, entry(sql))));
        Instant t = clock.advance(Duration.ofMinutes(3));
        List<HeldLicense> again = ok(licensor.clients().reconfigure(request(true, c1, entry(fs))));
        assertThat(again).containsExactlyInAnyOrder(line(fs, false, t), line(fs, true, t));
        assertThat(held(c1)).containsExactly(line(fs, false, t), line(fs, true, t));
        assertThat(usage(fs).used()).isEqualTo(2);
        assertThat(ledger(LedgerEvent.RECONFIGURED)).hasSize(2);
        rejected("reconfigure of held licenses", Code.LICENSE_NOT_RELEASED,
                () -> licensor.clients().reconfigure(request(true, c1, entry(fs))));
        // agent-level: only the agent's consumption comes back
        ok(licensor.clients().release(request(true, c1, entry(fs))));
        ok(licensor.clients().reconfigure(request(false, c1, new LicenseSelector(1, 1, 33, null))));
        assertThat(held(c1)).extracting(HeldLicense::agentLevel).containsExactly(true);
        assertThat(usage(fs).used()).isEqualTo(1);
    }

    @Test
    void reconfigureIsCheckedAgainstCapacity() {
        consume(c1, fs, false);
        consume(c1, fs, true);
        ok(licensor.clients().release(request(true, c1, entry(fs))));
        consume(c2, fs, false);
        consume(c2, fs, true);
        consume(c3, fs, false);
        assertThat(usage(fs).used()).isEqualTo(3);
        rejected("no license left", Code.NOT_ENOUGH_LICENSES,
                () -> licensor.clients().reconfigure(request(true, c1, entry(fs))));
        ok(licensor.clients().release(request(true, c3, entry(fs))));
        rejected("one left for two", Code.NOT_ENOUGH_LICENSES,
                () -> licensor.clients().reconfigure(request(true, c1, entry(fs))));
        ok(licensor.clients().release(request(false, c2, new LicenseSelector(1, 1, 33, null))));
        assertThat(ok(licensor.clients().reconfigure(request(true, c1, entry(fs))))).hasSize(2);
        assertThat(usage(fs).used()).isEqualTo(3);
        assertThat(usage(fs).available()).isZero();
    }

    @Test
    void evaluationLicensesCountUntilTheirExpiry() {
        Instant expiry = START.plus(Duration.ofDays(1));
        ClientLicense eval = ok(licensor.catalog().defineClientLicense(
                ClientLicense.draft(1, 7, 29, "Linux File System", 1, 2, expiry)));
        Client c4 = client("client004");
        consume(c1, eval, false);
        consume(c2, eval, false);
        consume(c3, eval, false);
        fails(tryConsume(c4, eval, false), Code.NOT_ENOUGH_LICENSES);
        UsageSummary u = usage(eval);
        assertThat(u.permanent()).isEqualTo(1);
        assertThat(u.evaluation()).isEqualTo(2);
        assertThat(u.evaluationExpiry()).isEqualTo(expiry);
        assertThat(u.used()).isEqualTo(3);
        assertThat(u.available()).isZero();
        ok(licensor.clients().release(request(true, c1, entry(eval))));
        clock.set(expiry.minusSeconds(1));
        assertThat(usage(eval).available()).isEqualTo(1);

        clock.set(expiry);
        assertThat(usage(eval).used()).isEqualTo(2);
        assertThat(usage(eval).available()).as("never negative").isZero();
        fails(tryConsume(c1, eval, false), Code.NOT_ENOUGH_LICENSES);
        ok(licensor.clients().release(request(true, c2, entry(eval))));
        fails(tryConsume(c4, eval, false), Code.NOT_ENOUGH_LICENSES);
        ok(licensor.clients().release(request(true, c3, entry(eval))));
        consume(c4, eval, false);
        assertThat(usage(eval).used()).isEqualTo(1);
        assertThat(usage(eval).available()).isZero();
    }

    /**
     * A seeded random walk of consumes, releases and reconfigures by three clients over a
     * platform-1 and a platform-2 license, each answer and every client's holdings compared
     * with a small model (capacity, MediaAgent first, all-or-nothing).
     */
    @Test
    void randomStepsAgreeWithAModelOfClientLicenses() {
        List<Client> clients = List.of(c1, c2, c3);
        agent(c3, 33, "Windows File System");
        agent(c2, 1002, "MediaAgent Management");
        agent(c3, 1002, "MediaAgent Management");
        List<ClientLicense> licenses = List.of(fs, ma); // capacities 3 and 2
        // model: "client/license/level" -> held (true) or released (false)
        Map<String, Boolean> model = new TreeMap<>();
        java.util.Random random = new java.util.Random(1_002L);
        Map<String, Integer> seen = new TreeMap<>();
        for (int step = 0; step < 250; step++) {
            Client c = clients.get(random.nextInt(clients.size()));
            ClientLicense l = licenses.get(random.nextInt(licenses.size()));
            boolean agentLevel = random.nextBoolean();
            String key = c.name() + "/" + l.id() + "/" + agentLevel;
            String prefix = c.name() + "/" + l.id() + "/";
            long used = model.entrySet().stream().filter(e -> e.getValue() && e.getKey().contains("/" + l.id() + "/")).count();
            int op = random.nextInt(3);
            String what = "step " + step + " op " + op + " " + key;
            Outcome<?> o;
            Code expected;
            if (op == 0) {
                o = tryConsume(c, l, agentLevel);
                expected = Boolean.TRUE.equals(model.get(key)) || used < l.permanent() ? Code.OK : Code.NOT_ENOUGH_LICENSES;
                if (expected == Code.OK) {
                    model.put(key, true);
                }
            } else if (op == 1) {
                o = licensor.clients().release(request(true, c, entry(l)));
                List<String> selected = model.entrySet().stream()
                        .filter(e -> e.getValue() && e.getKey().startsWith(prefix)).map(Map.Entry::getKey)
                        .collect(Collectors.toList());
                boolean keepsMediaAgent = model.entrySet().stream().anyMatch(e -> e.getValue()
                        && e.getKey().startsWith(c.name() + "/" + ma.id() + "/") && !selected.contains(e.getKey()));
                expected = selected.isEmpty() ? Code.LICENSE_NOT_CONSUMED
                        : l.platformType() == 1 && keepsMediaAgent ? Code.MEDIA_AGENT_LICENSES_HELD : Code.OK;
                if (expected == Code.OK) {
                    selected.forEach(k -> model.put(k, false));
                }
            } else {
                o = licensor.clients().reconfigure(request(true, c, entry(l)));
                List<String> selected = model.entrySet().stream()
                        .filter(e -> !e.getValue() && e.getKey().startsWith(prefix)).map(Map.Entry::getKey)
                        .collect(Collectors.toList());
                expected = selected.isEmpty() ? Code.LICENSE_NOT_RELEASED
                        : used + selected.size() > l.permanent() ? Code.NOT_ENOUGH_LICENSES : Code.OK;
                if (expected == Code.OK) {
                    selected.forEach(k -> model.put(k, true));
                }
            }
            seen.merge(op + " " + o.code().key(), 1, Integer::sum);
            assertThat(o.code()).as("%s (%s)", what, o.message()).isEqualTo(expected);
            for (ClientLicense each : licenses) {
                long modelUsed = model.entrySet().stream()
                        .filter(e -> e.getValue() && e.getKey().contains("/" + each.id() + "/")).count();
                assertThat(usage(each).used()).as("%s: used of %s", what, each.licenseName()).isEqualTo(modelUsed);
            }
            for (Client each : clients) {
                List<String> modelHeld = model.entrySet().stream()
                        .filter(e -> e.getValue() && e.getKey().startsWith(each.name() + "/"))
                        .map(e -> e.getKey().substring(each.name().length() + 1)).sorted().collect(Collectors.toList());
                List<String> held = held(each).stream()
                        .map(h -> (h.platformType() == 1 ? fs.id() : ma.id()) + "/" + h.agentLevel()).sorted()
                        .collect(Collectors.toList());
                assertThat(held).as("%s: held by %s", what, each.name()).isEqualTo(modelHeld);
            }
        }
        assertThat(seen.keySet()).as("answers met").contains("0 ok", "0 not_enough_licenses", "1 ok",
                "1 license_not_consumed", "1 media_agent_licenses_held", "2 ok", "2 license_not_released",
                "2 not_enough_licenses");
        List<LedgerEntry> entries = ledger();
        for (ClientLicense each : licenses) {
            assertThat(count(entries, LedgerEvent.CONSUMED, 0, each.id()) + count(entries, LedgerEvent.RECONFIGURED, 0, each.id())
                    - count(entries, LedgerEvent.CLIENT_RELEASED, 0, each.id())).isEqualTo(usage(each).used());
        }
    }

    @Test
    void theUsageSummaryShowsPurchasedUsedAvailableByClientAndByAgent() {
        consume(c1, fs, false);
        consume(c1, fs, true);
        consume(c2, fs, true);
        consume(c1, ma, true);
        consume(c2, sql, false);
        List<UsageSummary> all = licensor.clients().usage();
        assertThat(all).extracting(UsageSummary::clientLicenseId)
                .containsExactly(fs.id(), sql.id(), access.id(), ma.id(), disk.id());
        assertThat(usage(fs)).isEqualTo(new UsageSummary(fs.id(), 1, 1, 33, FS_NAME, 3, 0, null, 3, 0,
                Map.of("client001", 2, "client002", 1), Map.of("client001", 1, "client002", 1)));
        assertThat(usage(ma)).isEqualTo(new UsageSummary(ma.id(), 2, 11, 1002, "MediaAgent", 2, 0, null, 1, 1,
                Map.of("client001", 1), Map.of("client001", 1)));
        assertThat(usage(sql)).isEqualTo(new UsageSummary(sql.id(), 1, 5, 81, "SQL Server", 2, 0, null, 1, 1,
                Map.of("client002", 1), Map.of()));
        assertThat(usage(disk)).isEqualTo(new UsageSummary(disk.id(), 2, 84, 1020, "Disk Library", 1, 0, null, 0, 1,
                Map.of(), Map.of()));
        ok(licensor.clients().release(request(true, c1, LicenseSelector.everyLicense(2))));
        ok(licensor.clients().release(request(false, c1, new LicenseSelector(1, 1, 33, FS_NAME))));
        assertThat(usage(fs).byClient()).isEqualTo(Map.of("client001", 1, "client002", 1));
        assertThat(usage(fs).byAgent()).isEqualTo(Map.of("client002", 1));
        assertThat(usage(ma).byClient()).isEmpty();
        assertThat(licensor.catalog().clientLicenses()).extracting(ClientLicense::used).containsExactly(2, 1, 0, 0, 0);
    }
}
