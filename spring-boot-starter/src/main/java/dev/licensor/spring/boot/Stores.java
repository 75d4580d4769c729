package dev.licensor.spring.boot;

import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Code;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.memory.MemoryLicenseStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.util.ClassUtils;

/** Opens the store {@code licensor.store.*} names; the optional stores' classes load only when chosen. */
final class Stores {
    private static final String SQLITE = "dev.licensor.store.sqlite.SqliteLicenseStore";
    private static final String POSTGRES = "dev.licensor.store.postgresql.PostgresLicenseStore";

    private Stores() {
    }

    static LicenseStore open(LicensorProperties.Store store, Supplier<DataSource> dataSource, ClassLoader loader) {
        LicensorProperties.StoreType type = store.getType();
        DataSource ds = type == LicensorProperties.StoreType.MEMORY || type == LicensorProperties.StoreType.SQLITE
                ? null : dataSource.get();
        if (type == LicensorProperties.StoreType.AUTO) {
            type = ds != null && present(POSTGRES, loader) ? LicensorProperties.StoreType.POSTGRESQL
                    : present(SQLITE, loader) ? LicensorProperties.StoreType.SQLITE : LicensorProperties.StoreType.MEMORY;
        }
        return switch (type) {
            case MEMORY -> new MemoryLicenseStore();
            case SQLITE -> {
                require(SQLITE, loader, "sqlite", "licensor-store-sqlite");
                yield Sqlite.open(store.getSqlite().getPath());
            }
            case POSTGRESQL -> {
                require(POSTGRES, loader, "postgresql", "licensor-store-postgresql");
                if (ds == null) {
                    throw new LicensingException(Code.INVALID_REQUEST, "licensor.store.type=postgresql needs one"
                            + " DataSource bean (spring.datasource.url=jdbc:postgresql://...)");
                }
                yield Postgres.open(ds, store.getPostgresql().getSchema());
            }
            case AUTO -> throw new IllegalStateException("resolved above");
        };
    }

    private static boolean present(String className, ClassLoader loader) {
        return ClassUtils.isPresent(className, loader);
    }

    private static void require(String className, ClassLoader loader, String type, String artifact) {
        if (!present(className, loader)) {
            throw new LicensingException(Code.INVALID_REQUEST, "licensor.store.type=" + type
                    + " needs dev.licensor:" + artifact + " on the class path");
        }
    }

    private static final class Sqlite {
        static LicenseStore open(Path file) {
            Path parent = file.toAbsolutePath().getParent();
            try {
                Files.createDirectories(parent);
            } catch (java.io.IOException e) {
                throw new LicensingException(Code.STORE_FAILURE, "cannot create the folder " + parent + ": " + e.getMessage());
            }
            return dev.licensor.store.sqlite.SqliteLicenseStore.open(file);
        }
    }

    private static final class Postgres {
        static LicenseStore open(DataSource dataSource, String schema) {
            return dev.licensor.store.postgresql.PostgresLicenseStore.builder(dataSource).schema(schema).open();
        }
    }
}
