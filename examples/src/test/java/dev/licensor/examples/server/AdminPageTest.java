package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.floating.DeviceRequest;
import dev.licensor.replay.WhatIf;
import dev.licensor.replay.WhatIfReport;
import dev.licensor.replay.WhatIfRequest;
import dev.licensor.report.Bucket;
import dev.licensor.report.CapacityReports;
import dev.licensor.report.UtilisationReport;
import dev.licensor.report.UtilisationRequest;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page over real HTTP, without a browser: the login and its session cookie (refused
 * when missing, wrong, expired, logged out, cross-site, or used for a change), the throttle on
 * wrong tokens, and the page's server-rendered numbers (what a browser without JavaScript shows,
 * the what-if form included) against the report API. Every exchange is checked against the
 * OpenAPI document by the fixture.
 */
class AdminPageTest {
    private static final String POOL = "cad-pro/CADPRO-FLOAT-5SEAT";
    private static final String RANGE = "from=2026-11-23T09:00:00Z&to=2026-11-23T12:00:00Z";
    private static final Instant FROM = Instant.parse("2026-11-23T09:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-23T12:00:00Z");
    private static final Pattern COOKIE = Pattern.compile("licensor_admin=([A-Za-z0-9_-]{43});");

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

    private HttpResponse<String> login(String token, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.uri("/admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return f.send(b);
    }

    /** Logs in with the admin token; answers the cookie header to send. */
    private String session() {
        HttpResponse<String> r = login(ServerFixture.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(303);
        Matcher m = COOKIE.matcher(r.headers().firstValue("Set-Cookie").orElseThrow());
        assertThat(m.find()).isTrue();
        return "licensor_admin=" + m.group(1);
    }

    private HttpResponse<String> get(String pathAndQuery, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.uri(pathAndQuery)).GET();
        return f.send(cookie == null ? b : b.header("Cookie", cookie));
    }

    @Test
    void loginSetsAStrictHttpOnlySessionCookieThatOpensThePageAndItsReads() {
        long id = busyMorning();
        HttpResponse<String> anonymous = get("/admin/page", null);
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).hasValue("/admin/login");
        HttpResponse<String> form = get("/admin/login", null);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<form method=\"post\" action=\"/admin/login\">");
        assertThat(form.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'")
                .contains("frame-ancestors 'none'");

        HttpResponse<String> in = login(ServerFixture.ADMIN_TOKEN);
        assertThat(in.statusCode()).isEqualTo(303);
        assertThat(in.headers().firstValue("Location")).hasValue("/admin/page");
        String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("licensor_admin=").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Path=/").contains("; Max-Age=28800").doesNotContain("Secure")
                .doesNotContain(ServerFixture.ADMIN_TOKEN);
        String cookie = "licensor_admin=" + COOKIE.matcher(setCookie).results().findFirst().orElseThrow().group(1);

        HttpResponse<String> pools = get("/admin/page", cookie);
        assertThat(pools.statusCode()).isEqualTo(200);
        assertThat(pools.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(pools.body()).contains("<a href=\"/admin/page/" + id + "\">" + POOL + "</a>");
        assertThat(get("/admin/pools/" + id + "/utilisation?" + RANGE, cookie).statusCode()).isEqualTo(200);
        assertThat(get("/admin/pools/" + id + "/what-if?" + RANGE + "&seats=4", cookie).statusCode()).isEqualTo(200);
        assertThat(get("/admin/pools", cookie).statusCode()).isEqualTo(200);
        assertThat(get("/admin/assets/uPlot.iife.min.js", null).body()).contains("uPlot");
    }

    @Test
    void refusedWithoutWithABadWithAnExpiredOrWithALoggedOutCookie() {
        long id = busyMorning();
        String report = "/admin/pools/" + id + "/utilisation?" + RANGE;
        assertThat(get(report, null).statusCode()).isEqualTo(401);
        String forged = "licensor_admin=" + "A".repeat(43);
        assertThat(get("/admin/page/" + id, forged).statusCode()).isEqualTo(303);
        assertThat(get(report, forged).statusCode()).isEqualTo(401);
        // the admin token itself is not a cookie value
        assertThat(get(report, "licensor_admin=" + ServerFixture.ADMIN_TOKEN).statusCode()).isEqualTo(401);

        // idle: 30 minutes without a request end the session
        String idle = session();
        f.clock.advance(Duration.ofMinutes(29));
        assertThat(get(report, idle).statusCode()).isEqualTo(200);
        f.clock.advance(Duration.ofMinutes(30));
        assertThat(get(report, idle).statusCode()).isEqualTo(401);
        assertThat(get("/admin/page/" + id, idle).statusCode()).isEqualTo(303);

        // absolute: 8 hours after login, however busy
        String busy = session();
        for (int i = 0; i < 8 * 3 - 1; i++) {
            f.clock.advance(Duration.ofMinutes(20));
            assertThat(get(report, busy).statusCode()).as("after %d min", 20 * (i + 1)).isEqualTo(200);
        }
        f.clock.advance(Duration.ofMinutes(20));
        assertThat(get(report, busy).statusCode()).isEqualTo(401);

        // logout ends the session server-side and clears the cookie
        String out = session();
        assertThat(get("/admin/page", out).statusCode()).isEqualTo(200);
        HttpResponse<String> logout = f.send(HttpRequest.newBuilder(f.uri("/admin/logout")).header("Cookie", out)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Set-Cookie").orElse("")).startsWith("licensor_admin=;").contains("Max-Age=0");
        assertThat(get("/admin/page", out).statusCode()).isEqualTo(303);
        assertThat(get(report, out).statusCode()).isEqualTo(401);
    }

    @Test
    void theCookieNeverAuthorisesAChangeNorReadsBeyondThePools() {
        long id = busyMorning();
        String cookie = session();
        HttpResponse<String> disable = f.send(HttpRequest.newBuilder(f.uri("/admin/licenses/" + id + "/disable"))
                .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(disable.statusCode()).isEqualTo(401);
        assertThat(f.licensor.catalog().license(id).orElseThrow().enabled()).isTrue();
        assertThat(get("/admin/ledger", cookie).statusCode()).isEqualTo(401);
        assertThat(get("/admin/usage", cookie).statusCode()).isEqualTo(401);
        assertThat(get("/admin/licenses", cookie).statusCode()).isEqualTo(401);
    }

    @Test
    void wrongTokensAreRefusedThenThrottledPerAddressAndCrossSiteLoginsRefused() {
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = login("not-the-token");
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(r.body()).contains("That is not an admin token.");
        }
        HttpResponse<String> blocked = login(ServerFixture.ADMIN_TOKEN);
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(blocked.headers().firstValue("Set-Cookie")).isEmpty();
        f.clock.advance(Duration.ofSeconds(2));
        assertThat(login(ServerFixture.ADMIN_TOKEN).statusCode()).isEqualTo(303);

        assertThat(login(ServerFixture.ADMIN_TOKEN, "Origin", "http://evil.example").statusCode()).isEqualTo(401);
        assertThat(login(ServerFixture.ADMIN_TOKEN, "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(401);
        String self = f.server.uri().toString();
        assertThat(login(ServerFixture.ADMIN_TOKEN, "Origin", self, "Sec-Fetch-Site", "same-origin").statusCode())
                .isEqualTo(303);
        HttpResponse<String> json = f.send(HttpRequest.newBuilder(f.uri("/admin/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(json.statusCode()).isEqualTo(415);
    }

    @Test
    void thePageShowsTheReportApisNumbersAndItsWhatIfFormWorksWithoutJavaScript() {
        long id = busyMorning();
        String cookie = session();
        UtilisationReport u = CapacityReports.of(f.licensor).utilisation(new UtilisationRequest(id, FROM, TO, Bucket.HOUR, 10));
        for (int seats : new int[] {5, 4, 3}) {
            WhatIfReport w = WhatIf.of(f.licensor).replay(new WhatIfRequest(id, FROM, TO, seats, null, Bucket.HOUR));
            HttpResponse<String> page = get("/admin/page/" + id + "?" + RANGE + "&bucket=hour&seats=" + seats, cookie);
            assertThat(page.statusCode()).isEqualTo(200);
            String html = page.body();
            assertThat(shown(html, "peak").get(0)).isEqualTo(String.valueOf(u.peak()));
            assertThat(shown(html, "denials").get(0)).isEqualTo(String.valueOf(u.denials()));
            assertThat(shown(html, "what_if_seats")).containsExactly(String.valueOf(seats));
            assertThat(shown(html, "divergent")).containsExactly(String.valueOf(w.divergent()));
            assertThat(shown(html, "denied")).containsExactly(String.valueOf(w.recorded().denied()),
                    String.valueOf(w.replayed().denied()));
            List<String> rows = rows(html);
            assertThat(rows).hasSize(u.buckets().size());
            for (int i = 0; i < rows.size(); i++) {
                assertThat(shown(rows.get(i), "peak")).containsExactly(String.valueOf(u.buckets().get(i).peak()));
                assertThat(shown(rows.get(i), "p95")).containsExactly(String.valueOf(u.buckets().get(i).p95()));
                assertThat(shown(rows.get(i), "denials")).containsExactly(String.valueOf(u.buckets().get(i).denials()));
                assertThat(shown(rows.get(i), "replayed_denials"))
                        .containsExactly(String.valueOf(w.buckets().get(i).replayedDenials()));
            }
        }
        // a bad seat count is the page with the message, not an error page of another kind
        HttpResponse<String> bad = get("/admin/page/" + id + "?" + RANGE + "&seats=0", cookie);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("role=\"alert\"").contains("seats");
        HttpResponse<String> badRange = get("/admin/page/" + id + "?from=yesterday", cookie);
        assertThat(badRange.statusCode()).isEqualTo(400);
        assertThat(badRange.body()).contains("from must be an ISO-8601 time");
        HttpResponse<String> unknown = get("/admin/page/999", cookie);
        assertThat(unknown.statusCode()).isEqualTo(400); // as the admin API answers an unknown license
        assertThat(unknown.body()).contains("\"code\":\"license_not_found\"");
    }

    @Test
    void textFromOutsideIsEscapedInTheTablesAndInTheEmbeddedJson() {
        long id = f.pool(POOL);
        String hostile = "ws-</script><img src=x onerror=alert(1)>&\"'";
        DeviceRequest r = DeviceRequest.byKey("cad-pro", "CADPRO-FLOAT-5SEAT", hostile);
        f.licensor.floating().activate(r);
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(f.licensor.floating().check(r)).isInstanceOf(dev.licensor.outcome.Outcome.Success.class);
        f.clock.advance(Duration.ofMinutes(5));
        String html = get("/admin/page/" + id + "?" + RANGE, session()).body();
        assertThat(html).doesNotContain("<img").doesNotContain("</script><img")
                .contains("ws-&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;")
                .contains("ws-\\u003c/script\\u003e\\u003cimg");
    }

    @Test
    void overTlsTheCookieIsSecureWithTheHostPrefix(@TempDir Path dir) throws Exception {
        try (ServerFixture tls = new ServerFixture(DevCertificate.create(dir))) {
            HttpResponse<String> in = tls.send(HttpRequest.newBuilder(tls.uri("/admin/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + ServerFixture.ADMIN_TOKEN)));
            assertThat(in.statusCode()).isEqualTo(303);
            String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("__Host-licensor_admin=").contains("; Secure").contains("; HttpOnly")
                    .contains("; SameSite=Strict").contains("; Path=/").doesNotContain("Domain");
            String value = setCookie.substring("__Host-licensor_admin=".length(), setCookie.indexOf(';'));
            HttpRequest.Builder page = HttpRequest.newBuilder(tls.uri("/admin/page")).GET();
            assertThat(tls.send(page.copy().header("Cookie", "__Host-licensor_admin=" + value)).statusCode()).isEqualTo(200);
            // the plain name is not read over TLS
            assertThat(tls.send(page.copy().header("Cookie", "licensor_admin=" + value)).statusCode()).isEqualTo(303);
        }
    }

    /** The texts of the elements whose {@code data-k} is {@code key}, in order. */
    static List<String> shown(String html, String key) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("data-k=\"" + Pattern.quote(key) + "\"[^>]*>([^<]*)<").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The bucket rows of the page's table. */
    private static List<String> rows(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<tr data-start=\"[^\"]+\">(.*?)</tr>").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
