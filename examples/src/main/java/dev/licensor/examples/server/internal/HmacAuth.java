package dev.licensor.examples.server.internal;

import dev.licensor.examples.server.RequestSigner;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Checks the LicenseSpring v4 request signature: a {@code Date} header at most 15 minutes from
 * the server's clock (either way) and an {@code Authorization} header whose HMAC-SHA256 over
 * {@code "licenseSpring\ndate: <Date>"} matches the API key's shared key. Signatures are compared
 * in constant time; an unknown API key and a wrong signature get the same answer.
 *
 * <p>Immutable and thread-safe.
 */
public final class HmacAuth {
    /** How far the {@code Date} header may be from the server's clock. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** Longest {@code Authorization} header parsed. */
    private static final int MAX_HEADER = 1024;

    private final Map<String, String> sharedKeys;
    private final Clock clock;

    public HmacAuth(Map<String, String> sharedKeys, Clock clock) {
        this.sharedKeys = Map.copyOf(sharedKeys);
        this.clock = clock;
    }

    /**
     * The LicenseSpring auth refusals, with the vendor's codes: HTTP 400, except
     * {@code signature_mismatch} which the vendor's SDK lists as 401. Numbers 620..627 for
     * logs; each code always comes with the same status.
     */
    enum Refusal {
        DATE_HEADER_DIFF(400, "date_header_diff"),
        AUTHORIZATION_INVALID_HEADERS(400, "authorization_invalid_headers"),
        HMAC_REQUIRED(400, "hmac_required"),
        SIGNATURE_MISMATCH(401, "signature_mismatch"),
        AUTHORIZATION_MISSING_PARAMS(400, "authorization_missing_params"),
        INVALID_API_KEY(400, "invalid_api_key");

        final int status;
        final String key;

        Refusal(int status, String key) {
            this.status = status;
            this.key = key;
        }

        @SuppressWarnings("EnumOrdinal") // the vendor numbers these refusals 620.. in this order
        WireException with(String message) {
            return WireException.of(status, key, 620 + ordinal(), message);
        }
    }

    /** Returns the API key of a correctly signed request; throws {@link WireException} otherwise. */
    public String verify(Call call) {
        String date = call.header("Date");
        String authorization = call.header("Authorization");
        if (date == null || date.isBlank()) {
            throw Refusal.AUTHORIZATION_MISSING_PARAMS.with("the Date header is required");
        }
        if (authorization == null || authorization.isBlank()) {
            throw Refusal.AUTHORIZATION_MISSING_PARAMS.with("the Authorization header is required");
        }
        Instant signedAt;
        try {
            signedAt = RequestSigner.parseHttpDate(date);
        } catch (DateTimeParseException e) {
            throw Refusal.DATE_HEADER_DIFF.with("the Date header is not an RFC 7231 date");
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            // no time in the message: a refusal before authentication keeps a fixed body (cheap to sign)
            throw Refusal.DATE_HEADER_DIFF.with("the Date header is more than 15 minutes from the server's time");
        }
        Map<String, String> params = parse(authorization);
        String algorithm = params.get("algorithm");
        String headers = params.get("headers");
        String signature = params.get("signature");
        String apiKey = params.get("apikey");
        if (algorithm == null || headers == null || signature == null || apiKey == null) {
            throw Refusal.AUTHORIZATION_MISSING_PARAMS.with("Authorization needs algorithm, headers, signature and apikey");
        }
        if (!algorithm.equalsIgnoreCase("hmac-sha256")) {
            throw Refusal.HMAC_REQUIRED.with("only algorithm=\"hmac-sha256\" is supported");
        }
        if (!headers.trim().equalsIgnoreCase("date")) {
            throw Refusal.AUTHORIZATION_INVALID_HEADERS.with("headers must be \"date\"");
        }
        String sharedKey = sharedKeys.get(apiKey);
        if (sharedKey == null) {
            throw Refusal.INVALID_API_KEY.with("the API key is not known");
        }
        byte[] given;
        try {
            given = java.util.Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw Refusal.SIGNATURE_MISMATCH.with("the signature is not base64");
        }
        if (!MessageDigest.isEqual(RequestSigner.mac(sharedKey, date), given)) {
            throw Refusal.SIGNATURE_MISMATCH.with("the signature does not match");
        }
        return apiKey;
    }

    /** {@code name="value"} pairs separated by commas; names lower-cased. */
    static Map<String, String> parse(String header) {
        if (header.length() > MAX_HEADER) {
            throw Refusal.AUTHORIZATION_MISSING_PARAMS.with("the Authorization header is too long");
        }
        String h = header.trim();
        // Tolerate a scheme word in front (e.g. "Signature algorithm=...").
        int firstEq = h.indexOf('=');
        int firstSpace = h.indexOf(' ');
        if (firstSpace > 0 && firstEq > firstSpace) {
            h = h.substring(firstSpace + 1).trim();
        }
        Map<String, String> result = new HashMap<>();
        int i = 0;
        while (i < h.length()) {
            int eq = h.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            int start = eq + 1;
            String value;
            if (start < h.length() && h.charAt(start) == '"') {
                int close = h.indexOf('"', start + 1);
                if (close < 0) {
                    throw Refusal.AUTHORIZATION_MISSING_PARAMS.with("the Authorization header has an unclosed quote");
                }
                value = h.substring(start + 1, close);
                i = close + 1;
            } else {
                int comma = h.indexOf(',', start);
                int end = comma < 0 ? h.length() : comma;
                value = h.substring(start, end).trim();
                i = end;
            }
            result.put(name, value);
            while (i < h.length() && (h.charAt(i) == ',' || h.charAt(i) == ' ')) {
                i++;
            }
        }
        return result;
    }
}
