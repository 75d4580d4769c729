package dev.licensor.examples.server.internal;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.licensor.Licensor;
import dev.licensor.examples.server.api.Reply;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import dev.licensor.token.TokenSigner;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The signed-token endpoints under {@code /signed/}, JSON only:
 * <ul>
 *   <li>{@code GET /signed/keys} (no auth): the published public keys, a JWK Set;</li>
 *   <li>{@code POST /signed/check} (LicenseSpring HMAC auth): {@code {product, license_key | username,
 *       license_id?, hardware_id}} → {@code {"token": …}}, a signed lease (a license file for a
 *       license that is not floating);</li>
 *   <li>{@code POST /signed/borrow} (LicenseSpring HMAC auth): the same plus optional
 *       {@code borrowed_until} → {@code {"token": …}}, a signed borrowed lease;</li>
 *   <li>{@code POST /signed/return} (LicenseSpring HMAC auth): the device fields plus
 *       {@code borrow_token}, the borrowed lease → {@code {}}: the borrow ends early (the seat is
 *       freed only with the latest borrowed lease of this seat; a plain release is refused while
 *       the borrow lasts);</li>
 *   <li>{@code POST /signed/offline_activation} (admin {@code Authtoken}): {@code {"request": …}}
 *       made by {@code ActivationRequests.encode} on the device → {@code {"license_file": …}}.</li>
 * </ul>
 * Unknown request fields are refused (a typo never passes silently). Refusals are the
 * LicenseSpring error body {@code {status, code, message}} with the same code table.
 *
 * <p>Thread-safe.
 */
public final class SignedApi {
    /** The endpoints, by path below {@code /signed/}, with their method. */
    private static final Map<String, String> ENDPOINTS = Map.of(
            "keys", "GET", "check", "POST", "borrow", "POST", "return", "POST", "offline_activation", "POST");

    private final Licensor licensor;
    private final TokenSigner signer;
    private final HmacAuth auth;
    private final Tokens adminTokens;

    /**
     * @param licensor    an engine built with {@code signer}
     * @param signer      the engine's token signer, whose public keys {@code /signed/keys} publishes
     * @param auth        the LicenseSpring device auth (check, borrow)
     * @param adminTokens the admin tokens (offline activation)
     * @throws LicensingException {@code invalid_request} if the engine has no signer
     */
    public SignedApi(Licensor licensor, TokenSigner signer, HmacAuth auth, Set<String> adminTokens) {
        this.licensor = licensor;
        this.signer = signer;
        this.auth = auth;
        this.adminTokens = new Tokens(adminTokens);
        licensor.offline(); // fails fast if the engine was built without a signer
    }

    /** True for paths under {@code /signed}. */
    public static boolean owns(List<String> segments) {
        return !segments.isEmpty() && segments.get(0).equals("signed");
    }

    /** The body of check and borrow. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DeviceBody(String product, String licenseKey, String username, Long licenseId, String hardwareId,
                      String borrowedUntil, String borrowToken) {
    }

    /** The body of an offline activation. */
    record OfflineBody(String request) {
    }

    /** A signed lease (or license file) for check and borrow. */
    record TokenResp(String token) {
    }

    /** A signed license file for an offline activation. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record LicenseFileResp(String licenseFile) {
    }

    /** Handles one call; never throws for a bad request. */
    public Reply handle(Call call) {
        String op = String.join("/", call.segments().subList(1, call.segments().size()));
        try {
            String method = ENDPOINTS.get(op);
            if (method == null) {
                throw WireException.of(WireError.NOT_FOUND, "no endpoint /signed/" + op
                        + " (GET /signed/keys; POST /signed/check, /signed/borrow, /signed/return,"
                        + " /signed/offline_activation)");
            }
            if (!method.equals(call.method())) {
                throw WireException.of(WireError.METHOD_NOT_ALLOWED, "/signed/" + op + " takes " + method);
            }
            return switch (op) {
                case "keys" -> new Reply(200, "application/jwk-set+json",
                        signer.jwks().getBytes(StandardCharsets.UTF_8), Map.of());
                case "check" -> device(call, false);
                case "borrow" -> device(call, true);
                case "return" -> giveBack(call);
                default -> offline(call);
            };
        } catch (WireException e) {
            Reply reply = LicenseSpringApi.error(e.status(), e.key(), e.getMessage());
            return e.status() == 405 ? reply.withHeader("Allow", ENDPOINTS.get(op)) : reply;
        } catch (LicensingException e) {
            return failure(e.code(), e.getMessage());
        }
    }

