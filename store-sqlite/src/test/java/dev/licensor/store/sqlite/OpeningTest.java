package dev.licensor.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.Change;
import dev.licensor.store.Query;
import dev.licensor.store.sqlite.internal.Schema;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening: creation, the versioned schema, and every refused path left untouched with a typed error. */
class OpeningTest {
    @TempDir
    Path dir;

    @Test
    void createsAMissingFileAtTheLatestSchemaInWalMode() throws Exception {
        Path file = dir.resolve("new.db");
        SqliteLicenseStore.open(file).close();
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement()) {
            assertThat(string(st, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(string(st, "PRAGMA application_id")).isEqualTo(String.valueOf(Schema.APPLICATION_ID));
            assertThat(string(st, "SELECT group_concat(version, ',') FROM (SELECT version FROM licensor_schema"
                    + " ORDER BY version)")).isEqualTo(Schema.MIGRATIONS.stream()
                    .map(m -> String.valueOf(m.version())).collect(java.util.stream.Collectors.joining(",")));
        }
        // reopening applies nothing twice
        SqliteLicenseStore.open(file).close();
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement()) {
            assertThat(string(st, "SELECT count(*) FROM licensor_schema")).isEqualTo(String.valueOf(Schema.MIGRATIONS.size()));
        }
    }

    @Test
    void storesOpeningANewFileAtOnceMigrateItOnce() throws Exception {
        Path file = dir.resolve("together.db");
        int openers = 6;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(openers);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<SqliteLicenseStore>> opened = new java.util.ArrayList<>();
        for (int i = 0; i < openers; i++) {
            opened.add(pool.submit(() -> {
                start.await();
                return SqliteLicenseStore.open(file);
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<SqliteLicenseStore> f : opened) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS).close();
        }
        pool.shutdown();
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement()) {
            assertThat(string(st, "SELECT count(*) FROM licensor_schema")).isEqualTo(String.valueOf(Schema.MIGRATIONS.size()));
            assertThat(string(st, "PRAGMA journal_mode")).isEqualTo("wal");
        }
    }

    @Test
    void anEmptyFileBecomesALicensorDatabaseWhenTheCallerAsksToCreate() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.db"));
        try (SqliteLicenseStore store = SqliteLicenseStore.builder(file).createIfEmpty(true).open()) {
            List<dev.licensor.catalog.ClientLicense> none = store.read(tx -> tx.list(Query.clientLicenses()));
            assertThat(none).isEmpty();
        }
    }

    @Test
    void refusesADirectory() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("a-directory.db"));
        assertRefused(sub).hasMessageContaining("is a directory");
        try (Stream<Path> children = Files.list(sub)) {
            assertThat(children).isEmpty();
        }
    }

    @Test
    void refusesAPathWhoseDirectoryIsMissingAndCreatesNothing() {
        Path file = dir.resolve("missing").resolve("licensor.db");
        assertRefused(file).hasMessageContaining("does not exist");
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void refusesAPathUnderARegularFile() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "hello");
        assertRefused(plain.resolve("licensor.db")).hasMessageContaining("does not exist");
        assertThat(plain).hasContent("hello");
    }

    @Test
    void refusesAnUnwritablePath() {
        // /proc refuses new files even to root, for whom permission bits do not count
        Path file = Path.of("/proc", "licensor-" + ProcessHandle.current().pid() + ".db");
        assertRefused(file);
        assertThat(file).doesNotExist();
    }

    @Test
    void refusesAFileThatIsNotSqliteAndLeavesItUntouched() throws IOException {
        byte[] text = "just some text, not a database at all\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("notes.db"), text);
        assertRefused(file).hasMessageContaining("not a SQLite database");
        assertThat(Files.readAllBytes(file)).isEqualTo(text);
        assertNoSideFiles(file);
    }

    @Test
    void refusesAnotherApplicationsSqliteDatabaseAndLeavesItUntouched() throws Exception {
        Path file = dir.resolve("other.db");
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER)");
            st.execute("INSERT INTO invoices (amount) VALUES (42)");
        }
        byte[] before = Files.readAllBytes(file);
        assertRefused(file).hasMessageContaining("not a Licensor database");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertNoSideFiles(file);
    }

    @Test
    void refusesACorruptFileAndLeavesItUntouched() throws IOException {
        Path file = licensorFile("corrupt.db");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(100); // the b-tree header of page 1, which holds the schema
            raf.write(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE});
        }
        byte[] before = Files.readAllBytes(file);
        assertRefused(file).hasMessageContaining("corrupt");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void refusesATruncatedFileAndLeavesItUntouched() throws IOException {
        Path file = licensorFile("truncated.db");
        byte[] whole = Files.readAllBytes(file);
        byte[] half = java.util.Arrays.copyOf(whole, 1500);
        Files.write(file, half);
        assertRefused(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(half);
    }

    @Test
    void refusesAFileWrittenByANewerSchemaAndLeavesItUntouched() throws Exception {
        Path file = licensorFile("newer.db");
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement()) {
            st.execute("INSERT INTO licensor_schema (version, description, applied_at_ms) VALUES ("
                    + (Schema.LATEST + 1) + ", 'from the future', 0)");
        }
        byte[] before = Files.readAllBytes(file);
        assertRefused(file).hasMessageContaining("newer Licensor")
                .hasMessageContaining("schema version " + (Schema.LATEST + 1));
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void builderRefusesBadAndRepeatedOptions() {
        SqliteLicenseStore.Builder builder = SqliteLicenseStore.builder(dir.resolve("b.db")).synchronous(Synchronous.NORMAL);
        // misuse is a programmer error: the Java exceptions, not a wire code
        assertThatThrownBy(() -> builder.synchronous(Synchronous.FULL)).isExactlyInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SqliteLicenseStore.builder(dir.resolve("c.db")).synchronous(null))
                .isExactlyInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.busyTimeout(java.time.Duration.ZERO)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.busyTimeout(null)).isExactlyInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.readers(0)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqliteLicenseStore.builder(null)).isExactlyInstanceOf(NullPointerException.class);
        builder.busyTimeout(java.time.Duration.ofMillis(250)).readers(2).open().close();
    }

    /** A closed Licensor database (checkpointed, so the main file holds everything). */
    private Path licensorFile(String name) {
        Path file = dir.resolve(name);
        try (SqliteLicenseStore store = SqliteLicenseStore.open(file)) {
            store.write(tx -> tx.apply(Change.insertClient(new dev.licensor.catalog.Client(0, "c", 1, "h")))[0]);
        }
        return file;
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Path file) {
        return assertThatThrownBy(() -> SqliteLicenseStore.open(file).close())
                .isInstanceOf(LicensingException.class)
                .satisfies(e -> assertThat(((LicensingException) e).code()).isEqualTo(Code.STORE_FAILURE))
                .hasMessageContaining("refusing to open");
    }

    private static void assertNoSideFiles(Path file) {
        for (String suffix : List.of("-wal", "-shm", "-journal")) {
            assertThat(file.resolveSibling(file.getFileName() + suffix)).doesNotExist();
        }
    }

    private static String string(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
