package dev.licensor.examples.server.internal;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.examples.server.api.Reply;
import dev.licensor.ledger.Actor;
import dev.licensor.outcome.LicensingException;
import dev.licensor.replay.WhatIfReport;
import dev.licensor.report.UtilisationReport;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The admin page for a browser, under {@code /admin/}: a login form ({@code GET/POST /admin/login}),
 * {@code POST /admin/logout}, the pool list ({@code GET /admin/page}), a pool's capacity page
 * ({@code GET /admin/page/{licenseId}?from=&to=&bucket=&seats=}: utilisation chart and tables,
 * and the what-if replay for {@code seats}) and the page's static files ({@code GET /admin/assets/*}:
 * uPlot from its webjar, the page's own script and style sheet).
 *
 * <p><b>Login.</b> A browser cannot send the {@code Authtoken} header on a page load, so the form
 * POSTs an admin token once; the answer sets a session cookie ({@link AdminSessions}: a random
 * server-side id, never the token) that is {@code HttpOnly}, {@code SameSite=Strict},
 * {@code Path=/} and, over TLS, {@code Secure} with the {@code __Host-} name prefix. Failed logins
 * are throttled per client address ({@link LoginThrottle}). Login and logout refuse a cross-site
 * POST (an {@code Origin} other than the request's own host, or {@code Sec-Fetch-Site: cross-site}).
 * The cookie is accepted only for the page and for the admin GETs it reads
 * ({@link #readsWithCookie}); every change over the admin API still needs the header, so a
 * forged cross-site request can change nothing.
 *
 * <p>Thread-safe.
 */
final class AdminPage {
    /** The session cookie's name over plain HTTP. */
    static final String COOKIE = "licensor_admin";
    /** Its name over TLS: browsers accept a {@code __Host-} cookie only with Secure, Path=/ and no Domain. */
    static final String SECURE_COOKIE = "__Host-licensor_admin";

    private static final Set<String> ROUTES = Set.of("page", "login", "logout", "assets");

    private final Licensor licensor;
    private final Map<String, Long> pools;
    private final Tokens tokens;
    private final ReportsAdminApi reports;
    private final AdminSessions sessions;
    private final LoginThrottle throttle;

    AdminPage(Licensor licensor, Clock clock, Map<String, Long> pools, Tokens tokens, ReportsAdminApi reports) {
        this.licensor = licensor;
        this.pools = Map.copyOf(pools);
        this.tokens = tokens;
        this.reports = reports;
        this.sessions = new AdminSessions(clock);
        this.throttle = new LoginThrottle(clock);
    }

    /** True for the page's routes ({@code rest} is the path after {@code /admin}). */
    static boolean owns(List<String> rest) {
        return !rest.isEmpty() && ROUTES.contains(rest.get(0));
    }

    /**
     * True for the admin API reads the page's script makes, which a session cookie may
     * authorise: {@code GET /admin/pools}, {@code /admin/pools/{id}} and its two reports.
     */
    static boolean readsWithCookie(String method, List<String> rest) {
        return method.equals("GET") && !rest.isEmpty() && rest.get(0).equals("pools") && rest.size() <= 3;
    }

    /** The actor of the request's live session cookie, or null. */
    Actor session(Call call) {
        return sessions.use(cookie(call));
    }

    /** Answers a page route; never throws for a bad request (refusals in the API's error format). */
    Reply handle(Call call, List<String> rest) {
        try {
            return route(call, rest);
        } catch (MethodNotAllowed e) {
            return LicenseSpringApi.error(405, WireError.METHOD_NOT_ALLOWED.key(), e.getMessage()).withHeader("Allow", e.allow);
        } catch (WireException e) {
            return LicenseSpringApi.error(e.status(), e.key(), e.getMessage());
        } catch (LicensingException e) {
            CodeTables.Wire w = CodeTables.licenseSpring(e.code());
            return LicenseSpringApi.error(w.status(), w.key(), e.getMessage());
        }
    }

    private Reply route(Call call, List<String> rest) {
        String route = rest.get(0);
        String method = call.method();
        switch (route) {
            case "assets" -> {
                requireMethod(method, "GET");
                PageAssets.Asset a = rest.size() == 2 ? PageAssets.get(rest.get(1)) : null;
                if (a == null) {
                    throw WireException.of(WireError.NOT_FOUND, "no asset /admin/" + String.join("/", rest));
                }
                return new Reply(200, a.contentType(), a.bytes(), Map.of(
                        "Cache-Control", "max-age=300", "X-Content-Type-Options", "nosniff"));
            }
            case "login" -> {
                requireLength(rest, 1);
                if (method.equals("GET")) {
                    return html(200, PageHtml.login(null));
                }
                requireMethod(method, "POST");
                return login(call);
            }
            case "logout" -> {
                requireLength(rest, 1);
                requireMethod(method, "POST");
                sameOrigin(call);
                sessions.close(cookie(call));
                return seeOther("/admin/login").withHeader("Set-Cookie", clearCookie(call.secure()));
            }
            default -> {
                requireMethod(method, "GET");
                if (rest.size() > 2) {
                    throw WireException.of(WireError.NOT_FOUND, "no page /admin/" + String.join("/", rest));
                }
                if (session(call) == null) {
                    return seeOther("/admin/login");
                }
                return rest.size() == 1 ? html(200, PageHtml.pools(pools)) : pool(AdminApi.licenseId(rest.get(1)), call);
            }
        }
    }

    private Reply login(Call call) {
        sameOrigin(call);
        if (!"application/x-www-form-urlencoded".equals(call.contentType())) {
            throw WireException.of(WireError.UNSUPPORTED_MEDIA_TYPE, "send the login form (application/x-www-form-urlencoded)");
        }
        // Throttled per address only: a per-name lock-out would let anyone lock the admins out.
        String address = call.remoteAddress();
        String key = "admin-page@" + address;
        long wait = throttle.retryAfter(key, address);
        if (wait > 0) {
            return html(429, PageHtml.login("Too many failed logins from your address: try again in " + wait + " s."))
                    .withHeader("Retry-After", Long.toString(wait));
        }
        String token = Call.form(call.body()).get("token");
        if (token == null || token.isBlank() || !tokens.accepts(token.trim())) {
            throttle.failed(key, address);
            return html(401, PageHtml.login("That is not an admin token."));
        }
        throttle.succeeded(key);
        String id = sessions.open(AdminApi.actor(token.trim()));
        String cookie = (call.secure() ? SECURE_COOKIE : COOKIE) + "=" + id + "; Path=/; Max-Age="
                + AdminSessions.MAX_AGE.toSeconds() + "; HttpOnly; SameSite=Strict" + (call.secure() ? "; Secure" : "");
        return seeOther("/admin/page").withHeader("Set-Cookie", cookie);
    }

    private Reply pool(long licenseId, Call call) {
        License license = licensor.catalog().license(licenseId)
                .orElseThrow(() -> WireException.of(dev.licensor.outcome.Code.LICENSE_NOT_FOUND, "no license " + licenseId));
        String name = pools.entrySet().stream().filter(e -> e.getValue() == licenseId)
                .map(Map.Entry::getKey).findFirst().orElse("license " + licenseId);
        Map<String, String> query = call.query();
        PageHtml.Form form = new PageHtml.Form(query.getOrDefault("from", ""), query.getOrDefault("to", ""),
                query.getOrDefault("bucket", "hour").toLowerCase(Locale.ROOT), query.get("seats"));
        UtilisationReport utilisation;
        try {
            utilisation = reports.utilisation(licenseId, query);
        } catch (WireException | LicensingException e) {
            return html(400, PageHtml.poolError(licenseId, name, form, e.getMessage()));
        }
        WhatIfReport whatIf = null;
        String whatIfError = null;
        try {
            whatIf = reports.whatIf(licenseId, query, license.floatingSeats());
        } catch (WireException | LicensingException e) {
            whatIfError = e.getMessage();
        }
        int status = whatIfError != null && query.get("seats") != null ? 400 : 200;
        return html(status, PageHtml.pool(licenseId, name, license, form, utilisation, whatIf, whatIfError));
    }

    /** The session cookie's value (the one named for the request's scheme), or null. */
    private static String cookie(Call call) {
        String header = call.header("Cookie");
        if (header == null) {
            return null;
        }
        String name = call.secure() ? SECURE_COOKIE : COOKIE;
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                return part.substring(eq + 1).trim();
            }
        }
        return null;
    }

    private static String clearCookie(boolean secure) {
        return (secure ? SECURE_COOKIE : COOKIE) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /**
     * Refuses a POST another site's page made: its {@code Origin} names another host than the
     * request's {@code Host}, or the browser says {@code Sec-Fetch-Site: cross-site}. (The
     * session cookie is SameSite=Strict anyway; this also stops a cross-site login.)
     */
    private static void sameOrigin(Call call) {
        String site = call.header("Sec-Fetch-Site");
        if (site != null && site.trim().equalsIgnoreCase("cross-site")) {
            throw WireException.of(WireError.UNAUTHORIZED, "a cross-site form may not log in or out");
        }
        String origin = call.header("Origin");
        if (origin == null || origin.isBlank()) {
            return;
        }
        String host = call.header("Host");
        String authority;
        try {
            authority = URI.create(origin.trim()).getRawAuthority();
        } catch (IllegalArgumentException e) {
            authority = null;
        }
        if (authority == null || host == null || !authority.equalsIgnoreCase(host.trim())) {
            throw WireException.of(WireError.UNAUTHORIZED, "a cross-site form may not log in or out");
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new MethodNotAllowed(allowed);
        }
    }

    private static void requireLength(List<String> rest, int n) {
        if (rest.size() != n) {
            throw WireException.of(WireError.NOT_FOUND, "no page /admin/" + String.join("/", rest));
        }
    }

    /** A 405 naming the method the route takes (for the {@code Allow} header). */
    static final class MethodNotAllowed extends RuntimeException {
        final String allow;

        MethodNotAllowed(String allow) {
            super("use " + allow, null, false, false);
            this.allow = allow;
        }
    }

    private static Reply seeOther(String location) {
        return new Reply(303, null, new byte[0], Map.of("Location", location, "Cache-Control", "no-store"));
    }

    /**
     * An HTML answer with the page's security headers: scripts and styles only from this server
     * (no inline script runs), no framing, no referrer to other sites, not cached.
     */
    private static Reply html(int status, String body) {
        return new Reply(status, "text/html", body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of(
                "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                        + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                "X-Content-Type-Options", "nosniff",
                "Referrer-Policy", "same-origin", // no-referrer would make the form POSTs send Origin: null
                "Cache-Control", "no-store"));
    }
}
