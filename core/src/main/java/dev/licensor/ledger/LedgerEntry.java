package dev.licensor.ledger;

import dev.licensor.outcome.Code;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the ledger, the administrator's report of every grant, refresh, borrow, release,
 * lapse, force-release, denial and client consume/release.
 *
 * <p>Immutable and thread-safe.
 *
 * @param seq             store-assigned sequence number, increasing in commit order; 0 before appending
 * @param at              when it happened, by the engine's clock (a lapse carries the lapse time)
 * @param event           what happened
 * @param licenseId       the floating/device license concerned, or 0
 * @param clientLicenseId the client license concerned, or 0
 * @param subject         hardware id for device events, client name for client events
 * @param code            {@link Code#OK}, or the denial's code for {@link LedgerEvent#DENIED}
 * @param detail          free text (borrow end, counts), never null
 * @param actor           who made an administrative change ({@link Actor#name()}, as the host stated it
 *                        with {@code Licensor.as(Actor)}); empty for device and client calls and for
 *                        changes made without an actor; never null
 */
public record LedgerEntry(long seq, Instant at, LedgerEvent event, long licenseId, long clientLicenseId,
                          String subject, Code code, String detail, String actor) {
    public LedgerEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(code, "code");
        detail = detail == null ? "" : detail;
        actor = actor == null ? "" : actor;
    }

    /** An entry with no actor: a device or client call. */
    public LedgerEntry(long seq, Instant at, LedgerEvent event, long licenseId, long clientLicenseId,
                       String subject, Code code, String detail) {
        this(seq, at, event, licenseId, clientLicenseId, subject, code, detail, "");
    }

    /** This entry with the sequence number a store assigned. */
    public LedgerEntry withSeq(long newSeq) {
        return new LedgerEntry(newSeq, at, event, licenseId, clientLicenseId, subject, code, detail, actor);
    }
}
