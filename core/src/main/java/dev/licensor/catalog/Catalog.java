package dev.licensor.catalog;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.Nullable;
import dev.licensor.clients.ClientRef;
import dev.licensor.outcome.Outcome;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import java.util.List;
import java.util.Optional;

/**
 * Defines what can be licensed: products, licenses, clients, their agents and client licenses.
 * Every definition is validated by the engine (missing or oversize fields, duplicates, a
 * time-limited license without an end) and answered with a {@link Outcome.Failure} that changes
 * nothing.
 *
 * <p>Thread-safe.
 */
@CheckReturnValue
public interface Catalog {

    /**
     * Adds a product; {@code already_exists} if the code is taken.
     *
     * @param product the product to add, with a new code
     * @return the product; {@code already_exists}, or {@code missing_parameters}/{@code invalid_request} for bad input
     */
    Outcome<Product> defineProduct(Product product);

    /**
     * Looks a product up by code.
     *
     * @param code the product code
     * @return the product, or empty if there is none (or {@code code} is null or malformed)
     */
    Optional<Product> product(String code);

    /**
     * Creates a license from a draft ({@link License#builder(String)}); returns it with its id.
     *
     * @param draft the license to create, without an id
     * @return the license with its id; {@code unknown_product}, {@code already_exists} for a key or
     *     username taken in the product (or once used by a deleted license), or bad input
     */
    Outcome<License> createLicense(License draft);

    /**
     * Looks a license up by id.
     *
     * @param id the license id
     * @return the license, or empty if there is none
     */
    Optional<License> license(long id);

    /**
     * Looks a key-based license up by product code and key, in the store (uncached: the same
     * question as {@link dev.licensor.lookup.Lookups#licenseByKey}, with the same answers).
     *
     * @param product the product code
     * @param key the license key
     * @return the license; {@code license_not_found}, or {@code missing_parameters}/{@code invalid_request} for bad input
     */
    Outcome<License> licenseByKey(String product, String key);

    /**
     * Looks a user-based license up by product code and username, in the store (uncached: the
     * same question as {@link dev.licensor.lookup.Lookups#licenseByUser}, with the same answers).
     *
     * @param product the product code
     * @param username the license's user
     * @return the license; {@code license_not_found}, or {@code missing_parameters}/{@code invalid_request} for bad input
     */
    Outcome<License> licenseByUser(String product, String username);

    /**
     * Registers a client under a unique name; returns it with its id.
     *
     * @param name the client's unique name
     * @param platformType 1 client/agent, 2 MediaAgent (not negative)
     * @param hostName the client's host name, or null
     * @return the client with its id; {@code already_exists} if the name is taken, or bad input
     */
    Outcome<Client> registerClient(String name, int platformType, String hostName);

    /**
     * Looks a client up by id or name.
     *
     * @param client the client's id or name
     * @return the client, or empty if there is none
     */
    Optional<Client> client(ClientRef client);

    /**
     * Installs an agent (application type) on a client.
     *
     * @param client the client's id or name
     * @param appType the agent's application type
     * @param name the agent's name
     * @return the agent; {@code client_not_found}, {@code already_exists} if the app type is installed, or bad input
     */
    Outcome<Agent> addAgent(ClientRef client, int appType, String name);

    /**
     * Agents installed on a client, by app type (an unmodifiable list; empty for an unknown client).
     *
     * @param client the client's id or name
     * @return the agents by app type; empty for an unknown client
     */
    List<Agent> agents(ClientRef client);

    /**
     * Adds a purchased client license ({@link ClientLicense#draft}); returns it with its id.
     *
     * @param draft the client license to add, without an id
     * @return the client license with its id; {@code already_exists} for the same platform, license
     *     and app type, or bad input
     */
    Outcome<ClientLicense> defineClientLicense(ClientLicense draft);

    /**
     * Every client license, by id (an unmodifiable list).
     *
     * @return every client license, by id
     */
    List<ClientLicense> clientLicenses();

    /**
     * Defines a group of users or hosts for pool policies, or replaces its members. A change
     * applies to the next seat taken; seats already held are kept.
     *
     * @param group the group and its members
     * @return the group as stored; bad input
     */
    Outcome<SeatGroup> defineGroup(SeatGroup group);

    /**
     * Looks a group up by kind and name.
     *
     * @param kind users or hosts
     * @param name the group's name
     * @return the group, or empty if there is none
     */
    Optional<SeatGroup> group(dev.licensor.policy.GroupKind kind, String name);

    /**
     * Sets the options of a floating license's pool (replacing any). Refused with
     * {@code invalid_request} if the license is not floating, the reservations exceed its seats,
     * {@code BORROW_LOWWATER} exceeds its seats, a group it names is not defined, or it changes
     * the leasing strategy while seats are held. Applies to the next seat taken.
     *
     * @param licenseId the floating license
     * @param policy the pool's options ({@link PoolPolicy#NONE} clears them)
     * @return the policy as stored; {@code license_not_found} or {@code invalid_request} as above
     */
    Outcome<PoolPolicy> setPolicy(long licenseId, PoolPolicy policy);

    /**
     * The pool's options: {@link PoolPolicy#NONE} if none were set; empty if there is no such license.
     *
     * @param licenseId the license
     * @return the pool's options, or empty if there is no such license
     */
    Optional<PoolPolicy> policy(long licenseId);

