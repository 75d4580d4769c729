package dev.licensor.examples.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The admin page's static files, read once from the class path and served by the server itself
 * (no CDN, no build step): uPlot's minified script and style sheet from its webjar
 * ({@code org.webjars.npm:uplot}, whose version the webjar's own {@code pom.properties} names),
 * and the page's script and style sheet ({@code dev/licensor/examples/server/page/}).
 *
 * <p>Immutable and thread-safe.
 */
final class PageAssets {
    /** One file: its media type and bytes (never changed after loading). */
    record Asset(String contentType, byte[] bytes) {
    }

    private static final String PAGE = "dev/licensor/examples/server/page/";
    private static final Map<String, Asset> ASSETS = load();

    private PageAssets() {
    }

    /** The file named {@code name} (as in {@code /admin/assets/{name}}), or null. */
    static Asset get(String name) {
        return ASSETS.get(name);
    }

    private static Map<String, Asset> load() {
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        return Map.of(
                "uPlot.iife.min.js", new Asset("text/javascript", read(uplot + "uPlot.iife.min.js")),
                "uPlot.min.css", new Asset("text/css", read(uplot + "uPlot.min.css")),
                "page.js", new Asset("text/javascript", read(PAGE + "page.js")),
                "page.css", new Asset("text/css", read(PAGE + "page.css")));
    }

    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = resource("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static byte[] read(String path) {
        try (InputStream in = resource(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = PageAssets.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is missing from the class path (the uplot webjar or the page's files)");
        }
        return in;
    }
}
