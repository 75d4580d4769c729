package dev.licensor.token;

import org.jspecify.annotations.Nullable;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.json.internal.FlatJson;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What an offline device hands over to be activated: product, license key or user, and its
 * hardware id, as one copy-pasteable string (base64url of a flat JSON object, kind
 * {@code activation_request}). {@code licensor-verify} writes the same string on the device
 * ({@code ActivationRequests.encode}); the vendor passes it to {@link OfflineActivation}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param product    product code
 * @param licenseKey license key, or null for a user-based license
 * @param username   license user, or null for a key-based license
 * @param hardwareId the device's hardware id
 */
public record ActivationRequest(String product, @Nullable String licenseKey, @Nullable String username,
                                String hardwareId) {
    /** Longest request string accepted. */
    public static final int MAX_LENGTH = 4096;
    private static final Set<String> KEYS = Set.of("kind", "product", "license_key", "username", "hardware_id");

    /** The request string. */
    public String encode() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kind", "activation_request");
        c.put("product", product);
        if (licenseKey != null) {
            c.put("license_key", licenseKey);
        }
        if (username != null) {
            c.put("username", username);
        }
        c.put("hardware_id", hardwareId);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(FlatJson.writeBytes(c));
    }

    /**
     * Reads a request string; surrounding whitespace (a pasted line) is ignored. The fields are
     * validated by the engine when it activates.
     *
     * @throws LicensingException {@code invalid_request} for anything that is not a request string
     */
    public static ActivationRequest parse(String text) {
        if (text == null || text.isBlank()) {
            throw new LicensingException(Code.MISSING_PARAMETERS, "an activation request is required");
        }
        String s = text.strip();
        if (s.length() > MAX_LENGTH) {
            throw invalid("longer than " + MAX_LENGTH + " characters");
        }
        Map<String, Object> c;
        try {
            byte[] json = Base64.getUrlDecoder().decode(s);
            if (!Base64.getUrlEncoder().withoutPadding().encodeToString(json).equals(s)) {
                throw invalid("not canonical base64url");
            }
            c = FlatJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        if (!"activation_request".equals(c.get("kind")) || !KEYS.containsAll(c.keySet())) {
            throw invalid("not an activation request");
        }
        return new ActivationRequest(text(c, "product"), text(c, "license_key"), text(c, "username"),
                text(c, "hardware_id"));
    }

    private static String text(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v != null && !(v instanceof String)) {
            throw invalid(key + " must be a string");
        }
        return (String) v;
    }

    private static LicensingException invalid(String why) {
        return new LicensingException(Code.INVALID_REQUEST, "bad activation request: " + why);
    }

}
