package dev.licensor.examples.server;

import dev.licensor.Licensor;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.UsageSummary;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.testkit.MutableClock;
import dev.licensor.token.TokenSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A license server on port 0 over the in-memory store, loaded with the demo catalog, with a
 * clock the test moves by hand, and an HTTP client speaking to it over real loopback HTTP.
 *
 * <p>A test class holds one per test as {@code @RegisterExtension final ServerFixture f = new ServerFixture();}:
 * JUnit makes a new test instance (so a new server) for every test and closes it after the test.
 * A test that needs a second server opens one in try-with-resources.
 */
final class ServerFixture implements AutoCloseable, AfterEachCallback {
    static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
    static final String API_KEY = "demo-api-key";
    static final String SHARED_KEY = "demo-shared-key";
    static final String CV_TOKEN = "demo-commvault-token";
    static final String ADMIN_TOKEN = "demo-admin-token";
    /** One response signing key for every test server (RSA key generation is slow). */
    static final ResponseSigner SIGNER = ResponseSigner.ephemeral();

    /** The engine's and the server's clock; a test moves it by hand. */
    final MutableClock clock = new MutableClock(START);
    final MemoryLicenseStore store = new MemoryLicenseStore();
    final Licensor licensor;
    final CatalogFile.Applied catalog;
    final LicenseServer server;
    final HttpClient http;
    /** Whether exchanges are checked against the OpenAPI document, which describes the default Commvault root. */
    private final boolean documented;

    ServerFixture() {
        this(LicenseServer.DEFAULT_COMMVAULT_ROOT);
    }

    ServerFixture(String commvaultRoot) {
        this(commvaultRoot, null, b -> b);
    }

    /** A server over HTTPS with the given development certificate. */
    ServerFixture(DevCertificate tls) {
        this(LicenseServer.DEFAULT_COMMVAULT_ROOT, tls, b -> b);
    }

    /** A server with more settings (limits, timeouts, signer), over HTTPS if {@code tls} is given. */
    ServerFixture(String commvaultRoot, DevCertificate tls, java.util.function.UnaryOperator<LicenseServer.Builder> more) {
        this(commvaultRoot, tls, more, null);
    }

    /** A server whose engine signs tokens with {@code tokens} (served under {@code /signed/}), over HTTPS if {@code tls} is given. */
    static ServerFixture signing(TokenSigner tokens, DevCertificate tls) {
        return new ServerFixture(LicenseServer.DEFAULT_COMMVAULT_ROOT, tls, b -> b.tokenSigner(tokens), tokens);
    }

    private ServerFixture(String commvaultRoot, DevCertificate tls,
                          java.util.function.UnaryOperator<LicenseServer.Builder> more, TokenSigner tokens) {
        documented = commvaultRoot.equals(LicenseServer.DEFAULT_COMMVAULT_ROOT);
        HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            client.sslContext(tls.clientContext);
        }
        http = client.build();
        Licensor.Builder engine = Licensor.builder().store(store).clock(clock);
        licensor = (tokens == null ? engine : engine.signer(tokens)).build();
        CatalogFile demo = CatalogFile.demo();
        catalog = demo.applyTo(licensor);
        try {
            LicenseServer.Builder b = LicenseServer.builder(licensor).credentials(demo.credentials()).clock(clock).port(0)
                    .commvaultRoot(commvaultRoot).pools(catalog.pools()).signer(SIGNER);
            if (tls != null) {
                b.tls(tls.keystore, DevCertificate.PASSWORD);
            }
            server = more.apply(b).start();
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException(e);
        }
    }

    long pool(String name) {
        return catalog.pools().get(name);
    }

    URI uri(String pathAndQuery) {
        return URI.create(server.uri() + pathAndQuery);
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, null);
    }

    /**
     * Sends the request; an exchange on a documented route is checked against the OpenAPI
     * document ({@link OpenApiContract}), its JSON request body too when given.
     */
    HttpResponse<String> send(HttpRequest.Builder request, String body) {
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> r = http.send(built, HttpResponse.BodyHandlers.ofString());
            if (documented && OpenApiContract.template(built.uri().getRawPath()) != null) {
                OpenApiContract.assertValid(built, body, r);
            } else if (documented && r.statusCode() < 400) {
                throw new AssertionError("an undocumented route answered " + r.statusCode() + ": " + built.uri()
                        + " (add it to " + OpenApiContract.RESOURCE + ")");
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A LicenseSpring request signed now (by the server's clock) with the demo key. */
    HttpRequest.Builder signed(String pathAndQuery) {
        RequestSigner.Signed s = RequestSigner.sign(API_KEY, SHARED_KEY, clock.instant());
        return HttpRequest.newBuilder(uri(pathAndQuery)).header("Date", s.date()).header("Authorization", s.authorization());
    }

    HttpResponse<String> lsGet(String pathAndQuery) {
        return send(signed(pathAndQuery).GET());
    }

    HttpResponse<String> lsPost(String path, String json) {
        return send(signed(path).header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), json);
    }

    HttpResponse<String> cvPost(String path, String contentType, String accept, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authtoken", "QSDK " + CV_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        return send(b, body);
    }

    HttpResponse<String> cvGet(String path, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authtoken", "QSDK " + CV_TOKEN).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        return send(b);
    }

    HttpResponse<String> adminGet(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("Authtoken", ADMIN_TOKEN).GET());
    }

    /**
     * Everything a request could change, read through the engine: pool holders, every client's
     * held licenses, the usage report and the ledger (optionally without DENIED entries).
     */
    record State(Map<String, List<Lease>> holders, Map<String, List<HeldLicense>> held, List<UsageSummary> usage,
                 List<LedgerEntry> ledger) {
    }

    State state(boolean withDenials) {
        Map<String, List<Lease>> holders = new java.util.TreeMap<>();
        catalog.pools().forEach((name, id) -> holders.put(name, licensor.seats().holders(id).orElseThrow()));
        Map<String, List<HeldLicense>> held = new java.util.TreeMap<>();
        catalog.clientIds().keySet().forEach(c -> held.put(c, licensor.clients().consumed(ClientRef.name(c)).orElseThrow()));
        List<LedgerEntry> ledger = new ArrayList<>(licensor.ledger()
                .between(START.minus(Duration.ofDays(1)), START.plus(Duration.ofDays(365)), 100_000));
        if (!withDenials) {
            ledger.removeIf(e -> e.event() == LedgerEvent.DENIED);
        }
        return new State(holders, held, licensor.clients().usage(), ledger);
    }

    /** The state, DENIED ledger entries included. */
    State state() {
        return state(true);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
