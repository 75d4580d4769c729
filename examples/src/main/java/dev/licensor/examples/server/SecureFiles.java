package dev.licensor.examples.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold secrets (the database holds every license key; key files and keystores hold
 * private keys): created owner-only whatever the umask, and a warning when an existing one is
 * readable by other users. Where the file system has no POSIX permissions, nothing is done.
 *
 * <p>Stateless and thread-safe.
 */
public final class SecureFiles {
    private SecureFiles() {
    }

    /**
     * Creates {@code file} empty and owner-only ({@code rw-------}) unless it exists already;
     * true when this call created it.
     */
    public static boolean createOwnerOnly(Path file) throws IOException {
        if (Files.exists(file) || !posix(file)) {
            return false;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // the umask may have masked bits away, never added any; set them exactly all the same
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false; // another process created it first: it is checked like any existing file
        }
    }

    /** True when {@code file} exists and its group or others may read it. */
    public static boolean othersCanRead(Path file) throws IOException {
        if (file == null || !Files.exists(file) || !posix(file)) {
            return false;
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
        return p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.GROUP_READ);
    }

    /** Prints a warning on {@code out} when {@link #othersCanRead} (null: nothing to check). */
    public static void warnIfOthersCanRead(Path file, PrintStream out) throws IOException {
        if (othersCanRead(file)) {
            out.println("WARNING: " + file + " holds a secret and other users can read it: chmod 600 " + file);
        }
    }

    private static boolean posix(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return Files.getFileAttributeView(dir != null ? dir : file, PosixFileAttributeView.class) != null;
    }
}
