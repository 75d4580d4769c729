package dev.licensor.event;

import org.jspecify.annotations.Nullable;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.outcome.Code;
import java.time.Instant;
import java.util.Objects;

/**
 * Something the engine committed: one typed view of one {@link LedgerEntry}. The set is closed;
 * switch over it exhaustively.
 *
 * <pre>{@code
 * Licensor.builder().store(store).listener(event -> {
 *     if (event instanceof LicensorEvent.SeatGranted g) {
 *         dashboard.seatTaken(g.licenseId(), g.hardwareId());
 *     }
 * }).build();
 * }</pre>
 *
 * <p>Every event carries the ledger's {@code seq} (increasing in commit order) and its time by
 * the engine's clock (a lapse carries the lapse time). Immutable and thread-safe.
 */
public sealed interface LicensorEvent {

    /** The ledger sequence number of the entry this event is. */
    long seq();

    /** When it happened, by the engine's clock. */
    Instant at();

    /**
     * The event a ledger entry records, from its typed fields only (nothing is parsed out of its
     * detail), e.g. an entry read from {@link dev.licensor.ledger.Ledger#after}
     * in another process.
     *
     * @throws NullPointerException if {@code entry} is null
     */
    static LicensorEvent of(LedgerEntry entry) {
        Objects.requireNonNull(entry, "entry");
        long seq = entry.seq();
        Instant at = entry.at();
        long license = entry.licenseId();
        String subject = entry.subject();
        return switch (entry.event()) {
            case GRANTED -> new SeatGranted(seq, at, license, subject);
            case REFRESHED -> new SeatRefreshed(seq, at, license, subject);
            case BORROWED -> new SeatBorrowed(seq, at, license, subject, entry.until());
            case RELEASED -> new SeatReleased(seq, at, license, subject);
            case LAPSED -> new SeatLapsed(seq, at, license, subject);
            case FORCE_RELEASED -> new SeatForceReleased(seq, at, license, subject);
            case ACTIVATED -> new DeviceActivated(seq, at, license, subject);
            case DEACTIVATED -> new DeviceDeactivated(seq, at, license, subject);
            case CONSUMPTION_ADDED -> new ConsumptionAdded(seq, at, license, subject, entry.count());
            case CONSUMED -> new ClientLicenseConsumed(seq, at, entry.clientLicenseId(), subject, entry.agentLevel());
            case CLIENT_RELEASED -> new ClientLicenseReleased(seq, at, entry.clientLicenseId(), subject,
                    entry.agentLevel());
            case RECONFIGURED -> new ClientLicenseReconfigured(seq, at, entry.clientLicenseId(), subject,
                    entry.agentLevel());
            case DENIED -> new Denied(seq, at, entry.code(), entry.detail(), license, entry.clientLicenseId(), subject);
            case QUEUED -> new SeatQueued(seq, at, license, subject, entry.position());
            case BLACKLISTED, UNBLACKLISTED, SWITCHED, LICENSE_CHANGED, SUSPENDED, RESUMED, LICENSE_DELETED,
                    PRODUCT_DEFINED, LICENSE_CREATED, CLIENT_REGISTERED, AGENT_ADDED, CLIENT_LICENSE_DEFINED,
                    GROUP_DEFINED, POLICY_SET, PRODUCT_CHANGED, PRODUCT_DELETED, CLIENT_CHANGED,
                    CLIENT_DELETED -> new AdminChanged(seq, at, entry.event(), license, subject,
                    entry.detail(), entry.actor());
        };
    }

    /** A seat event of a floating pool: the license and the device. */
    sealed interface SeatEvent extends LicensorEvent {
        /** The floating license (the pool). */
        long licenseId();

        /** The device. */
        String hardwareId();
    }

    /** A client-license event: the client license and the client. */
    sealed interface ClientEvent extends LicensorEvent {
        /** The client license. */
        long clientLicenseId();

        /** The client's name. */
        String clientName();

        /** True for an agent-level consumption, false for a client-level one. */
        boolean agentLevel();
    }

    /**
     * A device took a free seat of the pool.
     *
     * @param seq ledger sequence number
     * @param at when
     * @param licenseId the pool
     * @param hardwareId the device
     */
    record SeatGranted(long seq, Instant at, long licenseId, String hardwareId) implements SeatEvent {
    }

    /**
     * A device refreshed the seat it holds.
     *
     * @param seq ledger sequence number
     * @param at when
     * @param licenseId the pool
     * @param hardwareId the device
     */
    record SeatRefreshed(long seq, Instant at, long licenseId, String hardwareId) implements SeatEvent {
    }

    /**
     * A device borrowed its seat.
     *
     * @param seq ledger sequence number
     * @param at when
     * @param licenseId the pool
     * @param hardwareId the device
     * @param until end of the borrow (null only for an entry the engine did not write)
     */
    record SeatBorrowed(long seq, Instant at, long licenseId, String hardwareId, @Nullable Instant until)
            implements SeatEvent {
    }

    /**
     * A device gave its seat back (release or deactivation).
     *
     * @param seq ledger sequence number
     * @param at when
     * @param licenseId the pool
     * @param hardwareId the device
     */
    record SeatReleased(long seq, Instant at, long licenseId, String hardwareId) implements SeatEvent {
    }

