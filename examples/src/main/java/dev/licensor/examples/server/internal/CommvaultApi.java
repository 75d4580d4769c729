package dev.licensor.examples.server.internal;

import dev.licensor.Licensor;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.examples.server.PasswordHash;
import dev.licensor.examples.server.api.Reply;
import dev.licensor.examples.server.internal.CommvaultWire.AppType;
import dev.licensor.examples.server.internal.CommvaultWire.ClientEntity;
import dev.licensor.examples.server.internal.CommvaultWire.ClientLicensesBody;
import dev.licensor.examples.server.internal.CommvaultWire.ConsumedLicensesResp;
import dev.licensor.examples.server.internal.CommvaultWire.GenericResp;
import dev.licensor.examples.server.internal.CommvaultWire.LicenseInfo;
import dev.licensor.examples.server.internal.CommvaultWire.LicenseInfoOut;
import dev.licensor.examples.server.internal.CommvaultWire.LicenseOut;
import dev.licensor.examples.server.internal.CommvaultWire.LoginBody;
import dev.licensor.examples.server.internal.CommvaultWire.LoginResp;
import dev.licensor.examples.server.internal.CommvaultWire.WhoAmIResp;
import dev.licensor.examples.server.internal.CommvaultWire.WhoAmIUser;
import dev.licensor.examples.server.internal.CommvaultWire.ActivityControl;
import dev.licensor.examples.server.internal.CommvaultWire.ActivityOption;
import dev.licensor.examples.server.internal.CommvaultWire.ClientActivityControl;
import dev.licensor.examples.server.internal.CommvaultWire.ClientEntityOut;
import dev.licensor.examples.server.internal.CommvaultWire.ClientOut;
import dev.licensor.examples.server.internal.CommvaultWire.ClientProperties;
import dev.licensor.examples.server.internal.CommvaultWire.ClientPropertiesResp;
import dev.licensor.examples.server.internal.CommvaultWire.ClientProps;
import dev.licensor.examples.server.internal.CommvaultWire.OsDisplayInfo;
import dev.licensor.examples.server.internal.CommvaultWire.OsInfo;
import dev.licensor.examples.server.internal.CommvaultWire.TimeZoneOut;
import dev.licensor.examples.server.internal.CommvaultWire.VersionInfo;
import dev.licensor.catalog.Client;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Commvault calls under a web-service root (default {@code /commandcenter/api}): the login
 * surface the vendor's SDK uses ({@code GET /}, {@code Login}, {@code WhoAmI},
 * {@code RenewLoginToken}, {@code Logout}), Release License, Get Client Licenses and Reconfigure.
 * Path segments match case-insensitively. Bodies are JSON or XML by {@code Content-Type}; answers
 * are JSON or XML by {@code Accept} (else like the request). Statuses follow {@link CodeTables}:
 * an engine refusal is HTTP 200 with a non-zero {@code errorCode}; a request the server cannot
 * read or authenticate gets its {@link WireError} status and 6xx number.
 *
 * <p>Thread-safe.
 */
public final class CommvaultApi {
    private final Licensor licensor;
    private final List<String> root;
    private final Tokens tokens;
    private final Map<String, String> users;
    private final Sessions sessions;
    private final LoginThrottle throttle;

    /**
     * @param root   the web-service root, e.g. {@code /commandcenter/api}
     * @param tokens fixed {@code Authtoken} values for machine clients (without {@code QSDK })
     * @param users  login users: name to {@link PasswordHash} string
     * @param clock  the engine's clock (token idle time)
     */
    public CommvaultApi(Licensor licensor, String root, Set<String> tokens, Map<String, String> users, Clock clock) {
        this.licensor = licensor;
        this.root = Call.segments(root).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        this.tokens = new Tokens(tokens);
        this.users = Map.copyOf(users);
        this.sessions = new Sessions(clock);
        this.throttle = new LoginThrottle(clock);
    }

