package dev.licensor.store.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * One step of a store's schema, applied once, inside the transaction {@link Migrations} began.
 * A migration that has shipped is never edited (databases written with it exist): change the
 * schema by appending one.
 *
 * <p>Immutable and thread-safe if the step is.
 *
 * @param version     1, 2, 3, ... without gaps
 * @param description what it does, recorded in the version table
 * @param step        the work
 */
public record Migration(int version, String description, Step step) {

    /** Applies a migration with the handle of the open transaction. */
    @FunctionalInterface
    public interface Step {
        void apply(Handle handle);
    }

    /** Checks the fields. */
    public Migration {
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(step, "step");
    }

    /** A migration made of SQL statements, run in order. */
    public static Migration sql(int version, String description, List<String> statements) {
        List<String> copy = List.copyOf(statements);
        return new Migration(version, description, handle -> copy.forEach(handle::execute));
    }

    /**
     * A migration made of a SQL script (see {@link #statements}). A store reads the script from
     * its own resources (a named module's resources are its own).
     */
    public static Migration script(int version, String description, String script) {
        return sql(version, description, statements(script));
    }

    /**
     * The statements of a SQL script: separated by blank lines (so a function body may hold
     * semicolons but no blank line), lines starting with {@code --} dropped.
     */
    public static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        for (String block : script.split("\\R\\s*\\R")) {
            String sql = block.lines().filter(line -> !line.strip().startsWith("--"))
                    .collect(Collectors.joining("\n")).strip();
            if (!sql.isEmpty()) {
                statements.add(sql);
            }
        }
        return statements;
    }
}
