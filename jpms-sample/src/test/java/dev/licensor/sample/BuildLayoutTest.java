package dev.licensor.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the packaging promises as modules are added: the BOM has the parent's version and manages
 * every library module of the reactor, every library module is a named JPMS module, and the
 * README's module table lists every module of the reactor with its artifact, and nothing else.
 * A library module is one that builds a javadoc jar (applications opt out with maven.javadoc.skip).
 */
class BuildLayoutTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }

    /** The first {@code <version>} after the parent block (or of the project, for a pom without parent). */
    private static String ownVersion(String pom) {
        String body = pom.replaceAll("(?s)<parent>.*?</parent>", "")
                .replaceAll("(?s)<dependencyManagement>.*", "");
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(body);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** The reactor modules that are libraries: jars with javadoc. */
    private static List<String> libraryModules() throws IOException {
        List<String> libraries = new ArrayList<>();
        Matcher m = MODULE.matcher(read(ROOT.resolve("pom.xml")));
        while (m.find()) {
            Path pom = ROOT.resolve(m.group(1)).resolve("pom.xml");
            String text = read(pom);
            if (!text.contains("<packaging>pom</packaging>")
                    && !text.contains("<maven.javadoc.skip>true</maven.javadoc.skip>")) {
                libraries.add(m.group(1));
            }
        }
        return libraries;
    }

    private static String artifactId(String module) throws IOException {
        String pom = read(ROOT.resolve(module).resolve("pom.xml")).replaceAll("(?s)<parent>.*?</parent>", "");
        Matcher m = ARTIFACT.matcher(pom);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void theBomHasTheParentsVersionAndEveryLibrary() throws IOException {
        String bom = read(ROOT.resolve("bom").resolve("pom.xml"));
        assertThat(ownVersion(bom)).isEqualTo(ownVersion(read(ROOT.resolve("pom.xml"))));
        List<String> libraries = libraryModules();
        assertThat(libraries).contains("core", "store-memory", "store-sqlite", "micrometer");
        for (String module : libraries) {
            assertThat(bom).as("licensor-bom manages %s", module)
                    .contains("<artifactId>" + artifactId(module) + "</artifactId>");
        }
    }

    @Test
    void everyLibraryIsANamedModuleThatClosesItsInternalPackages() throws IOException {
        for (String module : libraryModules()) {
            Path info = ROOT.resolve(module).resolve("src/main/java/module-info.java");
            assertThat(info).as("%s has a module-info.java", module).exists();
            assertThat(read(info)).as("%s exports no internal package", module)
                    .doesNotContainPattern("exports [\\w.]*\\.internal\\s*;");
        }
    }

    @Test
    void theReadmeTableListsEveryModuleWithItsArtifact() throws IOException {
        Map<String, String> modules = new LinkedHashMap<>();
        Matcher m = MODULE.matcher(read(ROOT.resolve("pom.xml")));
        while (m.find()) {
            modules.put(m.group(1), artifactId(m.group(1)));
        }
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z-]+)`[^|]*\\| `(licensor-[a-z-]+)`").matcher(read(ROOT.resolve("README.md")));
        while (row.find()) {
            rows.put(row.group(1), row.group(2)); // core's test-jar row names core again, with the same artifact
        }
        assertThat(rows).containsExactlyInAnyOrderEntriesOf(modules);
    }
}