    /**
     * A seat was not refreshed in time and stopped counting.
     *
     * @param seq ledger sequence number
     * @param at when it lapsed (its expiry), not when the engine noticed
     * @param licenseId the pool
     * @param hardwareId the device
     */
    record SeatLapsed(long seq, Instant at, long licenseId, String hardwareId) implements SeatEvent {
    }

    /**
     * An administrator freed a device's seat.
     *
     * @param seq ledger sequence number
     * @param at when
     * @param licenseId the pool
     * @param hardwareId the device
     */
    record SeatForceReleased(long seq, Instant at, long licenseId, String hardwareId) implements SeatEvent {
    }

    /**
     * A caller refused for lack of a seat joined the pool's queue.
     *
     * @param seq ledger sequence number
     * @param at when
     * @param licenseId the pool
     * @param hardwareId the seat key that queues (the device under per-device leasing)
     * @param position its 1-based place in the queue when it joined (0 only for an entry the engine did not write)
     */
    record SeatQueued(long seq, Instant at, long licenseId, String hardwareId, int position) implements SeatEvent {
    }

    /**
     * A device was bound to a license.
     *
     * @param seq ledger sequence number
     * @param at when
     * @param licenseId the license
     * @param hardwareId the device
     */
    record DeviceActivated(long seq, Instant at, long licenseId, String hardwareId) implements SeatEvent {
    }

    /**
     * A device was unbound from a license.
     *
     * @param seq ledger sequence number
     * @param at when
     * @param licenseId the license
     * @param hardwareId the device
     */
    record DeviceDeactivated(long seq, Instant at, long licenseId, String hardwareId) implements SeatEvent {
    }

    /**
     * Uses were added to a consumption license.
     *
     * @param seq ledger sequence number
     * @param at when
     * @param licenseId the license
     * @param hardwareId the device
     * @param count how many uses were added
     */
    record ConsumptionAdded(long seq, Instant at, long licenseId, String hardwareId, long count) implements SeatEvent {
    }

    /**
     * A client (or agent) consumed a client license.
     *
     * @param seq ledger sequence number
     * @param at when
     * @param clientLicenseId the client license
     * @param clientName the client
     * @param agentLevel true for an agent-level consumption
     */
    record ClientLicenseConsumed(long seq, Instant at, long clientLicenseId, String clientName, boolean agentLevel)
            implements ClientEvent {
    }

    /**
     * A client (or agent) released a client license.
     *
     * @param seq ledger sequence number
     * @param at when
     * @param clientLicenseId the client license
     * @param clientName the client
     * @param agentLevel true for an agent-level consumption
     */
    record ClientLicenseReleased(long seq, Instant at, long clientLicenseId, String clientName, boolean agentLevel)
            implements ClientEvent {
    }

    /**
     * A client consumed again a license it had released.
     *
     * @param seq ledger sequence number
     * @param at when
     * @param clientLicenseId the client license
     * @param clientName the client
     * @param agentLevel true for an agent-level consumption
     */
    record ClientLicenseReconfigured(long seq, Instant at, long clientLicenseId, String clientName,
                                     boolean agentLevel) implements ClientEvent {
    }

    /**
     * A licensing request was refused by a license or pool that exists (codes 3xx and 4xx; bad
     * input and unknown names make no event, as they make no ledger entry).
     *
     * @param seq ledger sequence number
     * @param at when
     * @param code why
     * @param message the refusal's message
     * @param licenseId the device license concerned, or 0
     * @param clientLicenseId the client license concerned, or 0
     * @param subject the hardware id or client name
     */
    record Denied(long seq, Instant at, Code code, String message, long licenseId, long clientLicenseId,
                  String subject) implements LicensorEvent {
    }

    /**
     * An administrator changed what the engine allows: blacklisted or unblacklisted a device for
     * a product, turned a license's switches, changed, suspended, resumed or deleted a license;
     * or defined something: a product, license, client, agent, client license, group or pool
     * policy. A client-license definition carries its id in {@code detail} only ({@code licenseId} is 0).
     *
     * @param seq ledger sequence number
     * @param at when
     * @param event {@code BLACKLISTED}, {@code UNBLACKLISTED}, {@code SWITCHED}, {@code LICENSE_CHANGED},
     *              {@code SUSPENDED}, {@code RESUMED}, {@code LICENSE_DELETED}, {@code PRODUCT_DEFINED},
     *              {@code LICENSE_CREATED}, {@code CLIENT_REGISTERED}, {@code AGENT_ADDED},
     *              {@code CLIENT_LICENSE_DEFINED}, {@code GROUP_DEFINED}, {@code POLICY_SET}, {@code PRODUCT_CHANGED},
     *              {@code PRODUCT_DELETED}, {@code CLIENT_CHANGED} or {@code CLIENT_DELETED}
     * @param licenseId the license concerned, or 0
     * @param subject the device (blacklist) or what the ledger entry names
     * @param detail the ledger entry's detail (the product, {@code enabled=..., active=...}, the changed fields)
     * @param actor who made the change ({@link LedgerEntry#actor()}), empty if it was made without an actor
     */
    record AdminChanged(long seq, Instant at, dev.licensor.ledger.LedgerEvent event, long licenseId, String subject,
                        String detail, String actor) implements LicensorEvent {
        public AdminChanged {
            actor = actor == null ? "" : actor;
        }

        /** A change made without an actor. */
        public AdminChanged(long seq, Instant at, dev.licensor.ledger.LedgerEvent event, long licenseId, String subject,
                            String detail) {
            this(seq, at, event, licenseId, subject, detail, "");
        }
    }
}
