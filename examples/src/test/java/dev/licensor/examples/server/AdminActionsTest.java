package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Admin actions over real HTTP with the admin token: each changes what it says and is in the ledger. */
class AdminActionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHECK = "/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001";
    @RegisterExtension
    final ServerFixture f = new ServerFixture();

    private HttpResponse<String> admin(String path, String token, String json) {
        return f.send(HttpRequest.newBuilder(f.uri(path)).header("Authtoken", token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> admin(String path, String json) {
        return admin(path, ServerFixture.ADMIN_TOKEN, json);
    }

    private String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("code").asText();
    }

    private List<LedgerEvent> events() {
        return f.licensor.ledger().between(ServerFixture.START.minus(Duration.ofDays(1)),
                ServerFixture.START.plus(Duration.ofDays(1)), 1000).stream().map(LedgerEntry::event).toList();
    }

    @Test
    void forceReleaseBlacklistAndSwitchesAreAppliedAndAudited() throws Exception {
        long id = f.pool("cad-pro/CADPRO-FLOAT-5SEAT");
        assertThat(f.lsGet(CHECK).statusCode()).isEqualTo(200);
        assertThat(f.licensor.seats().holders(id).orElseThrow()).hasSize(1);

        // Only the admin token may act; a Commvault token is not enough.
        assertThat(admin("/admin/licenses/" + id + "/force-release", "QSDK " + ServerFixture.CV_TOKEN,
                "{\"hardware_id\":\"ws-0001\"}").statusCode()).isEqualTo(401);
        assertThat(admin("/admin/licenses/" + id + "/force-release", "{\"hardware_id\":\"ws-0001\"}").statusCode()).isEqualTo(200);
        assertThat(f.licensor.seats().holders(id).orElseThrow()).isEmpty();
        assertThat(code(admin("/admin/licenses/" + id + "/force-release", "{\"hardware_id\":\"ws-0001\"}")))
                .isEqualTo("device_not_found");

        assertThat(admin("/admin/products/cad-pro/blacklist", "{\"hardware_id\":\"ws-0001\"}").statusCode()).isEqualTo(200);
        assertThat(code(f.lsGet(CHECK))).isEqualTo("blacklisted");
        assertThat(admin("/admin/products/cad-pro/unblacklist", "{\"hardware_id\":\"ws-0001\"}").statusCode()).isEqualTo(200);
        assertThat(f.lsGet(CHECK).statusCode()).isEqualTo(200);

        assertThat(admin("/admin/licenses/" + id + "/disable", "").statusCode()).isEqualTo(200);
        assertThat(code(f.lsGet(CHECK))).isEqualTo("license_not_enabled");
        assertThat(admin("/admin/licenses/" + id + "/enable", "").statusCode()).isEqualTo(200);
        assertThat(admin("/admin/licenses/" + id + "/deactivate", "").statusCode()).isEqualTo(200);
        assertThat(code(f.lsGet(CHECK))).isEqualTo("license_not_active");
        assertThat(admin("/admin/licenses/" + id + "/activate", "").statusCode()).isEqualTo(200);
        assertThat(f.lsGet(CHECK).statusCode()).isEqualTo(200);

        assertThat(events()).contains(LedgerEvent.FORCE_RELEASED, LedgerEvent.BLACKLISTED, LedgerEvent.UNBLACKLISTED);
        assertThat(events().stream().filter(e -> e == LedgerEvent.SWITCHED)).hasSize(4);

        // Holders list under the license.
        HttpResponse<String> holders = f.adminGet("/admin/licenses/" + id + "/holders");
        assertThat(JSON.readTree(holders.body()).get("in_use").asInt()).isEqualTo(1);
    }

    @Test
    void theLedgerNamesTheAdminTokenThatMadeEachChangeAndNoDevice() throws Exception {
        long id = f.pool("cad-pro/CADPRO-FLOAT-5SEAT");
        assertThat(f.lsGet(CHECK).statusCode()).isEqualTo(200);
        assertThat(admin("/admin/licenses/" + id + "/force-release", "{\"hardware_id\":\"ws-0001\"}").statusCode())
                .isEqualTo(200);
        assertThat(admin("/admin/licenses/" + id + "/suspend", "").statusCode()).isEqualTo(200); // the catalog routes too

        String actor = dev.licensor.examples.server.internal.AdminApi.actor(ServerFixture.ADMIN_TOKEN).name();
        assertThat(actor).matches("admin-token:[0-9a-f]{12}").doesNotContain(ServerFixture.ADMIN_TOKEN);
        List<LedgerEntry> entries = f.licensor.ledger().between(ServerFixture.START.minus(Duration.ofDays(1)),
                ServerFixture.START.plus(Duration.ofDays(1)), 1000);
        assertThat(entries).filteredOn(e -> e.event() == LedgerEvent.FORCE_RELEASED || e.event() == LedgerEvent.SUSPENDED)
                .hasSize(2).allMatch(e -> e.actor().equals(actor));
        assertThat(entries).filteredOn(e -> e.event() == LedgerEvent.GRANTED).isNotEmpty().allMatch(e -> e.actor().isEmpty());

        // and the ledger view says so
        com.fasterxml.jackson.databind.JsonNode view = JSON.readTree(f.adminGet("/admin/ledger").body());
        List<String> actors = new java.util.ArrayList<>();
        view.get("entries").forEach(e -> {
            if (e.get("event").asText().equals("SUSPENDED")) {
                actors.add(e.get("actor").asText());
            }
        });
        assertThat(actors).containsExactly(actor);
    }

    @Test
    void badAdminCallsAreRefusedClearly() throws Exception {
        assertThat(code(admin("/admin/licenses/x/disable", ""))).isEqualTo("malformed_url");
        assertThat(code(admin("/admin/licenses/999/disable", ""))).isEqualTo("license_not_found");
        assertThat(code(admin("/admin/products/cad-pro/blacklist", "{}"))).isEqualTo("malformed_body");
        assertThat(code(admin("/admin/products/nope/blacklist", "{\"hardware_id\":\"h\"}"))).isEqualTo("unknown_product");
        HttpResponse<String> get = f.adminGet("/admin/licenses/1/disable");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }
}
