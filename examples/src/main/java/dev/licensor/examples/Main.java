package dev.licensor.examples;

import dev.licensor.Licensor;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.examples.server.CatalogFile;
import dev.licensor.examples.server.Credentials;
import dev.licensor.examples.server.LicenseServer;
import dev.licensor.examples.server.PasswordHash;
import dev.licensor.examples.server.RequestSigner;
import dev.licensor.examples.server.ResponseSigner;
import dev.licensor.examples.server.SecureFiles;
import dev.licensor.examples.server.TokenKeys;
import dev.licensor.token.TokenSigner;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.LicensingException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The entry point of {@code licensor-examples.jar}:
 * <ul>
 *   <li>no arguments or {@code serve [options]}: the HTTP license server (see {@code --help});</li>
 *   <li>{@code demo}: the printed end-to-end {@link Demo};</li>
 *   <li>{@code sign}: fresh {@code Date} and {@code Authorization} headers for a LicenseSpring call;</li>
 *   <li>{@code load}: the HTTP load test ({@link LoadTest}).</li>
 * </ul>
 *
 * <p>A program, not a library type; not thread-safe.
 */
public final class Main {
    private Main() {
    }

    /** Options of {@code serve}. */
    record Options(String host, int port, Path catalog, Path db, boolean memory, String commvaultRoot,
                   int maxBody, int threads, Path tlsKeystore, Path signingKey, int maxConnections,
                   Path tokenKey, String tokenKeyId, String postgres, String pgSchema, int callDeadlineSeconds,
                   boolean accessLog) {
        /** The environment variable holding the PKCS#12 keystore password. */
        static final String TLS_PASSWORD_ENV = "LICENSOR_TLS_PASSWORD";
        /** What {@code --pg-schema} accepts (the PostgreSQL store's rule). */
        private static final java.util.regex.Pattern SCHEMA = java.util.regex.Pattern.compile("[a-z_][a-z0-9_]{0,47}");

        static Options parse(List<String> args) {
            String host = "127.0.0.1";
            int port = 8080;
            Path catalog = null;
            Path db = Path.of("licensor.db");
            boolean memory = false;
            boolean dbGiven = false;
            String root = LicenseServer.DEFAULT_COMMVAULT_ROOT;
            int maxBody = LicenseServer.DEFAULT_MAX_BODY;
            int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
            Path tls = null;
            Path signingKey = null;
            int maxConnections = 1000;
            Path tokenKey = null;
            String tokenKeyId = null;
            String postgres = null;
            String pgSchema = null;
            int callDeadline = (int) LicenseServer.DEFAULT_CALL_DEADLINE.toSeconds();
            boolean accessLog = false;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--memory" -> memory = true;
                    case "--host" -> host = value(args, ++i, a);
                    case "--port" -> port = number(value(args, ++i, a), a, 0, 65535);
                    case "--catalog" -> catalog = Path.of(value(args, ++i, a));
                    case "--db" -> {
                        db = Path.of(value(args, ++i, a));
                        dbGiven = true;
                    }
                    case "--commvault-root" -> root = value(args, ++i, a);
                    case "--max-body" -> maxBody = number(value(args, ++i, a), a, 1, 64 * 1024 * 1024);
                    case "--threads" -> threads = number(value(args, ++i, a), a, 1, 1024);
                    case "--max-connections" -> maxConnections = number(value(args, ++i, a), a, 1, 100_000);
                    case "--tls-keystore" -> tls = Path.of(value(args, ++i, a));
                    case "--signing-key" -> signingKey = Path.of(value(args, ++i, a));
                    case "--token-key" -> tokenKey = Path.of(value(args, ++i, a));
                    case "--token-key-id" -> tokenKeyId = value(args, ++i, a);
                    case "--postgres" -> postgres = value(args, ++i, a);
                    case "--pg-schema" -> pgSchema = value(args, ++i, a);
                    case "--call-deadline" -> callDeadline = number(value(args, ++i, a), a, 1, 3600);
                    case "--access-log" -> accessLog = true;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (memory && dbGiven) {
                throw new IllegalArgumentException("--memory and --db exclude each other");
            }
            if (tokenKeyId != null && tokenKey == null) {
                throw new IllegalArgumentException("--token-key-id needs --token-key");
            }
            checkPostgres(postgres, pgSchema, memory, dbGiven, signingKey);
            return new Options(host, port, catalog, db, memory, root, maxBody, threads, tls, signingKey, maxConnections,
                    tokenKey, tokenKeyId, postgres, postgres == null ? null : pgSchema == null ? "licensor" : pgSchema,
                    callDeadline, accessLog);
        }

        private static void checkPostgres(String url, String schema, boolean memory, boolean dbGiven, Path signingKey) {
            if (url == null) {
                if (schema != null) {
                    throw new IllegalArgumentException("--pg-schema needs --postgres");
                }
                return;
            }
            if (memory || dbGiven) {
                throw new IllegalArgumentException("--postgres and " + (memory ? "--memory" : "--db") + " exclude each other");
            }
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--postgres needs a JDBC URL like jdbc:postgresql://host:5432/database, not "
                        + ServerStore.redact(url));
            }
            if (schema != null && !SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("--pg-schema must be lower-case letters, digits and _ (at most 48), not "
                        + schema);
            }
            if (signingKey == null) {
                // Servers behind one load balancer must sign alike, so no key may be made per process.
                throw new IllegalArgumentException("--postgres needs --signing-key FILE: every server on the database"
                        + " must sign LicenseSpring answers with the same key (give each server the same file;"
                        + " it is created if absent)");
            }
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(i);
        }

        private static int number(String v, String option, int min, int max) {
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw new IllegalArgumentException(option + " must be between " + min + " and " + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number, not " + v);
            }
        }
    }

    /** Runs the command named by the first argument (default {@code serve}). */
    public static void main(String[] args) throws Exception {
        List<String> list = new ArrayList<>(List.of(args));
        String command = list.isEmpty() || list.get(0).startsWith("--") ? "serve" : list.remove(0);
        try {
            switch (command) {
                // The server's threads are daemons: keep the main thread until Ctrl+C stops it.
                case "serve" -> serve(Options.parse(list), System.out).server().join();
                case "demo" -> Demo.main(list.toArray(String[]::new));
                case "sign" -> sign(list, System.out);
                case "hash-password" -> hashPassword(System.out);
                case "load" -> LoadTest.main(list.toArray(String[]::new));
                case "help", "-h", "--help" -> usage(System.out);
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("licensor: " + e.getMessage());
            usage(System.err);
            System.exit(2);
        } catch (BindException e) {
            System.err.println("licensor: cannot listen there: " + e.getMessage() + " (try --port 0)");
            System.exit(1);
        } catch (NoSuchFileException e) {
            System.err.println("licensor: no such file: " + e.getMessage());
            System.exit(1);
        } catch (LicensingException e) {
            System.err.println("licensor: " + e.code().key() + ": " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: java -jar licensor-examples.jar [serve] [options]   the HTTP license server
                       java -jar licensor-examples.jar demo                the printed demo scenario
                       java -jar licensor-examples.jar sign [--api-key K --shared-key S]
                                                                           fresh LicenseSpring signature headers
                       java -jar licensor-examples.jar load [--devices N --seats N --rounds N]
                                                                           the HTTP load test
                       java -jar licensor-examples.jar hash-password       a PBKDF2 hash of a password read from stdin
                serve options:
                  --port N             port to listen on (default 8080; 0 picks a free one)
                  --host H             address to bind (default 127.0.0.1)
                  --catalog FILE       catalog JSON to load (default: the demo catalog in the jar)
                  --db FILE            SQLite store file (default licensor.db)
                  --memory             keep everything in memory instead (lost on exit)
                  --postgres URL       PostgreSQL store, e.g. jdbc:postgresql://db:5432/licensing; any number of
                                       servers on one database share its pools. User and password from
                                       $LICENSOR_PG_USER / $LICENSOR_PG_PASSWORD (else $PGUSER / $PGPASSWORD, or
                                       the URL); pool of min(threads, 16) + 1 connections. Needs --signing-key
                  --pg-schema NAME     the schema of its tables (default licensor; created if missing)
                  --commvault-root P   Commvault web-service root (default /commandcenter/api)
                  --max-body BYTES     largest request body (default 65536)
                  --threads N          worker threads (default max(8, 4 x cores))
                  --max-connections N  open connections at most (default 1000)
                  --call-deadline S    seconds a request may wait for its answer, queueing, database connection
                                       and lock waits included; unanswered by then it gets a 503 (default 10)
                  --tls-keystore FILE  serve HTTPS with this PKCS#12 keystore; password in $LICENSOR_TLS_PASSWORD
                  --signing-key FILE   LicenseSpring response signing key, PKCS#8 PEM RSA; created if absent,
                                       public key written to FILE.pub.pem (default licensor-signing-key.pem
                                       beside the database; in memory with --memory; with --postgres give
                                       every server the same file)
                  --token-key FILE     Ed25519 private key (PKCS#8, PEM or DER) that signs license tokens
                                       (/signed/*, license_token); default $LICENSOR_TOKEN_KEY, else a
                                       development key generated in memory at each start
                  --token-key-id ID    its key id (default $LICENSOR_TOKEN_KEY_ID, else "k1")
                  --access-log         log one line per request (no query string) to dev.licensor.examples.access""");
    }

    /** A started server with its store; {@link #close} stops both once (also run on Ctrl+C). */
    record Running(LicenseServer server, ServerStore store, Thread hook, AtomicBoolean closed)
            implements AutoCloseable {
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                server.close();
                store.close();
                System.out.println("licensor: stopped");
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // Called from the hook itself.
                }
            }
        }
    }

    /** Starts the server and returns; it runs until the JVM is interrupted (Ctrl+C) or closed. */
    static Running serve(Options options, PrintStream out) throws Exception {
        Clock clock = Clock.systemUTC();
        if (options.catalog() == null && !LicenseServer.isLoopback(options.host())) {
            throw new IllegalArgumentException("the demo catalog's credentials are public (demo-admin-token,"
                    + " admin/demo-password, demo-api-key): they answer on loopback only; give --catalog FILE with"
                    + " your own credentials to listen on " + options.host());
        }
        Path db = options.memory() || options.postgres() != null ? null : options.db();
        for (Path secret : new Path[] {options.tokenKey(), options.signingKey(), options.tlsKeystore(), db}) {
            SecureFiles.warnIfOthersCanRead(secret, out);
        }
        ServerStore store = ServerStore.open(options, System.getenv());
        LicenseServer server;
        CatalogFile catalog;
        CatalogFile.Applied applied;
        try {
            TokenSigner tokens = tokenSigner(options);
            Licensor licensor = Licensor.builder().store(store.store()).clock(clock).signer(tokens).build();
            catalog = options.catalog() == null ? CatalogFile.demo() : CatalogFile.read(options.catalog());
            applied = catalog.applyTo(licensor);
            LicenseServer.Builder builder = LicenseServer.builder(licensor).credentials(catalog.credentials()).clock(clock)
                    .host(options.host()).port(options.port()).commvaultRoot(options.commvaultRoot())
                    .maxBodyBytes(options.maxBody()).threads(options.threads()).maxConnections(options.maxConnections())
                    .callDeadline(Duration.ofSeconds(options.callDeadlineSeconds()))
                    .pools(applied.pools()).signer(signer(options)).tokenSigner(tokens).accessLog(options.accessLog());
            if (options.tlsKeystore() != null) {
                String password = System.getenv(Options.TLS_PASSWORD_ENV);
                if (password == null) {
                    throw new IllegalArgumentException("--tls-keystore needs the keystore password in $"
                            + Options.TLS_PASSWORD_ENV);
                }
                builder.tls(options.tlsKeystore(), password.toCharArray());
            }
            server = builder.start();
        } catch (Exception e) {
            store.close();
            throw e;
        }
        AtomicReference<Running> running = new AtomicReference<>();
        Thread hook = new Thread(() -> running.get().close(), "licensor-shutdown");
        running.set(new Running(server, store, hook, new AtomicBoolean()));
        Runtime.getRuntime().addShutdownHook(hook);
        banner(out, server, store, options, catalog, applied, clock, tokenKeyOrigin(options));
        return running.get();
    }

    /**
     * The license token key: {@code --token-key} (or {@code $LICENSOR_TOKEN_KEY}) with its id,
     * else a development key generated now (the banner says so).
     */
    static TokenSigner tokenSigner(Options options) throws java.io.IOException {
        Path file = options.tokenKey();
        String id = options.tokenKeyId();
        if (file == null) {
            String env = System.getenv(TokenKeys.KEY_ENV);
            if (env == null || env.isBlank()) {
                if (options.postgres() != null) {
                    // Servers sharing a database share its pools: their tokens must verify alike.
                    throw new IllegalArgumentException("--postgres needs --token-key FILE (or $" + TokenKeys.KEY_ENV
                            + "): every server on the database must sign license tokens with the same key");
                }
                return TokenKeys.development();
            }
            file = Path.of(env);
        }
        if (id == null) {
            String env = System.getenv(TokenKeys.KEY_ID_ENV);
            id = env == null || env.isBlank() ? "k1" : env.trim();
        }
        return TokenKeys.load(file, id);
    }

    /** The response signing key: the given file, else one beside the database, else in memory. */
    private static ResponseSigner signer(Options options) throws java.io.IOException {
        if (options.signingKey() != null) {
            return ResponseSigner.loadOrCreate(options.signingKey());
        }
        if (options.memory()) {
            return ResponseSigner.ephemeral();
        }
        Path db = options.db().toAbsolutePath();
        return ResponseSigner.loadOrCreate(db.resolveSibling("licensor-signing-key.pem"));
    }

    private static void hashPassword(PrintStream out) throws java.io.IOException {
        java.io.Console console = System.console();
        char[] password;
        if (console != null) {
            password = console.readPassword("password: ");
        } else {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("give a password on stdin");
        }
        out.println(PasswordHash.hash(password));
    }

    /** Where the token key came from, for the banner. */
    private static String tokenKeyOrigin(Options options) {
        if (options.tokenKey() != null) {
            return "key file " + options.tokenKey();
        }
        String env = System.getenv(TokenKeys.KEY_ENV);
        if (env != null && !env.isBlank()) {
            return "key file " + env + " ($" + TokenKeys.KEY_ENV + ")";
        }
        return "a DEVELOPMENT key generated in memory (its tokens stop verifying after a restart"
                + (options.postgres() != null ? " and on the other servers of the database" : "") + "; give --token-key)";
    }

    private static void banner(PrintStream out, LicenseServer server, ServerStore store, Options options, CatalogFile catalog,
                               CatalogFile.Applied applied, Clock clock, String tokenKey) {
        String base = server.uri().toString();
        Credentials credentials = catalog.credentials();
        // Live secrets never go to the banner (it ends up in logs): only the demo catalog's public ones do.
        boolean demo = options.catalog() == null;
        out.println("Licensor HTTP server listening on " + base);
        if (demo) {
            out.println("WARNING: DEMO CREDENTIALS (demo-admin-token, admin/demo-password, demo-api-key) are public and"
                    + " answer on loopback only; give --catalog FILE with your own before real use");
        }
        out.println("  store: " + store.description() + "; catalog: "
                + (options.catalog() == null ? "demo (built in)" : options.catalog())
                + " (" + applied.added() + " entries added); clients " + applied.clientIds());
        out.println("  LicenseSpring v4: " + base + "/api/v4/   Commvault: " + base + server.commvaultRoot()
                + "/   admin: " + base + "/admin/");
        out.println("  LicenseSpring answers are signed (header LicenseSignature, RSA SHA-256); public key: "
                + base + "/api/v4/signature_public_key");
        out.println("  license tokens (Ed25519 JWS, license_token and /signed/*) signed with " + tokenKey
                + "; public keys: " + base + "/signed/keys");
        Optional<Map.Entry<String, String>> key = credentials.apiKeys().entrySet().stream().findFirst();
        Optional<DeviceRequest> device = catalog.exampleDevice();
        if (key.isPresent() && device.isPresent()) {
            DeviceRequest d = device.get();
            RequestSigner.Signed s = demo ? RequestSigner.sign(key.get().getKey(), key.get().getValue(), clock.instant())
                    : null;
            String query = "product=" + enc(d.product())
                    + (d.licenseKey() != null ? "&license_key=" + enc(d.licenseKey()) : "&username=" + enc(d.username()))
                    + "&hardware_id=" + enc(d.hardwareId());
            out.println();
            if (s != null) {
                out.println("Check a floating license (takes a seat; signed now, so paste within 15 minutes;"
                        + " `java -jar examples/target/licensor-examples.jar sign` prints fresh headers):");
                out.println("curl -sS '" + base + "/api/v4/check_license?" + query + "' \\\n  -H 'Date: " + s.date()
                        + "' \\\n  -H 'Authorization: " + s.authorization() + "'");
            } else {
                out.println("Check a floating license (takes a seat; the headers come from an API key of the catalog):");
                out.println("curl -sS '" + base + "/api/v4/check_license?" + query + "' \\\n  $(java -jar"
                        + " examples/target/licensor-examples.jar sign --api-key <API KEY> --shared-key <SHARED KEY>)");
            }
        }
        Optional<String> token = credentials.commvaultTokens().stream().findFirst();
        Optional<ClientLicensesRequest> release = catalog.exampleRelease();
        if (token.isPresent() && release.isPresent()) {
            ClientLicensesRequest r = release.get();
            LicenseSelector l = r.licenses().get(0);
            String shown = demo ? token.get() : "<A COMMVAULT TOKEN OF THE CATALOG>";
            String json = "{ \"isClientLevelOperation\": true, \"licensesInfo\": [{ \"platformType\": " + l.platformType()
                    + ", \"license\": { \"appType\": " + l.appType()
                    + (l.licenseName() == null ? "" : ", \"licenseName\": \"" + l.licenseName() + "\"")
                    + " } }], \"clientEntity\": { \"clientName\": \"" + r.client().name() + "\" } }";
            out.println();
            out.println("Release a client's license (Commvault; the answer is CVGui_GenericResp):");
            out.println("curl -sS -X POST '" + base + server.commvaultRoot() + "/Client/License/Release' \\\n"
                    + "  -H 'Content-Type: application/json' -H 'Accept: application/json' \\\n"
                    + "  -H 'Authtoken: QSDK " + shown + "' \\\n  --data-raw '" + json + "'");
            Long id = applied.clientIds().get(r.client().name());
            out.println("curl -sS '" + base + server.commvaultRoot() + "/Client/" + id + "/License' -H 'Authtoken: QSDK "
                    + shown + "'");
        }
        credentials.adminTokens().stream().findFirst().ifPresent(t -> {
            out.println();
            out.println("Admin (views: pools, usage, ledger; actions: force-release, blacklist, enable/disable, activate/deactivate)");
            out.println("curl -sS '" + base + "/admin/pools' -H 'Authtoken: " + (demo ? t : "<AN ADMIN TOKEN OF THE CATALOG>")
                    + "'");
            out.println("In a browser: " + base + "/admin/page (capacity charts and what-if; log in with the admin token)");
        });
        out.println();
        out.println("Press Ctrl+C to stop.");
        out.flush();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sign(List<String> args, PrintStream out) {
        String apiKey = null;
        String sharedKey = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--api-key" -> apiKey = Options.value(args, ++i, "--api-key");
                case "--shared-key" -> sharedKey = Options.value(args, ++i, "--shared-key");
                default -> throw new IllegalArgumentException("unknown option " + args.get(i));
            }
        }
        if (apiKey == null && sharedKey == null) {
            Map.Entry<String, String> demo = CatalogFile.demo().credentials().apiKeys().entrySet().iterator().next();
            apiKey = demo.getKey();
            sharedKey = demo.getValue();
        } else if (apiKey == null || sharedKey == null) {
            throw new IllegalArgumentException("give both --api-key and --shared-key (or neither, for the demo key)");
        }
        RequestSigner.Signed s = RequestSigner.sign(apiKey, sharedKey, Clock.systemUTC().instant());
        out.println("-H 'Date: " + s.date() + "' -H 'Authorization: " + s.authorization() + "'");
    }
}
