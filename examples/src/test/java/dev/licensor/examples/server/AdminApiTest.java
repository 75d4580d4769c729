package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The read-only admin views over real HTTP. */
class AdminApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    final ServerFixture f = new ServerFixture();

    @Test
    void poolsShowWhoHoldsWhichSeatUntilWhen() throws Exception {
        f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0002");

        JsonNode pools = JSON.readTree(f.adminGet("/admin/pools").body()).get("pools");
        assertThat(pools).hasSize(4);
        JsonNode cad = pools.get(0);
        assertThat(cad.get("name").asText()).isEqualTo("cad-pro/CADPRO-FLOAT-5SEAT");
        assertThat(cad.get("in_use").asInt()).isEqualTo(1);
        assertThat(cad.get("holders").get(0).get("hardware_id").asText()).isEqualTo("ws-0002");
        assertThat(cad.get("holders").get(0).get("expires_at").asText()).isEqualTo("2026-11-23T09:30:00Z");

        long id = f.pool("cad-pro/CADPRO-FLOAT-5SEAT");
        JsonNode one = JSON.readTree(f.adminGet("/admin/pools/" + id).body());
        assertThat(one.get("in_use").asInt()).isEqualTo(1);

        // The lease lapses by time alone: the view shows it gone with no call in between.
        f.clock.set(ServerFixture.START.plus(Duration.ofMinutes(31)));
        assertThat(JSON.readTree(f.adminGet("/admin/pools/" + id).body()).get("in_use").asInt()).isZero();

        assertThat(f.adminGet("/admin/pools/999").statusCode()).isEqualTo(400);
        assertThat(f.adminGet("/admin/pools/x").statusCode()).isEqualTo(400);
    }

    @Test
    void usageSummarizesClientLicenses() throws Exception {
        JsonNode licenses = JSON.readTree(f.adminGet("/admin/usage").body()).get("licenses");
        JsonNode windows = licenses.get(0);
        assertThat(windows.get("licenseName").asText()).isEqualTo("Server File System - Windows File System");
        assertThat(windows.get("permanent").asInt()).isEqualTo(3);
        assertThat(windows.get("evaluation").asInt()).isEqualTo(2);
        assertThat(windows.get("used").asInt()).isEqualTo(2);
        assertThat(windows.get("available").asInt()).isEqualTo(3);
        assertThat(windows.get("byClient").get("client001").asInt()).isEqualTo(1);
        assertThat(windows.get("byAgent").has("client003")).isFalse();
    }

    @Test
    void ledgerByTimeRange() throws Exception {
        f.clock.set(ServerFixture.START.plus(Duration.ofHours(1)));
        f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001");

        JsonNode all = JSON.readTree(f.adminGet("/admin/ledger").body());
        JsonNode late = JSON.readTree(f.adminGet("/admin/ledger?from=2026-11-23T09:30:00Z&to=2026-11-23T11:00:00Z").body());

        assertThat(all.get("count").asInt()).isGreaterThan(1);
        assertThat(late.get("count").asInt()).isEqualTo(1);
        assertThat(late.get("entries").get(0).get("event").asText()).isEqualTo("GRANTED");
        assertThat(late.get("entries").get(0).get("subject").asText()).isEqualTo("ws-0001");
        assertThat(JSON.readTree(f.adminGet("/admin/ledger?limit=2").body()).get("count").asInt()).isEqualTo(2);
        assertThat(f.adminGet("/admin/ledger?from=yesterday").statusCode()).isEqualTo(400);
        assertThat(f.adminGet("/admin/ledger?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void adminViewsNeedAnAdminTokenAndAreReadOnly() throws Exception {
        HttpResponse<String> none = f.send(HttpRequest.newBuilder(f.uri("/admin/pools")).GET());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).get("code").asText()).isEqualTo("unauthorized");
        HttpResponse<String> commvaultToken = f.send(HttpRequest.newBuilder(f.uri("/admin/pools"))
                .header("Authtoken", ServerFixture.CV_TOKEN).GET());
        assertThat(commvaultToken.statusCode()).isEqualTo(401);
        HttpResponse<String> post = f.send(HttpRequest.newBuilder(f.uri("/admin/pools"))
                .header("Authtoken", ServerFixture.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(f.adminGet("/admin/nothing").statusCode()).isEqualTo(404);
    }
}
