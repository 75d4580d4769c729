package dev.licensor.ledger;

/**
 * What a ledger entry records. Immutable and thread-safe.
 *
 * <p>For a floating pool, {@code GRANTED - RELEASED - LAPSED - FORCE_RELEASED} equals the seats
 * held; for a client license, {@code CONSUMED + RECONFIGURED - CLIENT_RELEASED} equals its used count.
 */
public enum LedgerEvent {
    /** A device took a floating seat. */
    GRANTED,
    /** A device refreshed its seat. */
    REFRESHED,
    /** A device borrowed its seat until a time (its detail says until when). */
    BORROWED,
    /** A device gave its seat back (release or deactivation). */
    RELEASED,
    /** A seat was not refreshed in time and stopped counting; stamped with the lapse time. */
    LAPSED,
    /** An administrator freed a seat. */
    FORCE_RELEASED,
    /** A device was bound to a license. */
    ACTIVATED,
    /** A device was unbound from a license. */
    DEACTIVATED,
    /** Uses were added to a consumption license (the detail says how many). */
    CONSUMPTION_ADDED,
    /** A client (or agent) consumed a client license. */
    CONSUMED,
    /** A client (or agent) released a client license. */
    CLIENT_RELEASED,
    /** A client consumed again a license it had released. */
    RECONFIGURED,
    /** A licensing request was refused; the entry carries its code. */
    DENIED,
    /** An administrator blacklisted a device for a product (subject: the device; detail: the product). */
    BLACKLISTED,
    /** An administrator removed a device from a product's blacklist. */
    UNBLACKLISTED,
    /** An administrator turned a license's switches (detail: {@code enabled=..., active=...}). */
    SWITCHED,
    /** A caller refused for lack of a seat joined the pool's queue (the detail says its position). */
    QUEUED,
    /**
     * An administrator changed a license's seats, activation cap or validity (detail: each
     * changed field as {@code name=old->new}, comma-separated).
     */
    LICENSE_CHANGED,
    /** An administrator suspended a license (its {@code active} switch off). */
    SUSPENDED,
    /** An administrator resumed a suspended license. */
    RESUMED,
    /** An administrator deleted a license (detail: its product and key or username, which stay taken). */
    LICENSE_DELETED,
    /** An administrator defined a product (subject: its code; detail: its name). */
    PRODUCT_DEFINED,
    /** An administrator created a license (detail: its product, type and key or username). */
    LICENSE_CREATED,
    /** An administrator registered a client (subject: its name; detail: its id). */
    CLIENT_REGISTERED,
    /** An administrator installed an agent on a client (subject: the client; detail: the app type). */
    AGENT_ADDED,
    /** An administrator added a client license (detail: its platform, license and app type and name). */
    CLIENT_LICENSE_DEFINED,
    /** An administrator defined or replaced a user or host group (subject: its name; detail: kind and member count). */
    GROUP_DEFINED,
    /** An administrator set a floating license's pool policy (detail: leasing, overdraft and rule count). */
    POLICY_SET,
    /**
     * An administrator changed a product's name or defaults (subject: its code; detail: each
     * changed field as {@code name=old->new}, comma-separated).
     */
    PRODUCT_CHANGED,
    /** An administrator deleted a product that had no licenses (subject: its code; detail: its name). */
    PRODUCT_DELETED,
    /**
     * An administrator changed a client's platform type or host name (subject: its name; detail:
     * each changed field as {@code name=old->new}).
     */
    CLIENT_CHANGED,
    /** An administrator deleted a client that held no client license (subject: its name; detail: its id). */
    CLIENT_DELETED
}
