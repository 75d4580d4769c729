package dev.licensor.examples.server.api;

import dev.licensor.Licensor;
import dev.licensor.examples.server.Credentials;
import dev.licensor.examples.server.ResponseSigner;
import dev.licensor.examples.server.internal.AdminApi;
import dev.licensor.examples.server.internal.AuthFailures;
import dev.licensor.examples.server.internal.Call;
import dev.licensor.examples.server.internal.CommvaultApi;
import dev.licensor.examples.server.internal.HmacAuth;
import dev.licensor.examples.server.internal.LicenseSpringApi;
import dev.licensor.examples.server.internal.SignedApi;
import dev.licensor.examples.server.internal.WireError;
import dev.licensor.examples.server.internal.WireException;
import dev.licensor.token.TokenSigner;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole wire mapping of the examples server, independent of any HTTP server: LicenseSpring
 * v4 under {@code /api/v4/}, Commvault under a web-service root, admin calls under
 * {@code /admin/}, and, when the engine signs tokens, the signed-token calls under
 * {@code /signed/}. A host mounts it in the framework it already runs (Spring, Javalin, Helidon)
 * by turning each request into an {@link ApiRequest} (with the body bounded to
 * {@link #maxBodyBytes()}) and writing the {@link Reply} back; {@code LicenseServer} is the thin
 * Jetty adapter. Refusals the host's server makes itself (bad URL, oversize header or body,
 * timeout) are rendered in the API's own format with {@link #refusal}.
 *
 * <pre>{@code
 * LicensorApi api = new LicensorApi(licensor, new LicensorApi.Config(credentials, clock,
 *         "/commandcenter/api", Map.of(), ResponseSigner.ephemeral(), 64 * 1024));
 * Reply reply = api.handle(new ApiRequest("GET", "/api/v4/check_license", query, headers, new byte[0]));
 * }</pre>
 *
 * <p>Thread-safe; one instance serves every request.
 */
public final class LicensorApi {
    private static final Logger log = LoggerFactory.getLogger(LicensorApi.class);

    /**
     * What the mapping needs besides the engine. Immutable and thread-safe.
     *
     * @param credentials   who may call
     * @param clock         the engine's clock (request-signature window, login idle time)
     * @param commvaultRoot the Commvault web-service root, e.g. {@code /commandcenter/api}
     * @param pools         floating licenses listed by {@code GET /admin/pools}, id by display name
     * @param signer        the LicenseSpring response signing key
     * @param maxBodyBytes  the largest body the host may pass
     * @param tokenSigner   the signer the engine was built with ({@code Licensor.builder().signer}), whose
     *                      public keys {@code GET /signed/keys} publishes; null when the engine signs no
     *                      tokens (then {@code /signed/} answers 404)
     */
    public record Config(Credentials credentials, Clock clock, String commvaultRoot, Map<String, Long> pools,
                         ResponseSigner signer, int maxBodyBytes, TokenSigner tokenSigner) {
        public Config {
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(commvaultRoot, "commvaultRoot");
            pools = Map.copyOf(pools);
            Objects.requireNonNull(signer, "signer");
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive");
            }
        }

        /** A configuration without signed tokens. */
        public Config(Credentials credentials, Clock clock, String commvaultRoot, Map<String, Long> pools,
                      ResponseSigner signer, int maxBodyBytes) {
            this(credentials, clock, commvaultRoot, pools, signer, maxBodyBytes, null);
        }
    }

    private final LicenseSpringApi licenseSpring;
    private final CommvaultApi commvault;
    private final AdminApi admin;
    /** Null when the engine signs no tokens. */
    private final SignedApi signed;
    private final int maxBody;
    private final AuthFailures authFailures;

    /**
     * The mapping over an engine.
     *
     * @throws dev.licensor.outcome.LicensingException {@code invalid_request} if
     *         {@link Config#tokenSigner()} is given but the engine was built without a signer
     */
    public LicensorApi(Licensor licensor, Config config) {
        Credentials c = config.credentials();
        HmacAuth auth = new HmacAuth(c.apiKeys(), config.clock());
        this.licenseSpring = new LicenseSpringApi(licensor, auth, config.clock(), config.signer());
        this.commvault = new CommvaultApi(licensor, config.commvaultRoot(), c.commvaultTokens(), c.commvaultUsers(),
                config.clock());
        this.admin = new AdminApi(licensor, config.clock(), config.pools(), c.adminTokens());
        this.signed = config.tokenSigner() == null ? null
                : new SignedApi(licensor, config.tokenSigner(), auth, c.adminTokens());
        this.maxBody = config.maxBodyBytes();
        this.authFailures = new AuthFailures(config.clock());
    }

    /** The largest body a host may pass to {@link #handle}; larger ones get {@link #refusal} 413. */
    public int maxBodyBytes() {
        return maxBody;
    }

    /**
     * The OpenAPI 3.1 document of every route, served at {@code GET /openapi.json}: the resource
     * {@code dev/licensor/examples/server/openapi.json}, kept in the repository and checked by the
     * tests against real exchanges.
     */
    private static final byte[] OPENAPI = openApi();

    private static byte[] openApi() {
        try (java.io.InputStream in = LicensorApi.class.getClassLoader()
                .getResourceAsStream("dev/licensor/examples/server/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Answers one request; never throws. */
    public Reply handle(ApiRequest request) {
        Reply reply = route(request);
        authFailures.observe(request, reply);
        return reply;
    }

    /**
     * Failed authentications answered so far (401, 429 of the login throttle, LicenseSpring
     * signature refusals), for the host's metrics; each is also logged, at most one line a second.
     */
    public long failedAuthentications() {
        return authFailures.total();
    }

    private Reply route(ApiRequest request) {
        try {
            if (request.body().length > maxBody) {
                return refusal(request.rawPath(), request.header("Accept"), request.header("Content-Type"), 413,
                        "the body is larger than " + maxBody + " bytes");
            }
            Call call = new Call(request);
            List<String> segments = call.segments();
            if (LicenseSpringApi.owns(segments)) {
                return licenseSpring.handle(call);
            }
            if (commvault.owns(segments)) {
                return commvault.handle(call);
            }
            if (AdminApi.owns(segments)) {
                return admin.handle(call);
            }
            if (segments.equals(List.of("openapi.json"))) {
                return call.method().equals("GET") ? new Reply(200, Reply.JSON, OPENAPI, java.util.Map.of())
                        : LicenseSpringApi.error(405, WireError.METHOD_NOT_ALLOWED.key(), "use GET").withHeader("Allow", "GET");
            }
            if (SignedApi.owns(segments)) {
                return signed != null ? signed.handle(call) : LicenseSpringApi.error(404, WireError.NOT_FOUND.key(),
                        "signed tokens are off: the engine has no token signer");
            }
            return LicenseSpringApi.error(404, WireError.NOT_FOUND.key(), "no endpoint " + request.rawPath());
        } catch (WireException e) {
            // Refused while routing (e.g. a bad percent-escape in the path).
            return render(request.rawPath(), request.header("Accept"), request.header("Content-Type"),
                    e.status(), e.number(), e.key(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("unexpected failure on {} {}", request.method(), request.rawPath(), e);
            return refusal(request.rawPath(), request.header("Accept"), request.header("Content-Type"), 500,
                    "internal error");
        }
    }

    /**
     * A refusal the host's HTTP server made before the request reached {@link #handle} (bad
     * URL, oversize header or body, timeout, overload), in the format of the API the path
     * belongs to: Commvault's {@code CVGui_GenericResp} (JSON or XML as asked), else the
     * LicenseSpring error JSON (signed under {@code /api/v4}). Never HTML.
     *
     * @param rawPath     the raw path if known, else null
     * @param accept      the {@code Accept} header if known
     * @param contentType the {@code Content-Type} header if known
     * @param status      the HTTP status the host's server chose
     * @param message     what went wrong
     */
    public Reply refusal(String rawPath, String accept, String contentType, int status, String message) {
        WireError e = WireError.forStatus(status);
        return render(rawPath, accept, contentType, e.status(), e.number(), e.key(), message);
    }

    private Reply render(String rawPath, String accept, String contentType, int status, int number, String key,
                         String message) {
        String m = message == null ? "" : message;
        if (rawPath != null && commvault.ownsRaw(rawPath)) {
            return CommvaultApi.generic(status, number, m, CommvaultApi.wantsXml(accept, contentType));
        }
        Reply reply = LicenseSpringApi.error(status, key, m);
        return LicenseSpringApi.ownsRaw(rawPath) ? licenseSpring.sign(reply) : reply;
    }
}
