package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Outcome;
import dev.licensor.replay.WhatIf;
import dev.licensor.replay.WhatIfReport;
import dev.licensor.replay.WhatIfRequest;
import dev.licensor.report.Bucket;
import dev.licensor.report.BucketUsage;
import dev.licensor.report.CapacityReports;
import dev.licensor.report.UtilisationReport;
import dev.licensor.report.UtilisationRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin page in a real browser: Debian's headless Chromium ({@link Chromium}) logs in through
 * the form, loads a pool's page over a working day of real demand, and the numbers it shows (the
 * tables, the summary, the chart's data) are compared with the report API's; then the seat
 * slider is moved (the page re-fetches the what-if JSON with its session cookie) and the form is
 * submitted, and the numbers are compared again. Screenshots go to
 * {@code target/admin-page/} (docs/reports.md shows one).
 *
 * <p>Without Chromium the test fails when {@code CI} is set ({@code .ci/run} installs
 * {@code chromium-headless-shell}) and is skipped otherwise.
 */
class AdminPageBrowserTest {
    private static final String POOL = "cad-pro/CADPRO-FLOAT-5SEAT";
    private static final Instant FROM = Instant.parse("2026-11-23T08:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-23T18:00:00Z");
    private static final Path OUT = Path.of("target", "admin-page");

    @RegisterExtension
    final ServerFixture f = new ServerFixture();

