package dev.licensor.examples.server;

import dev.licensor.Licensor;
import dev.licensor.catalog.Client;
import dev.licensor.catalog.ClientLicense;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Product;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumeRequest;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.examples.server.internal.Bodies;
import dev.licensor.examples.server.internal.Fields;
import dev.licensor.examples.server.internal.WireException;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A JSON catalog file: products, licenses (with devices activated up front), client licenses,
 * clients with their agents and the licenses they hold, and API credentials. The format is
 * documented in {@code examples/README.md} ("Catalog file"); unknown fields are refused so a typo never passes
 * silently.
 *
 * <p>{@link #applyTo} adds what the store lacks and leaves what it has: a product, license,
 * client license or client already present (by code, key/username, platform/license/app type,
 * name) is kept as it is, and devices and held licenses are applied only to entries created
 * now. So a server can load the same file on every start over a persistent store.
 *
 * <p>Immutable and thread-safe.
 */
public final class CatalogFile {
    /** The demo catalog shipped in the jar. */
    public static final String DEMO_RESOURCE = "/licensor-demo-catalog.json";

    private record LicenseEntry(License draft, List<String> activatedDevices) {
    }

    private record AgentEntry(int appType, String name) {
    }

    private record ClientEntry(String name, int platformType, String hostName, List<AgentEntry> agents,
                               List<ConsumeEntry> consumed) {
    }

    private record ConsumeEntry(int platformType, int licenseType, int appType, boolean agentLevel) {
    }

    /**
     * What {@link #applyTo} did. Immutable and thread-safe.
     *
     * @param pools     every floating license of the file, license id by {@code product/key-or-username}
     * @param clientIds every client of the file, id by name
     * @param added     how many entries were created now (0 when the store already had them all)
     */
    public record Applied(Map<String, Long> pools, Map<String, Long> clientIds, int added) {
        public Applied {
            pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
            clientIds = Collections.unmodifiableMap(new LinkedHashMap<>(clientIds));
        }
    }

    private final String source;
    private final List<Product> products;
    private final List<LicenseEntry> licenses;
    private final List<ClientLicense> clientLicenses;
    private final List<ClientEntry> clients;
    private final Credentials credentials;

    private CatalogFile(String source, List<Product> products, List<LicenseEntry> licenses,
                        List<ClientLicense> clientLicenses, List<ClientEntry> clients, Credentials credentials) {
        this.source = source;
        this.products = List.copyOf(products);
        this.licenses = List.copyOf(licenses);
        this.clientLicenses = List.copyOf(clientLicenses);
        this.clients = List.copyOf(clients);
        this.credentials = credentials;
    }

    /** Reads a catalog file; a malformed one is refused with {@code invalid_request} naming the field. */
    public static CatalogFile read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** The demo catalog shipped in the jar. */
    public static CatalogFile demo() {
        try (InputStream in = CatalogFile.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEMO_RESOURCE + " is missing from the classpath");
            }
            return parse(in.readAllBytes(), "demo catalog");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses catalog JSON. */
    public static CatalogFile parse(byte[] json, String source) {
        try {
            return parse(Fields.json(Bodies.parseJson(json)), source);
        } catch (WireException e) {
            throw new LicensingException(Code.INVALID_REQUEST, "catalog " + source + ": " + e.getMessage());
        }
    }

    private static List<Fields> list(Fields f, String name) {
        List<Fields> items = f.objects(name);
        return items == null ? List.of() : items;
    }

    private static CatalogFile parse(Fields f, String source) {
        f.onlyKnown(Set.of("products", "licenses", "clientLicenses", "clients", "credentials", "comment"));
        List<Product> products = new ArrayList<>();
        for (Fields p : list(f, "products")) {
            p.onlyKnown(Set.of("code", "name", "floatingTimeoutMinutes", "maxBorrowHours", "comment"));
            products.add(new Product(required(p, "code"), p.text("name") == null ? required(p, "code") : p.text("name"),
                    Duration.ofMinutes(longOr(p, "floatingTimeoutMinutes", 30)),
                    Duration.ofHours(longOr(p, "maxBorrowHours", 0))));
        }
        List<LicenseEntry> licenses = new ArrayList<>();
        for (Fields l : list(f, "licenses")) {
            l.onlyKnown(Set.of("product", "key", "username", "type", "enabled", "active", "validFrom", "validUntil",
                    "maxActivations", "floatingSeats", "floatingTimeoutMinutes", "borrowAllowed", "maxBorrowHours",
                    "maxConsumptions", "overageAllowed", "maxOverage", "activatedDevices", "comment"));
            License.Builder b = License.builder(required(l, "product")).key(l.text("key")).username(l.text("username"))
                    .type(type(l))
                    .enabled(boolOr(l, "enabled", true)).active(boolOr(l, "active", true))
                    .validFrom(l.instant("validFrom")).validUntil(l.instant("validUntil"))
                    .maxActivations(l.int32("maxActivations", 1)).floatingSeats(l.int32("floatingSeats", 0))
                    .borrowAllowed(boolOr(l, "borrowAllowed", false))
                    .maxConsumptions(longOr(l, "maxConsumptions", 0))
                    .overage(boolOr(l, "overageAllowed", false), longOr(l, "maxOverage", 0));
            if (l.has("floatingTimeoutMinutes")) {
                b.floatingTimeout(Duration.ofMinutes(l.integer("floatingTimeoutMinutes")));
            }
            if (l.has("maxBorrowHours")) {
                b.maxBorrowTime(Duration.ofHours(l.integer("maxBorrowHours")));
            }
            List<String> devices = l.texts("activatedDevices");
            licenses.add(new LicenseEntry(b.build(), devices == null ? List.of() : devices));
        }
        List<ClientLicense> clientLicenses = new ArrayList<>();
        for (Fields c : list(f, "clientLicenses")) {
            c.onlyKnown(Set.of("platformType", "licenseType", "appType", "licenseName", "permanent", "evaluation",
                    "evaluationExpiry", "comment"));
            clientLicenses.add(ClientLicense.draft(c.int32("platformType", 0), c.int32("licenseType", 0),
                    c.int32("appType", 0), required(c, "licenseName"), c.int32("permanent", 0), c.int32("evaluation", 0),
                    c.instant("evaluationExpiry")));
        }
        List<ClientEntry> clients = new ArrayList<>();
        for (Fields c : list(f, "clients")) {
            c.onlyKnown(Set.of("name", "platformType", "hostName", "agents", "consumed", "comment"));
            List<AgentEntry> agents = new ArrayList<>();
            for (Fields a : list(c, "agents")) {
                a.onlyKnown(Set.of("appType", "name", "comment"));
                agents.add(new AgentEntry(a.int32("appType", 0), a.text("name")));
            }
            List<ConsumeEntry> consumed = new ArrayList<>();
            for (Fields u : list(c, "consumed")) {
                u.onlyKnown(Set.of("platformType", "licenseType", "appType", "agentLevel", "comment"));
                consumed.add(new ConsumeEntry(u.int32("platformType", 0), u.int32("licenseType", 0),
                        u.int32("appType", 0), boolOr(u, "agentLevel", false)));
            }
            clients.add(new ClientEntry(required(c, "name"), c.int32("platformType", 1), c.text("hostName"),
                    agents, consumed));
        }
        return new CatalogFile(source, products, licenses, clientLicenses, clients, credentials(f.object("credentials")));
    }

    private static Credentials credentials(Fields c) {
        if (c == null) {
            return Credentials.none();
        }
        c.onlyKnown(Set.of("apiKeys", "commvaultTokens", "commvaultUsers", "adminTokens", "comment"));
        Set<String> secrets = new java.util.HashSet<>(); // each secret once, in one role
        Map<String, String> keys = new LinkedHashMap<>();
        for (Fields k : list(c, "apiKeys")) {
            k.onlyKnown(Set.of("key", "sharedKey"));
            String key = required(k, "key");
            if (keys.put(key, secret(secrets, required(k, "sharedKey"), "the shared key of API key " + key)) != null) {
                throw WireException.of(Code.INVALID_REQUEST, "credentials: API key " + key + " is listed twice");
            }
        }
        Map<String, String> users = new LinkedHashMap<>();
        for (Fields u : list(c, "commvaultUsers")) {
            u.onlyKnown(Set.of("username", "passwordHash", "comment"));
            String name = required(u, "username");
            String hash = required(u, "passwordHash");
            try {
                // one cost for every user, as for the unknown-user dummy: timing tells no user apart
                if (PasswordHash.iterations(hash) != PasswordHash.ITERATIONS) {
                    throw WireException.of(Code.INVALID_REQUEST, "credentials: the password hash of " + name + " must use "
                            + PasswordHash.ITERATIONS + " iterations, as every hash (make it with `hash-password`)");
                }
            } catch (IllegalArgumentException e) {
                throw WireException.of(Code.INVALID_REQUEST, "credentials: " + e.getMessage());
            }
            if (users.put(name, hash) != null) {
                throw WireException.of(Code.INVALID_REQUEST, "credentials: user " + name + " is listed twice");
            }
        }
        List<String> cv = c.texts("commvaultTokens");
        List<String> admin = c.texts("adminTokens");
        for (String t : cv == null ? List.<String>of() : cv) {
            secret(secrets, t, "a Commvault token");
        }
        for (String t : admin == null ? List.<String>of() : admin) {
            secret(secrets, t, "an admin token");
        }
        try {
            return new Credentials(keys, new LinkedHashSet<>(cv == null ? List.of() : cv),
                    new LinkedHashSet<>(admin == null ? List.of() : admin), users);
        } catch (IllegalArgumentException e) {
            throw WireException.of(Code.INVALID_REQUEST, "credentials: " + e.getMessage());
        }
    }

    /** Shortest shared key or token accepted in a catalog file. */
    static final int MIN_SECRET_LENGTH = 12;

    /** A secret of the catalog: long enough, and not used before (in any role). */
    private static String secret(Set<String> seen, String value, String what) {
        if (value.length() < MIN_SECRET_LENGTH) {
            throw WireException.of(Code.INVALID_REQUEST, "credentials: " + what + " is shorter than " + MIN_SECRET_LENGTH
                    + " characters");
        }
        if (!seen.add(value)) {
            throw WireException.of(Code.INVALID_REQUEST, "credentials: " + what + " is already used (listed twice, or"
                    + " as another credential): give each role its own secret");
        }
        return value;
    }

    private static String required(Fields f, String name) {
        String v = f.text(name);
        if (v == null || v.isBlank()) {
            throw WireException.of(Code.MISSING_PARAMETERS, (f.where().isEmpty() ? "" : f.where() + ".") + name + " is required");
        }
        return v;
    }

    private static long longOr(Fields f, String name, long absent) {
        Long v = f.integer(name);
        return v == null ? absent : v;
    }

    private static boolean boolOr(Fields f, String name, boolean absent) {
        Boolean v = f.bool(name);
        return v == null ? absent : v;
    }

    private static LicenseType type(Fields f) {
        String t = f.text("type");
        if (t == null) {
            return LicenseType.PERPETUAL;
        }
        try {
            return LicenseType.valueOf(t.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw WireException.of(Code.INVALID_REQUEST, f.where() + ".type must be perpetual, time_limited, subscription or consumption");
        }
    }

    /**
     * A device call the file makes possible at once: the first license with an activated device
     * (floating ones first), for printing a ready-to-paste request.
     */
    public Optional<DeviceRequest> exampleDevice() {
        return licenses.stream().filter(e -> !e.activatedDevices().isEmpty())
                .sorted(Comparator.comparing((LicenseEntry e) -> !e.draft().isFloating()))
                .findFirst()
                .map(e -> new DeviceRequest(e.draft().product(), e.draft().key(), e.draft().username(), null,
                        e.activatedDevices().get(0)));
    }

    /**
     * A client-level release the file makes possible at once: the first license the first client
     * holding one holds, for printing a ready-to-paste request.
     */
    public Optional<ClientLicensesRequest> exampleRelease() {
        for (ClientEntry c : clients) {
            for (ConsumeEntry u : c.consumed()) {
                String name = clientLicenses.stream().filter(l -> l.platformType() == u.platformType()
                        && l.licenseType() == u.licenseType() && l.appType() == u.appType())
                        .map(ClientLicense::licenseName).findFirst().orElse(null);
                return Optional.of(new ClientLicensesRequest(true,
                        ClientRef.name(c.name()),
                        List.of(new LicenseSelector(u.platformType(), 0, u.appType(), name))));
            }
        }
        return Optional.empty();
    }

    /** The credentials the file defines. */
    public Credentials credentials() {
        return credentials;
    }

    /** The actor the ledger names for what a catalog file defined. */
    public static final String ACTOR = "catalog-file";

    /**
     * Adds to the engine's store what it lacks (see the class comment). A definition the engine
     * refuses stops the load with a {@link LicensingException} naming the entry; what was added
     * before it stays.
     *
     * <p>Safe when several servers load a file into one store at once (processes on one
     * database): an entry another server created between our look-up and our create
     * ({@code already_exists}) is kept like one found present, so each entry, its devices and its
     * held licenses are created once, by the server that created the entry.
     */
    public Applied applyTo(Licensor licensor) {
        // the ledger says these definitions came from the file, not from an admin call
        var catalog = licensor.as(dev.licensor.ledger.Actor.of(ACTOR)).catalog();
        int added = 0;
        for (Product p : products) {
            if (catalog.product(p.code()).isEmpty()
                    && createOrKeep(catalog.defineProduct(p), () -> catalog.product(p.code()), "product " + p.code()).created()) {
                added++;
            }
        }
        Map<String, Long> pools = new LinkedHashMap<>();
        for (LicenseEntry e : licenses) {
            License d = e.draft();
            String name = d.product() + "/" + (d.key() != null ? d.key() : d.username());
            Supplier<Optional<License>> lookup = () -> {
                Outcome<License> found = d.key() != null ? catalog.licenseByKey(d.product(), d.key())
                        : catalog.licenseByUser(d.product(), d.username());
                return found.isSuccess() ? Optional.of(found.orElseThrow()) : Optional.empty();
            };
            Optional<License> existing = lookup.get();
            License license;
            if (existing.isPresent()) {
                license = existing.get();
            } else {
                Kept<License> made = createOrKeep(catalog.createLicense(d), lookup, "license " + name);
                license = made.value();
                if (made.created()) {
                    added++;
                    for (String device : e.activatedDevices()) {
                        check(licensor.floating().activate(new DeviceRequest(d.product(), d.key(), d.username(),
                                license.id(), device)), "license " + name + " device " + device);
                    }
                }
            }
            if (license.isFloating()) {
                pools.put(name, license.id());
            }
        }
        for (ClientLicense c : clientLicenses) {
            Supplier<Optional<ClientLicense>> lookup = () -> catalog.clientLicenses().stream()
                    .filter(p -> p.platformType() == c.platformType() && p.licenseType() == c.licenseType()
                            && p.appType() == c.appType()).findFirst();
            if (lookup.get().isEmpty()
                    && createOrKeep(catalog.defineClientLicense(c), lookup, "client license " + c.licenseName()).created()) {
                added++;
            }
        }
        Map<String, Long> clientIds = new LinkedHashMap<>();
        for (ClientEntry c : clients) {
            ClientRef ref = ClientRef.name(c.name());
            Optional<Client> existing = catalog.client(ref);
            Client client;
            if (existing.isPresent()) {
                client = existing.get();
            } else {
                Kept<Client> made = createOrKeep(catalog.registerClient(c.name(), c.platformType(), c.hostName()),
                        () -> catalog.client(ref), "client " + c.name());
                client = made.value();
                if (made.created()) {
                    added++;
                    for (AgentEntry a : c.agents()) {
                        check(catalog.addAgent(ref, a.appType(), a.name()), "client " + c.name() + " agent " + a.appType());
                    }
                    for (ConsumeEntry u : c.consumed()) {
                        check(licensor.clients().consume(new ConsumeRequest(ref, u.platformType(), u.licenseType(),
                                u.appType(), u.agentLevel())), "client " + c.name() + " consumes " + u);
                    }
                }
            }
            clientIds.put(client.name(), client.id());
        }
        return new Applied(pools, clientIds, added);
    }

    /** An entry of the store, and whether this load created it. */
    private record Kept<T>(T value, boolean created) {
    }

    /**
     * The entry {@code create} made, or, when another server made it first
     * ({@code already_exists}), the one it made.
     */
    private <T> Kept<T> createOrKeep(Outcome<T> create, Supplier<Optional<T>> lookup, String what) {
        if (create instanceof Outcome.Failure<T> f && f.code() == Code.ALREADY_EXISTS) {
            Optional<T> theirs = lookup.get();
            if (theirs.isPresent()) {
                return new Kept<>(theirs.get(), false);
            }
        }
        return new Kept<>(check(create, what), true);
    }

    private <T> T check(Outcome<T> outcome, String what) {
        if (outcome instanceof Outcome.Failure<T> f) {
            throw new LicensingException(f.code(), "catalog " + source + ": " + what + ": " + f.message());
        }
        return outcome.orElseThrow();
    }
}
