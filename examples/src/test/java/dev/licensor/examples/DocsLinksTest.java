package dev.licensor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the documentation's relative links working: every link in README.md, docs/*.md and
 * examples/README.md to another file of the repository names a file that exists, and a link with
 * a {@code #fragment} names a heading of its target (GitHub's anchor rules). A line that says
 * "planned" or "in progress" may link to a page not written yet.
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            List<String> lines = prose(page);
            for (String line : lines) {
                Matcher m = LINK.matcher(line);
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue; // http:, https:, mailto: are not checked here
                    }
                    checked++;
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                    boolean planned = line.contains("planned") || line.contains("in progress");
                    if (!Files.exists(resolved)) {
                        if (!planned) {
                            broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
                        }
                    } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                        broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                    }
                }
            }
        }
        assertThat(checked).as("links checked").isGreaterThan(20);
        assertThat(broken).isEmpty();
    }

    @Test
    void anchorsFollowGitHubRules() {
        assertThat(anchor("Durability: `FULL` or `NORMAL`")).isEqualTo("durability-full-or-normal");
        assertThat(anchor("Where the time goes, and why the missed targets are missed"))
                .isEqualTo("where-the-time-goes-and-why-the-missed-targets-are-missed");
        assertThat(anchor("Admin views (read-only)")).isEqualTo("admin-views-read-only");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("examples/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The page's lines outside fenced code blocks. */
    private static List<String> prose(Path page) {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        try {
            for (String line : Files.readAllLines(page)) {
                if (line.strip().startsWith("```")) {
                    fenced = !fenced;
                } else if (!fenced) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    private static Set<String> anchors(Path page) {
        Set<String> anchors = new HashSet<>();
        for (String line : prose(page)) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String base = anchor(m.group(1));
                String a = base;
                for (int n = 1; !anchors.add(a); n++) {
                    a = base + "-" + n; // GitHub numbers repeated headings
                }
            }
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation dropped (but - and _), spaces to hyphens. */
    static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }
}
