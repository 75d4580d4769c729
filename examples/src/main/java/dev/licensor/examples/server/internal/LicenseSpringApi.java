package dev.licensor.examples.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.Activation;
import dev.licensor.floating.ConsumptionBalance;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The LicenseSpring License API v4 device calls under {@code /api/v4/}: parses the wire format,
 * checks the HMAC signature, calls {@link Licensor#floating()} and maps its {@link Outcome} onto
 * the wire. Every failure is HTTP 4xx/5xx with {@code {"status":..,"code":..,"message":..}};
 * engine failures are HTTP 400 with {@link Code#key()} (500 for {@code store_failure}).
 *
 * <p>Thread-safe.
 */
public final class LicenseSpringApi {
    /** The endpoints, by path below {@code /api/v4/}, with their method. */
    private static final Map<String, String> ENDPOINTS = Map.of(
            "activate_license", "POST",
            "check_license", "GET",
            "floating/borrow", "POST",
            "floating/release", "POST",
            "deactivate_license", "POST",
            "add_consumption", "POST");

    private final Licensor licensor;
    private final HmacAuth auth;
    private final Clock clock;
    /** Products never change once defined, so their defaults are cached (never a seat decision). */
    private final Map<String, Product> products = new ConcurrentHashMap<>();

    public LicenseSpringApi(Licensor licensor, HmacAuth auth, Clock clock) {
        this.licensor = licensor;
        this.auth = auth;
        this.clock = clock;
    }

    /** True for paths under {@code /api/v4}. */
    public static boolean owns(List<String> segments) {
        return segments.size() >= 2 && segments.get(0).equals("api") && segments.get(1).equals("v4");
    }

    /** Handles one call; never throws for a bad request. */
    public Reply handle(Call call) throws IOException {
        String op = String.join("/", call.segments().subList(2, call.segments().size()));
        try {
            String method = ENDPOINTS.get(op);
            if (method == null) {
                throw WireException.of(WireError.NOT_FOUND, "no endpoint /api/v4/" + op);
            }
            if (!method.equals(call.method())) {
                throw WireException.of(WireError.METHOD_NOT_ALLOWED, "/api/v4/" + op + " takes " + method);
            }
            auth.verify(call);
            return switch (op) {
                case "activate_license" -> activate(body(call));
                case "check_license" -> check(call);
                case "floating/borrow" -> borrow(body(call));
                case "floating/release" -> release(body(call));
                case "deactivate_license" -> deactivate(body(call));
                case "add_consumption" -> addConsumption(body(call));
                default -> throw new IllegalStateException(op);
            };
        } catch (WireException e) {
            Reply reply = error(e.status(), e.key(), e.getMessage());
            return e.status() == 405 ? reply.withHeader("Allow", ENDPOINTS.get(op)) : reply;
        } catch (LicensingException e) {
            return failure(e.code(), e.getMessage());
        }
    }

    /** The JSON error body every failure gets. */
    public static Reply error(int status, String code, String message) {
        ObjectNode body = Bodies.json().createObjectNode();
        body.put("status", status);
        body.put("code", code);
        body.put("message", message == null ? "" : message);
        return json(status, body);
    }

    /** HTTP status of an engine code on this wire. */
    public static int status(Code code) {
        return code == Code.STORE_FAILURE ? 500 : 400;
    }

    private static Reply failure(Code code, String message) {
        return error(status(code), code.key(), message);
    }

    static Reply json(int status, Object body) {
        try {
            return new Reply(status, Reply.JSON, Bodies.json().writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Fields body(Call call) throws IOException {
        String type = call.contentType();
        if (type != null && !Bodies.isJson(type)) {
            throw WireException.of(WireError.UNSUPPORTED_MEDIA_TYPE, "send application/json, not " + type);
        }
        return Fields.json(Bodies.parseJson(call.body()));
    }

    private static DeviceRequest device(Fields f) {
        return new DeviceRequest(f.text("product"), f.text("license_key"), f.text("username"),
                f.integer("license_id"), f.text("hardware_id"));
    }

    private static DeviceRequest device(Map<String, String> query) {
        Long licenseId = null;
        String id = query.get("license_id");
        if (id != null && !id.isBlank()) {
            try {
                licenseId = Long.parseLong(id.trim());
            } catch (NumberFormatException e) {
                throw WireException.of(Code.INVALID_REQUEST, "license_id must be an integer");
            }
        }
        return new DeviceRequest(query.get("product"), query.get("license_key"), query.get("username"),
                licenseId, query.get("hardware_id"));
    }

    private Reply activate(Fields f) {
        DeviceRequest request = device(f);
        Outcome<Activation> outcome = licensor.floating().activate(request);
        if (outcome instanceof Outcome.Failure<Activation> fail) {
            return failure(fail.code(), fail.message());
        }
        Activation activation = outcome.orElseThrow();
        License license = licensor.catalog().license(activation.licenseId())
                .orElseThrow(() -> new LicensingException(Code.LICENSE_NOT_FOUND, "license vanished"));
        ObjectNode body = license(license);
        body.put("hardware_id", activation.hardwareId());
        body.put("activated_at", activation.activatedAt().toString());
        return json(200, body);
    }

    private Reply check(Call call) {
        Outcome<LicenseCheck> outcome = licensor.floating().check(device(call.query()));
        if (outcome instanceof Outcome.Failure<LicenseCheck> fail) {
            return failure(fail.code(), fail.message());
        }
        LicenseCheck check = outcome.orElseThrow();
        ObjectNode body = license(check.license());
        if (check.lease() != null) {
            lease(body, check.lease());
        }
        return json(200, body);
    }

    private Reply borrow(Fields f) {
        DeviceRequest request = device(f);
        Instant until = f.instant("borrowed_until");
        Outcome<Lease> outcome = licensor.floating().borrow(request, until);
        if (outcome instanceof Outcome.Failure<Lease> fail) {
            return failure(fail.code(), fail.message());
        }
        Lease lease = outcome.orElseThrow();
        ObjectNode body = Bodies.json().createObjectNode();
        body.put("license_id", lease.licenseId());
        lease(body, lease);
        return json(200, body);
    }

    private Reply release(Fields f) {
        Outcome<Void> outcome = licensor.floating().release(device(f));
        if (outcome instanceof Outcome.Failure<Void> fail) {
            return failure(fail.code(), fail.message());
        }
        return Reply.empty(200);
    }

    private Reply deactivate(Fields f) {
        Outcome<Void> outcome = licensor.floating().deactivate(device(f));
        if (outcome instanceof Outcome.Failure<Void> fail) {
            return failure(fail.code(), fail.message());
        }
        return json(200, "license_deactivated");
    }

    private Reply addConsumption(Fields f) {
        DeviceRequest request = device(f);
        Long count = f.integer("consumptions");
        if (count == null) {
            throw WireException.of(Code.MISSING_PARAMETERS, "consumptions is required");
        }
        Boolean overage = f.bool("allow_overages");
        Outcome<ConsumptionBalance> outcome = licensor.floating()
                .addConsumption(request, count, overage != null && overage);
        if (outcome instanceof Outcome.Failure<ConsumptionBalance> fail) {
            return failure(fail.code(), fail.message());
        }
        ConsumptionBalance balance = outcome.orElseThrow();
        ObjectNode body = Bodies.json().createObjectNode();
        body.put("license_id", balance.licenseId());
        body.put("total_consumptions", balance.consumed());
        body.put("max_consumptions", balance.maxConsumptions());
        body.put("overage", balance.overage());
        return json(200, body);
    }

    private Product product(String code) {
        Product p = products.get(code);
        if (p == null) {
            p = licensor.catalog().product(code)
                    .orElseThrow(() -> new LicensingException(Code.UNKNOWN_PRODUCT, "product " + code + " vanished"));
            products.putIfAbsent(code, p);
        }
        return p;
    }

    /** The license fields every successful answer carries. */
    private ObjectNode license(License license) {
        Product product = product(license.product());
        ObjectNode body = Bodies.json().createObjectNode();
        body.put("license_id", license.id());
        body.put("product", license.product());
        if (license.isKeyBased()) {
            body.put("license_key", license.key());
        } else {
            body.put("username", license.username());
        }
        body.put("license_type", license.type().name().toLowerCase(Locale.ROOT));
        body.put("license_enabled", license.enabled());
        body.put("license_active", license.active());
        body.put("is_expired", license.isExpiredAt(clock.instant()));
        body.put("validity_period", license.validUntil() == null ? null : license.validUntil().toString());
        body.put("max_activations", license.maxActivations());
        body.put("is_floating_cloud", license.isFloating());
        body.put("floating_users", license.floatingSeats());
        body.put("floating_timeout", license.effectiveFloatingTimeout(product).toMinutes());
        body.put("can_borrow", license.borrowAllowed());
        body.put("max_borrow_time", license.effectiveMaxBorrowTime(product).toHours());
        return body;
    }

    private static void lease(ObjectNode body, Lease lease) {
        body.put("hardware_id", lease.hardwareId());
        body.put("floating_granted_at", lease.grantedAt().toString());
        body.put("floating_expires_at", lease.expiresAt().toString());
        body.put("borrowed_until", lease.borrowedUntil() == null ? null : lease.borrowedUntil().toString());
    }
}
