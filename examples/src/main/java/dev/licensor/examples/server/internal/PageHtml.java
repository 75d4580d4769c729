package dev.licensor.examples.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.licensor.catalog.License;
import dev.licensor.replay.BucketOutcome;
import dev.licensor.replay.Tally;
import dev.licensor.replay.WhatIfReport;
import dev.licensor.policy.GroupKind;
import dev.licensor.report.BucketUsage;
import dev.licensor.report.GroupUsage;
import dev.licensor.report.HolderUsage;
import dev.licensor.report.UtilisationReport;
import java.time.Duration;
import java.util.Map;

/**
 * The admin page's HTML, rendered on the server: every number is in a table or list that reads
 * without JavaScript; the chart and the seat slider are added by {@code page.js}, which reads the
 * reports from the JSON block the page embeds ({@code <script type="application/json">}, never
 * executed) and re-fetches the what-if report as the slider moves. Each shown figure carries a
 * {@code data-k} attribute naming its report field, for the browser test and for scripts.
 * Every text from outside (pool names, seat keys, query values, messages) is escaped.
 *
 * <p>Stateless and thread-safe.
 */
final class PageHtml {
    private PageHtml() {
    }

    /** The query values the pool page's form shows again. */
    record Form(String from, String to, String bucket, String seats) {
    }

    static String login(String error) {
        StringBuilder b = head("Licensor admin: log in");
        b.append("<main class=\"login\"><h1>Licensor admin</h1>");
        if (error != null) {
            b.append("<p class=\"error\" role=\"alert\">").append(esc(error)).append("</p>");
        }
        b.append("<form method=\"post\" action=\"/admin/login\">")
                .append("<label for=\"token\">Admin token</label>")
                .append("<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required autofocus>")
                .append("<button type=\"submit\">Log in</button></form>")
                .append("<p class=\"note\">The token is sent once; the browser then holds a session cookie"
                        + " (HttpOnly, SameSite=Strict) that ends after 30 minutes idle, 8 hours at most, or at logout.</p>")
                .append("</main>");
        return tail(b, false);
    }