    // ---- listing: keyset pages by ascending id ({@link Page})

    /**
     * One page of licenses: every license, a product's or a customer's (by username), optionally
     * in one {@link LicenseState} at the engine's clock. {@code invalid_request} for a limit
     * outside 1..{@value LicenseQuery#MAX_LIMIT} or a negative cursor. A page reads at most
     * {@code 4 * limit + 256} rows, so a rare state may give short pages before the last.
     *
     * @param query the filter, the cursor and the page size
     * @return one page, and the cursor of the next; {@code invalid_request} as above
     */
    Outcome<Page<License>> licenses(LicenseQuery query);

    /**
     * One page of products with codes above {@code after} in code point order (null or {@code ""}
     * for the first page). {@code invalid_request} for a limit outside 1..{@value LicenseQuery#MAX_LIMIT}.
     *
     * @param after the last code of the previous page, or null or {@code ""} for the first
     * @param limit the page size, 1 to {@value LicenseQuery#MAX_LIMIT}
     * @return one page of products; {@code invalid_request} as above
     */
    Outcome<ProductPage> products(@Nullable String after, int limit);

    /**
     * One page of clients with ids above {@code after} (0 for the first page), by id.
     *
     * @param after the last id of the previous page, 0 for the first
     * @param limit the page size, 1 to {@value LicenseQuery#MAX_LIMIT}
     * @return one page of clients; {@code invalid_request} for a bad limit or a negative cursor
     */
    Outcome<Page<Client>> clients(long after, int limit);

    /**
     * One page of floating pools (of one product, or of every product if {@code product} is
     * null) with the seats held now.
     *
     * @param product the product code, or null for every product
     * @param after the last license id of the previous page, 0 for the first
     * @param limit the page size, 1 to {@value LicenseQuery#MAX_LIMIT}
     * @return one page of pools; {@code invalid_request} for bad input
     */
    Outcome<Page<PoolSummary>> pools(@Nullable String product, long after, int limit);

    // ---- changes after creation; each is recorded in the ledger and published as an event

    /**
     * Changes a license's seats, activation cap or validity ({@link LicenseChange}); never its
     * product, key or username. Refused with {@code license_in_use} if the seats would fall below
     * the seats held now or the cap below the devices activated now; with
     * {@code invalid_request} for a value out of range, a change that would make a floating
     * license non-floating or the reverse, seats below the pool policy's reservations, or a
     * validity its type does not allow. Applies to the next request; seats held are kept.
     *
     * @param licenseId the license to change
     * @param change the values to change (null fields are kept)
     * @return the license after the change; {@code license_not_found}, or a refusal as above
     */
    Outcome<License> changeLicense(long licenseId, LicenseChange change);

    /**
     * Suspends a license: its devices are refused ({@code license_not_active}) until resumed. Seats held are kept.
     *
     * @param licenseId the license
     * @return the license, now not active; {@code license_not_found}
     */
    Outcome<License> suspend(long licenseId);

    /**
     * Resumes a suspended license.
     *
     * @param licenseId the license
     * @return the license, now active; {@code license_not_found}
     */
    Outcome<License> resume(long licenseId);

    /**
     * Deletes a license that has no live seat, with its activations, pool policy and queue;
     * {@code license_in_use} if a seat is held. Its key (or username) stays taken in its product:
     * a new license cannot reuse it ({@code already_exists}), so a device holding the old key is
     * told {@code license_not_found}, never given someone else's license.
     *
     * @param licenseId the license
     * @return success (no value); {@code license_not_found} or {@code license_in_use}
     */
    Outcome<Void> deleteLicense(long licenseId);

    /**
     * Changes a product's name or defaults ({@link ProductChange}); never its code.
     * {@code unknown_product} if there is none; {@code invalid_request} for an empty change or a
     * value out of range. The new defaults apply to the next seat taken or refreshed, and the next
     * borrow, of licenses without values of their own; seats held keep their expiry.
     *
     * @param code the product code
     * @param change the values to change (null fields are kept)
     * @return the product after the change; a refusal as above
     */
    Outcome<Product> changeProduct(String code, ProductChange change);

    /**
     * Deletes a product that has no license, with its blacklist; {@code product_in_use} (changing
     * nothing) while it has one. Licenses already deleted do not count, and their keys and
     * usernames stay taken: a product defined again with the code never gives them to another license.
     *
     * @param code the product code
     * @return success (no value); {@code unknown_product} or {@code product_in_use}
     */
    Outcome<Void> deleteProduct(String code);

    /**
     * Changes a client's platform type or host name ({@link ClientChange}); never its name.
     * {@code client_not_found} if there is none; {@code invalid_request} for an empty change or a
     * value out of range.
     *
     * @param clientId the client
     * @param change the values to change (null fields are kept)
     * @return the client after the change; a refusal as above
     */
    Outcome<Client> changeClient(long clientId, ClientChange change);

    /**
     * Deletes a client that holds no client license, with its agents and released consumptions;
     * {@code client_in_use} (changing nothing) while it holds one. Its id is never reused; its name
     * may be registered again, as a new client.
     *
     * @param clientId the client
     * @return success (no value); {@code client_not_found} or {@code client_in_use}
     */
    Outcome<Void> deleteClient(long clientId);
}
