package dev.licensor.examples.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.licensor.Licensor;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientChange;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseChange;
import dev.licensor.catalog.LicenseQuery;
import dev.licensor.catalog.LicenseState;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Page;
import dev.licensor.catalog.Product;
import dev.licensor.catalog.ProductChange;
import dev.licensor.catalog.ProductPage;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.HeldLicense;
import dev.licensor.examples.server.api.Reply;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import dev.licensor.policy.PoolPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The catalog over HTTP, under {@code /admin/} beside {@link AdminApi}'s views and actions (which
 * authenticates the caller first): products, licenses, clients and pool policies — create, read,
 * list (keyset pages), change, suspend/resume, delete. JSON only, snake_case like the LicenseSpring
 * answers; a body field the call does not know is refused ({@code invalid_request}), so a typo never
 * passes silently. Every change is an engine operation, which validates it and records it in the
 * ledger; refusals use the LicenseSpring error body and status table, as the rest of the admin API.
 *
 * <p>Routes (the table in examples/README.md and the OpenAPI document list them too):
 * <pre>
 * POST   /admin/products                  GET /admin/products?after=&amp;limit=
 * GET    /admin/products/{code}           PATCH /admin/products/{code}    DELETE /admin/products/{code}
 * POST   /admin/licenses                  GET /admin/licenses?product=&amp;username=&amp;state=&amp;after=&amp;limit=
 * GET    /admin/licenses/{id}             PATCH /admin/licenses/{id}      DELETE /admin/licenses/{id}
 * POST   /admin/licenses/{id}/suspend     POST /admin/licenses/{id}/resume
 * GET    /admin/licenses/{id}/policy      PUT /admin/licenses/{id}/policy
 * POST   /admin/clients                   GET /admin/clients?after=&amp;limit=
 * GET    /admin/clients/{id}              PATCH /admin/clients/{id}       DELETE /admin/clients/{id}
 * </pre>
 *
 * <p>Thread-safe (stateless beyond the engine).
 */
final class CatalogAdminApi {
    private final Licensor licensor;

    CatalogAdminApi(Licensor licensor) {
        this.licensor = licensor;
    }

    /** The allowed method of a catalog route, or null if the path is not one. */
    static String method(List<String> rest, String asked) {
        int n = rest.size();
        String head = n == 0 ? "" : rest.get(0);
        if (n == 1 && (head.equals("products") || head.equals("licenses") || head.equals("clients"))) {
            return List.of("GET", "POST").contains(asked) ? asked : "GET, POST";
        }
        if (n == 2 && (head.equals("products") || head.equals("licenses") || head.equals("clients"))) {
            return List.of("GET", "PATCH", "DELETE").contains(asked) ? asked : "GET, PATCH, DELETE";
        }
        if (n == 3 && head.equals("licenses") && (rest.get(2).equals("suspend") || rest.get(2).equals("resume"))) {
            return "POST";
        }
        if (n == 3 && head.equals("licenses") && rest.get(2).equals("policy")) {
            return List.of("GET", "PUT").contains(asked) ? asked : "GET, PUT";
        }
        return null;
    }

    /** Handles a call whose route and method {@link #method} accepted and whose token was checked. */
    Reply handle(Call call, List<String> rest) {
        String head = rest.get(0);
        String method = call.method();
        if (head.equals("products")) {
            if (rest.size() == 1) {
                return method.equals("POST") ? createProduct(call) : listProducts(call.query());
            }
            String code = rest.get(1);
            return switch (method) {
                case "PATCH" -> changeProduct(code, call);
                case "DELETE" -> deleted(licensor.catalog().deleteProduct(code));
                default -> product(code);
            };
        }
        if (head.equals("clients")) {
            if (rest.size() == 2) {
                return switch (method) {
                    case "PATCH" -> changeClient(AdminApi.licenseId(rest.get(1)), call);
                    case "DELETE" -> deleted(licensor.catalog().deleteClient(AdminApi.licenseId(rest.get(1))));
                    default -> client(rest.get(1));
                };
            }
            return method.equals("POST") ? createClient(call) : listClients(call.query());
        }
        if (rest.size() == 1) {
            return method.equals("POST") ? createLicense(call) : listLicenses(call.query());
        }
        long id = AdminApi.licenseId(rest.get(1));
        if (rest.size() == 3) {
            return switch (rest.get(2)) {
                case "suspend" -> license(licensor.catalog().suspend(id), 200);
                case "resume" -> license(licensor.catalog().resume(id), 200);
                default -> method.equals("PUT") ? setPolicy(id, call) : policy(id);
            };
        }
        return switch (method) {
            case "PATCH" -> changeLicense(id, call);
            case "DELETE" -> deleted(licensor.catalog().deleteLicense(id));
            default -> license(licensor.catalog().license(id).map(Outcome::success)
                    .orElseGet(() -> Outcome.failure(Code.LICENSE_NOT_FOUND, "no license " + id)), 200);
        };
    }

