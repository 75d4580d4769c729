package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The LicenseSpring v4 endpoints over real HTTP, on the demo catalog. */
class LicenseSpringApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAD_KEY = "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":\"%s\"}";

    @RegisterExtension
    final ServerFixture f = new ServerFixture();

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = json(r);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.size()).isEqualTo(3);
    }

    private int holders(String pool) {
        return f.licensor.seats().holders(f.pool(pool)).orElseThrow().size();
    }

    /** floating_in_use_devices comes with the check's outcome: the pool's holders once the check took effect. */
    @Test
    void checkAnswersTheSeatsInUseAsTheHoldersListThem() throws Exception {
        String check = "/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=";
        String pool = "cad-pro/CADPRO-FLOAT-5SEAT";
        assertThat(json(f.lsGet(check + "ws-0001")).get("floating_in_use_devices").asInt()).isEqualTo(1);
        assertThat(json(f.lsGet(check + "ws-0002")).get("floating_in_use_devices").asInt()).isEqualTo(2);
        // a refresh is no new seat
        f.clock.set(ServerFixture.START.plus(Duration.ofMinutes(20)));
        assertThat(json(f.lsGet(check + "ws-0001")).get("floating_in_use_devices").asInt()).isEqualTo(2)
                .isEqualTo(holders(pool));
        // ws-0002's seat lapsed at 09:30 (30-minute timeout): no longer in use, and swept by the next take
        f.clock.set(ServerFixture.START.plus(Duration.ofMinutes(40)));
        assertThat(json(f.lsGet(check + "ws-0001")).get("floating_in_use_devices").asInt()).isEqualTo(1)
                .isEqualTo(holders(pool));
        // a lapsed seat taken again counts once
        assertThat(json(f.lsGet(check + "ws-0002")).get("floating_in_use_devices").asInt()).isEqualTo(2)
                .isEqualTo(holders(pool));
        f.lsPost("/api/v4/floating/release", CAD_KEY.formatted("ws-0002"));
        assertThat(json(f.lsGet(check + "ws-0001")).get("floating_in_use_devices").asInt()).isEqualTo(1)
                .isEqualTo(holders(pool));
    }

    @Test
    void checkTakesASeatAndAnswersTheLicenseAndLease() throws Exception {
        HttpResponse<String> r = f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("license_key").asText()).isEqualTo("CADPRO-FLOAT-5SEAT");
        assertThat(body.get("is_floating_cloud").asBoolean()).isTrue();
        assertThat(body.get("floating_users").asInt()).isEqualTo(5);
        assertThat(body.get("floating_timeout").asInt()).isEqualTo(30);
        assertThat(body.get("hardware_id").asText()).isEqualTo("ws-0001");
        assertThat(body.get("floating_expires_at").asText()).isEqualTo("2026-11-23T09:30:00.000Z");
        assertThat(body.get("borrowed_until").isNull()).isTrue();
        assertThat(holders("cad-pro/CADPRO-FLOAT-5SEAT")).isEqualTo(1);

        // A second check refreshes the same seat, never a second one.
        f.clock.set(ServerFixture.START.plus(Duration.ofMinutes(10)));
        HttpResponse<String> again = f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001");
        assertThat(json(again).get("floating_expires_at").asText()).isEqualTo("2026-11-23T09:40:00.000Z");
        assertThat(holders("cad-pro/CADPRO-FLOAT-5SEAT")).isEqualTo(1);
    }

    @Test
    void activateCheckBorrowReleaseDeactivate() throws Exception {
        HttpResponse<String> activated = f.lsPost("/api/v4/activate_license", CAD_KEY.formatted("ws-new"));
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        assertThat(json(activated).get("hardware_id").asText()).isEqualTo("ws-new");
        assertThat(json(activated).get("activated_at").asText()).isEqualTo("2026-11-23T09:00:00.000Z");

        HttpResponse<String> borrowed = f.lsPost("/api/v4/floating/borrow",
                "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":\"ws-new\","
                        + "\"borrowed_until\":\"2026-11-24T09:00:00Z\"}");
        assertThat(borrowed.statusCode()).as(borrowed.body()).isEqualTo(200);
        assertThat(json(borrowed).get("borrowed_until").asText()).isEqualTo("2026-11-24T09:00:00.000Z");
        assertThat(holders("cad-pro/CADPRO-FLOAT-5SEAT")).isEqualTo(1);

        HttpResponse<String> tooLong = f.lsPost("/api/v4/floating/borrow",
                "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":\"ws-new\","
                        + "\"borrowed_until\":\"2026-12-24T09:00:00Z\"}");
        assertError(tooLong, 400, "borrow_until_not_valid");

        // a borrowed seat is kept until the borrow ends (issue 27 S2), then released as any other
        assertError(f.lsPost("/api/v4/floating/release", CAD_KEY.formatted("ws-new")), 400, "seat_borrowed");
        assertThat(holders("cad-pro/CADPRO-FLOAT-5SEAT")).isEqualTo(1);
        f.clock.set(java.time.Instant.parse("2026-11-24T09:00:00Z"));
        HttpResponse<String> released = f.lsPost("/api/v4/floating/release", CAD_KEY.formatted("ws-new"));
        assertThat(released.statusCode()).isEqualTo(200);
        assertThat(released.body()).isEmpty();
        assertThat(holders("cad-pro/CADPRO-FLOAT-5SEAT")).isZero();

        HttpResponse<String> deactivated = f.lsPost("/api/v4/deactivate_license", CAD_KEY.formatted("ws-new"));
        assertThat(deactivated.statusCode()).isEqualTo(200);
        assertThat(json(deactivated).asText()).isEqualTo("license_deactivated");
        assertError(f.lsPost("/api/v4/floating/release", CAD_KEY.formatted("ws-new")), 400, "device_not_found");
    }

    @Test
    void borrowIsRefusedWhereTheLicenseDoesNotAllowIt() throws Exception {
        HttpResponse<String> r = f.lsPost("/api/v4/floating/borrow",
                "{\"product\":\"cad-pro\",\"username\":\"alice@example.com\",\"hardware_id\":\"alice-laptop\"}");
        assertError(r, 400, "license_borrow_not_allowed");
    }

    @Test
    void addConsumptionCountsAndRefusesBeyondTheOverage() throws Exception {
        String body = "{\"product\":\"sim-meter\",\"license_key\":\"SIM-METER-1000\",\"hardware_id\":\"ws-0001\",\"consumptions\":%d%s}";
        HttpResponse<String> r = f.lsPost("/api/v4/add_consumption", body.formatted(990, ""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("total_consumptions").asLong()).isEqualTo(990);

        assertError(f.lsPost("/api/v4/add_consumption", body.formatted(20, "")), 400, "license_not_enough_consumptions");
        HttpResponse<String> over = f.lsPost("/api/v4/add_consumption", body.formatted(20, ",\"allow_overages\":true"));
        assertThat(json(over).get("total_consumptions").asLong()).isEqualTo(1010);
        assertThat(json(over).get("overage").asLong()).isEqualTo(10);

        // Without consumptions the call counts 1 (the vendor's default).
        HttpResponse<String> one = f.lsPost("/api/v4/add_consumption",
                "{\"product\":\"sim-meter\",\"license_key\":\"SIM-METER-1000\",\"hardware_id\":\"ws-0001\",\"allow_overages\":true}");
        assertThat(json(one).get("total_consumptions").asLong()).as(one.body()).isEqualTo(1011);
        // max_overages tightens the license's own cap (100): 1011 + 5 would be overage 16 > 15.
        assertError(f.lsPost("/api/v4/add_consumption", body.formatted(5, ",\"allow_overages\":true,\"max_overages\":15")),
                400, "license_not_enough_consumptions");
        HttpResponse<String> capped = f.lsPost("/api/v4/add_consumption",
                body.formatted(4, ",\"allow_overages\":true,\"max_overages\":15"));
        assertThat(json(capped).get("overage").asLong()).as(capped.body()).isEqualTo(15);
        assertError(f.lsPost("/api/v4/add_consumption",
                "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":\"ws-0001\",\"consumptions\":1}"),
                400, "license_not_consumption");
    }

    /** Seed 002: release by license key; the answer is 200 with an empty body and the seat is free. */
    @Test
    void seedReleaseByKey() throws Exception {
        f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0002");
        assertThat(holders("cad-pro/CADPRO-FLOAT-5SEAT")).isEqualTo(1);

        HttpResponse<String> r = f.lsPost("/api/v4/floating/release",
                "{\"hardware_id\":\"ws-0002\",\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(holders("cad-pro/CADPRO-FLOAT-5SEAT")).isZero();
    }

    /** Seed 002: release by username, with the optional license_id. */
    @Test
    void seedReleaseByUsername() throws Exception {
        long id = f.pool("cad-pro/alice@example.com");
        f.lsGet("/api/v4/check_license?product=cad-pro&username=alice%40example.com&hardware_id=alice-laptop");
        assertThat(holders("cad-pro/alice@example.com")).isEqualTo(1);

        HttpResponse<String> r = f.lsPost("/api/v4/floating/release",
                "{\"hardware_id\":\"alice-laptop\",\"product\":\"cad-pro\",\"username\":\"alice@example.com\",\"license_id\":" + id + "}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(holders("cad-pro/alice@example.com")).isZero();
    }

    /** Seed 002's seven release error codes, each HTTP 400 with its code, and no seat changed. */
    @ParameterizedTest
    @CsvSource({
            "unknown_product,        no-such-product, CADPRO-FLOAT-5SEAT, ws-0001",
            "license_not_found,      cad-pro,         NO-SUCH-KEY,        ws-0001",
            "license_not_active,     cad-pro,         CADPRO-FLOAT-5SEAT, ws-0001",
            "license_not_enabled,    render-farm,     RENDER-SUSPENDED,   ws-0001",
            "device_not_found,       cad-pro,         CADPRO-FLOAT-5SEAT, never-activated",
            "blacklisted,            cad-pro,         CADPRO-FLOAT-5SEAT, ws-0002",
            "floating_not_available, sim-meter,       SIM-METER-1000,     ws-0001"
    })
    void releaseErrors(String code, String product, String key, String hardwareId) throws Exception {
        f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001");
        f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0002");
        long cad = f.pool("cad-pro/CADPRO-FLOAT-5SEAT");
        if (code.equals("license_not_active")) {
            f.licensor.seats().setActive(cad, false).orElseThrow();
        }
        if (code.equals("blacklisted")) {
            f.licensor.seats().blacklist("cad-pro", "ws-0002").orElseThrow();
        }
        ServerFixture.State before = f.state(false);

        HttpResponse<String> r = f.lsPost("/api/v4/floating/release",
                "{\"hardware_id\":\"" + hardwareId + "\",\"product\":\"" + product + "\",\"license_key\":\"" + key + "\"}");

        assertError(r, 400, code);
        assertThat(f.state(false)).isEqualTo(before);
        assertThat(holders("cad-pro/CADPRO-FLOAT-5SEAT")).isEqualTo(2);
    }

    @Test
    void aFullPoolAnswersFloatingNotAvailable() throws Exception {
        HttpResponse<String> first = f.lsGet("/api/v4/check_license?product=cad-pro&username=alice%40example.com&hardware_id=alice-laptop");
        assertThat(first.statusCode()).isEqualTo(200);
        f.lsPost("/api/v4/activate_license", "{\"product\":\"cad-pro\",\"username\":\"alice@example.com\",\"hardware_id\":\"alice-desktop\"}");
        HttpResponse<String> second = f.lsGet("/api/v4/check_license?product=cad-pro&username=alice%40example.com&hardware_id=alice-desktop");
        assertError(second, 400, "floating_not_available");
        List<LedgerEntry> denials = f.state().ledger().stream().filter(e -> e.event() == LedgerEvent.DENIED).toList();
        assertThat(denials).singleElement().satisfies(e -> assertThat(e.subject()).isEqualTo("alice-desktop"));
    }

    @Test
    void activationsAreCappedAndExpiryComesFromTheServersClock() throws Exception {
        String alice = "{\"product\":\"cad-pro\",\"username\":\"alice@example.com\",\"hardware_id\":\"%s\"}";
        assertThat(f.lsPost("/api/v4/activate_license", alice.formatted("alice-2")).statusCode()).isEqualTo(200);
        assertThat(f.lsPost("/api/v4/activate_license", alice.formatted("alice-3")).statusCode()).isEqualTo(200);
        assertError(f.lsPost("/api/v4/activate_license", alice.formatted("alice-4")), 400, "license_activated_max_times");

        String render = "{\"product\":\"render-farm\",\"license_key\":\"RENDER-2027\",\"hardware_id\":\"farm-1\"}";
        HttpResponse<String> active = f.lsPost("/api/v4/activate_license", render);
        assertThat(json(active).get("validity_period").asText()).isEqualTo("2027-12-31T00:00:00.000Z");
        assertThat(json(active).get("is_expired").asBoolean()).isFalse();
        f.clock.set(java.time.Instant.parse("2028-01-01T00:00:00Z"));
        assertError(f.lsGet("/api/v4/check_license?product=render-farm&license_key=RENDER-2027&hardware_id=farm-1"),
                400, "license_expired");
    }

    /**
     * Every time in a LicenseSpring answer has one shape, whatever its value: a whole second, a
     * millisecond, a microsecond or a nanosecond time all print as {@code ...ss.SSSZ}, the
     * pattern ({@code %Y-%m-%dT%H:%M:%S.%fZ}) clients written against LicenseSpring parse with.
     * (Before: {@code Instant.toString}, 0, 3, 6 or 9 fractional digits.)
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2026-11-23T09:00:00Z           | 2026-11-23T09:00:00.000Z | 2026-11-23T09:30:00.000Z",
            "2026-11-23T09:00:00.120Z       | 2026-11-23T09:00:00.120Z | 2026-11-23T09:30:00.120Z",
            "2026-11-23T09:00:00.123456Z    | 2026-11-23T09:00:00.123Z | 2026-11-23T09:30:00.123Z",
            "2026-11-23T09:00:00.123456789Z | 2026-11-23T09:00:00.123Z | 2026-11-23T09:30:00.123Z"})
    void everyTimeHasExactlyThreeFractionalDigitsAndZ(String now, String activatedAt, String expiresAt) throws Exception {
        f.clock.set(java.time.Instant.parse(now));
        HttpResponse<String> activated = f.lsPost("/api/v4/activate_license", CAD_KEY.formatted("ws-time"));
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        assertThat(json(activated).get("activated_at").asText()).isEqualTo(activatedAt);
        JsonNode check = json(f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-time"));
        assertThat(check.get("floating_expires_at").asText()).isEqualTo(expiresAt);
        JsonNode borrowed = json(f.lsPost("/api/v4/floating/borrow",
                "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":\"ws-time\"}"));
        java.util.regex.Pattern shape = java.util.regex.Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        for (JsonNode body : List.of(json(activated), check, borrowed)) {
            body.properties().forEach(e -> {
                if (e.getKey().endsWith("_at") || e.getKey().endsWith("_until") || e.getKey().equals("validity_period")) {
                    if (!e.getValue().isNull()) {
                        assertThat(e.getValue().asText()).as(e.getKey()).matches(shape);
                    }
                }
            });
        }
        assertThat(borrowed.get("borrowed_until").asText()).matches(shape);
    }

    // ---- authentication ----

    private HttpResponse<String> checkWith(String date, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.uri(
                "/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001")).GET();
        if (date != null) {
            b.header("Date", date);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return f.send(b);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "missing date          | 400 | authorization_missing_params",
            "missing authorization | 400 | authorization_missing_params",
            "stale 16 minutes      | 400 | date_header_diff",
            "future 16 minutes     | 400 | date_header_diff",
            "unparsable date       | 400 | date_header_diff",
            "wrong shared key      | 401 | signature_mismatch",
            "unknown api key       | 400 | invalid_api_key",
            "signature of another date | 401 | signature_mismatch",
            "not base64            | 401 | signature_mismatch",
            "wrong algorithm       | 400 | hmac_required",
            "wrong header list     | 400 | authorization_invalid_headers",
            "incomplete header     | 400 | authorization_missing_params"
    })
    void badSignaturesAreRefusedAndChangeNothing(String kase, int status, String code) throws Exception {
        ServerFixture.State before = f.state();
        var now = f.clock.instant();
        RequestSigner.Signed good = RequestSigner.sign(ServerFixture.API_KEY, ServerFixture.SHARED_KEY, now);
        String oldDate = RequestSigner.httpDate(now.minus(Duration.ofMinutes(16)));
        String futureDate = RequestSigner.httpDate(now.plus(Duration.ofMinutes(16)));
        HttpResponse<String> r = switch (kase) {
            case "missing date" -> checkWith(null, good.authorization());
            case "missing authorization" -> checkWith(good.date(), null);
            case "stale 16 minutes" -> checkWith(oldDate, RequestSigner.authorization(ServerFixture.API_KEY, ServerFixture.SHARED_KEY, oldDate));
            case "future 16 minutes" -> checkWith(futureDate, RequestSigner.authorization(ServerFixture.API_KEY, ServerFixture.SHARED_KEY, futureDate));
            case "unparsable date" -> checkWith("yesterday", good.authorization());
            case "wrong shared key" -> checkWith(good.date(), RequestSigner.authorization(ServerFixture.API_KEY, "guess", good.date()));
            case "unknown api key" -> checkWith(good.date(), RequestSigner.authorization("who", ServerFixture.SHARED_KEY, good.date()));
            case "signature of another date" -> checkWith(good.date(), RequestSigner.authorization(ServerFixture.API_KEY,
                    ServerFixture.SHARED_KEY, RequestSigner.httpDate(now.minusSeconds(1))));
            case "not base64" -> checkWith(good.date(), "algorithm=\"hmac-sha256\",headers=\"date\",signature=\"%%%\",apikey=\"demo-api-key\"");
            case "wrong algorithm" -> checkWith(good.date(), good.authorization().replace("hmac-sha256", "hmac-sha1"));
            case "wrong header list" -> checkWith(good.date(), good.authorization().replace("headers=\"date\"", "headers=\"host\""));
            case "incomplete header" -> checkWith(good.date(), "algorithm=\"hmac-sha256\",headers=\"date\"");
            default -> throw new IllegalArgumentException(kase);
        };
        assertError(r, status, code);
        assertThat(f.state()).isEqualTo(before);
    }

    @Test
    void aDateWithinFifteenMinutesIsAccepted() {
        var signedAt = f.clock.instant().minus(Duration.ofMinutes(14));
        RequestSigner.Signed s = RequestSigner.sign(ServerFixture.API_KEY, ServerFixture.SHARED_KEY, signedAt);
        assertThat(checkWith(s.date(), s.authorization()).statusCode()).isEqualTo(200);
    }

    // ---- bad input on the wire ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"product\":\"cad-pro\",                          | 400 | malformed_body",
            "[1,2]                                              | 400 | malformed_body",
            "{\"a\":1} trailing                                 | 400 | malformed_body",
            "{\"product\":\"cad-pro\",\"product\":\"x\"}        | 400 | malformed_body",
            "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":5}          | 400 | malformed_body",
            "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":\"ws-0001\",\"license_id\":\"1\"} | 400 | malformed_body",
            "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":\"ws-0001\",\"license_id\":1.5}   | 400 | malformed_body",
            "{\"product\":[\"cad-pro\"],\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":\"ws-0001\"} | 400 | malformed_body",
            "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\"}                            | 400 | missing_parameters",
            "{\"product\":\"cad-pro\",\"license_key\":\"K\",\"username\":\"u\",\"hardware_id\":\"h\"}    | 400 | invalid_request"
    })
    void badBodiesAreRefusedWithAClearCodeAndChangeNothing(String body, int status, String code) throws Exception {
        f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001");
        ServerFixture.State before = f.state();
        assertError(f.lsPost("/api/v4/floating/release", body), status, code);
        assertThat(f.state()).isEqualTo(before);
    }

    @Test
    void emptyOversizeAndMistypedBodiesAndUnknownPaths() throws Exception {
        f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001");
        ServerFixture.State before = f.state();

        assertError(f.lsPost("/api/v4/floating/release", ""), 400, "malformed_body");
        String huge = "{\"product\":\"cad-pro\",\"license_key\":\"CADPRO-FLOAT-5SEAT\",\"hardware_id\":\"ws-0001\",\"pad\":\""
                + "x".repeat(70 * 1024) + "\"}";
        assertError(f.lsPost("/api/v4/floating/release", huge), 413, "body_too_large");
        assertError(f.send(f.signed("/api/v4/floating/release").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(CAD_KEY.formatted("ws-0001")))), 415, "unsupported_media_type");
        assertError(f.lsPost("/api/v4/no_such_call", "{}"), 404, "not_found");
        assertError(f.lsGet("/nowhere"), 404, "not_found");
        HttpResponse<String> wrongMethod = f.lsGet("/api/v4/floating/release");
        assertError(wrongMethod, 405, "method_not_allowed");
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
        assertError(f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001&license_id=abc"),
                400, "malformed_url");
        assertError(f.lsGet("/api/v4/check_license?product=cad-pro&product=x&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001"),
                400, "malformed_url");

        assertThat(f.state()).isEqualTo(before);
        // The server still answers normally afterwards (the oversize body's connection was dropped).
        HttpResponse<String> release = f.lsPost("/api/v4/floating/release", CAD_KEY.formatted("ws-0001"));
        assertThat(release.statusCode()).isEqualTo(200);
    }
}