    /** True for paths under the web-service root (case-insensitive). */
    public boolean owns(List<String> segments) {
        if (segments.size() < root.size()) {
            return false;
        }
        for (int i = 0; i < root.size(); i++) {
            if (!segments.get(i).equalsIgnoreCase(root.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** True for a raw path under the web-service root; never throws (used for error pages). */
    public boolean ownsRaw(String rawPath) {
        List<String> segs = new ArrayList<>();
        for (String s : rawPath == null ? new String[0] : rawPath.split("/")) {
            if (!s.isEmpty()) {
                segs.add(s);
            }
        }
        return owns(segs);
    }

    private enum Op { PROBE, LOGIN, WHOAMI, RENEW, LOGOUT, RELEASE, RECONFIGURE, LIST, CLIENT, CLIENTS }

    /** Handles one call; never throws for a bad request. */
    public Reply handle(Call call) {
        boolean xml = wantsXml(call.header("Accept"), call.contentType());
        String allow = null;
        try {
            List<String> rest = call.segments().subList(root.size(), call.segments().size()).stream()
                    .map(s -> s.toLowerCase(Locale.ROOT)).toList();
            Op op = route(rest);
            String method = op == Op.LIST || op == Op.PROBE || op == Op.CLIENT || op == Op.CLIENTS ? "GET" : "POST";
            allow = method;
            if (!call.method().equals(method)) {
                throw WireException.of(WireError.METHOD_NOT_ALLOWED, "this endpoint takes " + method);
            }
            return switch (op) {
                case PROBE -> generic(200, 0, "", xml);
                case LOGIN -> login(call, xml);
                case WHOAMI -> Bodies.write(200, new WhoAmIResp(new WhoAmIUser(user(call))), xml);
                case RENEW -> renew(call, xml);
                case LOGOUT -> logout(call, xml);
                case LIST -> {
                    user(call);
                    yield list(call.segments().get(root.size() + 1), xml);
                }
                case CLIENTS -> {
                    user(call);
                    yield clients(xml);
                }
                case CLIENT -> {
                    user(call);
                    yield clientProperties(call.segments().get(root.size() + 1), xml);
                }
                case RELEASE -> {
                    user(call);
                    yield generic(licensor.clients().release(releaseRequest(body(call))), xml);
                }
                case RECONFIGURE -> {
                    user(call);
                    yield generic(licensor.clients().reconfigure(reconfigureRequest(body(call))), xml);
                }
            };
        } catch (WireException e) {
            Reply reply = generic(e.status(), e.number(), e.getMessage(), xml);
            if (e.retryAfter() > 0) {
                reply = reply.withHeader("Retry-After", Long.toString(e.retryAfter()));
            }
            return e.status() == 405 && allow != null ? reply.withHeader("Allow", allow) : reply;
        } catch (LicensingException e) {
            return failure(e.code(), e.getMessage(), xml);
        }
    }

    private static Op route(List<String> rest) {
        if (rest.isEmpty()) {
            return Op.PROBE;
        }
        if (rest.size() == 1) {
            switch (rest.get(0)) {
                case "login":
                    return Op.LOGIN;
                case "whoami":
                    return Op.WHOAMI;
                case "renewlogintoken":
                    return Op.RENEW;
                case "logout":
                    return Op.LOGOUT;
                case "client":
                    return Op.CLIENTS;
                default:
                    break;
            }
        }
        if (rest.size() == 3 && rest.get(0).equals("client") && rest.get(1).equals("license")) {
            if (rest.get(2).equals("release")) {
                return Op.RELEASE;
            }
            if (rest.get(2).equals("reconfigure")) {
                return Op.RECONFIGURE;
            }
        }
        if (rest.size() == 2 && rest.get(0).equals("client")) {
            return Op.CLIENT;
        }
        if (rest.size() == 3 && rest.get(0).equals("client") && rest.get(2).equals("license")) {
            return Op.LIST;
        }
        throw WireException.of(WireError.NOT_FOUND, "no endpoint /" + String.join("/", rest) + " under the web-service root");
    }

    /** XML if {@code Accept} asks for XML rather than JSON; with no preference, like the request body. */
    public static boolean wantsXml(String accept, String contentType) {
        if (accept != null) {
            String a = accept.toLowerCase(Locale.ROOT);
            boolean json = a.contains("json");
            boolean xml = a.contains("xml");
            if (json != xml) {
                return xml;
            }
        }
        return Bodies.isXml(Call.mediaType(contentType));
    }

    private static String token(Call call) {
        String header = call.header("Authtoken");
        if (header == null || header.isBlank()) {
            throw WireException.of(WireError.UNAUTHORIZED, "the Authtoken header is required");
        }
        String token = header.trim();
        if (token.regionMatches(true, 0, "QSDK ", 0, 5)) {
            token = token.substring(5).trim();
        }
        return token;
    }

    /** The caller's user name (a fixed machine token answers {@code machine}); 401 if not authenticated. */
    private String user(Call call) {
        String token = token(call);
        if (tokens.accepts(token)) {
            return "machine";
        }
        String user = sessions.use(token);
        if (user == null) {
            throw WireException.of(WireError.UNAUTHORIZED, "the Authtoken is not valid or has lapsed; log in again");
        }
        return user;
    }

    private Reply login(Call call, boolean xml) {
        LoginBody body = body(call, LoginBody.class);
        if (body.username() == null || body.password() == null) {
            throw WireException.of(WireError.MALFORMED_BODY, "Login needs username and password (base64)");
        }
        char[] password;
        try {
            password = new String(Base64.getDecoder().decode(body.password().trim()), StandardCharsets.UTF_8).toCharArray();
        } catch (IllegalArgumentException e) {
            throw WireException.of(WireError.MALFORMED_BODY, "password must be base64");
        }
        String stored = users.get(body.username());
        String address = call.remoteAddress();
        long wait = throttle.retryAfter(body.username(), address);
        if (wait > 0) {
            java.util.Arrays.fill(password, '\0');
            throw WireException.tooMany("too many failed logins for this user or address; try again in " + wait + " s",
                    wait);
        }
        if (!throttle.tryHash()) {
            java.util.Arrays.fill(password, '\0');
            throw WireException.tooMany("too many logins at once; try again", 1);
        }
        boolean ok;
        try {
            // An unknown user costs a hash too, so timing does not tell which names exist.
            ok = PasswordHash.verify(password, stored != null ? stored : DUMMY_HASH) && stored != null;
        } finally {
            throttle.doneHashing();
            java.util.Arrays.fill(password, '\0');
        }
        if (!ok) {
            throttle.failed(body.username(), address);
            throw WireException.of(WireError.UNAUTHORIZED, "the user name or password is not valid");
        }
        throttle.succeeded(body.username());
        String token = sessions.open(body.username());
        return Bodies.write(200, new LoginResp(body.username(), body.username(), "QSDK " + token), xml);
    }

    private static final String DUMMY_HASH = PasswordHash.hash("not a password".toCharArray(), PasswordHash.ITERATIONS);

    private Reply renew(Call call, boolean xml) {
        String token = token(call);
        String user = user(call);
        if (tokens.accepts(token)) {
            return Bodies.write(200, new LoginResp(null, null, "QSDK " + token), xml);
        }
        String fresh = sessions.open(user);
        sessions.close(token);
        return Bodies.write(200, new LoginResp(user, user, "QSDK " + fresh), xml);
    }

    private Reply logout(Call call, boolean xml) {
        String token = token(call);
        user(call);
        if (tokens.accepts(token)) {
            // A fixed catalog token cannot end by a call: answering success would mislead the caller.
            throw WireException.of(dev.licensor.outcome.Code.INVALID_REQUEST,
                    "a fixed machine token from the catalog cannot be logged out; remove it from the catalog to end it");
        }
        sessions.close(token);
        return generic(200, 0, "", xml);
    }

    private static <T> T body(Call call, Class<T> type) {
        String ct = call.contentType();
        boolean xml;
        if (Bodies.isJson(ct)) {
            xml = false;
        } else if (Bodies.isXml(ct)) {
            xml = true;
        } else {
            throw WireException.of(WireError.UNSUPPORTED_MEDIA_TYPE,
                    "send Content-Type application/json or application/xml" + (ct == null ? "" : ", not " + ct));
        }
        return Bodies.bind(call.body(), xml, type);
    }

    private static ClientLicensesBody body(Call call) {
        return body(call, ClientLicensesBody.class);
    }

    private static ClientRef client(ClientEntity e) {
        if (e == null) {
            return null;
        }
        String name = e.clientName();
        return new ClientRef(e.clientId(), name == null || name.isBlank() ? null : name);
    }

    private static int orZero(Integer v) {
        return v == null ? 0 : v;
    }

    /** The engine's request; an absent {@code isClientLevelOperation} stays null (any level). */
    private static ClientLicensesRequest releaseRequest(ClientLicensesBody b) {
        List<LicenseSelector> selectors = null;
        if (b.licensesInfo() != null) {
            selectors = new ArrayList<>();
            for (LicenseInfo info : b.licensesInfo()) {
                if (info == null) {
                    selectors.add(null);
                    continue;
                }
                var l = info.license();
                selectors.add(new LicenseSelector(orZero(info.platformType()),
                        l == null ? 0 : orZero(l.licenseType()), l == null ? 0 : orZero(l.appType()),
                        l == null ? null : l.licenseName()));
            }
        }
        return new ClientLicensesRequest(b.isClientLevelOperation(),
                client(b.clientEntity() != null ? b.clientEntity() : b.clientInfo()), selectors);
    }

    /**
     * Reconfigure in either shape. The vendor's ({@code clientInfo}, {@code platformTypes},
     * optional {@code appTypes}) becomes one entry per platform (every license on it) or, with
     * {@code appTypes}, one per platform and application.
     */
    private static ClientLicensesRequest reconfigureRequest(ClientLicensesBody b) {
        if (b.platformTypes() == null || b.licensesInfo() != null) {
            return releaseRequest(b);
        }
        List<LicenseSelector> selectors = new ArrayList<>();
        for (Integer platform : b.platformTypes()) {
            if (b.appTypes() == null || b.appTypes().isEmpty()) {
                selectors.add(LicenseSelector.everyLicense(orZero(platform)));
            } else {
                for (AppType app : b.appTypes()) {
                    selectors.add(new LicenseSelector(orZero(platform), 0, app == null ? 0 : orZero(app.applicationId()), null));
                }
            }
        }
        return new ClientLicensesRequest(b.isClientLevelOperation(),
                client(b.clientInfo() != null ? b.clientInfo() : b.clientEntity()), selectors);
    }

    private static long clientId(String clientId) {
        try {
            return Long.parseLong(clientId);
        } catch (NumberFormatException e) {
            throw WireException.of(WireError.MALFORMED_URL, "clientId must be an integer, not " + clientId);
        }
    }

    /**
     * A client's properties in the shape cvpysdk's {@code Client} constructor reads. Licensor
     * knows a client's id, name and host; the rest (OS, port, time zone, activity switches) are
     * fixed values the SDK needs present: every activity enabled, the default CVD port 8400.
     */
    private Reply clientProperties(String clientId, boolean xml) {
        long id = clientId(clientId);
        Client client = id <= 0 ? null : licensor.catalog().client(ClientRef.id(id)).orElse(null);
        if (client == null) {
            return failure(Code.CLIENT_NOT_FOUND, "no client with id " + clientId, xml);
        }
        ClientOut out = new ClientOut(entity(client), new OsInfo("Unknown", "", new OsDisplayInfo("", "")),
                CVD_PORT, new TimeZoneOut("UTC"), new VersionInfo("Licensor"));
        ClientProps props = new ClientProps(new ActivityControl(true, true, true),
                new ClientActivityControl(List.of(new ActivityOption(1, true), new ActivityOption(2, true),
                        new ActivityOption(16, true))), false);
        return Bodies.write(200, new ClientPropertiesResp(List.of(new ClientProperties(out, props))), xml);
    }

    /** Most clients {@code GET <root>/Client} lists (100 keyset pages of 1000). */
    static final int MAX_CLIENTS = 100_000;

    /**
     * Every client ({@code clientProperties[].client.clientEntity}), as cvpysdk's {@code Clients}
     * reads it to find a client's id by name; at most {@value #MAX_CLIENTS}, read page by page.
     * With no client the answer has no {@code clientProperties} ("no clients visible" to the SDK).
     */
    private Reply clients(boolean xml) {
        List<ClientProperties> all = new ArrayList<>();
        long after = 0;
        do {
            Outcome<dev.licensor.catalog.Page<Client>> page = licensor.catalog().clients(after, 1000);
            if (page instanceof Outcome.Failure<dev.licensor.catalog.Page<Client>> fail) {
                return failure(fail.code(), fail.message(), xml);
            }
            for (Client c : page.orElseThrow().items()) {
                all.add(new ClientProperties(new ClientOut(entity(c), null, null, null, null), null));
            }
            after = page.orElseThrow().next();
        } while (after > 0 && all.size() < MAX_CLIENTS);
        return Bodies.write(200, new ClientPropertiesResp(all.isEmpty() ? null : all), xml);
    }

    /** Commvault's default CVD (communications service) port, which the SDK reads as a number. */
    private static final int CVD_PORT = 8400;

    private static ClientEntityOut entity(Client c) {
        return new ClientEntityOut(c.id(), c.name(), c.hostName(), c.name());
    }

    private Reply list(String clientId, boolean xml) {
        long id = clientId(clientId);
        Outcome<List<HeldLicense>> outcome = licensor.clients().consumed(ClientRef.id(id));
        if (outcome instanceof Outcome.Failure<List<HeldLicense>> fail) {
            return failure(fail.code(), fail.message(), xml);
        }
        List<LicenseInfoOut> infos = outcome.orElseThrow().stream()
                .map(h -> new LicenseInfoOut(h.platformType(), h.agentLevel(),
                        new LicenseOut(h.licenseType(), h.appType(), h.licenseName())))
                .toList();
        return Bodies.write(200, new ConsumedLicensesResp(infos), xml);
    }

    private static Reply generic(Outcome<?> outcome, boolean xml) {
        if (outcome instanceof Outcome.Failure<?> fail) {
            return failure(fail.code(), fail.message(), xml);
        }
        return generic(200, 0, "", xml);
    }

    private static Reply failure(Code code, String message, boolean xml) {
        CodeTables.Wire w = CodeTables.commvault(code);
        return generic(w.status(), w.number(), message, xml);
    }

    /** {@code CVGui_GenericResp} in the asked format. */
    public static Reply generic(int status, int errorCode, String message, boolean xml) {
        return Bodies.write(status, new GenericResp(message == null ? "" : message, errorCode), xml);
    }
}
