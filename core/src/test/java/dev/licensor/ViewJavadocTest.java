package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every public method of the views, {@code Licensor} and its builder documents each parameter
 * ({@code @param}) and its answer ({@code @return}), read from the sources (issue 24).
 */
class ViewJavadocTest {
    private static final List<String> VIEWS = List.of("Licensor", "catalog/Catalog", "floating/FloatingLicenses",
            "floating/SeatAdministration", "clients/ClientLicenses", "lookup/Lookups", "ledger/Ledger",
            "report/CapacityReports", "report/LedgerScan", "token/OfflineActivation", "event/LicensorListener");
    /** A javadoc comment, then annotations, then a declaration up to its parameter list's end. */
    private static final Pattern DOCUMENTED = Pattern.compile(
            "/\\*\\*((?:(?!\\*/).)*)\\*/\\s*((?:@[\\w.]+(?:\\([^)]*\\))?[^\\n]*\\n\\s*)*)([^;{=/]*?)\\b(\\w+)\\(([^)]*)\\)",
            Pattern.DOTALL);

    @Test
    void everyViewMethodHasParamAndReturnTags() throws IOException {
        List<String> missing = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (String view : VIEWS) {
            String source = Files.readString(Path.of("src/main/java/dev/licensor", view + ".java"));
            Matcher m = DOCUMENTED.matcher(source);
            while (m.find()) {
                String doc = m.group(1);
                String head = m.group(3).strip();
                String name = m.group(4);
                // an interface's members are public unless private; a class's only if they say so
                boolean isPublic = head.startsWith("public")
                        || (source.contains("public interface ") && !head.startsWith("private"));
                if (!isPublic || head.contains("class ") || head.contains("interface ") || head.contains("new ")) {
                    continue;
                }
                checked.add(view + "." + name);
                boolean constructor = head.isEmpty() || head.equals("public") || head.equals("private");
                if (!constructor && !head.matches(".*\\bvoid$") && !doc.contains("@return")) {
                    missing.add(view + "." + name + ": @return");
                }
                String params = m.group(5).strip();
                if (!params.isEmpty()) {
                    for (String p : params.split(",(?![^<]*>)")) {
                        String[] words = p.strip().split("\\s+");
                        String param = words[words.length - 1];
                        if (!Pattern.compile("@param\\s+" + Pattern.quote(param) + "\\b").matcher(doc).find()) {
                            missing.add(view + "." + name + ": @param " + param);
                        }
                    }
                }
            }
        }
        assertThat(checked).as("methods checked").contains("Licensor.builder", "catalog/Catalog.licenseByKey",
                "floating/FloatingLicenses.awaitSeat", "ledger/Ledger.after", "report/CapacityReports.utilisation")
                .hasSizeGreaterThan(70);
        assertThat(missing).as("tags missing").isEmpty();
    }
}
