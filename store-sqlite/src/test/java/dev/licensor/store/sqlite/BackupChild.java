package dev.licensor.store.sqlite;

import dev.licensor.outcome.LicensingException;
import java.nio.file.Path;

/**
 * The process {@link BackupFailureTest} runs under a file size limit ({@code ulimit -f}): opens the
 * store and backs it up, then prints {@code OK} or {@code FAILED <code>} and exits.
 *
 * <p>Arguments: database file, backup target.
 */
public final class BackupChild {
    private BackupChild() {
    }

    public static void main(String[] args) {
        try (SqliteLicenseStore store = SqliteLicenseStore.open(Path.of(args[0]))) {
            store.backupTo(Path.of(args[1]));
            System.out.println("OK");
        } catch (LicensingException e) {
            System.out.println("FAILED " + e.code() + " " + e.getMessage().replace('\n', ' '));
        }
        System.out.flush();
    }
}
