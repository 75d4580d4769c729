package dev.licensor.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.catalog.Client;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.Change;
import dev.licensor.store.Key;
import dev.licensor.store.Query;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup that fails part-way leaves nothing behind, and a file that is empty or not a Licensor
 * database is not silently initialised. The full disk is real: the backup runs in a child JVM
 * whose file size limit ({@code ulimit -f}) is smaller than the copy, so SQLite's writes fail
 * with {@code EFBIG} as they would with {@code ENOSPC}.
 */
@Timeout(120)
class BackupFailureTest {
    private static final int CLIENTS = 25_000;
    private static final int LIMIT_KB = 2048;

    @TempDir
    Path dir;

    @Test
    void aBackupThatRunsOutOfSpaceLeavesNoFileAndTheRetryWorks() throws Exception {
        Path file = dir.resolve("live.db");
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            String host = "h".repeat(200);
            store.write(tx -> {
                for (int i = 0; i < CLIENTS; i++) {
                    tx.apply(Change.insertClient(new Client(0, "client-" + i, 1, host)));
                }
                return null;
            });
        }
        assertThat(Files.size(file)).as("the copy must exceed the limit").isGreaterThan(LIMIT_KB * 1024L * 2);
        Path backups = Files.createDirectory(dir.resolve("backups"));
        Path target = backups.resolve("copy.db");

        List<String> out = runLimited(LIMIT_KB, file, target);
        assertThat(out).as("child output").anySatisfy(line -> assertThat(line).startsWith("FAILED STORE_FAILURE"));
        assertThat(target).as("no partial backup under the target's name").doesNotExist();
        assertThat(list(backups)).as("no temporary file left").isEmpty();

        // the retry is not refused by a leftover, and the copy holds everything
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            store.backupTo(target);
        }
        assertThat(list(backups)).containsExactly("copy.db");
        try (SqliteLicenseStore restored = SqliteLicenseStore.open(target)) {
            java.util.Optional<Client> last = restored.read(tx -> tx.find(Key.clientByName("client-" + (CLIENTS - 1))));
            assertThat(last).isPresent();
        }
    }

    @Test
    void anExistingTargetIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve("live.db");
        Path target = Files.writeString(dir.resolve("copy.db"), "keep me");
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            assertThatThrownBy(() -> store.backupTo(target)).isInstanceOfSatisfying(LicensingException.class,
                    e -> assertThat(e.code()).isEqualTo(Code.STORE_FAILURE)).hasMessageContaining("already exists");
        }
        assertThat(Files.readString(target)).isEqualTo("keep me");
        assertThat(list(dir)).containsExactlyInAnyOrder("live.db", "copy.db");
    }

    @Test
    void anEmptyFileIsRefusedUnlessTheCallerAsksToCreate() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.db"));
        assertThatThrownBy(() -> SqliteLicenseStore.open(empty).close())
                .isInstanceOfSatisfying(LicensingException.class, e -> assertThat(e.code()).isEqualTo(Code.STORE_FAILURE))
                .hasMessageContaining("empty");
        assertThat(Files.size(empty)).as("left untouched").isZero();

        try (SqliteLicenseStore store = SqliteLicenseStore.builder(empty).createIfEmpty(true).open()) {
            List<dev.licensor.catalog.ClientLicense> none = store.read(tx -> tx.list(Query.clientLicenses()));
            assertThat(none).isEmpty();
        }
        // now it is a Licensor database: a plain open takes it
        SqliteLicenseStore.open(empty).close();
    }

    @Test
    void aBlankSqliteDatabaseIsRefusedUnlessTheCallerAsksToCreate() throws Exception {
        Path blank = dir.resolve("blank.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + blank);
             java.sql.Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = 7"); // writes the header: a valid, empty SQLite database
        }
        assertThat(Files.size(blank)).isPositive();
        assertThatThrownBy(() -> SqliteLicenseStore.open(blank).close())
                .isInstanceOfSatisfying(LicensingException.class, e -> assertThat(e.code()).isEqualTo(Code.STORE_FAILURE))
                .hasMessageContaining("empty");
        SqliteLicenseStore.builder(blank).createIfEmpty(true).open().close();
    }

    private static List<String> list(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** Runs {@link BackupChild} with a file size limit of {@code kb} KiB; returns what it printed. */
    private static List<String> runLimited(int kb, Path file, Path target) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -f " + kb + " && exec \"$@\"", "child",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                BackupChild.class.getName(), file.toString(), target.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return lines;
    }
}
