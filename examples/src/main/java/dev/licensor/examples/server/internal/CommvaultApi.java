package dev.licensor.examples.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.licensor.Licensor;
import dev.licensor.clients.ClientLicensesRequest;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.HeldLicense;
import dev.licensor.clients.LicenseSelector;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Commvault client-license calls under a web-service root (default
 * {@code /commandcenter/api}): Release License, Get Client Licenses and Reconfigure. Path
 * segments match case-insensitively. Bodies are JSON or XML by {@code Content-Type}; answers
 * are JSON or XML by {@code Accept} (else like the request). An engine refusal is HTTP 200 with
 * {@code CVGui_GenericResp errorCode=<Code.number()>}, as the vendor answers; a request the server
 * could not read or authenticate gets its HTTP 4xx status with the same body shape.
 *
 * <p>Thread-safe.
 */
public final class CommvaultApi {
    private final Licensor licensor;
    private final List<String> root;
    private final Tokens tokens;

    /**
     * @param root   the web-service root, e.g. {@code /commandcenter/api}
     * @param tokens accepted {@code Authtoken} values (without the {@code QSDK } prefix)
     */
    public CommvaultApi(Licensor licensor, String root, Set<String> tokens) {
        this.licensor = licensor;
        this.root = Call.segments(root).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        this.tokens = new Tokens(tokens);
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

    private enum Op { RELEASE, RECONFIGURE, LIST }

    /** Handles one call; never throws for a bad request. */
    public Reply handle(Call call) throws IOException {
        boolean xmlAnswer = wantsXml(call);
        String allow = null;
        try {
            List<String> rest = call.segments().subList(root.size(), call.segments().size()).stream()
                    .map(s -> s.toLowerCase(Locale.ROOT)).toList();
            Op op = route(rest);
            String method = op == Op.LIST ? "GET" : "POST";
            allow = method;
            if (!call.method().equals(method)) {
                throw WireException.of(WireError.METHOD_NOT_ALLOWED, "this endpoint takes " + method);
            }
            checkToken(call);
            return switch (op) {
                case LIST -> list(call.segments().get(root.size() + 1), xmlAnswer);
                case RELEASE -> generic(licensor.clients().release(request(call)), xmlAnswer);
                case RECONFIGURE -> generic(licensor.clients().reconfigure(request(call)), xmlAnswer);
            };
        } catch (WireException e) {
            Reply reply = generic(e.status(), e.number(), e.getMessage(), xmlAnswer);
            return e.status() == 405 && allow != null ? reply.withHeader("Allow", allow) : reply;
        } catch (LicensingException e) {
            return generic(e.code() == Code.STORE_FAILURE ? 500 : 200, e.code().number(), e.getMessage(), xmlAnswer);
        }
    }

    private static Op route(List<String> rest) {
        if (rest.size() == 3 && rest.get(0).equals("client") && rest.get(1).equals("license")) {
            if (rest.get(2).equals("release")) {
                return Op.RELEASE;
            }
            if (rest.get(2).equals("reconfigure")) {
                return Op.RECONFIGURE;
            }
        }
        if (rest.size() == 3 && rest.get(0).equals("client") && rest.get(2).equals("license")) {
            return Op.LIST;
        }
        throw WireException.of(WireError.NOT_FOUND, "no endpoint /" + String.join("/", rest) + " under the web-service root");
    }

    /** XML if {@code Accept} asks for XML rather than JSON; with no preference, like the request body. */
    static boolean wantsXml(Call call) {
        String accept = call.header("Accept");
        if (accept != null) {
            String a = accept.toLowerCase(Locale.ROOT);
            boolean json = a.contains("json");
            boolean xml = a.contains("xml");
            if (json != xml) {
                return xml;
            }
        }
        return Bodies.isXml(call.contentType());
    }

    private void checkToken(Call call) {
        String header = call.header("Authtoken");
        if (header == null || header.isBlank()) {
            throw WireException.of(WireError.UNAUTHORIZED, "the Authtoken header is required");
        }
        String token = header.trim();
        if (token.regionMatches(true, 0, "QSDK ", 0, 5)) {
            token = token.substring(5).trim();
        }
        if (!tokens.accepts(token)) {
            throw WireException.of(WireError.UNAUTHORIZED, "the Authtoken is not valid");
        }
    }

    /** Parses a Release/Reconfigure body (JSON or XML) into the engine's request. */
    private static ClientLicensesRequest request(Call call) throws IOException {
        String type = call.contentType();
        Fields f;
        if (Bodies.isJson(type)) {
            f = Fields.json(Bodies.parseJson(call.body()));
        } else if (Bodies.isXml(type)) {
            f = Fields.xml(Bodies.parseXml(call.body()));
        } else {
            throw WireException.of(WireError.UNSUPPORTED_MEDIA_TYPE,
                    "send Content-Type application/json or application/xml" + (type == null ? "" : ", not " + type));
        }
        Boolean clientLevel = f.bool("isClientLevelOperation");
        Fields entity = f.object("clientEntity");
        ClientRef client = null;
        if (entity != null) {
            String name = entity.text("clientName");
            client = new ClientRef(entity.integer("clientId"), name == null || name.isBlank() ? null : name);
        }
        List<Fields> infos = f.objects("licensesInfo");
        List<LicenseSelector> selectors = null;
        if (infos != null) {
            selectors = new ArrayList<>();
            for (Fields info : infos) {
                Fields license = info.object("license");
                selectors.add(new LicenseSelector(info.int32("platformType", 0),
                        license == null ? 0 : license.int32("licenseType", 0),
                        license == null ? 0 : license.int32("appType", 0),
                        license == null ? null : license.text("licenseName")));
            }
        }
        return new ClientLicensesRequest(clientLevel != null && clientLevel, client, selectors);
    }

    private Reply list(String clientId, boolean xml) {
        long id;
        try {
            id = Long.parseLong(clientId);
        } catch (NumberFormatException e) {
            throw WireException.of(Code.INVALID_REQUEST, "clientId must be an integer, not " + clientId);
        }
        Outcome<List<HeldLicense>> outcome = licensor.clients().consumed(ClientRef.id(id));
        if (outcome instanceof Outcome.Failure<List<HeldLicense>> fail) {
            return generic(outcome, xml);
        }
        List<HeldLicense> held = outcome.orElseThrow();
        if (xml) {
            StringBuilder sb = new StringBuilder("<App_GetClientLicensesResp>");
            for (HeldLicense h : held) {
                sb.append("<licensesInfo platformType=\"").append(h.platformType())
                        .append("\" agentLevel=\"").append(h.agentLevel() ? 1 : 0).append("\">")
                        .append("<license licenseType=\"").append(h.licenseType())
                        .append("\" appType=\"").append(h.appType())
                        .append("\" licenseName=\"").append(escape(h.licenseName())).append("\"/></licensesInfo>");
            }
            sb.append("</App_GetClientLicensesResp>");
            return Reply.of(200, Reply.XML, sb.toString());
        }
        ObjectNode body = Bodies.json().createObjectNode();
        ArrayNode infos = body.putArray("licensesInfo");
        for (HeldLicense h : held) {
            ObjectNode info = infos.addObject();
            info.put("platformType", h.platformType());
            info.put("agentLevel", h.agentLevel());
            ObjectNode license = info.putObject("license");
            license.put("licenseType", h.licenseType());
            license.put("appType", h.appType());
            license.put("licenseName", h.licenseName());
        }
        return LicenseSpringApi.json(200, body);
    }

    private static Reply generic(Outcome<?> outcome, boolean xml) {
        if (outcome instanceof Outcome.Failure<?> fail) {
            return generic(LicenseSpringApi.status(fail.code()) == 500 ? 500 : 200, fail.code().number(), fail.message(), xml);
        }
        return generic(200, 0, "", xml);
    }

    /** {@code CVGui_GenericResp} in the asked format. */
    public static Reply generic(int status, int errorCode, String message, boolean xml) {
        String m = message == null ? "" : message;
        if (xml) {
            return Reply.of(status, Reply.XML, "<CVGui_GenericResp errorCode=\"" + errorCode + "\" errorMessage=\""
                    + escape(m) + "\"/>");
        }
        ObjectNode body = Bodies.json().createObjectNode();
        body.put("errorMessage", m);
        body.put("errorCode", errorCode);
        return LicenseSpringApi.json(status, body);
    }

    /** Escapes text for an XML attribute value. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c < 0x20 ? ' ' : c);
            }
        }
        return sb.toString();
    }
}