    static String pools(Map<String, Long> pools) {
        StringBuilder b = head("Licensor admin: pools");
        nav(b);
        b.append("<main><h1>Floating pools</h1><ul class=\"pools\">");
        pools.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> b.append("<li><a href=\"/admin/page/")
                .append(e.getValue()).append("\">").append(esc(e.getKey())).append("</a> (license ")
                .append(e.getValue()).append(")</li>"));
        b.append("</ul></main>");
        return tail(b, false);
    }

    /** A pool page whose utilisation report could not be made (bad query): the form and the message. */
    static String poolError(long licenseId, String name, Form form, String error) {
        StringBuilder b = head("Licensor admin: " + name);
        nav(b);
        b.append("<main><h1>").append(esc(name)).append("</h1>");
        form(b, licenseId, form, 1, 10);
        b.append("<p class=\"error\" role=\"alert\">").append(esc(error)).append("</p></main>");
        return tail(b, false);
    }

    static String pool(long licenseId, String name, License license, Form asked, UtilisationReport u,
                       WhatIfReport w, String whatIfError) {
        StringBuilder b = head("Licensor admin: " + name);
        nav(b);
        int seats = w != null ? w.seats() : asked.seats() != null ? parseOr(asked.seats(), u.seats()) : u.seats();
        Form form = new Form(u.from().toString(), u.to().toString(), asked.bucket(), Integer.toString(seats));
        b.append("<main data-license-id=\"").append(licenseId).append("\"><h1>").append(esc(name)).append("</h1>")
                .append("<p class=\"sub\">product <b>").append(esc(license.product())).append("</b>, license ")
                .append(licenseId).append(", <span data-k=\"seats\">").append(u.seats()).append("</span> seats; ")
                .append(esc(u.from().toString())).append(" to ").append(esc(u.to().toString())).append("</p>");
        form(b, licenseId, form, 1, Math.max(10, Math.max(2 * u.seats(), u.peak() + 2)));

        b.append("<section class=\"figures\"><h2>Summary</h2><dl>")
                .append(figure("Peak seats held", "peak", u.peak()))
                .append(figure("Denials", "denials", u.denials()))
                .append(figure("Ledger entries read", "entries_read", u.entriesRead()))
                .append("</dl></section>");

        b.append("<section class=\"what-if\" id=\"what-if\"><h2>What if the pool had <span data-k=\"what_if_seats\">")
                .append(seats).append("</span> seats?</h2>");
        if (whatIfError != null) {
            b.append("<p class=\"error\" role=\"alert\" id=\"what-if-error\">").append(esc(whatIfError)).append("</p>");
        }
        b.append("<table class=\"tally\"><thead><tr><th></th><th>granted</th><th>denied</th><th>queued</th>")
                .append("<th>borrowed</th><th>released</th></tr></thead><tbody>");
        tallyRow(b, "recorded", w == null ? null : w.recorded());
        tallyRow(b, "replayed", w == null ? null : w.replayed());
        b.append("</tbody></table><p>Demands replayed: <b data-k=\"demands\">").append(w == null ? "" : w.demands())
                .append("</b>; ended otherwise than recorded: <b data-k=\"divergent\">")
                .append(w == null ? "" : w.divergent()).append("</b></p></section>");

        b.append("<section class=\"chart\"><h2>Concurrent seats against the pool's seats</h2>")
                .append("<div id=\"chart\" role=\"img\" aria-label=\"peak, p95 and p50 seats per bucket, the pool's seats,"
                        + " the what-if seats, recorded and replayed denials\"></div>")
                .append("<noscript><p class=\"note\">The chart needs JavaScript; the tables hold the same numbers.</p></noscript>")
                .append("</section>");

        b.append("<section><h2>Per bucket</h2><table id=\"buckets\"><thead><tr><th>start</th><th>peak</th><th>p50</th>")
                .append("<th>p95</th><th>at the limit</th><th>granted</th><th>denials</th><th>queued</th><th>borrowed</th>")
                .append("<th>replayed denials</th><th>replayed queued</th></tr></thead><tbody>");
        for (int i = 0; i < u.buckets().size(); i++) {
            BucketUsage x = u.buckets().get(i);
            BucketOutcome o = w != null && i < w.buckets().size() ? w.buckets().get(i) : null;
            b.append("<tr data-start=\"").append(x.start()).append("\"><td>").append(esc(x.start().toString())).append("</td>")
                    .append(cell("peak", x.peak())).append(cell("p50", x.p50())).append(cell("p95", x.p95()))
                    .append("<td data-k=\"at_limit_seconds\" data-v=\"").append(x.atLimit().toSeconds()).append("\">")
                    .append(clock(x.atLimit())).append("</td>")
                    .append(cell("granted", x.granted())).append(cell("denials", x.denials()))
                    .append(cell("queued", x.queued())).append(cell("borrowed", x.borrowed()))
                    .append(cell("replayed_denials", o == null ? "" : o.replayedDenials()))
                    .append(cell("replayed_queued", o == null ? "" : o.replayedQueued())).append("</tr>");
        }
        b.append("</tbody></table></section>");

        if (!u.groups().isEmpty()) {
            b.append("<section><h2>By group (the pool's policy)</h2><table id=\"groups\"><thead><tr><th>group</th>")
                    .append("<th>kind</th><th>peak</th><th>seat hours</th><th>denials</th></tr></thead><tbody>");
            for (GroupUsage g : u.groups()) {
                b.append("<tr data-group=\"").append(esc(g.name())).append("\"><td>").append(esc(g.name())).append("</td>")
                        .append("<td>").append(g.kind() == GroupKind.HOST ? "hosts" : "users").append("</td>")
                        .append(cell("peak", g.peak()))
                        .append(cell("seat_hours", String.format(java.util.Locale.ROOT, "%.2f", g.seatTime().toNanos() / 3.6e12)))
                        .append(cell("denials", g.denials())).append("</tr>");
            }
            b.append("</tbody></table></section>");
        }

        b.append("<section><h2>Top holders by seat time</h2><table id=\"holders\"><thead><tr><th>seat key</th>")
                .append("<th>seat hours</th></tr></thead><tbody>");
        for (HolderUsage h : u.topHolders()) {
            b.append("<tr><td>").append(esc(h.seatKey())).append("</td>")
                    .append(cell("seat_hours", String.format(java.util.Locale.ROOT, "%.2f", h.seatHours()))).append("</tr>");
        }
        b.append("</tbody></table></section>");

        b.append("<p class=\"note\">Export: <a href=\"/admin/pools/").append(licenseId)
                .append("/utilisation?").append(esc(rangeQuery(form))).append("&amp;format=csv\">utilisation CSV</a>"
                        + " (needs the session or the Authtoken header)</p>");

        ObjectNode data = Bodies.json().createObjectNode();
        data.set("utilisation", ReportsAdminApi.utilisationJson(u));
        data.set("what_if", w == null ? null : ReportsAdminApi.whatIfJson(w));
        data.put("what_if_url", "/admin/pools/" + licenseId + "/what-if?" + rangeQuery(form));
        b.append("<script type=\"application/json\" id=\"report-data\">").append(scriptSafe(data.toString()))
                .append("</script></main>");
        return tail(b, true);
    }

    private static String rangeQuery(Form f) {
        return "from=" + enc(f.from()) + "&to=" + enc(f.to()) + "&bucket=" + enc(f.bucket());
    }

    private static void form(StringBuilder b, long licenseId, Form f, int min, int max) {
        b.append("<form method=\"get\" action=\"/admin/page/").append(licenseId).append("\" id=\"range\">")
                .append("<label>from <input name=\"from\" value=\"").append(esc(f.from())).append("\" size=\"22\"></label>")
                .append("<label>to <input name=\"to\" value=\"").append(esc(f.to())).append("\" size=\"22\"></label>")
                .append("<label>bucket <select name=\"bucket\">");
        for (String option : new String[] {"hour", "day"}) {
            b.append("<option").append(option.equals(f.bucket()) ? " selected" : "").append(">").append(option).append("</option>");
        }
        b.append("</select></label>")
                .append("<label>what-if seats <input name=\"seats\" id=\"seats\" type=\"number\" min=\"1\" value=\"")
                .append(esc(f.seats() == null ? "" : f.seats())).append("\"></label>")
                // no name: the number field carries the value (a query parameter given twice is refused)
                .append("<input id=\"seats-slider\" type=\"range\" min=\"").append(min).append("\" max=\"").append(max)
                .append("\" value=\"").append(esc(f.seats() == null ? "" : f.seats())).append("\" hidden aria-label=\"what-if seats\">")
                .append("<button type=\"submit\">Show</button></form>");
    }

    private static void tallyRow(StringBuilder b, String which, Tally t) {
        b.append("<tr data-row=\"").append(which).append("\"><th>").append(which).append("</th>")
                .append(cell("granted", t == null ? "" : t.granted())).append(cell("denied", t == null ? "" : t.denied()))
                .append(cell("queued", t == null ? "" : t.queued())).append(cell("borrowed", t == null ? "" : t.borrowed()))
                .append(cell("released", t == null ? "" : t.released())).append("</tr>");
    }

    private static String figure(String label, String key, Object value) {
        return "<div><dt>" + esc(label) + "</dt><dd data-k=\"" + key + "\">" + value + "</dd></div>";
    }

    private static String cell(String key, Object value) {
        return "<td data-k=\"" + key + "\">" + esc(String.valueOf(value)) + "</td>";
    }

    /** {@code h:mm:ss}, whole seconds. */
    static String clock(Duration d) {
        long s = d.toSeconds();
        return String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static StringBuilder head(String title) {
        return new StringBuilder(8192).append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append("</title>")
                .append("<link rel=\"stylesheet\" href=\"/admin/assets/uPlot.min.css\">")
                .append("<link rel=\"stylesheet\" href=\"/admin/assets/page.css\"></head><body>");
    }

    private static void nav(StringBuilder b) {
        b.append("<nav><a href=\"/admin/page\">Pools</a><form method=\"post\" action=\"/admin/logout\">")
                .append("<button type=\"submit\">Log out</button></form></nav>");
    }

    private static String tail(StringBuilder b, boolean scripts) {
        if (scripts) {
            b.append("<script src=\"/admin/assets/uPlot.iife.min.js\"></script><script src=\"/admin/assets/page.js\"></script>");
        }
        return b.append("</body></html>").toString();
    }

    private static int parseOr(String v, int absent) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    /** Escapes text for HTML content and double-quoted attributes. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * JSON made safe inside a {@code <script>} element: {@code <}, {@code >} and {@code &} only
     * occur inside JSON strings, where their {@code \}{@code u} escapes mean the same.
     */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }
}
