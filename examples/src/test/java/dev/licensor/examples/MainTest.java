package dev.licensor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void theSqliteDefaultKeepsStateAcrossRestartsAndLoadsTheCatalogOnce(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("licensor.db");
        String release = "{\"isClientLevelOperation\":true,\"clientEntity\":{\"clientName\":\"client001\"},"
                + "\"licensesInfo\":[{\"platformType\":1,\"license\":{\"appType\":33}}]}";
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        try (Main.Running running = Main.serve(Main.Options.parse(List.of("--port", "0", "--db", db.toString())),
                new PrintStream(first, true, StandardCharsets.UTF_8))) {
            assertThat(first.toString(StandardCharsets.UTF_8)).contains("store: sqlite " + db.toAbsolutePath())
                    .contains("(16 entries added)");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(running.server().uri()
                            + "/commandcenter/api/Client/License/Release"))
                    .header("Content-Type", "application/json").header("Authtoken", "QSDK demo-commvault-token")
                    .POST(HttpRequest.BodyPublishers.ofString(release)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("{\"errorMessage\":\"\",\"errorCode\":0}");
        }
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        try (Main.Running running = Main.serve(Main.Options.parse(List.of("--port", "0", "--db", db.toString())),
                new PrintStream(second, true, StandardCharsets.UTF_8))) {
            assertThat(second.toString(StandardCharsets.UTF_8)).contains("(0 entries added)");
            HttpResponse<String> held = http.send(HttpRequest.newBuilder(URI.create(running.server().uri()
                            + "/commandcenter/api/Client/1/License"))
                    .header("Authtoken", "QSDK demo-commvault-token").GET().build(), HttpResponse.BodyHandlers.ofString());
            // The release survived the restart and the catalog did not consume the license again.
            assertThat(held.body()).isEqualTo("{\"licensesInfo\":[]}");
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(running.server().uri()
                            + "/commandcenter/api/Client/License/Release"))
                    .header("Content-Type", "application/json").header("Authtoken", "QSDK demo-commvault-token")
                    .POST(HttpRequest.BodyPublishers.ofString(release)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.body()).contains("\"errorCode\":206");
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