    /**
     * Eight workstations on five seats from 08:00 to 18:00, every 10 minutes each one working
     * (checking its seat) or not (releasing it), busiest late morning and mid-afternoon: some
     * checks are refused. Seeded, so the day is the same on every run.
     */
    private long workingDay() {
        Random random = new Random(25);
        f.clock.set(FROM);
        DeviceRequest[] ws = new DeviceRequest[8];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = DeviceRequest.byKey("cad-pro", "CADPRO-FLOAT-5SEAT", "ws-20" + i);
            assertThat(f.licensor.floating().activate(ws[i])).isInstanceOf(Outcome.Success.class);
        }
        boolean[] holds = new boolean[ws.length];
        while (f.clock.instant().isBefore(TO.minus(Duration.ofMinutes(10)))) {
            int hour = f.clock.instant().atZone(java.time.ZoneOffset.UTC).getHour();
            double busy = hour >= 10 && hour < 12 || hour >= 14 && hour < 16 ? 0.8 : hour >= 9 && hour < 17 ? 0.5 : 0.15;
            for (int i = 0; i < ws.length; i++) {
                if (random.nextDouble() < busy) {
                    holds[i] = f.licensor.floating().check(ws[i]) instanceof Outcome.Success<?>;
                } else if (holds[i]) {
                    f.licensor.floating().release(ws[i]);
                    holds[i] = false;
                }
            }
            f.clock.advance(Duration.ofMinutes(10));
        }
        return f.pool(POOL);
    }

    @Test
    void thePageShowsTheReportApisNumbersAndItsWhatIfFollowsTheSliderAndTheForm() throws Exception {
        Path binary = Chromium.find();
        if (binary == null) {
            String message = "headless Chromium not found (looked for LICENSOR_CHROMIUM, " + Chromium.CANDIDATES
                    + "): install Debian's chromium-headless-shell (apt-get install chromium-headless-shell; .ci/run does)";
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        long id = workingDay();
        UtilisationReport u = CapacityReports.of(f.licensor).utilisation(new UtilisationRequest(id, FROM, TO, Bucket.HOUR, 10));
        assertThat(u.buckets()).hasSize(10);
        assertThat(u.denials()).as("the day must refuse some checks").isPositive();
        assertThat(u.peak()).isEqualTo(5);
        Files.createDirectories(OUT);

        try (Chromium browser = Chromium.start(binary, 1200, 900)) {
            String base = f.server.uri().toString();
            browser.navigate(base + "/admin/login");
            browser.evaluate("document.getElementById('token').value = '" + ServerFixture.ADMIN_TOKEN + "';"
                    + " document.querySelector('main form').submit(); true");
            browser.waitUntil("the pool list after login", "location.pathname === '/admin/page'"
                    + " && document.readyState === 'complete' && document.querySelector('ul.pools') !== null");
            // the session cookie is HttpOnly: the page's scripts cannot read it
            assertThat(browser.evaluate("document.cookie").asText()).isEmpty();

            String page = base + "/admin/page/" + id + "?from=" + FROM + "&to=" + TO + "&bucket=hour";
            browser.navigate(page);
            browser.waitUntil("the chart", "document.body.dataset.ready === 'true'");
            assertShown(browser, u, WhatIf.of(f.licensor).replay(new WhatIfRequest(id, FROM, TO, 5, null, Bucket.HOUR)));
            Files.write(OUT.resolve("pool-5-seats.png"), browser.screenshot(true));

            // the slider: the page fetches the what-if JSON with its cookie and redraws in place
            browser.evaluate("const s = document.getElementById('seats-slider'); s.value = '3';"
                    + " s.dispatchEvent(new Event('input', {bubbles: true})); true");
            browser.waitUntil("the what-if for 3 seats", "document.body.dataset.whatIfSeats === '3'");
            WhatIfReport three = WhatIf.of(f.licensor).replay(new WhatIfRequest(id, FROM, TO, 3, null, Bucket.HOUR));
            assertThat(three.replayed().denied()).isGreaterThan(three.recorded().denied());
            assertShown(browser, u, three);
            assertThat(browser.evaluate("new URLSearchParams(location.search).get('seats')").asText()).isEqualTo("3");
            assertThat(browser.evaluate("document.getElementById('seats').value").asText()).isEqualTo("3");
            Files.write(OUT.resolve("pool-what-if-3-seats.png"), browser.screenshot(true));
            Files.write(OUT.resolve("pool-what-if-3-seats-top.png"), browser.screenshot(false));

            // the form (what works without JavaScript): a GET the server renders; a seat per workstation refuses none
            browser.evaluate("document.getElementById('seats').value = '8'; document.getElementById('range').submit(); true");
            browser.waitUntil("the page for 8 seats", "new URLSearchParams(location.search).get('seats') === '8'"
                    + " && document.readyState === 'complete' && document.body.dataset.ready === 'true'");
            WhatIfReport eight = WhatIf.of(f.licensor).replay(new WhatIfRequest(id, FROM, TO, 8, null, Bucket.HOUR));
            assertThat(eight.replayed().denied()).isZero();
            assertShown(browser, u, eight);
            // no script error, no refusal by the page's Content-Security-Policy
            assertThat(browser.pageErrors).isEmpty();
        }
    }

    /** The numbers the page shows (tables, summary, chart data) are the reports'. */
    private static void assertShown(Chromium browser, UtilisationReport u, WhatIfReport w) throws Exception {
        JsonNode shown = browser.evaluate("(() => {"
                + " const t = (root, k) => root.querySelector('[data-k=\"' + k + '\"]').textContent;"
                + " const rows = [...document.querySelectorAll('#buckets tbody tr')].map(r => ({"
                + "   start: r.dataset.start, peak: +t(r, 'peak'), p50: +t(r, 'p50'), p95: +t(r, 'p95'),"
                + "   atLimit: +r.querySelector('[data-k=\"at_limit_seconds\"]').dataset.v, granted: +t(r, 'granted'),"
                + "   denials: +t(r, 'denials'), replayedDenials: +t(r, 'replayed_denials'), replayedQueued: +t(r, 'replayed_queued') }));"
                + " const fig = document.querySelector('section.figures');"
                + " const w = document.getElementById('what-if');"
                + " const tally = which => { const r = w.querySelector('tr[data-row=\"' + which + '\"]');"
                + "   return { granted: +t(r, 'granted'), denied: +t(r, 'denied'), queued: +t(r, 'queued') }; };"
                + " const c = window.licensorPage.chart;"
                + " return { peak: +t(fig, 'peak'), denials: +t(fig, 'denials'), seats: +t(w, 'what_if_seats'),"
                + "   divergent: +t(w, 'divergent'), demands: +t(w, 'demands'), recorded: tally('recorded'), replayed: tally('replayed'),"
                + "   rows: rows, chart: { x: c.data[0], peak: c.data[1], p95: c.data[2], p50: c.data[3], seats: c.data[4],"
                + "   whatIfSeats: c.data[5], denials: c.data[6], replayedDenials: c.data[7] },"
                + "   errors: document.querySelectorAll('.error:not([hidden])').length };"
                + "})()");
        assertThat(shown.get("errors").asInt()).isZero();
        assertThat(shown.get("peak").asInt()).isEqualTo(u.peak());
        assertThat(shown.get("denials").asLong()).isEqualTo(u.denials());
        assertThat(shown.get("seats").asInt()).isEqualTo(w.seats());
        assertThat(shown.get("divergent").asLong()).isEqualTo(w.divergent());
        assertThat(shown.get("demands").asLong()).isEqualTo(w.demands());
        assertThat(shown.get("recorded").get("denied").asLong()).isEqualTo(w.recorded().denied());
        assertThat(shown.get("recorded").get("granted").asLong()).isEqualTo(w.recorded().granted());
        assertThat(shown.get("replayed").get("denied").asLong()).isEqualTo(w.replayed().denied());
        assertThat(shown.get("replayed").get("granted").asLong()).isEqualTo(w.replayed().granted());
        assertThat(shown.get("replayed").get("queued").asLong()).isEqualTo(w.replayed().queued());
        JsonNode rows = shown.get("rows");
        JsonNode chart = shown.get("chart");
        assertThat(rows).hasSize(u.buckets().size());
        for (int i = 0; i < rows.size(); i++) {
            BucketUsage b = u.buckets().get(i);
            JsonNode r = rows.get(i);
            assertThat(r.get("start").asText()).isEqualTo(b.start().toString());
            assertThat(r.get("peak").asInt()).isEqualTo(b.peak());
            assertThat(r.get("p50").asInt()).isEqualTo(b.p50());
            assertThat(r.get("p95").asInt()).isEqualTo(b.p95());
            assertThat(r.get("atLimit").asLong()).isEqualTo(b.atLimit().toSeconds());
            assertThat(r.get("granted").asLong()).isEqualTo(b.granted());
            assertThat(r.get("denials").asLong()).isEqualTo(b.denials());
            assertThat(r.get("replayedDenials").asLong()).isEqualTo(w.buckets().get(i).replayedDenials());
            assertThat(r.get("replayedQueued").asLong()).isEqualTo(w.buckets().get(i).replayedQueued());
            assertThat(chart.get("x").get(i).asLong()).isEqualTo(b.start().getEpochSecond());
            assertThat(chart.get("peak").get(i).asInt()).isEqualTo(b.peak());
            assertThat(chart.get("p95").get(i).asInt()).isEqualTo(b.p95());
            assertThat(chart.get("p50").get(i).asInt()).isEqualTo(b.p50());
            assertThat(chart.get("seats").get(i).asInt()).isEqualTo(u.seats());
            assertThat(chart.get("whatIfSeats").get(i).asInt()).isEqualTo(w.seats());
            assertThat(chart.get("denials").get(i).asLong()).isEqualTo(b.denials());
            assertThat(chart.get("replayedDenials").get(i).asLong()).isEqualTo(w.buckets().get(i).replayedDenials());
        }
    }
}
