package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken connections against the real server over loopback: slow-loris bodies,
 * malformed URLs, oversize headers and bodies, deep XML. Every answer is in the API's own format
 * (JSON, or XML where asked on the Commvault root), never HTML, never a silent drop.
 */
class HostileConnectionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WORKERS = 8;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final ServerFixture f = new ServerFixture(LicenseServer.DEFAULT_COMMVAULT_ROOT, null,
            b -> b.threads(WORKERS).requestTimeout(REQUEST_TIMEOUT).idleTimeout(Duration.ofSeconds(5)));
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        f.close();
    }

    private Socket open() throws IOException {
        Socket s = new Socket(f.server.uri().getHost(), f.server.uri().getPort());
        s.setSoTimeout(15_000);
        sockets.add(s);
        return s;
    }

    /** A raw HTTP exchange: status line, headers (lower-cased names) and body, read until close. */
    record Raw(int status, String headers, String body) {
        String contentType() {
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    return line.substring(13).trim();
                }
            }
            return "";
        }
    }

    private static Raw read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        try {
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // A keep-alive connection stays open; what arrived is the answer.
        }
        String text = all.toString(StandardCharsets.UTF_8);
        assertThat(text).as("an answer, not a dropped connection").startsWith("HTTP/1.1 ");
        int end = text.indexOf("\r\n\r\n");
        return new Raw(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
    }

    private Raw exchange(String request) throws IOException {
        Socket s = open();
        s.setSoTimeout(5_000);
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return read(s);
    }

    private static void assertJsonError(Raw r, int status, String code) throws IOException {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.body()).doesNotContainIgnoringCase("<html");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("status").asInt()).isEqualTo(status);
    }

    @Test
    void slowLorisBodiesDoNotStarveOtherClients() throws Exception {
        String check = "/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001";
        assertThat(f.lsGet(check).statusCode()).isEqualTo(200); // warm up the client and the server
        // Three times as many connections as workers, each sending headers and half a body, then stalling.
        List<Socket> loris = new ArrayList<>();
        for (int i = 0; i < WORKERS * 3; i++) {
            Socket s = open();
            s.getOutputStream().write(("POST /api/v4/floating/release HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 200\r\n\r\n{\"product\":\"cad-").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            loris.add(s);
        }
        // A normal client is still answered promptly (the bound is generous for a loaded CI box;
        // the JDK server this replaced answered only after minutes).
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = f.lsGet(check);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(millis).as("answer time in ms with %d stalled bodies", loris.size()).isLessThan(1_000);
        }
        // Each stalled request is answered 408 in the API's format once the request timeout passes.
        for (Socket s : loris) {
            assertJsonError(read(s), 408, "request_timeout");
        }
    }

    @Test
    void malformedUrlsGetTheApisErrorFormat() throws Exception {
        assertJsonError(exchange("GET /api/v4/check_license?product=%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
                400, "malformed_url");
        // A path Jetty cannot parse reaches the error handler without path or headers: default JSON form.
        Raw path = exchange("GET /commandcenter/api/Client/%zz/License HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.contentType()).startsWith("application/json");
        assertThat(JSON.readTree(path.body()).get("code").asText()).isIn("malformed_url", "bad_message");
        // On the Commvault root, in the format asked for.
        Raw xml = exchange("GET /commandcenter/api/Client/1/License?x=%zz HTTP/1.1\r\nHost: localhost\r\nAccept: application/xml\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(xml.status()).isEqualTo(400);
        assertThat(xml.contentType()).as(xml.body()).startsWith("application/xml");
        assertThat(xml.body()).startsWith("<CVGui_GenericResp errorCode=\"610\"");
        Raw garbage = exchange("GARBAGE\r\n\r\n");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.body()).doesNotContainIgnoringCase("<html");
        assertThat(JSON.readTree(garbage.body()).get("status").asInt()).isEqualTo(400);
    }

    @Test
    void unsupportedHttpVersionsAreTheClientsFaultNotAServerError() throws Exception {
        // Jetty refuses these itself (505); they must not read as internal_error (500).
        for (String line : List.of("GET /api/v4/ HTTP/1.2", "GET /api/v4/ HTTP/0.9", "GET /api/v4/")) {
            Raw raw = exchange(line + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(raw.status()).as(line).isEqualTo(505);
            assertThat(raw.contentType()).as(line).startsWith("application/json");
            assertThat(JSON.readTree(raw.body()).get("code").asText()).as(line).isEqualTo("http_version_not_supported");
        }
        // The two versions it speaks still work.
        assertThat(exchange("GET /api/v4/signature_public_key HTTP/1.0\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void oversizeHeadersAndBodiesGetTheApisErrorFormat() throws Exception {
        String big = "x".repeat(20_000);
        assertJsonError(exchange("GET /api/v4/check_license HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big + "\r\n\r\n"),
                431, "headers_too_large");
        assertJsonError(exchange("POST /api/v4/floating/release HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000\r\n\r\n{"), 413, "body_too_large");
        Raw cv = exchange("POST /commandcenter/api/Client/License/Release HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/xml\r\nAccept: application/xml\r\nContent-Length: 100000\r\n\r\n<a>");
        assertThat(cv.status()).isEqualTo(413);
        assertThat(cv.body()).startsWith("<CVGui_GenericResp errorCode=\"601\"");
        // A chunked body that grows past the limit is refused as well.
        StringBuilder chunked = new StringBuilder("POST /api/v4/floating/release HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 20; i++) {
            chunked.append("1000\r\n").append("y".repeat(4096)).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        assertJsonError(exchange(chunked.toString()), 413, "body_too_large");
        // The server still answers normally.
        assertThat(f.lsGet("/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void xmlNestingDepthIsCapped() {
        String deep = "<a>".repeat(200) + "</a>".repeat(200);
        HttpResponse<String> r = f.cvPost("/commandcenter/api/Client/License/Release", "application/xml", "application/xml",
                "<TMMsg_ReleaseConsumedLicenseReq><clientEntity clientName=\"client001\">" + deep
                        + "</clientEntity></TMMsg_ReleaseConsumedLicenseReq>");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("<CVGui_GenericResp errorCode=\"600\"");
        HttpResponse<String> json = f.cvPost("/commandcenter/api/Client/License/Release", "application/json",
                "application/json", "[".repeat(200) + "]".repeat(200));
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json.body()).contains("\"errorCode\":600");
    }
}