    // ---- bodies and answers

    /** 204, or the refusal. */
    private static Reply deleted(Outcome<Void> outcome) {
        return outcome instanceof Outcome.Failure<Void> f ? failure(f) : Reply.empty(204);
    }

    private static Fields body(Call call, Set<String> known) {
        if (!Bodies.isJson(call.contentType())) {
            throw WireException.of(WireError.UNSUPPORTED_MEDIA_TYPE, "send Content-Type application/json");
        }
        Fields f = Fields.json(Bodies.parseJson(call.body()));
        f.onlyKnown(known);
        return f;
    }

    static Reply failure(Outcome.Failure<?> f) {
        CodeTables.Wire w = CodeTables.licenseSpring(f.code());
        return LicenseSpringApi.error(w.status(), w.key(), f.message());
    }

    private static String time(Instant t) {
        return LicenseSpringWire.time(t);
    }

    private static ObjectNode json(Product p) {
        ObjectNode n = Bodies.json().createObjectNode();
        n.put("code", p.code());
        n.put("name", p.name());
        n.put("floating_timeout", p.floatingTimeout().toMinutes());
        n.put("max_borrow_time", p.maxBorrowTime().toHours());
        return n;
    }

    static ObjectNode json(License l) {
        ObjectNode n = Bodies.json().createObjectNode();
        n.put("id", l.id());
        n.put("product", l.product());
        n.put("license_key", l.key());
        n.put("username", l.username());
        n.put("license_type", l.type().name().toLowerCase(Locale.ROOT));
        n.put("enabled", l.enabled());
        n.put("active", l.active());
        n.put("valid_from", time(l.validFrom()));
        n.put("valid_until", time(l.validUntil()));
        n.put("max_activations", l.maxActivations());
        n.put("floating_users", l.floatingSeats());
        if (l.floatingTimeout() == null) {
            n.putNull("floating_timeout");
        } else {
            n.put("floating_timeout", l.floatingTimeout().toMinutes());
        }
        n.put("borrow_allowed", l.borrowAllowed());
        if (l.maxBorrowTime() == null) {
            n.putNull("max_borrow_time");
        } else {
            n.put("max_borrow_time", l.maxBorrowTime().toHours());
        }
        n.put("max_consumptions", l.maxConsumptions());
        n.put("total_consumptions", l.consumed());
        n.put("allow_overages", l.overageAllowed());
        n.put("max_overages", l.maxOverage());
        return n;
    }

    private static ObjectNode json(Client c) {
        ObjectNode n = Bodies.json().createObjectNode();
        n.put("id", c.id());
        n.put("name", c.name());
        n.put("platform_type", c.platformType());
        n.put("host_name", c.hostName());
        return n;
    }

    private static Reply ok(int status, JsonNode body) {
        return Bodies.write(status, body, false);
    }

    private static Reply license(Outcome<License> outcome, int status) {
        return outcome instanceof Outcome.Failure<License> f ? failure(f) : ok(status, json(outcome.orElseThrow()));
    }

    /** {@code after} and {@code limit} of a listing (defaults 0 and {@link LicenseQuery#DEFAULT_LIMIT}). */
    private static long after(Map<String, String> q) {
        return number(q, "after", 0);
    }