    private Reply device(Call call, boolean borrow) {
        auth.verify(call);
        DeviceBody b = json(call, DeviceBody.class);
        if (!borrow && b.borrowedUntil() != null) {
            throw WireException.of(WireError.MALFORMED_BODY, "borrowed_until belongs to /signed/borrow");
        }
        if (b.borrowToken() != null) {
            throw WireException.of(WireError.MALFORMED_BODY, "borrow_token belongs to /signed/return");
        }
        DeviceRequest request = new DeviceRequest(b.product(), b.licenseKey(), b.username(), b.licenseId(),
                b.hardwareId());
        Outcome<?> o;
        if (borrow) {
            Instant until = LicenseSpringApi.utc(b.borrowedUntil());
            o = licensor.floating().borrow(request, until);
        } else {
            o = licensor.floating().check(request);
        }
        if (o instanceof Outcome.Failure<?> f) {
            return failure(f.code(), f.message());
        }
        return Bodies.write(200, new TokenResp(o.token()), false);
    }

    /** Ends a borrow early, proven by the borrowed lease ({@code FloatingLicenses.returnBorrow}). */
    private Reply giveBack(Call call) {
        auth.verify(call);
        DeviceBody b = json(call, DeviceBody.class);
        if (b.borrowedUntil() != null) {
            throw WireException.of(WireError.MALFORMED_BODY, "borrowed_until belongs to /signed/borrow");
        }
        if (b.borrowToken() == null || b.borrowToken().isBlank()) {
            throw WireException.of(Code.MISSING_PARAMETERS, "the body needs borrow_token, the borrowed lease");
        }
        Outcome<Void> o = licensor.floating().returnBorrow(new DeviceRequest(b.product(), b.licenseKey(), b.username(),
                b.licenseId(), b.hardwareId()), b.borrowToken());
        if (o instanceof Outcome.Failure<?> f) {
            return failure(f.code(), f.message());
        }
        return new Reply(200, Reply.JSON, "{}".getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private Reply offline(Call call) {
        String header = call.header("Authtoken");
        if (header == null || header.isBlank()) {
            throw WireException.of(WireError.UNAUTHORIZED, "the Authtoken header with an admin token is required");
        }
        if (!adminTokens.accepts(header.trim())) {
            throw WireException.of(WireError.UNAUTHORIZED, "the Authtoken is not an admin token");
        }
        OfflineBody b = json(call, OfflineBody.class);
        if (b.request() == null || b.request().isBlank()) {
            throw WireException.of(Code.MISSING_PARAMETERS, "the body needs request (from ActivationRequests.encode)");
        }
        Outcome<?> o = licensor.offline().activate(b.request());
        if (o instanceof Outcome.Failure<?> f) {
            return failure(f.code(), f.message());
        }
        return Bodies.write(200, new LicenseFileResp(o.token()), false);
    }

    private static <T> T json(Call call, Class<T> type) {
        String ct = call.contentType();
        if (ct != null && !Bodies.isJson(ct)) {
            throw WireException.of(WireError.UNSUPPORTED_MEDIA_TYPE, "send application/json, not " + ct);
        }
        return Bodies.bindStrict(call.body(), type);
    }

    private static Reply failure(Code code, String message) {
        CodeTables.Wire w = CodeTables.licenseSpring(code);
        return LicenseSpringApi.error(w.status(), w.key(), message);
    }
}
