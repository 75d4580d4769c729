package dev.licensor.floating;

import org.jspecify.annotations.Nullable;

/**
 * What a device sends to every floating call: the product, the license (by key or by user,
 * optionally pinned by id) and the device's hardware id. Fields may be null here so a host can
 * pass what it parsed verbatim; the engine validates them and answers
 * {@code missing_parameters} or {@code invalid_request} instead of throwing.
 *
 * <p>Immutable and thread-safe.
 *
 * @param product    product code, required
 * @param licenseKey license key; exactly one of {@code licenseKey} and {@code username} is required
 * @param username   license user
 * @param licenseId  optional license id; when given it must match the license found
 * @param hardwareId the device's hardware id, required
 * @param holder     who asks beyond the device (user, host, process, metadata); null means nobody
 */
public record DeviceRequest(String product, @Nullable String licenseKey, @Nullable String username,
                            @Nullable Long licenseId, String hardwareId, Holder holder) {

    public DeviceRequest {
        holder = holder == null ? Holder.NONE : holder;
    }

    /** A request with no holder beyond the device. */
    public DeviceRequest(String product, @Nullable String licenseKey, @Nullable String username,
                         @Nullable Long licenseId, String hardwareId) {
        this(product, licenseKey, username, licenseId, hardwareId, Holder.NONE);
    }

    /** This request on behalf of {@code value}. */
    public DeviceRequest withHolder(Holder value) {
        return new DeviceRequest(product, licenseKey, username, licenseId, hardwareId, value);
    }

    /** A request for a key-based license. */
    public static DeviceRequest byKey(String product, String licenseKey, String hardwareId) {
        return new DeviceRequest(product, licenseKey, null, null, hardwareId);
    }

    /** A request for a user-based license. */
    public static DeviceRequest byUser(String product, String username, String hardwareId) {
        return new DeviceRequest(product, null, username, null, hardwareId);
    }
}
