package dev.licensor.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * The {@code licensor.*} properties the starter builds its {@code Licensor} from. Each nested group
 * is one concern: the store, the lookup cache, the token signer, events, the Actuator endpoint.
 *
 * <p>Not thread-safe (a Spring-bound bean): read it while building beans only.
 */
@ConfigurationProperties("licensor")
public class LicensorProperties {
    private final Store store = new Store();
    private final Cache cache = new Cache();
    private final Signer signer = new Signer();
    private final Events events = new Events();
    private final Endpoint endpoint = new Endpoint();

    /** Defaults everywhere, as Spring binds them. */
    public LicensorProperties() {
    }

    /** The store. */
    public Store getStore() {
        return store;
    }

    /** The lookup cache. */
    public Cache getCache() {
        return cache;
    }

    /** The token signer. */
    public Signer getSigner() {
        return signer;
    }

    /** Spring application events. */
    public Events getEvents() {
        return events;
    }

    /** The Actuator endpoint. */
    public Endpoint getEndpoint() {
        return endpoint;
    }

    /** Which store holds the licenses. */
    public enum StoreType {
        /** PostgreSQL when the application has a DataSource and licensor-store-postgresql is present, else SQLite when licensor-store-sqlite is present, else memory. */
        AUTO,
        /** In memory: lost when the application stops (tests, demos). */
        MEMORY,
        /** One SQLite file ({@code licensor.store.sqlite.path}); needs licensor-store-sqlite. */
        SQLITE,
        /** The application's DataSource, in schema {@code licensor.store.postgresql.schema}; needs licensor-store-postgresql. */
        POSTGRESQL
    }

    /** {@code licensor.store.*}. */
    public static class Store {
        /** Defaults, as Spring binds them. */
        public Store() {
        }

        /** Which store holds the licenses. */
        private StoreType type = StoreType.AUTO;
        private final Sqlite sqlite = new Sqlite();
        private final Postgresql postgresql = new Postgresql();

        /** Which store holds the licenses. */
        public StoreType getType() {
            return type;
        }

        /** Sets which store holds the licenses. */
        public void setType(StoreType type) {
            this.type = type;
        }

        /** The SQLite store. */
        public Sqlite getSqlite() {
            return sqlite;
        }

        /** The PostgreSQL store. */
        public Postgresql getPostgresql() {
            return postgresql;
        }
    }

    /** {@code licensor.store.sqlite.*}. */
    public static class Sqlite {
        /** Defaults, as Spring binds them. */
        public Sqlite() {
        }

        /** The SQLite database file, created (with its folder) when missing. */
        private Path path = Path.of("licensor.db");

        /** The SQLite database file. */
        public Path getPath() {
            return path;
        }

        /** Sets the SQLite database file. */
        public void setPath(Path path) {
            this.path = path;
        }
    }

    /** {@code licensor.store.postgresql.*}. */
    public static class Postgresql {
        /** Defaults, as Spring binds them. */
        public Postgresql() {
        }

        /** The schema holding Licensor's tables in the application's database; created and migrated at start. */
        private String schema = "licensor";

        /** The schema holding Licensor's tables. */
        public String getSchema() {
            return schema;
        }

        /** Sets the schema holding Licensor's tables. */
        public void setSchema(String schema) {
            this.schema = schema;
        }
    }

    /** {@code licensor.cache.*}: the lookup cache, off unless both are set. */
    public static class Cache {
        /** Defaults, as Spring binds them. */
        public Cache() {
        }

        /** Most entries the lookup cache keeps; 0 turns it off. */
        private long maximumSize;
        /** How long a cached lookup may be served: bounds how long another host's change goes unseen. */
        private Duration timeToLive;

        /** Most entries the lookup cache keeps. */
        public long getMaximumSize() {
            return maximumSize;
        }

        /** Sets the most entries the lookup cache keeps. */
        public void setMaximumSize(long maximumSize) {
            this.maximumSize = maximumSize;
        }

        /** How long a cached lookup may be served. */
        public Duration getTimeToLive() {
            return timeToLive;
        }

        /** Sets how long a cached lookup may be served. */
        public void setTimeToLive(Duration timeToLive) {
            this.timeToLive = timeToLive;
        }
    }

    /** {@code licensor.signer.*}: the Ed25519 key that signs tokens; none unless the key files are set. */
    public static class Signer {
        /** Defaults, as Spring binds them. */
        public Signer() {
        }

        /** The signing key's id (the JWT "kid"). */
        private String keyId = "licensor";
        /** The private key file: PKCS#8, DER bytes or PEM ("BEGIN PRIVATE KEY"). */
        private Resource privateKey;
        /** The public key file: X.509 SubjectPublicKeyInfo, DER bytes or PEM ("BEGIN PUBLIC KEY"). */
        private Resource publicKey;

        /** The signing key's id. */
        public String getKeyId() {
            return keyId;
        }

        /** Sets the signing key's id. */
        public void setKeyId(String keyId) {
            this.keyId = keyId;
        }

        /** The private key file. */
        public Resource getPrivateKey() {
            return privateKey;
        }

        /** Sets the private key file. */
        public void setPrivateKey(Resource privateKey) {
            this.privateKey = privateKey;
        }

        /** The public key file. */
        public Resource getPublicKey() {
            return publicKey;
        }

        /** Sets the public key file. */
        public void setPublicKey(Resource publicKey) {
            this.publicKey = publicKey;
        }
    }

    /** {@code licensor.events.*}. */
    public static class Events {
        /** Defaults, as Spring binds them. */
        public Events() {
        }

        /** Whether Licensor's change events are published as Spring application events (after their commit). */
        private boolean enabled = true;

        /** Whether events are published. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether events are published. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code licensor.endpoint.*}: the read-only Actuator endpoint {@code licensor}. */
    public static class Endpoint {
        /** Defaults, as Spring binds them. */
        public Endpoint() {
        }

        /** Most pools the endpoint lists, by license id, and most products, by code (the catalog's listings). */
        private int maxPools = 1000;

        /** Most pools the endpoint lists. */
        public int getMaxPools() {
            return maxPools;
        }

        /** Sets the most pools the endpoint lists. */
        public void setMaxPools(int maxPools) {
            this.maxPools = maxPools;
        }
    }
}
