package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.licensor.Licensor;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.postgresql.PostgresLicenseStore;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import dev.licensor.store.sqlite.SqliteLicenseStore;
import dev.licensor.testkit.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin catalog API end to end over real HTTP, on SQLite and on a real PostgreSQL server:
 * create a product and a license, sell seats, check out from a device (LicenseSpring, signed),
 * change seats, suspend, list and delete; each change audited in the ledger. Every exchange is
 * validated against the OpenAPI document ({@link OpenApiContract}).
 */
@ExtendWith(PgExtension.class)
class AdminCatalogOverHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(ServerFixture.START);
    private LicenseStore store;
    private LicenseServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private Licensor licensor;

    private void start(LicenseStore s) throws IOException {
        store = s;
        licensor = Licensor.builder().store(store).clock(clock).build();
        server = LicenseServer.builder(licensor).credentials(CatalogFile.demo().credentials()).clock(clock).port(0)
                .signer(ServerFixture.SIGNER).start();
    }

    @Test
    void theWholeLifeOfALicenseOverHttpOnSqlite() throws Exception {
        start(SqliteLicenseStore.open(dir.resolve("admin.db")));
        lifeOfALicense();
    }

    @Test
    void theWholeLifeOfALicenseOverHttpOnPostgresql() throws Exception {
        PgServer pg = PgServer.shared();
        start(PostgresLicenseStore.builder(pg.dataSource()).schema(PgServer.freshSchema("admin_http")).open());
        lifeOfALicense();
    }

    @Test
    void productsAndClientsChangeAndGoOverHttpOnSqlite() throws Exception {
        start(SqliteLicenseStore.open(dir.resolve("admin2.db")));
        productsAndClients();
    }

    @Test
    void productsAndClientsChangeAndGoOverHttpOnPostgresql() throws Exception {
        PgServer pg = PgServer.shared();
        start(PostgresLicenseStore.builder(pg.dataSource()).schema(PgServer.freshSchema("admin_http2")).open());
        productsAndClients();
    }

    // ---- requests, each checked against the OpenAPI document

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        HttpRequest request = b.timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        OpenApiContract.assertValid(request, null, r);
        return r;
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + path)).header("Authtoken", ServerFixture.ADMIN_TOKEN);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpRequest request = b.timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        OpenApiContract.assertValid(request, body, r);
        return r;
    }

    private HttpResponse<String> device(String method, String pathAndQuery, String body) throws Exception {
        RequestSigner.Signed s = RequestSigner.sign(ServerFixture.API_KEY, ServerFixture.SHARED_KEY, clock.instant());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + pathAndQuery))
                .header("Date", s.date()).header("Authorization", s.authorization());
        if (body != null) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.GET();
        }
        HttpRequest request = b.timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        OpenApiContract.assertValid(request, body, r);
        return r;
    }

    private static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.request().method() + " " + r.uri() + ": " + r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    private static void refused(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo(code);
    }

    private void lifeOfALicense() throws Exception {
        // a product and a license, created when a customer buys
        JsonNode product = ok(call("POST", "/admin/products",
                "{\"code\":\"vis\",\"name\":\"Vis Pro\",\"floating_timeout\":15,\"max_borrow_time\":24}"), 201);
        assertThat(product.get("code").asText()).isEqualTo("vis");
        ok(call("GET", "/admin/products/vis", null), 200);
        JsonNode license = ok(call("POST", "/admin/licenses",
                "{\"product\":\"vis\",\"license_key\":\"VIS-TEAM\",\"max_activations\":10,\"floating_users\":1}"), 201);
        long id = license.get("id").asLong();
        assertThat(license.get("floating_users").asInt()).isEqualTo(1);
        refused(call("POST", "/admin/licenses", "{\"product\":\"vis\",\"license_key\":\"VIS-TEAM\"}"), 400, "already_exists");
        refused(call("POST", "/admin/licenses", "{\"product\":\"vis\",\"license_key\":\"X\",\"seats\":3}"), 400, "invalid_request");

        // sell two more seats
        assertThat(ok(call("PATCH", "/admin/licenses/" + id, "{\"floating_users\":3}"), 200)
                .get("floating_users").asInt()).isEqualTo(3);

        // devices check out
        String cad = "{\"product\":\"vis\",\"license_key\":\"VIS-TEAM\",\"hardware_id\":\"%s\"}";
        for (String hw : List.of("ws-1", "ws-2")) {
            ok(device("POST", "/api/v4/activate_license", cad.formatted(hw)), 200);
            JsonNode seat = ok(device("GET", "/api/v4/check_license?product=vis&license_key=VIS-TEAM&hardware_id=" + hw, null), 200);
            assertThat(seat.get("floating_expires_at").asText()).isEqualTo("2026-11-23T09:15:00.000Z");
        }

        // seats go down to what is held, not below
        refused(call("PATCH", "/admin/licenses/" + id, "{\"floating_users\":1}"), 400, "license_in_use");
        assertThat(ok(call("PATCH", "/admin/licenses/" + id, "{\"floating_users\":2,\"valid_until\":null}"), 200)
                .get("floating_users").asInt()).isEqualTo(2);
        ok(device("POST", "/api/v4/activate_license", cad.formatted("ws-3")), 200);
        refused(device("GET", "/api/v4/check_license?product=vis&license_key=VIS-TEAM&hardware_id=ws-3", null), 400,
                "floating_not_available");

        // suspend: devices are refused, seats held are kept; resume
        assertThat(ok(call("POST", "/admin/licenses/" + id + "/suspend", null), 200).get("active").asBoolean()).isFalse();
        refused(device("GET", "/api/v4/check_license?product=vis&license_key=VIS-TEAM&hardware_id=ws-1", null), 400,
                "license_not_active");

        // list: by product, by state, page by page
        ok(call("POST", "/admin/licenses", "{\"product\":\"vis\",\"username\":\"ann@example.com\"}"), 201);
        ok(call("POST", "/admin/licenses", "{\"product\":\"vis\",\"license_key\":\"VIS-SOLO\",\"license_type\":\"subscription\","
                + "\"valid_until\":\"2027-01-01T00:00:00Z\"}"), 201);
        List<String> names = new ArrayList<>();
        String next = "0";
        while (next != null) {
            JsonNode page = ok(call("GET", "/admin/licenses?product=vis&limit=2&after=" + next, null), 200);
            assertThat(page.get("licenses").size()).isLessThanOrEqualTo(2);
            page.get("licenses").forEach(l -> names.add(l.hasNonNull("license_key") ? l.get("license_key").asText()
                    : l.get("username").asText()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
        }
        assertThat(names).containsExactly("VIS-TEAM", "ann@example.com", "VIS-SOLO");
        JsonNode suspended = ok(call("GET", "/admin/licenses?state=suspended", null), 200);
        assertThat(suspended.get("licenses")).hasSize(1);
        assertThat(suspended.get("next").isNull()).isTrue();
        assertThat(ok(call("GET", "/admin/licenses?username=ann@example.com", null), 200).get("licenses")).hasSize(1);
        refused(call("GET", "/admin/licenses?state=sleeping", null), 400, "invalid_request");
        refused(call("GET", "/admin/licenses?limit=5000", null), 400, "invalid_request");
        ok(call("POST", "/admin/licenses/" + id + "/resume", null), 200);

        // delete: refused while a seat is held, then done; the key stays taken
        refused(call("DELETE", "/admin/licenses/" + id, null), 400, "license_in_use");
        for (String hw : List.of("ws-1", "ws-2")) {
            ok(device("POST", "/api/v4/floating/release", cad.formatted(hw)), 200);
        }
        ok(call("DELETE", "/admin/licenses/" + id, null), 204);
        refused(call("GET", "/admin/licenses/" + id, null), 400, "license_not_found");
        refused(call("POST", "/admin/licenses", "{\"product\":\"vis\",\"license_key\":\"VIS-TEAM\"}"), 400, "already_exists");
        refused(device("GET", "/api/v4/check_license?product=vis&license_key=VIS-TEAM&hardware_id=ws-1", null), 400,
                "license_not_found");

        // clients
        JsonNode client = ok(call("POST", "/admin/clients", "{\"name\":\"build-01\",\"platform_type\":1,\"host_name\":\"b1\"}"), 201);
        ok(call("POST", "/admin/clients", "{\"name\":\"build-02\"}"), 201);
        JsonNode clients = ok(call("GET", "/admin/clients?limit=1", null), 200);
        assertThat(clients.get("clients").get(0).get("name").asText()).isEqualTo("build-01");
        assertThat(clients.get("next").asLong()).isEqualTo(client.get("id").asLong());
        assertThat(ok(call("GET", "/admin/clients/" + client.get("id").asLong(), null), 200).get("licenses")).isEmpty();

        // every change is in the ledger, in order
        JsonNode ledger = ok(call("GET", "/admin/ledger", null), 200);
        List<String> admin = new ArrayList<>();
        ledger.get("entries").forEach(e -> {
            String event = e.get("event").asText();
            if (List.of("LICENSE_CHANGED", "SUSPENDED", "RESUMED", "LICENSE_DELETED").contains(event)) {
                admin.add(event + " " + e.get("detail").asText());
            }
        });
        assertThat(admin).containsExactly("LICENSE_CHANGED floatingSeats=1->3", "LICENSE_CHANGED floatingSeats=3->2",
                "SUSPENDED ", "RESUMED ", "LICENSE_DELETED product vis, key VIS-TEAM");
        // and so is every creation, each naming the admin token that made it
        String actor = dev.licensor.examples.server.internal.AdminApi.actor(ServerFixture.ADMIN_TOKEN).name();
        List<String> created = new ArrayList<>();
        ledger.get("entries").forEach(e -> {
            String event = e.get("event").asText();
            if (List.of("PRODUCT_DEFINED", "LICENSE_CREATED", "CLIENT_REGISTERED").contains(event)
                    && e.get("actor").asText().equals(actor)) {
                created.add(event + " " + e.get("subject").asText());
            }
        });
        assertThat(created).containsExactly("PRODUCT_DEFINED vis", "LICENSE_CREATED ", "LICENSE_CREATED ",
                "LICENSE_CREATED ", "CLIENT_REGISTERED build-01", "CLIENT_REGISTERED build-02");

        // the admin credential is its own
        HttpRequest.Builder noToken = HttpRequest.newBuilder(URI.create(server.uri() + "/admin/licenses")).GET();
        refused(send(noToken), 401, "unauthorized");
        HttpRequest.Builder cvToken = HttpRequest.newBuilder(URI.create(server.uri() + "/admin/licenses"))
                .header("Authtoken", "QSDK " + ServerFixture.CV_TOKEN).GET();
        refused(send(cvToken), 401, "unauthorized");
        refused(call("PUT", "/admin/licenses", null), 405, "method_not_allowed");
    }

    private void productsAndClients() throws Exception {
        // products page by code, in code point order
        for (String code : List.of("cam", "CAD", "cad")) {
            ok(call("POST", "/admin/products", "{\"code\":\"" + code + "\",\"name\":\"" + code + "\",\"floating_timeout\":15}"), 201);
        }
        List<String> codes = new ArrayList<>();
        String next = "";
        while (next != null) {
            JsonNode page = ok(call("GET", "/admin/products?limit=2&after=" + next, null), 200);
            page.get("products").forEach(p -> codes.add(p.get("code").asText()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
        }
        assertThat(codes).containsExactly("CAD", "cad", "cam");
        refused(call("GET", "/admin/products?limit=0", null), 400, "invalid_request");

        // a changed default reaches the next refresh at once
        ok(call("POST", "/admin/licenses", "{\"product\":\"cad\",\"license_key\":\"CAD-1\",\"max_activations\":2,"
                + "\"floating_users\":1}"), 201);
        String ws = "{\"product\":\"cad\",\"license_key\":\"CAD-1\",\"hardware_id\":\"ws-1\"}";
        ok(device("POST", "/api/v4/activate_license", ws), 200);
        String check = "/api/v4/check_license?product=cad&license_key=CAD-1&hardware_id=ws-1";
        assertThat(ok(device("GET", check, null), 200).get("floating_expires_at").asText()).isEqualTo("2026-11-23T09:15:00.000Z");
        JsonNode changed = ok(call("PATCH", "/admin/products/cad", "{\"name\":\"CAD Pro\",\"floating_timeout\":45}"), 200);
        assertThat(changed.get("name").asText()).isEqualTo("CAD Pro");
        assertThat(changed.get("max_borrow_time").asInt()).isEqualTo(72);
        assertThat(ok(device("GET", check, null), 200).get("floating_expires_at").asText()).isEqualTo("2026-11-23T09:45:00.000Z");
        refused(call("PATCH", "/admin/products/cad", "{\"code\":\"cax\"}"), 400, "invalid_request");
        refused(call("PATCH", "/admin/products/cad", "{}"), 400, "invalid_request");
        refused(call("PATCH", "/admin/products/nope", "{\"name\":\"x\"}"), 400, "unknown_product");

        // a product goes only once it has no license
        refused(call("DELETE", "/admin/products/cad", null), 400, "product_in_use");
        ok(device("POST", "/api/v4/floating/release", ws), 200);
        long license = ok(call("GET", "/admin/licenses?product=cad", null), 200).get("licenses").get(0).get("id").asLong();
        ok(call("DELETE", "/admin/licenses/" + license, null), 204);
        ok(call("DELETE", "/admin/products/cad", null), 204);
        refused(call("GET", "/admin/products/cad", null), 400, "unknown_product");
        refused(call("DELETE", "/admin/products/cad", null), 400, "unknown_product");
        refused(device("GET", check, null), 400, "unknown_product");
        refused(call("PUT", "/admin/products/cam", "{}"), 405, "method_not_allowed");

        // a client changes its host, and goes once it holds nothing
        long client = ok(call("POST", "/admin/clients", "{\"name\":\"build-01\",\"host_name\":\"b1\"}"), 201).get("id").asLong();
        JsonNode moved = ok(call("PATCH", "/admin/clients/" + client, "{\"host_name\":\"b1.example.com\",\"platform_type\":2}"), 200);
        assertThat(moved.get("host_name").asText()).isEqualTo("b1.example.com");
        assertThat(moved.get("name").asText()).isEqualTo("build-01");
        refused(call("PATCH", "/admin/clients/" + client, "{\"name\":\"build-02\"}"), 400, "invalid_request");
        dev.licensor.catalog.ClientLicense server = licensor.catalog().defineClientLicense(
                dev.licensor.catalog.ClientLicense.draft(1, 10, 0, "Server", 5, 0, null)).orElseThrow();
        licensor.clients().consume(new dev.licensor.clients.ConsumeRequest(dev.licensor.clients.ClientRef.id(client),
                1, 10, 0, false)).orElseThrow();
        refused(call("DELETE", "/admin/clients/" + client, null), 400, "client_in_use");
        licensor.clients().release(new dev.licensor.clients.ClientLicensesRequest(true, dev.licensor.clients.ClientRef.id(client),
                List.of(new dev.licensor.clients.LicenseSelector(1, 10, 0, server.licenseName())))).orElseThrow();
        ok(call("DELETE", "/admin/clients/" + client, null), 204);
        refused(call("GET", "/admin/clients/" + client, null), 400, "client_not_found");
        refused(call("DELETE", "/admin/clients/" + client, null), 400, "client_not_found");
        refused(call("PATCH", "/admin/clients/x1", "{\"host_name\":\"h\"}"), 400, "malformed_url");

        // each change is in the ledger, naming the admin token that made it
        String actor = dev.licensor.examples.server.internal.AdminApi.actor(ServerFixture.ADMIN_TOKEN).name();
        List<String> admin = new ArrayList<>();
        ok(call("GET", "/admin/ledger", null), 200).get("entries").forEach(e -> {
            String event = e.get("event").asText();
            if (List.of("PRODUCT_CHANGED", "PRODUCT_DELETED", "CLIENT_CHANGED", "CLIENT_DELETED").contains(event)) {
                assertThat(e.get("actor").asText()).isEqualTo(actor);
                admin.add(event + " " + e.get("subject").asText() + " | " + e.get("detail").asText());
            }
        });
        assertThat(admin).containsExactly("PRODUCT_CHANGED cad | name=cad->CAD Pro, floatingTimeout=PT15M->PT45M",
                "PRODUCT_DELETED cad | name CAD Pro", "CLIENT_CHANGED build-01 | platformType=1->2, hostName=b1->b1.example.com",
                "CLIENT_DELETED build-01 | client " + client);
    }
}
