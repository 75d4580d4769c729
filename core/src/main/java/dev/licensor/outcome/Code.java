package dev.licensor.outcome;

/**
 * Every outcome the engine can report, each with a stable machine-readable key (the wire codes
 * of the LicenseSpring v4 API where one exists), a stable number for Commvault-style answers
 * ({@code errorCode}, where 0 means success) and a default message.
 *
 * <p>Keys and numbers never change meaning once released; new codes only get new numbers.
 * Numbers are grouped: 1xx the request itself is bad, 2xx something it names does not exist,
 * 3xx the license refuses, 4xx the pool or count is exhausted, 5xx the store failed.
 *
 * <p>Immutable and thread-safe.
 */
public enum Code {
    /** The operation succeeded. */
    OK(0, "ok", "Success"),

    /** A required field is absent or blank. */
    MISSING_PARAMETERS(100, "missing_parameters", "A required parameter is missing"),
    /** A field is present but malformed, out of range or too long, or fields contradict. */
    INVALID_REQUEST(101, "invalid_request", "The request is not valid"),
    /** The catalog already holds an entry with this identity. */
    ALREADY_EXISTS(102, "already_exists", "An entry with this identity already exists"),

    /** No product has the given code. */
    UNKNOWN_PRODUCT(200, "unknown_product", "Provided product was not found"),
    /** No license of the product matches the key, user or id given. */
    LICENSE_NOT_FOUND(201, "license_not_found", "License not found"),
    /** The device has not activated the license (or was deactivated). */
    DEVICE_NOT_FOUND(202, "device_not_found", "An active device matching the hardware_id not found"),
    /** No client has the given id or name. */
    CLIENT_NOT_FOUND(203, "client_not_found", "Client not found"),
    /** The client has no agent of the given application type. */
    AGENT_NOT_FOUND(204, "agent_not_found", "The client has no agent of this application type"),
    /** No client license matches the given platform, license and application type. */
    CLIENT_LICENSE_NOT_FOUND(205, "client_license_not_found", "No such client license"),
    /** A release entry matches nothing the client (or agent) holds. */
    LICENSE_NOT_CONSUMED(206, "license_not_consumed", "The license is not consumed by this client"),
    /** A reconfigure entry matches nothing the client (or agent) has released. */
    LICENSE_NOT_RELEASED(207, "license_not_released", "No released license matches to consume again"),

    /** The license's {@code enabled} switch is off. */
    LICENSE_NOT_ENABLED(300, "license_not_enabled", "The license is not enabled"),
    /** The license's {@code active} switch is off, or its validity has not started. */
    LICENSE_NOT_ACTIVE(301, "license_not_active", "The license is not active"),
    /** The license's validity has ended. */
    LICENSE_EXPIRED(302, "license_expired", "The license has expired"),
    /** The device is blacklisted for this product. */
    BLACKLISTED(303, "blacklisted", "This device is blacklisted"),
    /** The license does not allow borrowing. */
    LICENSE_BORROW_NOT_ALLOWED(304, "license_borrow_not_allowed", "Borrowing is not allowed for this license"),
    /** The requested borrow end is not in the future or beyond the maximum borrow time. */
    BORROW_UNTIL_NOT_VALID(305, "borrow_until_not_valid", "borrowed_until is not valid"),
    /** The license is not a consumption (metered) license. */
    LICENSE_NOT_CONSUMPTION(306, "license_not_consumption", "The license is not a consumption license"),
    /** A platform-1 license may only be released once the client's MediaAgent licenses are. */
    MEDIA_AGENT_LICENSES_HELD(307, "media_agent_licenses_held",
            "Release the client's MediaAgent (platform 2) licenses first"),
    /** The pool's policy excludes this user or host (an {@code EXCLUDE} line). */
    EXCLUDED(308, "excluded", "The pool's policy excludes this user or host"),
    /** The pool's policy has an {@code INCLUDE} list and this user or host is not on it. */
    NOT_INCLUDED(309, "not_included", "The pool admits only the users and hosts it includes"),

    /** The floating pool has no free seat, or the license is not floating. */
    FLOATING_NOT_AVAILABLE(400, "floating_not_available", "No available slots for floating license"),
    /** The license already has its maximum number of activated devices. */
    LICENSE_ACTIVATED_MAX_TIMES(401, "license_activated_max_times", "License activated max times"),
    /** Adding the consumption would exceed the allowed total (with overage if allowed). */
    LICENSE_NOT_ENOUGH_CONSUMPTIONS(402, "license_not_enough_consumptions", "Not enough consumptions left"),
    /** No purchased client license is left to consume. */
    NOT_ENOUGH_LICENSES(403, "not_enough_licenses", "Not enough licenses available"),
    /** A {@code MAX} line of the pool's policy caps this user, host or group, and the cap is reached. */
    USER_CAP_REACHED(404, "user_cap_reached", "The seat cap of this user, host or group is reached"),
    /** Borrowing would leave fewer unborrowed seats than the pool's {@code BORROW_LOWWATER}. */
    BORROW_LOWWATER_REACHED(405, "borrow_lowwater_reached", "No more seats of this pool may be borrowed"),
    /** The pool already has its {@code MAX_BORROW} seats borrowed at once. */
    BORROW_CAP_REACHED(406, "borrow_cap_reached", "The pool has its maximum of borrowed seats"),
    /** No seat now: the caller waits in the pool's queue (the message says its position). */
    QUEUED(407, "queued", "Queued for a seat"),
    /**
     * The seat is borrowed: a borrowed token is out, so the seat stays counted until the borrow
     * ends or the device returns it with that token ({@code returnBorrow}).
     */
    SEAT_BORROWED(408, "seat_borrowed", "The seat is borrowed until its end; return it with the borrowed token"),
    /**
     * A catalog change would take away what is in use: deleting a license with live seats, or
     * lowering its seats or activation cap below the seats held or devices activated now.
     */
    LICENSE_IN_USE(410, "license_in_use", "The license's seats or activations are in use"),
    /** Deleting a product that still has licenses (delete them first; deleted ones do not count). */
    PRODUCT_IN_USE(411, "product_in_use", "The product still has licenses"),
    /** Deleting a client that still holds client licenses (release them first). */
    CLIENT_IN_USE(412, "client_in_use", "The client still holds licenses"),

    /** The store failed (I/O, corruption, refused file); the operation did not happen. */
    STORE_FAILURE(500, "store_failure", "The license store failed");

    private final int number;
    private final String key;
    private final String defaultMessage;

    Code(int number, String key, String defaultMessage) {
        this.number = number;
        this.key = key;
        this.defaultMessage = defaultMessage;
    }

    /** Stable number, 0 for success; suitable for a Commvault-style {@code errorCode}. */
    public int number() {
        return number;
    }

    /** Stable snake_case key, e.g. {@code floating_not_available}; suitable for a wire {@code code}. */
    public String key() {
        return key;
    }

    /** A human-readable default message. */
    public String defaultMessage() {
        return defaultMessage;
    }

    /** True for the client's own mistakes (1xx): nothing it names was even looked up. */
    public boolean isBadRequest() {
        return number >= 100 && number < 200;
    }
}
