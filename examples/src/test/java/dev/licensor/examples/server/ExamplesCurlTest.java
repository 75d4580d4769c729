package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keeps examples/README.md true: runs the admin API's curl lines (between
 * {@code <!-- admin:curl -->} markers), in order, against a fresh demo server, and compares each
 * answer's status and JSON with the {@code # } line after it. {@code LICENSE} and {@code CLIENT}
 * stand for the ids of the last license and client created.
 */
class ExamplesCurlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    final ServerFixture f = new ServerFixture();

    /** Splits a shell line into words: single quotes group, nothing else is special. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
                any = true;
            }
        }
        assertThat(quoted).as("unbalanced quote in " + line).isFalse();
        if (any) {
            out.add(w.toString());
        }
        return out;
    }

    @Test
    void theAdminCurlLinesOfTheReadmeAnswerWhatItShows() throws IOException {
        String text = Files.readString(Path.of("README.md"));
        int from = text.indexOf("<!-- admin:curl -->");
        int to = text.indexOf("<!-- /admin:curl -->");
        assertThat(from).isPositive();
        List<String> lines = text.substring(from, to).lines().filter(l -> l.startsWith("curl ") || l.startsWith("# ")).toList();
        String license = "LICENSE";
        String client = "CLIENT";
        int ran = 0;
        for (int i = 0; i < lines.size(); i += 2) {
            String command = lines.get(i).replace("LICENSE", license).replace("CLIENT", client);
            assertThat(command).startsWith("curl ");
            String expected = lines.get(i + 1).substring(2);
            List<String> w = words(command);
            String method = "GET";
            String body = null;
            String url = null;
            HttpRequest.Builder b = HttpRequest.newBuilder();
            for (int k = 1; k < w.size(); k++) {
                switch (w.get(k)) {
                    case "-s" -> { }
                    case "-X" -> method = w.get(++k);
                    case "-H" -> {
                        String[] h = w.get(++k).split(":\\s*", 2);
                        b.header(h[0], h[1]);
                    }
                    case "-d" -> body = w.get(++k);
                    default -> url = w.get(k);
                }
            }
            assertThat(url).as(command).startsWith("http://127.0.0.1:8080/");
            b.uri(URI.create(f.server.uri() + url.substring("http://127.0.0.1:8080".length())));
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = f.send(b, body);
            String[] statusAndJson = expected.split(" ", 2);
            assertThat(r.statusCode()).as(command + " -> " + r.body()).isEqualTo(Integer.parseInt(statusAndJson[0]));
            if (statusAndJson.length == 1) {
                assertThat(r.body()).as(command).isEmpty();
            } else {
                JsonNode actual = JSON.readTree(r.body());
                if (url.endsWith("/admin/licenses") && r.statusCode() == 201) {
                    license = actual.get("id").asText();
                } else if (url.endsWith("/admin/clients") && r.statusCode() == 201) {
                    client = actual.get("id").asText();
                }
                String want = statusAndJson[1].replace("LICENSE", license).replace("CLIENT", client);
                assertThat(actual).as(command).isEqualTo(JSON.readTree(want));
            }
            ran++;
        }
        assertThat(ran).isGreaterThanOrEqualTo(14); // the products and clients lines (issue 23) included
    }
}
