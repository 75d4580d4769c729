package dev.licensor.examples.server;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs LicenseSpring v4 requests the way the server checks them: the {@code Date} header
 * (RFC 7231, GMT) and {@code Authorization: algorithm="hmac-sha256",headers="date",
 * signature="<base64>",apikey="<key>"}, where the signature is HMAC-SHA256, keyed with the
 * shared key, of {@code "licenseSpring\ndate: " + date}.
 *
 * <pre>{@code
 * RequestSigner.Signed s = RequestSigner.sign("demo-api-key", "demo-shared-key", Instant.now());
 * request.header("Date", s.date()).header("Authorization", s.authorization());
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class RequestSigner {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private RequestSigner() {
    }

    /**
     * The two headers of a signed request. Immutable and thread-safe.
     *
     * @param date          the {@code Date} header value
     * @param authorization the {@code Authorization} header value
     */
    public record Signed(String date, String authorization) {
    }

    /** Signs a request made at {@code at} with the API key and its shared key. */
    public static Signed sign(String apiKey, String sharedKey, Instant at) {
        String date = httpDate(at);
        return new Signed(date, authorization(apiKey, sharedKey, date));
    }

    /** {@code at} as an RFC 7231 date in GMT, e.g. {@code Mon, 23 Nov 2026 09:00:00 GMT}. */
    public static String httpDate(Instant at) {
        // RFC_1123_DATE_TIME prints single-digit days without padding; HTTP wants two digits.
        return DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(at);
    }

    /** Parses an HTTP date (RFC 7231 IMF-fixdate, also accepting RFC 1123's unpadded day). */
    public static Instant parseHttpDate(String value) {
        return Instant.from(HTTP_DATE.parse(value.trim()));
    }

    /** The {@code Authorization} header value for a request whose {@code Date} header is {@code date}. */
    public static String authorization(String apiKey, String sharedKey, String date) {
        return "algorithm=\"hmac-sha256\",headers=\"date\",signature=\"" + signature(sharedKey, date)
                + "\",apikey=\"" + apiKey + "\"";
    }

    /** The base64 HMAC-SHA256 of the signing string for {@code date}. */
    public static String signature(String sharedKey, String date) {
        return Base64.getEncoder().encodeToString(mac(sharedKey, date));
    }

    /** The raw HMAC-SHA256 of the signing string for {@code date}; {@code sharedKey} must not be empty. */
    public static byte[] mac(String sharedKey, String date) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sharedKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(("licenseSpring\ndate: " + date).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every JDK ships HmacSHA256; a non-empty key is always valid.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