    private static int limit(Map<String, String> q) {
        long limit = number(q, "limit", LicenseQuery.DEFAULT_LIMIT);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit)); // the engine checks the range
    }

    private static long number(Map<String, String> q, String name, long absent) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return absent;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw WireException.of(WireError.MALFORMED_URL, name + " must be an integer, not " + v);
        }
    }

    private static <T> Reply page(String name, Page<T> page, java.util.function.Function<T, JsonNode> item) {
        ObjectNode body = Bodies.json().createObjectNode();
        ArrayNode list = body.putArray(name);
        page.items().forEach(i -> list.add(item.apply(i)));
        if (page.hasMore()) {
            body.put("next", page.next());
        } else {
            body.putNull("next");
        }
        return ok(200, body);
    }

    // ---- products

    private Reply createProduct(Call call) {
        Fields f = body(call, Set.of("code", "name", "floating_timeout", "max_borrow_time"));
        Product p = new Product(f.text("code"), f.text("name"),
                Duration.ofMinutes(f.int32("floating_timeout", 30)), Duration.ofHours(f.int32("max_borrow_time", 72)));
        Outcome<Product> outcome = licensor.catalog().defineProduct(p);
        return outcome instanceof Outcome.Failure<Product> fail ? failure(fail) : ok(201, json(outcome.orElseThrow()));
    }

    private Reply listProducts(Map<String, String> q) {
        Outcome<ProductPage> outcome = licensor.catalog().products(q.get("after"), limit(q));
        if (outcome instanceof Outcome.Failure<ProductPage> f) {
            return failure(f);
        }
        ProductPage page = outcome.orElseThrow();
        ObjectNode body = Bodies.json().createObjectNode();
        ArrayNode list = body.putArray("products");
        page.items().forEach(p -> list.add(json(p)));
        if (page.hasMore()) {
            body.put("next", page.next());
        } else {
            body.putNull("next");
        }
        return ok(200, body);
    }

    /** PATCH: any of {@code name}, {@code floating_timeout} (minutes), {@code max_borrow_time} (hours). */
    private Reply changeProduct(String code, Call call) {
        Fields f = body(call, Set.of("name", "floating_timeout", "max_borrow_time"));
        ProductChange change = new ProductChange(f.text("name"),
                f.has("floating_timeout") ? Duration.ofMinutes(f.int32("floating_timeout", 0)) : null,
                f.has("max_borrow_time") ? Duration.ofHours(f.int32("max_borrow_time", 0)) : null);
        Outcome<Product> outcome = licensor.catalog().changeProduct(code, change);
        return outcome instanceof Outcome.Failure<Product> fail ? failure(fail) : ok(200, json(outcome.orElseThrow()));
    }

    private Reply product(String code) {
        return licensor.catalog().product(code).map(p -> ok(200, json(p)))
                .orElseGet(() -> LicenseSpringApi.error(400, Code.UNKNOWN_PRODUCT.key(), "no product " + code));
    }

    // ---- licenses

    private static final Set<String> LICENSE_FIELDS = Set.of("product", "license_key", "username", "license_type",
            "enabled", "active", "valid_from", "valid_until", "max_activations", "floating_users", "floating_timeout",
            "borrow_allowed", "max_borrow_time", "max_consumptions", "allow_overages", "max_overages");

    private Reply createLicense(Call call) {
        Fields f = body(call, LICENSE_FIELDS);
        License.Builder b = License.builder(f.text("product")).key(f.text("license_key")).username(f.text("username"));
        String type = f.text("license_type");
        if (type != null) {
            b.type(type(type));
        }
        Boolean enabled = f.bool("enabled");
        Boolean active = f.bool("active");
        b.enabled(enabled == null || enabled).active(active == null || active)
                .validFrom(f.instant("valid_from")).validUntil(f.instant("valid_until"))
                .maxActivations(f.int32("max_activations", 1)).floatingSeats(f.int32("floating_users", 0));
        if (f.has("floating_timeout")) {
            b.floatingTimeout(Duration.ofMinutes(f.int32("floating_timeout", 0)));
        }
        if (f.has("max_borrow_time")) {
            b.maxBorrowTime(Duration.ofHours(f.int32("max_borrow_time", 0)));
        }
        Boolean borrow = f.bool("borrow_allowed");
        Boolean overage = f.bool("allow_overages");
        Long maxOverage = f.integer("max_overages");
        Long maxConsumptions = f.integer("max_consumptions");
        b.borrowAllowed(borrow != null && borrow)
                .maxConsumptions(maxConsumptions == null ? 0 : maxConsumptions)
                .overage(overage != null && overage, maxOverage == null ? 0 : maxOverage);
        return license(licensor.catalog().createLicense(b.build()), 201);
    }

    private static LicenseType type(String text) {
        for (LicenseType t : LicenseType.values()) {
            if (t.name().equalsIgnoreCase(text)) {
                return t;
            }
        }
        throw WireException.of(Code.INVALID_REQUEST, "license_type must be one of perpetual, time_limited,"
                + " subscription, consumption; not " + text);
    }

    private Reply listLicenses(Map<String, String> q) {
        LicenseState state = null;
        String s = q.get("state");
        if (s != null) {
            try {
                state = LicenseState.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw WireException.of(Code.INVALID_REQUEST, "state must be one of enabled, disabled, active,"
                        + " suspended, expired; not " + s);
            }
        }
        Outcome<Page<License>> outcome = licensor.catalog().licenses(
                new LicenseQuery(q.get("product"), q.get("username"), state, after(q), limit(q)));
        if (outcome instanceof Outcome.Failure<Page<License>> f) {
            return failure(f);
        }
        return page("licenses", outcome.orElseThrow(), CatalogAdminApi::json);
    }

    /**
     * PATCH: {@code floating_users}, {@code max_activations}, and the validity: a present
     * {@code valid_from} or {@code valid_until} (null clears it) replaces that end, the other end
     * is kept.
     */
    private Reply changeLicense(long id, Call call) {
        Fields f = body(call, Set.of("floating_users", "max_activations", "valid_from", "valid_until"));
        JsonNode raw = Bodies.parseJson(call.body());
        LicenseChange.Builder change = LicenseChange.builder();
        if (f.has("floating_users")) {
            change.floatingSeats(f.int32("floating_users", 0));
        }
        if (f.has("max_activations")) {
            change.maxActivations(f.int32("max_activations", 0));
        }
        if (raw.has("valid_from") || raw.has("valid_until")) {
            License current = licensor.catalog().license(id).orElse(null);
            if (current == null) {
                return LicenseSpringApi.error(400, Code.LICENSE_NOT_FOUND.key(), "no license " + id);
            }
            // the engine re-reads the license under its lock; a concurrent change of the other end is lost
            // only if two administrators change the validity at once, which the ledger shows
            change.validity(raw.has("valid_from") ? f.instant("valid_from") : current.validFrom(),
                    raw.has("valid_until") ? f.instant("valid_until") : current.validUntil());
        }
        return license(licensor.catalog().changeLicense(id, change.build()), 200);
    }

    private Reply policy(long id) {
        return licensor.catalog().policy(id).map(p -> {
            ObjectNode n = Bodies.json().createObjectNode();
            n.put("license_id", id);
            n.put("policy", p.text());
            return ok(200, n);
        }).orElseGet(() -> LicenseSpringApi.error(400, Code.LICENSE_NOT_FOUND.key(), "no license " + id));
    }

    private Reply setPolicy(long id, Call call) {
        Fields f = body(call, Set.of("policy"));
        String text = f.text("policy");
        if (text == null) {
            throw WireException.of(Code.MISSING_PARAMETERS, "policy is required (\"\" for none)");
        }
        PoolPolicy parsed = PoolPolicy.parse(text); // invalid_request naming the line, as a LicensingException
        Outcome<PoolPolicy> outcome = licensor.catalog().setPolicy(id, parsed);
        if (outcome instanceof Outcome.Failure<PoolPolicy> fail) {
            return failure(fail);
        }
        return policy(id);
    }

    // ---- clients

    private Reply createClient(Call call) {
        Fields f = body(call, Set.of("name", "platform_type", "host_name"));
        Outcome<Client> outcome = licensor.catalog().registerClient(f.text("name"), f.int32("platform_type", 1),
                f.text("host_name"));
        return outcome instanceof Outcome.Failure<Client> fail ? failure(fail) : ok(201, json(outcome.orElseThrow()));
    }

    /** PATCH: any of {@code platform_type}, {@code host_name} ({@code ""} clears it); never the name. */
    private Reply changeClient(long id, Call call) {
        Fields f = body(call, Set.of("platform_type", "host_name"));
        Integer platform = f.has("platform_type") ? f.int32("platform_type", 0) : null;
        ClientChange change = new ClientChange(platform, f.text("host_name"));
        Outcome<Client> outcome = licensor.catalog().changeClient(id, change);
        return outcome instanceof Outcome.Failure<Client> fail ? failure(fail) : ok(200, json(outcome.orElseThrow()));
    }

    private Reply listClients(Map<String, String> q) {
        Outcome<Page<Client>> outcome = licensor.catalog().clients(after(q), limit(q));
        if (outcome instanceof Outcome.Failure<Page<Client>> f) {
            return failure(f);
        }
        return page("clients", outcome.orElseThrow(), CatalogAdminApi::json);
    }

    /** A client with the licenses it holds. */
    private Reply client(String id) {
        long clientId = AdminApi.licenseId(id);
        Client c = licensor.catalog().client(ClientRef.id(clientId)).orElse(null);
        if (c == null) {
            return LicenseSpringApi.error(400, Code.CLIENT_NOT_FOUND.key(), "no client " + id);
        }
        ObjectNode n = json(c);
        ArrayNode held = n.putArray("licenses");
        Outcome<List<HeldLicense>> licenses = licensor.clients().consumed(ClientRef.id(clientId));
        for (HeldLicense h : licenses.isSuccess() ? licenses.orElseThrow() : List.<HeldLicense>of()) {
            ObjectNode l = held.addObject();
            l.put("platform_type", h.platformType());
            l.put("license_type", h.licenseType());
            l.put("app_type", h.appType());
            l.put("license_name", h.licenseName());
            l.put("agent_level", h.agentLevel());
        }
        return ok(200, n);
    }
}
