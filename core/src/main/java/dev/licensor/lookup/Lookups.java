package dev.licensor.lookup;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.licensor.catalog.License;
import dev.licensor.clients.HeldLicense;
import dev.licensor.outcome.Outcome;
import java.util.List;

/**
 * Read-only questions a host asks often, answered from the engine's cache when it is enabled
 * ({@link CacheSettings}) and from the store otherwise. A cache hit makes no store call.
 *
 * <p><b>Freshness.</b> Changes made through this engine are visible as soon as the call that made
 * them returns (the entry is dropped after the store committed). Changes made by another process
 * sharing the store are visible after at most the cache's time-to-live. A cached seat still lapses
 * on time: the answer compares the lease's expiry with the engine's clock at every hit.
 *
 * <p><b>Not a licensing decision.</b> These answers never grant or refuse a seat; use
 * {@link dev.licensor.floating.FloatingLicenses#check} for that.
 *
 * <p>Bad input (blank or oversize text, non-positive ids) is answered with
 * {@code missing_parameters}/{@code invalid_request}; a missing license or client with
 * {@code license_not_found}/{@code client_not_found}. Absent rows are not cached.
 *
 * <p>Thread-safe.
 */
@CheckReturnValue
public interface Lookups {

    /**
     * Whether the device holds a live seat (a lease with {@code now < expiresAt}) of the license.
     * False for an unknown license or device.
     *
     * @param licenseId the license
     * @param hardwareId the device
     * @return whether it holds a live seat now; {@code missing_parameters}/{@code invalid_request} for bad input
     */
    Outcome<Boolean> holdsLiveSeat(long licenseId, String hardwareId);

    /**
     * The key-based license of the product with this key.
     *
     * @param product the product code
     * @param key the license key
     * @return the license; {@code license_not_found}, or {@code missing_parameters}/{@code invalid_request} for bad input
     */
    Outcome<License> licenseByKey(String product, String key);

    /**
     * The user-based license of the product with this username.
     *
     * @param product the product code
     * @param username the license's user
     * @return the license; {@code license_not_found}, or {@code missing_parameters}/{@code invalid_request} for bad input
     */
    Outcome<License> licenseByUser(String product, String username);

    /**
     * The licenses the client holds now, as {@link dev.licensor.clients.ClientLicenses#consumed} lists them.
     *
     * @param clientId the client
     * @return the licenses held; {@code client_not_found}, or {@code missing_parameters}/{@code invalid_request} for bad input
     */
    Outcome<List<HeldLicense>> consumedLicenses(long clientId);

    /**
     * Hit and miss counts since the engine was built; all zero when the cache is disabled.
     *
     * @return the cache's counts so far
     */
    CacheStats stats();
}
