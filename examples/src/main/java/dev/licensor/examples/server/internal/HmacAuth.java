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

    /** Returns the API key of a correctly signed request; throws {@link WireException} otherwise. */
    public String verify(Call call) {
        String date = call.header("Date");
        String authorization = call.header("Authorization");
        if (date == null || date.isBlank()) {
            throw WireException.of(WireError.AUTHORIZATION_MISSING, "the Date header is required");
        }
        if (authorization == null || authorization.isBlank()) {
            throw WireException.of(WireError.AUTHORIZATION_MISSING, "the Authorization header is required");
        }
        Instant signedAt;
        try {
            signedAt = RequestSigner.parseHttpDate(date);
        } catch (DateTimeParseException e) {
            throw WireException.of(WireError.DATE_NOT_VALID, "the Date header is not an RFC 7231 date");
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw WireException.of(WireError.DATE_NOT_VALID,
                    "the Date header is more than 15 minutes from the server's time " + now);
        }
        Map<String, String> params = parse(authorization);
        String algorithm = params.get("algorithm");
        String headers = params.get("headers");
        String signature = params.get("signature");
        String apiKey = params.get("apikey");
        if (algorithm == null || headers == null || signature == null || apiKey == null) {
            throw WireException.of(WireError.AUTHORIZATION_MISSING,
                    "Authorization needs algorithm, headers, signature and apikey");
        }
        if (!algorithm.equalsIgnoreCase("hmac-sha256") || !headers.equalsIgnoreCase("date")) {
            throw WireException.of(WireError.SIGNATURE_NOT_VALID,
                    "only algorithm=\"hmac-sha256\" with headers=\"date\" is supported");
        }
        byte[] given;
        try {
            given = java.util.Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw WireException.of(WireError.SIGNATURE_NOT_VALID, "the signature is not base64");
        }
        String sharedKey = sharedKeys.get(apiKey);
        // An unknown key is checked against a throwaway key so both refusals cost the same.
        byte[] expected = RequestSigner.mac(sharedKey == null ? "\u0000unknown" : sharedKey, date);
        if (!MessageDigest.isEqual(expected, given) || sharedKey == null) {
            throw WireException.of(WireError.SIGNATURE_NOT_VALID, "the signature does not match");
        }
        return apiKey;
    }

    /** {@code name="value"} pairs separated by commas; names lower-cased. */
    static Map<String, String> parse(String header) {
        if (header.length() > MAX_HEADER) {
            throw WireException.of(WireError.AUTHORIZATION_MISSING, "the Authorization header is too long");
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
                    throw WireException.of(WireError.AUTHORIZATION_MISSING, "the Authorization header has an unclosed quote");
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
