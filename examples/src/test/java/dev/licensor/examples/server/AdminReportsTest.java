package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Holder;
import dev.licensor.policy.GroupKind;
import dev.licensor.policy.LeasingStrategy;
import dev.licensor.policy.Overdraft;
import dev.licensor.policy.PolicyRule;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.report.GroupBucketUsage;
import dev.licensor.report.GroupUsage;
import dev.licensor.replay.WhatIf;
import dev.licensor.replay.WhatIfReport;
import dev.licensor.replay.WhatIfRequest;
import dev.licensor.report.Bucket;
import dev.licensor.report.CapacityReports;
import dev.licensor.report.UtilisationReport;
import dev.licensor.report.UtilisationRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The capacity reports over real HTTP, as JSON and CSV, checked against the report API itself;
 * every exchange is also checked against the OpenAPI document by the fixture.
 */
class AdminReportsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "cad-pro/CADPRO-FLOAT-5SEAT";
    private static final String RANGE = "from=2026-11-23T09:00:00Z&to=2026-11-23T12:00:00Z";
    private static final Instant FROM = Instant.parse("2026-11-23T09:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-23T12:00:00Z");

    @RegisterExtension
    final ServerFixture f = new ServerFixture();

    /** Six workstations at five seats within a quarter of an hour: the sixth is refused once. */
    private long busyMorning() {
        for (int i = 1; i <= 6; i++) {
            DeviceRequest r = DeviceRequest.byKey("cad-pro", "CADPRO-FLOAT-5SEAT", "ws-10" + i);
            f.licensor.floating().activate(r);
            f.clock.advance(Duration.ofMinutes(2));
            f.licensor.floating().check(r);
        }
        f.clock.advance(Duration.ofMinutes(5));
        f.licensor.floating().release(DeviceRequest.byKey("cad-pro", "CADPRO-FLOAT-5SEAT", "ws-101"));
        return f.pool(POOL);
    }

    @Test
    void utilisationAsJsonAndCsvIsTheReportApis() throws Exception {
        long id = busyMorning();
        UtilisationReport api = CapacityReports.of(f.licensor).utilisation(new UtilisationRequest(id, FROM, TO, Bucket.HOUR, 10));
        assertThat(api.peak()).isEqualTo(5);
        assertThat(api.denials()).isEqualTo(1);

        HttpResponse<String> json = f.adminGet("/admin/pools/" + id + "/utilisation?" + RANGE);
        assertThat(json.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(json.body());
        assertThat(body.get("peak").asInt()).isEqualTo(5);
        assertThat(body.get("denials").asLong()).isEqualTo(1);
        assertThat(body.get("seats").asInt()).isEqualTo(5);
        assertThat(body.get("buckets")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode b = body.get("buckets").get(i);
            assertThat(b.get("start").asText()).isEqualTo(api.buckets().get(i).start().toString());
            assertThat(b.get("peak").asInt()).isEqualTo(api.buckets().get(i).peak());
            assertThat(b.get("p95").asInt()).isEqualTo(api.buckets().get(i).p95());
            assertThat(b.get("at_limit_seconds").asDouble()).isEqualTo(api.buckets().get(i).atLimit().toSeconds());
            assertThat(b.get("denials").asLong()).isEqualTo(api.buckets().get(i).denials());
        }
        assertThat(body.get("top_holders").get(0).get("seat_key").asText()).isEqualTo(api.topHolders().get(0).seatKey());

        HttpResponse<String> csv = f.adminGet("/admin/pools/" + id + "/utilisation?" + RANGE + "&format=csv&bucket=day");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).isEqualTo("text/csv; charset=utf-8");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("bucket_start,length_seconds,peak,p50,p95,at_limit_seconds,granted,denials,queued,borrowed");
        // idle after 09:40 (the last seats lapse by time, never swept): p50 0, p95 4, full 09:10-09:17
        assertThat(lines.get(1)).isEqualTo("2026-11-23T09:00:00Z,10800,5,0,4,420,5,1,0,0");
    }

    @Test
    void whatIfWithFewerSeatsShowsTheDenialsItWouldHaveMade() throws Exception {
        long id = busyMorning();
        WhatIfReport api = WhatIf.of(f.licensor).replay(new WhatIfRequest(id, FROM, TO, 4, null, Bucket.HOUR));
        assertThat(api.replayed().denied()).isEqualTo(2);

        JsonNode body = JSON.readTree(f.adminGet("/admin/pools/" + id + "/what-if?" + RANGE + "&seats=4").body());
        assertThat(body.get("recorded").get("denied").asLong()).isEqualTo(1);
        assertThat(body.get("replayed").get("denied").asLong()).isEqualTo(2);
        assertThat(body.get("divergent").asLong()).isEqualTo(api.divergent());
        assertThat(body.get("first_divergences").get(0).get("replayed").asText()).isEqualTo("DENIED");

        JsonNode same = JSON.readTree(f.adminGet("/admin/pools/" + id + "/what-if?" + RANGE + "&seats=5").body());
        assertThat(same.get("divergent").asLong()).isZero();

        List<String> csv = f.adminGet("/admin/pools/" + id + "/what-if?" + RANGE + "&seats=4&format=csv").body().lines().toList();
        assertThat(csv).hasSize(4).first().isEqualTo("bucket_start,recorded_denials,replayed_denials,recorded_queued,replayed_queued");
        assertThat(csv.get(1)).isEqualTo("2026-11-23T09:00:00Z,1,2,0,0");
    }

    @Test
    void groupBreakdownsAsJsonCsvAndOnThePageAreTheReportApis() throws Exception {
        long id = f.pool(POOL);
        f.licensor.catalog().defineGroup(new SeatGroup(GroupKind.USER, "design", List.of("ann", "bob"))).orElseThrow();
        f.licensor.catalog().defineGroup(new SeatGroup(GroupKind.HOST, "lab, east", List.of("lab-1"))).orElseThrow();
        // a name with a comma and a space: only the typed form holds it (the CSV quotes it)
        f.licensor.catalog().setPolicy(id, new PoolPolicy(LeasingStrategy.DEVICE, Overdraft.NONE, List.of(
                PolicyRule.max(2, PolicyRule.TargetType.GROUP, "design"),
                PolicyRule.reserve(1, PolicyRule.TargetType.HOST_GROUP, "lab, east")), 0, 0, 0)).orElseThrow();
        String[][] who = {{"ann", "lab-1"}, {"bob", "lab-2"}, {"cid", "lab-3"}, {"ann", "lab-4"}, {"dan", "lab-5"}};
        for (int i = 0; i < who.length; i++) {
            DeviceRequest r = DeviceRequest.byKey("cad-pro", "CADPRO-FLOAT-5SEAT", "ws-20" + i)
                    .withHolder(Holder.of(who[i][0], who[i][1]));
            f.licensor.floating().activate(r);
            f.clock.advance(Duration.ofMinutes(3));
            f.licensor.floating().check(r); // ann's second seat is refused by MAX 2 GROUP design
        }
        UtilisationReport api = CapacityReports.of(f.licensor).utilisation(new UtilisationRequest(id, FROM, TO, Bucket.HOUR, 10));
        assertThat(api.groups()).extracting(GroupUsage::name).containsExactly("design", "lab, east");
        assertThat(api.groups().get(0).peak()).isEqualTo(2);
        assertThat(api.groups().get(0).denials()).isEqualTo(1);
        assertThat(api.groups().get(1).peak()).isEqualTo(1);

        JsonNode groups = JSON.readTree(f.adminGet("/admin/pools/" + id + "/utilisation?" + RANGE).body()).get("groups");
        assertThat(groups).hasSize(2);
        for (int g = 0; g < 2; g++) {
            GroupUsage expected = api.groups().get(g);
            assertThat(groups.get(g).get("name").asText()).isEqualTo(expected.name());
            assertThat(groups.get(g).get("kind").asText()).isEqualTo(g == 0 ? "user" : "host");
            assertThat(groups.get(g).get("peak").asInt()).isEqualTo(expected.peak());
            assertThat(groups.get(g).get("denials").asLong()).isEqualTo(expected.denials());
            for (int b = 0; b < 3; b++) {
                GroupBucketUsage eb = expected.buckets().get(b);
                JsonNode jb = groups.get(g).get("buckets").get(b);
                assertThat(jb.get("peak").asInt()).isEqualTo(eb.peak());
                assertThat(jb.get("seat_seconds").asLong()).isEqualTo(eb.seatTime().toSeconds());
                assertThat(jb.get("granted").asLong()).isEqualTo(eb.granted());
            }
        }
        List<String> csv = f.adminGet("/admin/pools/" + id + "/utilisation?" + RANGE + "&format=csv&by=group").body()
                .lines().toList();
        assertThat(csv).hasSize(1 + 2 * 3);
        assertThat(csv.get(0)).isEqualTo("group_kind,group,bucket_start,peak,seat_seconds,granted,denials");
        GroupBucketUsage first = api.groups().get(0).buckets().get(0);
        assertThat(csv.get(1)).isEqualTo("user,design,2026-11-23T09:00:00Z," + first.peak() + ","
                + first.seatTime().toSeconds() + "," + first.granted() + "," + first.denials());
        assertThat(csv.get(4)).startsWith("host,\"lab, east\",2026-11-23T09:00:00Z,1,");
        assertThat(f.adminGet("/admin/pools/" + id + "/utilisation?by=host").statusCode()).isEqualTo(400);

        // the page's group table (a browser session)
        HttpResponse<String> login = f.send(HttpRequest.newBuilder(f.uri("/admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + ServerFixture.ADMIN_TOKEN)));
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String page = f.send(HttpRequest.newBuilder(f.uri("/admin/page/" + id + "?" + RANGE)).header("Cookie", cookie)
                .GET()).body();
        assertThat(page).doesNotContain("what-if-error"); // the replay copies the groups the policy names
        String row = page.substring(page.indexOf("<tr data-group=\"lab, east\">"));

        row = row.substring(0, row.indexOf("</tr>"));
        assertThat(AdminPageTest.shown(row, "peak")).containsExactly("1");
        assertThat(AdminPageTest.shown(row, "denials")).containsExactly(String.valueOf(api.groups().get(1).denials()));
        String design = page.substring(page.indexOf("<tr data-group=\"design\">"));
        assertThat(AdminPageTest.shown(design.substring(0, design.indexOf("</tr>")), "denials")).containsExactly("1");
    }

    @Test
    void reportsNeedTheAdminTokenAndRefuseBadInputInTheErrorFormat() throws Exception {
        long id = busyMorning();
        String base = "/admin/pools/" + id;
        HttpResponse<String> anonymous = f.send(HttpRequest.newBuilder(f.uri(base + "/utilisation")).GET());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        for (String bad : List.of(base + "/what-if?" + RANGE, base + "/what-if?seats=0", base + "/what-if?seats=x",
                base + "/utilisation?bucket=week", base + "/utilisation?format=xml", base + "/utilisation?top=5000",
                base + "/utilisation?from=2026-11-23T12:00:00Z&to=2026-11-23T09:00:00Z", base + "/utilisation?from=yesterday",
                "/admin/pools/999/utilisation", "/admin/pools/x/utilisation")) {
            HttpResponse<String> r = f.adminGet(bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("code").asText()).as(bad).isNotBlank();
        }
    }
}
