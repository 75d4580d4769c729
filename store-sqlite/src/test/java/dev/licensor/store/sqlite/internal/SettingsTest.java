package dev.licensor.store.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.store.sqlite.Synchronous;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's own connections (writer and readers) carry the chosen synchronous level and busy timeout. */
class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void fullByDefaultNormalOnRequest() {
        Path file = dir.resolve("s.db");
        try (Database db = Database.open(file, Synchronous.FULL, Duration.ofMillis(1234), 2)) {
            assertThat(pragma(db, true, "synchronous")).isEqualTo("2");
            assertThat(pragma(db, false, "synchronous")).isEqualTo("2");
            assertThat(pragma(db, true, "busy_timeout")).isEqualTo("1234");
            assertThat(pragma(db, true, "journal_mode")).isEqualTo("wal");
        }
        try (Database db = Database.open(file, Synchronous.NORMAL, Duration.ofSeconds(5), 2)) {
            assertThat(pragma(db, true, "synchronous")).isEqualTo("1");
            assertThat(pragma(db, false, "synchronous")).isEqualTo("1");
        }
    }

    private static String pragma(Database db, boolean writer, String name) {
        return writer ? db.write(tx -> read(tx, name)) : db.read(tx -> read(tx, name));
    }

    private static String read(dev.licensor.store.StoreTransaction tx, String name) {
        try (Statement st = ((dev.licensor.store.jdbc.JdbcTransaction) tx).connection().handle().getConnection().createStatement();
             ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
