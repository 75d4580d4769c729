package dev.licensor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The jar's entry point: the server starts, prints its address and requests that work as printed. */
class MainTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in\n" + text).isTrue();
        return m.group(1);
    }

    @Test
    void servePrintsItsAddressAndReadyToPasteRequestsThatWork() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (Main.Running running = Main.serve(Main.Options.parse(List.of("--port", "0", "--memory")),
                new PrintStream(buffer, true, StandardCharsets.UTF_8))) {
            String out = buffer.toString(StandardCharsets.UTF_8);
            String base = find(out, "listening on (http://127\\.0\\.0\\.1:\\d+)");
            assertThat(base).isEqualTo(running.server().uri().toString());

            String checkUrl = find(out, "curl -sS '(" + Pattern.quote(base) + "/api/v4/check_license\\?[^']+)'");
            String date = find(out, "-H 'Date: ([^']+)'");
            String authorization = find(out, "-H 'Authorization: ([^']+)'");
            HttpResponse<String> check = http.send(HttpRequest.newBuilder(URI.create(checkUrl))
                    .header("Date", date).header("Authorization", authorization).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
            assertThat(check.body()).contains("\"floating_expires_at\"");

            String releaseUrl = find(out, "-X POST '([^']+/Client/License/Release)'");
            String token = find(out, "-H 'Authtoken: (QSDK [^']+)'");
            String body = find(out, "--data-raw '([^']+)'");
            HttpResponse<String> release = http.send(HttpRequest.newBuilder(URI.create(releaseUrl))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .header("Authtoken", token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(release.statusCode()).isEqualTo(200);
            assertThat(release.body()).isEqualTo("{\"errorMessage\":\"\",\"errorCode\":0}");
        }
    }

    @Test
    void optionsAreChecked() {
        Main.Options o = Main.Options.parse(List.of("--port", "0", "--db", "x.db", "--commvault-root", "/webconsole/api"));
        assertThat(o.port()).isZero();
        assertThat(o.memory()).isFalse();
        assertThat(o.commvaultRoot()).isEqualTo("/webconsole/api");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--memory", "--db", "x.db")))
                .hasMessageContaining("exclude");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--port", "http")))
                .hasMessageContaining("number");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(List.of("--verbose")))
                .hasMessageContaining("unknown option");
    }
}
