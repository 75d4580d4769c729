package dev.licensor.ledger;

import org.jspecify.annotations.Nullable;
import dev.licensor.outcome.Code;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the ledger, the administrator's report of every grant, refresh, borrow, release,
 * lapse, force-release, denial and client consume/release. What a decision records is typed
 * (the borrow end, a count, a queue position, the level, the holder); {@code detail} is only a
 * human message that nothing parses (a denial's text, an administrative change's summary, the
 * description of a seat's holder).
 *
 * <p>Immutable and thread-safe.
 *
 * @param seq             store-assigned sequence number, increasing in commit order; 0 before appending
 * @param at              when it happened, by the engine's clock (a lapse carries the lapse time)
 * @param event           what happened
 * @param licenseId       the floating/device license concerned, or 0
 * @param clientLicenseId the client license concerned, or 0
 * @param subject         hardware id (or seat key) for device events, client name for client events
 * @param code            {@link Code#OK}, or the denial's code for {@link LedgerEvent#DENIED}
 * @param detail          a human message nothing parses, never null; "" for most device events
 * @param actor           who made an administrative change ({@link Actor#name()}, as the host stated it
 *                        with {@code Licensor.as(Actor)}); empty for device and client calls and for
 *                        changes made without an actor; never null
 * @param until           the borrow's end ({@code BORROWED}), or the end of the borrow a device
 *                        returned early ({@code RELEASED}); null otherwise
 * @param count           the uses added ({@code CONSUMPTION_ADDED}); 0 otherwise
 * @param position        the 1-based place in the queue when the caller joined ({@code QUEUED}); 0 otherwise
 * @param agentLevel      true for an agent-level consumption ({@code CONSUMED}, {@code CLIENT_RELEASED},
 *                        {@code RECONFIGURED}); false otherwise
 * @param user            the seat's holder's user ({@code GRANTED}, {@code REFRESHED}) or the refused
 *                        requester's ({@code DENIED} by a pool's policy or seats); null if none
 * @param host            the same holder's host; null if none
 */
public record LedgerEntry(long seq, Instant at, LedgerEvent event, long licenseId, long clientLicenseId,
                          String subject, Code code, String detail, String actor, @Nullable Instant until, long count,
                          int position, boolean agentLevel, @Nullable String user, @Nullable String host) {
    public LedgerEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(code, "code");
        detail = detail == null ? "" : detail;
        actor = actor == null ? "" : actor;
    }

    /** An entry with no typed facts: an administrative change, or one no fact describes. */
    public LedgerEntry(long seq, Instant at, LedgerEvent event, long licenseId, long clientLicenseId,
                       String subject, Code code, String detail, String actor) {
        this(seq, at, event, licenseId, clientLicenseId, subject, code, detail, actor, null, 0, 0, false, null, null);
    }

    /** An entry with no actor and no typed facts. */
    public LedgerEntry(long seq, Instant at, LedgerEvent event, long licenseId, long clientLicenseId,
                       String subject, Code code, String detail) {
        this(seq, at, event, licenseId, clientLicenseId, subject, code, detail, "");
    }

    /** This entry with the sequence number a store assigned. */
    public LedgerEntry withSeq(long newSeq) {
        return new LedgerEntry(newSeq, at, event, licenseId, clientLicenseId, subject, code, detail, actor, until,
                count, position, agentLevel, user, host);
    }

    /** This entry with the borrow end {@code value}. */
    public LedgerEntry withUntil(@Nullable Instant value) {
        return new LedgerEntry(seq, at, event, licenseId, clientLicenseId, subject, code, detail, actor, value,
                count, position, agentLevel, user, host);
    }

    /** This entry with the count {@code value}. */
    public LedgerEntry withCount(long value) {
        return new LedgerEntry(seq, at, event, licenseId, clientLicenseId, subject, code, detail, actor, until,
                value, position, agentLevel, user, host);
    }

    /** This entry with the queue position {@code value}. */
    public LedgerEntry withPosition(int value) {
        return new LedgerEntry(seq, at, event, licenseId, clientLicenseId, subject, code, detail, actor, until,
                count, value, agentLevel, user, host);
    }

    /** This entry with the level {@code value} (true: agent-level). */
    public LedgerEntry withAgentLevel(boolean value) {
        return new LedgerEntry(seq, at, event, licenseId, clientLicenseId, subject, code, detail, actor, until,
                count, position, value, user, host);
    }

    /** This entry with the holder {@code newUser} on {@code newHost} (either may be null). */
    public LedgerEntry withHolder(@Nullable String newUser, @Nullable String newHost) {
        return new LedgerEntry(seq, at, event, licenseId, clientLicenseId, subject, code, detail, actor, until,
                count, position, agentLevel, newUser, newHost);
    }
}
