package dev.licensor.examples.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.clients.UsageSummary;
import dev.licensor.floating.Lease;
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
 * Read-only administrator views under {@code /admin/}, JSON only, authenticated with an
 * {@code Authtoken} header holding an admin token: floating pool holders (FlexNet's
 * {@code lmstat}), the client-license usage summary and the ledger by time range.
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

    /**
     * @param pools  the floating licenses the pool list shows, by display name
     * @param tokens accepted admin tokens
     */
    public AdminApi(Licensor licensor, Clock clock, Map<String, Long> pools, Set<String> tokens) {
        this.licensor = licensor;
        this.clock = clock;
        this.pools = Map.copyOf(pools);
        this.tokens = new Tokens(tokens);
    }

    /** True for paths under {@code /admin}. */
    public static boolean owns(List<String> segments) {
        return !segments.isEmpty() && segments.get(0).equals("admin");
    }

    /** Handles one call; never throws for a bad request. */
    public Reply handle(Call call) {
        try {
            List<String> rest = call.segments().subList(1, call.segments().size());
            boolean known = rest.size() == 1 && List.of("pools", "usage", "ledger").contains(rest.get(0))
                    || rest.size() == 2 && rest.get(0).equals("pools");
            if (!known) {
                throw WireException.of(WireError.NOT_FOUND, "no admin view /admin/" + String.join("/", rest)
                        + " (views: /admin/pools, /admin/pools/{licenseId}, /admin/usage, /admin/ledger)");
            }
            if (!call.method().equals("GET")) {
                throw WireException.of(WireError.METHOD_NOT_ALLOWED, "admin views are read-only: use GET");
            }
            checkToken(call);
            return switch (rest.get(0)) {
                case "pools" -> rest.size() == 1 ? allPools() : onePool(rest.get(1));
                case "usage" -> usage();
                default -> ledger(call.query());
            };
        } catch (WireException e) {
            Reply reply = LicenseSpringApi.error(e.status(), e.key(), e.getMessage());
            return e.status() == 405 ? reply.withHeader("Allow", "GET") : reply;
        } catch (LicensingException e) {
            return LicenseSpringApi.error(LicenseSpringApi.status(e.code()), e.code().key(), e.getMessage());
        }
    }

    private void checkToken(Call call) {
        String header = call.header("Authtoken");
        if (header == null || header.isBlank()) {
            throw WireException.of(WireError.UNAUTHORIZED, "the Authtoken header with an admin token is required");
        }
        if (!tokens.accepts(header.trim())) {
            throw WireException.of(WireError.UNAUTHORIZED, "the Authtoken is not an admin token");
        }
    }

    private Reply allPools() {
        ObjectNode body = Bodies.json().createObjectNode();
        ArrayNode list = body.putArray("pools");
        pools.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> list.add(pool(e.getKey(), e.getValue())));
        return LicenseSpringApi.json(200, body);
    }

    private Reply onePool(String id) {
        long licenseId;
        try {
            licenseId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw WireException.of(Code.INVALID_REQUEST, "licenseId must be an integer, not " + id);
        }
        String name = pools.entrySet().stream().filter(e -> e.getValue() == licenseId)
                .map(Map.Entry::getKey).findFirst().orElse("");
        return LicenseSpringApi.json(200, pool(name, licenseId));
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
        return LicenseSpringApi.json(200, body);
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
        }
        return LicenseSpringApi.json(200, body);
    }

    private static Instant time(Map<String, String> query, String name, Instant absent) {
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
