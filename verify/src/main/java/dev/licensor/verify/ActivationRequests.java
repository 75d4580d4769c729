package dev.licensor.verify;

import dev.licensor.json.internal.FlatJson;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device's half of offline activation: the request string a device without network hands
 * to the vendor (a file, an e-mail, a form). The vendor's engine answers a signed license file
 * that {@link LicenseVerifier} checks.
 *
 * <p>Thread-safe: static methods without state.
 */
public final class ActivationRequests {
    private ActivationRequests() {
    }

    /**
     * The request string for a key-based license ({@code username} null) or a user-based one
     * ({@code licenseKey} null). The engine validates the fields when it activates.
     *
     * @throws IllegalArgumentException if product, hardware id, or both/neither of key and user are given
     */
    public static String encode(String product, String licenseKey, String username, String hardwareId) {
        if (product == null || hardwareId == null || (licenseKey == null) == (username == null)) {
            throw new IllegalArgumentException("give product, hardware id and one of license key or username");
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kind", "activation_request");
        c.put("product", product);
        if (licenseKey != null) {
            c.put("license_key", licenseKey);
        } else {
            c.put("username", username);
        }
        c.put("hardware_id", hardwareId);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(FlatJson.writeBytes(c));
    }
}
