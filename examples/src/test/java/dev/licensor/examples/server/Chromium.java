package dev.licensor.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A headless Chromium (Debian's {@code chromium-headless-shell}) driven over the DevTools
 * protocol with the JDK's own WebSocket client: no Selenium, no driver binary. The browser is
 * started with a fresh profile in a temporary folder and {@code --remote-debugging-port=0}
 * (loopback only; the port it picked is read from the profile's {@code DevToolsActivePort}),
 * and this connects to its one page. Every wait is bounded. {@link #close} ends the browser and
 * its child processes and deletes the profile.
 *
 * <p>Not thread-safe: one test drives one browser.
 */
final class Chromium implements AutoCloseable {
    /** Where Debian puts the binary; {@code LICENSOR_CHROMIUM} names another. */
    static final List<String> CANDIDATES = List.of("/usr/bin/chromium-headless-shell",
            "/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium-headless-shell/chromium-headless-shell");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** Exceptions thrown by the page's scripts and console errors (CSP refusals are reported there). */
    final List<String> pageErrors = new CopyOnWriteArrayList<>();

    /** The binary: {@code LICENSOR_CHROMIUM}, else the first of {@link #CANDIDATES} that exists, or null. */
    static Path find() {
        String named = System.getenv("LICENSOR_CHROMIUM");
        if (named != null && !named.isBlank()) {
            return Files.isExecutable(Path.of(named)) ? Path.of(named) : null;
        }
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts {@code binary} with a window of {@code width} x {@code height} and connects to its page. */
    static Chromium start(Path binary, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("licensor-chromium");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--disable-dev-shm-usage", // containers often have a small /dev/shm
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add(1, "--no-sandbox"); // Chromium's sandbox refuses to run as root (CI runs as root)
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path active = profile.resolve("DevToolsActivePort");
            waitFor("Chromium's DevToolsActivePort (log: " + profile.resolve("chromium.log") + ")", () -> {
                try {
                    return Files.exists(active) && Files.readAllLines(active).size() >= 2;
                } catch (IOException e) {
                    return false;
                }
            });
            int port = Integer.parseInt(Files.readAllLines(active).get(0).trim());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String page = null;
            long end = System.nanoTime() + WAIT.toNanos();
            while (page == null && System.nanoTime() < end) {
                JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(WAIT).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode t : targets) {
                    if (t.path("type").asText().equals("page")) {
                        page = t.get("webSocketDebuggerUrl").asText();
                        break;
                    }
                }
                if (page == null) {
                    Thread.sleep(100);
                }
            }
            if (page == null) {
                throw new IllegalStateException("Chromium opened no page within " + WAIT);
            }
            Chromium[] self = new Chromium[1];
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(page), new Listener(m -> {
                        if (self[0] != null) {
                            self[0].receive(m);
                        }
                    }))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            self[0] = new Chromium(p, profile, ws);
            self[0].call("Page.enable", null);
            self[0].call("Runtime.enable", null);
            self[0].call("Log.enable", null);
            return self[0];
        } catch (Exception | Error e) {
            destroy(p);
            deleteTree(profile);
            throw e;
        }
    }

    /** Sends one DevTools command and waits (bounded) for its result; a protocol error throws. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(message.toString(), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    /** Navigates and returns once the page's load event fired (bounded). */
    void navigate(String url) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
        waitFor("the page at " + url + " to load", () -> "complete".equals(evaluateQuietly("document.readyState"))
                && url.equals(evaluateQuietly("location.href")));
    }

    /** The value of a JavaScript expression, as JSON (its result must be JSON-serialisable); a thrown exception throws. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + expression + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    private String evaluateQuietly(String expression) {
        try {
            return evaluate(expression).asText();
        } catch (Exception e) {
            return null; // a navigation in progress destroys the context: try again
        }
    }

    /** Waits (bounded) until the expression is true in the page. */
    void waitUntil(String what, String expression) throws Exception {
        try {
            waitFor(what, () -> "true".equals(evaluateQuietly("!!(" + expression + ")")));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; the page is " + evaluateQuietly("location.href") + ": "
                    + evaluateQuietly("document.body ? document.body.innerText.slice(0, 400) : ''") + "; errors: " + pageErrors, e);
        }
    }

    /** A PNG of the whole page ({@code full}) or of the window, at the window's width. */
    byte[] screenshot(boolean full) throws Exception {
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", full));
        return Base64.getDecoder().decode(r.get("data").asText());
    }

    static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + WAIT);
            }
            Thread.sleep(50);
        }
    }

    private void receive(String text) {
        try {
            JsonNode m = JSON.readTree(text);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                if (f != null) {
                    f.complete(m);
                }
            } else if (m.path("method").asText().equals("Runtime.exceptionThrown")) {
                pageErrors.add(m.path("params").path("exceptionDetails").toString());
            } else if (m.path("method").asText().equals("Log.entryAdded")
                    && m.path("params").path("entry").path("level").asText().equals("error")) {
                pageErrors.add(m.path("params").path("entry").path("text").asText());
            } else if (m.path("method").asText().equals("Runtime.consoleAPICalled")
                    && m.path("params").path("type").asText().equals("error")) {
                pageErrors.add(m.path("params").path("args").toString());
            }
        } catch (IOException e) {
            pageErrors.add("unreadable DevTools message: " + e);
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS);
        } catch (RuntimeException ignored) {
            // the browser is ended below either way
        }
        destroy(process);
        deleteTree(profile);
    }

    /** Ends the browser and every process it started (renderer, GPU, zygote), waiting up to 10 s. */
    private static void destroy(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: left for the system to clean
        }
    }

    /** Collects a message's fragments and hands the whole text on. */
    private static final class Listener implements WebSocket.Listener {
        private final java.util.function.Consumer<String> onMessage;
        private final StringBuilder partial = new StringBuilder();

        Listener(java.util.function.Consumer<String> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onMessage.accept(text);
            }
            webSocket.request(1);
            return null;
        }
    }
}
