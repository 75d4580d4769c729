package dev.licensor.examples.server.internal;

import dev.licensor.examples.server.api.Reply;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.clients.UsageSummary;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.Actor;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Administrator calls under {@code /admin/}, JSON only, authenticated with an {@code Authtoken}
 * header holding an admin token (never a Commvault or LicenseSpring credential). Views (GET):
 * floating pool holders (FlexNet's {@code lmstat}), the client-license usage summary and the
 * ledger by time range, and a pool's capacity reports ({@link ReportsAdminApi}). Actions (POST): force-release a seat, blacklist and unblacklist a
 * device, enable/disable and activate/deactivate a license; the engine records each in the
 * ledger ({@code FORCE_RELEASED}, {@code BLACKLISTED}, {@code UNBLACKLISTED}, {@code SWITCHED}).
 * The catalog itself (create, read, list, change, delete) is {@link CatalogAdminApi}'s, behind
 * the same token. The browser page, its login and the session cookie that may stand in for the
 * token on the pool reads are {@link AdminPage}'s.
 *
 * <p>Thread-safe.
 */
public final class AdminApi {
    /** Most ledger entries one call returns. */
    static final int MAX_LEDGER = 10_000;

    private final Licensor licensor;
    private final Clock clock;
    private final Map<String, Long> pools;
    private final Tokens tokens;
    private final ReportsAdminApi reports;
    private final AdminPage page;

    /**
     * @param pools  the floating licenses the pool list shows, by display name
     * @param tokens accepted admin tokens
     */
    public AdminApi(Licensor licensor, Clock clock, Map<String, Long> pools, Set<String> tokens) {
        this.licensor = licensor;
        this.clock = clock;
        this.pools = Map.copyOf(pools);
        this.tokens = new Tokens(tokens);
        this.reports = new ReportsAdminApi(licensor, clock);
        this.page = new AdminPage(licensor, clock, this.pools, this.tokens, reports);
    }

    /** True for paths under {@code /admin}. */
    public static boolean owns(List<String> segments) {
        return !segments.isEmpty() && segments.get(0).equals("admin");
    }

    /** The body of the admin actions that name a device. */
    record DeviceBody(@com.fasterxml.jackson.annotation.JsonProperty("hardware_id") String hardwareId) {
    }

    /** The answer of an admin action. */
    record Done(String action, String result) {
    }

    /** Handles one call; never throws for a bad request. */
    public Reply handle(Call call) {
        String allow = "GET";
        try {
            List<String> rest = call.segments().subList(1, call.segments().size());
            if (AdminPage.owns(rest)) {
                return page.handle(call, rest);
            }
            String catalogMethod = CatalogAdminApi.method(rest, call.method());
            if (catalogMethod != null) {
                allow = catalogMethod;
                if (!catalogMethod.equals(call.method())) {
                    throw WireException.of(WireError.METHOD_NOT_ALLOWED, "use " + allow);
                }
                Actor actor = checkToken(call);
                return new CatalogAdminApi(licensor.as(actor)).handle(call, rest);
            }
            boolean view = (rest.size() == 1 && List.of("pools", "usage", "ledger").contains(rest.get(0)))
                    || (rest.size() == 2 && rest.get(0).equals("pools"))
                    || (rest.size() == 3 && rest.get(0).equals("licenses") && rest.get(2).equals("holders"))
                    || (rest.size() == 3 && rest.get(0).equals("pools") && REPORTS.contains(rest.get(2)));
            boolean action = rest.size() == 3 && ((rest.get(0).equals("licenses")
                    && LICENSE_ACTIONS.contains(rest.get(2)))
                    || (rest.get(0).equals("products") && List.of("blacklist", "unblacklist").contains(rest.get(2))));
            if (!view && !action) {
                throw WireException.of(WireError.NOT_FOUND, "no admin endpoint /admin/" + String.join("/", rest)
                        + " (views: GET /admin/pools, /admin/pools/{licenseId}, /admin/licenses/{id}/holders,"
                        + " /admin/pools/{licenseId}/{utilisation|what-if}, /admin/usage, /admin/ledger; actions: POST /admin/licenses/{id}/{force-release|enable|disable|"
                        + "activate|deactivate}, POST /admin/products/{code}/{blacklist|unblacklist})");
            }
            allow = view ? "GET" : "POST";
            if (!call.method().equals(allow)) {
                throw WireException.of(WireError.METHOD_NOT_ALLOWED, "use " + allow);
            }
            Actor actor = view && AdminPage.readsWithCookie(call.method(), rest) ? checkTokenOrSession(call) : checkToken(call);
            if (action) {
                return act(licensor.as(actor), rest.get(0), rest.get(1), rest.get(2), call);
            }
            return switch (rest.get(0)) {
                case "pools" -> rest.size() == 1 ? allPools() : rest.size() == 2 ? onePool(rest.get(1))
                        : reports.handle(licenseId(rest.get(1)), rest.get(2), call.query());
                case "licenses" -> onePool(rest.get(1));
                case "usage" -> usage();
                default -> ledger(call.query());
            };
        } catch (WireException e) {
            Reply reply = LicenseSpringApi.error(e.status(), e.key(), e.getMessage());
            return e.status() == 405 ? reply.withHeader("Allow", allow) : reply;
        } catch (LicensingException e) {
            CodeTables.Wire w = CodeTables.licenseSpring(e.code());
            return LicenseSpringApi.error(w.status(), w.key(), e.getMessage());
        }
    }

    /** The capacity reports of a pool ({@link ReportsAdminApi}). */
    private static final List<String> REPORTS = List.of("utilisation", "what-if");

    private static final List<String> LICENSE_ACTIONS =
            List.of("force-release", "enable", "disable", "activate", "deactivate");

    /** One admin action; each is recorded in the ledger by the engine, naming the caller's token. */
    private static Reply act(Licensor licensor, String kind, String id, String action, Call call) {
        Outcome<?> outcome;
        if (kind.equals("products")) {
            String hw = device(call);
            outcome = action.equals("blacklist") ? licensor.seats().blacklist(id, hw) : licensor.seats().unblacklist(id, hw);
        } else {
            long licenseId = licenseId(id);
            outcome = switch (action) {
                case "force-release" -> licensor.seats().forceRelease(licenseId, device(call));
                case "enable" -> licensor.seats().setEnabled(licenseId, true);
                case "disable" -> licensor.seats().setEnabled(licenseId, false);
                case "activate" -> licensor.seats().setActive(licenseId, true);
                default -> licensor.seats().setActive(licenseId, false);
            };
        }
        if (outcome instanceof Outcome.Failure<?> f) {
            CodeTables.Wire w = CodeTables.licenseSpring(f.code());
            return LicenseSpringApi.error(w.status(), w.key(), f.message());
        }
        return Bodies.write(200, new Done(action, "ok"), false);
    }

    private static String device(Call call) {
        DeviceBody body = Bodies.bind(call.body(), false, DeviceBody.class);
        if (body.hardwareId() == null || body.hardwareId().isBlank()) {
            throw WireException.of(WireError.MALFORMED_BODY, "the body needs hardware_id");
        }
        return body.hardwareId();
    }

    static long licenseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw WireException.of(WireError.MALFORMED_URL, "licenseId must be an integer, not " + id);
        }
    }

    /**
     * For the reads the admin page makes: the {@code Authtoken} header when sent, else the
     * page's session cookie ({@link AdminPage}), or 401.
     */
    private Actor checkTokenOrSession(Call call) {
        String header = call.header("Authtoken");
        if (header == null || header.isBlank()) {
            Actor actor = page.session(call);
            if (actor != null) {
                return actor;
            }
            throw WireException.of(WireError.UNAUTHORIZED,
                    "the Authtoken header with an admin token, or the admin page's live session cookie, is required");
        }
        return checkToken(call);
    }

    /** The caller's admin identity, as the ledger names it, or 401. */
    private Actor checkToken(Call call) {
        String header = call.header("Authtoken");
        if (header == null || header.isBlank()) {
            throw WireException.of(WireError.UNAUTHORIZED, "the Authtoken header with an admin token is required");
        }
        if (!tokens.accepts(header.trim())) {
            throw WireException.of(WireError.UNAUTHORIZED, "the Authtoken is not an admin token");
        }
        return actor(header.trim());
    }

    /**
     * The actor of an admin token: {@code admin-token:} and the first 12 hex digits of its
     * SHA-256, which tell the server's tokens apart in the ledger without writing a secret into it.
     */
    public static Actor actor(String token) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Actor.of("admin-token:" + java.util.HexFormat.of().formatHex(digest, 0, 6));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private Reply allPools() {
        ObjectNode body = Bodies.json().createObjectNode();
        ArrayNode list = body.putArray("pools");
        pools.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> list.add(pool(e.getKey(), e.getValue())));
        return Bodies.write(200, body, false);
    }

    private Reply onePool(String id) {
        long licenseId = licenseId(id);
        String name = pools.entrySet().stream().filter(e -> e.getValue() == licenseId)
                .map(Map.Entry::getKey).findFirst().orElse("");
        return Bodies.write(200, pool(name, licenseId), false);
    }

    private ObjectNode pool(String name, long licenseId) {
        License license = licensor.catalog().license(licenseId)
                .orElseThrow(() -> WireException.of(Code.LICENSE_NOT_FOUND, "no license " + licenseId));
        Outcome<List<Lease>> holders = licensor.seats().holders(licenseId);
        if (holders instanceof Outcome.Failure<List<Lease>> f) {
            throw WireException.of(f.code(), f.message());
        }
        Instant now = clock.instant();
        ObjectNode pool = Bodies.json().createObjectNode();
        pool.put("name", name);
        pool.put("license_id", licenseId);
        pool.put("product", license.product());
        pool.put("floating_users", license.floatingSeats());
        List<Lease> leases = holders.orElseThrow();
        pool.put("in_use", leases.size());
        ArrayNode list = pool.putArray("holders");
        for (Lease lease : leases) {
            ObjectNode h = list.addObject();
            h.put("hardware_id", lease.hardwareId());
            h.put("granted_at", lease.grantedAt().toString());
            h.put("refreshed_at", lease.refreshedAt().toString());
            h.put("expires_at", lease.expiresAt().toString());
            h.put("borrowed", lease.isBorrowedAt(now));
            h.put("borrowed_until", lease.borrowedUntil() == null ? null : lease.borrowedUntil().toString());
        }
        return pool;
    }

    private Reply usage() {
        ObjectNode body = Bodies.json().createObjectNode();
        ArrayNode list = body.putArray("licenses");
        for (UsageSummary u : licensor.clients().usage()) {
            ObjectNode n = list.addObject();
            n.put("clientLicenseId", u.clientLicenseId());
            n.put("platformType", u.platformType());
            n.put("licenseType", u.licenseType());
            n.put("appType", u.appType());
            n.put("licenseName", u.licenseName());
            n.put("permanent", u.permanent());
            n.put("evaluation", u.evaluation());
            n.put("evaluationExpiry", u.evaluationExpiry() == null ? null : u.evaluationExpiry().toString());
            n.put("used", u.used());
            n.put("available", u.available());
            ObjectNode byClient = n.putObject("byClient");
            u.byClient().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> byClient.put(e.getKey(), e.getValue()));
            ObjectNode byAgent = n.putObject("byAgent");
            u.byAgent().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> byAgent.put(e.getKey(), e.getValue()));
        }
        return Bodies.write(200, body, false);
    }

    private Reply ledger(Map<String, String> query) {
        Instant now = clock.instant();
        Instant from = time(query, "from", now.minus(Duration.ofDays(1)));
        Instant to = time(query, "to", now.plus(Duration.ofDays(1)));
        int limit = 1000;
        String l = query.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l.trim());
            } catch (NumberFormatException e) {
                throw WireException.of(Code.INVALID_REQUEST, "limit must be an integer");
            }
            if (limit < 1 || limit > MAX_LEDGER) {
                throw WireException.of(Code.INVALID_REQUEST, "limit must be between 1 and " + MAX_LEDGER);
            }
        }
        if (!from.isBefore(to)) {
            throw WireException.of(Code.INVALID_REQUEST, "from must be before to");
        }
        List<LedgerEntry> entries = licensor.ledger().between(from, to, limit);
        ObjectNode body = Bodies.json().createObjectNode();
        body.put("from", from.toString());
        body.put("to", to.toString());
        body.put("count", entries.size());
        ArrayNode list = body.putArray("entries");
        for (LedgerEntry e : entries) {
            ObjectNode n = list.addObject();
            n.put("seq", e.seq());
            n.put("at", e.at().toString());
            n.put("event", e.event().name());
            n.put("license_id", e.licenseId());
            n.put("client_license_id", e.clientLicenseId());
            n.put("subject", e.subject());
            n.put("code", e.code().key());
            n.put("detail", e.detail());
            n.put("actor", e.actor());
        }
        return Bodies.write(200, body, false);
    }

    /** The ISO-8601 time of query parameter {@code name}, or {@code absent}; a bad one is {@code invalid_request}. */
    static Instant time(Map<String, String> query, String name, Instant absent) {
        String v = query.get(name);
        if (v == null || v.isBlank()) {
            return absent;
        }
        try {
            return OffsetDateTime.parse(v.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw WireException.of(Code.INVALID_REQUEST, name + " must be an ISO-8601 time, e.g. 2026-11-23T09:00:00Z");
        }
    }
}
