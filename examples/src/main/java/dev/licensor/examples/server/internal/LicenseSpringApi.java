package dev.licensor.examples.server.internal;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.examples.server.ResponseSigner;
import dev.licensor.examples.server.api.Reply;
import dev.licensor.examples.server.internal.LicenseSpringWire.BorrowResp;
import dev.licensor.examples.server.internal.LicenseSpringWire.ConsumptionResp;
import dev.licensor.examples.server.internal.LicenseSpringWire.DeviceBody;
import dev.licensor.examples.server.internal.LicenseSpringWire.ErrorResp;
import dev.licensor.examples.server.internal.LicenseSpringWire.LicenseResp;
import dev.licensor.floating.Activation;
import dev.licensor.floating.ConsumptionBalance;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The LicenseSpring License API v4 device calls under {@code /api/v4/}: binds the wire DTOs,
 * checks the HMAC request signature, calls {@link Licensor#floating()} and maps its
 * {@link Outcome} onto the wire through {@link CodeTables#licenseSpring}. Every answer, refusals
 * included, carries {@value ResponseSigner#HEADER} over its exact body bytes.
 * {@code GET /api/v4/signature_public_key} (no auth) serves the public key as PEM. When the
 * engine signs tokens, the activate, check and borrow answers carry its token as
 * {@code license_token}.
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
            "add_consumption", "POST",
            "signature_public_key", "GET");

    private final Licensor licensor;
    private final HmacAuth auth;
    private final Clock clock;
    private final ResponseSigner signer;
    /** Refusal body to its signature; cleared when full. */
    private final Map<String, String> refusalSignatures = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED_REFUSALS = 1024;
    private final java.util.concurrent.atomic.AtomicLong signatures = new java.util.concurrent.atomic.AtomicLong();
    /** Products never change once defined, so their defaults are cached (never a seat decision). */
    private final Map<String, Product> products = new ConcurrentHashMap<>();

    public LicenseSpringApi(Licensor licensor, HmacAuth auth, Clock clock, ResponseSigner signer) {
        this.licensor = licensor;
        this.auth = auth;
        this.clock = clock;
        this.signer = signer;
    }

    /** True for paths under {@code /api/v4}. */
    public static boolean owns(List<String> segments) {
        return segments.size() >= 2 && segments.get(0).equals("api") && segments.get(1).equals("v4");
    }

    /** True for a raw path under {@code /api/v4}; never throws. */
    public static boolean ownsRaw(String rawPath) {
        return rawPath != null && (rawPath.equals("/api/v4") || rawPath.startsWith("/api/v4/"));
    }

    /** Handles one call; never throws for a bad request. The answer is signed. */
    public Reply handle(Call call) {
        return sign(answer(call));
    }

    /** Signs a reply's exact body bytes (unless the signer is {@link ResponseSigner#unsigned}). */
    public Reply sign(Reply reply) {
        if (signer.isUnsigned()) {
            return reply;
        }
        if (reply.status() < 400) {
            signatures.incrementAndGet();
            return reply.withHeader(ResponseSigner.HEADER, signer.sign(reply.body()));
        }
        // Refusals repeat (most come before authentication, from anyone): an RSA signature each
        // would let unauthenticated calls buy milliseconds of CPU apiece. The signature covers the
        // body only and is deterministic, so a known body's signature is reused.
        String body = new String(reply.body(), StandardCharsets.UTF_8);
        String signature = refusalSignatures.get(body);
        if (signature == null) {
            if (refusalSignatures.size() >= MAX_CACHED_REFUSALS) {
                refusalSignatures.clear();
            }
            signatures.incrementAndGet();
            signature = signer.sign(reply.body());
            refusalSignatures.put(body, signature);
        }
        return reply.withHeader(ResponseSigner.HEADER, signature);
    }

    /** How many RSA signatures this mapping computed (refusals reuse theirs). */
    long signaturesComputed() {
        return signatures.get();
    }

    private Reply answer(Call call) {
        String op = String.join("/", call.segments().subList(2, call.segments().size()));
        try {
            String method = ENDPOINTS.get(op);
            if (method == null) {
                // the path is not echoed: a refusal before authentication has a fixed body (see sign)
                throw WireException.of(WireError.NOT_FOUND, "no such endpoint under /api/v4");
            }
            if (!method.equals(call.method())) {
                throw WireException.of(WireError.METHOD_NOT_ALLOWED, "/api/v4/" + op + " takes " + method);
            }
            if (op.equals("signature_public_key")) {
                return new Reply(200, "application/x-pem-file", signer.publicKeyPem().getBytes(StandardCharsets.US_ASCII),
                        Map.of());
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

    /** The JSON error body every failure gets (unsigned; {@link #handle} signs). */
    public static Reply error(int status, String code, String message) {
        return Bodies.write(status, new ErrorResp(status, code, message == null ? "" : message), false);
    }

    private static Reply failure(Code code, String message) {
        CodeTables.Wire w = CodeTables.licenseSpring(code);
        return error(w.status(), w.key(), message);
    }

    private static DeviceBody body(Call call) {
        String type = call.contentType();
        if (type != null && !Bodies.isJson(type)) {
            throw WireException.of(WireError.UNSUPPORTED_MEDIA_TYPE, "send application/json, not " + type);
        }
        return Bodies.bind(call.body(), false, DeviceBody.class);
    }

    private static DeviceRequest device(DeviceBody b) {
        return new DeviceRequest(b.product(), b.licenseKey(), b.username(), b.licenseId(), b.hardwareId());
    }

    private static DeviceRequest device(Map<String, String> query) {
        Long licenseId = null;
        String id = query.get("license_id");
        if (id != null && !id.isBlank()) {
            try {
                licenseId = Long.parseLong(id.trim());
            } catch (NumberFormatException e) {
                throw WireException.of(WireError.MALFORMED_URL, "license_id must be an integer");
            }
        }
        return new DeviceRequest(query.get("product"), query.get("license_key"), query.get("username"),
                licenseId, query.get("hardware_id"));
    }

    /** An ISO-8601 time; without an offset it is UTC (the vendor's clients send it so). */
    static Instant utc(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw WireException.of(WireError.MALFORMED_BODY,
                        "borrowed_until must be an ISO-8601 time, e.g. 2026-11-24T09:00:00Z or 2026-11-24T09:00:00");
            }
        }
    }

    private Reply activate(DeviceBody b) {
        Outcome<Activation> outcome = licensor.floating().activate(device(b));
        if (outcome instanceof Outcome.Failure<Activation> fail) {
            return failure(fail.code(), fail.message());
        }
        Activation activation = outcome.orElseThrow();
        License license = licensor.catalog().license(activation.licenseId())
                .orElseThrow(() -> new LicensingException(Code.LICENSE_NOT_FOUND, "license vanished"));
        return Bodies.write(200, license(license, null, activation, null, outcome.token()), false);
    }

    private Reply check(Call call) {
        Outcome<LicenseCheck> outcome = licensor.floating().check(device(call.query()));
        if (outcome instanceof Outcome.Failure<LicenseCheck> fail) {
            return failure(fail.code(), fail.message());
        }
        LicenseCheck check = outcome.orElseThrow();
        return Bodies.write(200, license(check.license(), check.lease(), null, check.seatsInUse(), outcome.token()),
                false);
    }

    private Reply borrow(DeviceBody b) {
        Instant until = utc(b.borrowedUntil());
        Outcome<Lease> outcome = licensor.floating().borrow(device(b), until);
        if (outcome instanceof Outcome.Failure<Lease> fail) {
            return failure(fail.code(), fail.message());
        }
        Lease lease = outcome.orElseThrow();
        License license = licensor.catalog().license(lease.licenseId())
                .orElseThrow(() -> new LicensingException(Code.LICENSE_NOT_FOUND, "license vanished"));
        long maxBorrow = license.effectiveMaxBorrowTime(product(license.product())).toHours();
        // The seat is kept until expiresAt; echo that, never an earlier time asked for in a re-borrow.
        return Bodies.write(200, new BorrowResp(lease.licenseId(), lease.hardwareId(), lease.hardwareId(),
                LicenseSpringWire.time(lease.grantedAt()), LicenseSpringWire.time(lease.expiresAt()), keptUntil(lease), maxBorrow,
                outcome.token()), false);
    }

    private static String keptUntil(Lease lease) {
        return lease.borrowedUntil() == null ? null : LicenseSpringWire.time(lease.expiresAt());
    }

    private Reply release(DeviceBody b) {
        Outcome<Void> outcome = licensor.floating().release(device(b));
        if (outcome instanceof Outcome.Failure<Void> fail) {
            return failure(fail.code(), fail.message());
        }
        return Reply.empty(200);
    }

    private Reply deactivate(DeviceBody b) {
        Outcome<Void> outcome = licensor.floating().deactivate(device(b));
        if (outcome instanceof Outcome.Failure<Void> fail) {
            return failure(fail.code(), fail.message());
        }
        return Bodies.write(200, "license_deactivated", false);
    }

    private Reply addConsumption(DeviceBody b) {
        long count = b.consumptions() == null ? 1 : b.consumptions();
        boolean overage = b.allowOverages() != null && b.allowOverages();
        Outcome<ConsumptionBalance> outcome = licensor.floating()
                .addConsumption(device(b), count, overage, b.maxOverages());
        if (outcome instanceof Outcome.Failure<ConsumptionBalance> fail) {
            return failure(fail.code(), fail.message());
        }
        ConsumptionBalance balance = outcome.orElseThrow();
        License license = licensor.catalog().license(balance.licenseId())
                .orElseThrow(() -> new LicensingException(Code.LICENSE_NOT_FOUND, "license vanished"));
        return Bodies.write(200, new ConsumptionResp(balance.licenseId(), balance.consumed(), balance.maxConsumptions(),
                balance.overage(), license.overageAllowed(), license.maxOverage()), false);
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

    /**
     * The license answer; {@code inUse} is {@code floating_in_use_devices} (a check's, counted in
     * its unit), null to leave it out; {@code token} is the outcome's signed token, null when the
     * engine signs none.
     */
    private LicenseResp license(License license, Lease lease, Activation activation, Integer inUse, String token) {
        Product product = product(license.product());
        Integer used = inUse;
        return new LicenseResp(license.id(), license.product(), license.key(), license.username(),
                license.type().name().toLowerCase(Locale.ROOT), license.enabled(), license.active(),
                license.isExpiredAt(clock.instant()),
                license.validUntil() == null ? null : LicenseSpringWire.time(license.validUntil()),
                license.maxActivations(), license.isFloating(), license.isFloating(), license.floatingSeats(),
                license.effectiveFloatingTimeout(product).toMinutes(), used, license.borrowAllowed(),
                license.effectiveMaxBorrowTime(product).toHours(), List.of(),
                activation != null ? activation.hardwareId() : lease != null ? lease.hardwareId() : null,
                activation == null ? null : LicenseSpringWire.time(activation.activatedAt()),
                lease == null ? null : LicenseSpringWire.time(lease.grantedAt()),
                lease == null ? null : LicenseSpringWire.time(lease.expiresAt()),
                lease == null ? null : keptUntil(lease), token);
    }
}
