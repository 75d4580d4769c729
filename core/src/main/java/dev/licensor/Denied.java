package dev.licensor;

import dev.licensor.outcome.Code;

/**
 * Thrown inside a unit of work to refuse a request. Throwing (rather than returning) makes the
 * store roll back anything the unit wrote, which is what keeps multi-part requests
 * all-or-nothing. The engine turns it into an {@code Outcome.Failure}; refusals of an existing
 * license or pool (codes 3xx and 4xx) are then recorded in the ledger in a transaction of their own.
 * Carries no stack trace: it is control flow, not a bug.
 */
final class Denied extends RuntimeException {
    private final Code code;
    private final long licenseId;
    private final long clientLicenseId;
    private final String subject;
    private final String user;
    private final String host;

    private Denied(Code code, String message, long licenseId, long clientLicenseId, String subject) {
        this(code, message, licenseId, clientLicenseId, subject, null, null);
    }

    private Denied(Code code, String message, long licenseId, long clientLicenseId, String subject, String user,
                   String host) {
        super(message, null, false, false);
        this.code = code;
        this.licenseId = licenseId;
        this.clientLicenseId = clientLicenseId;
        this.subject = subject;
        this.user = user;
        this.host = host;
    }

    static Denied of(Code code) {
        return new Denied(code, code.defaultMessage(), 0, 0, "");
    }

    static Denied of(Code code, String message) {
        return new Denied(code, message, 0, 0, "");
    }

    /** A refusal concerning a device license, recorded in the ledger if it is a licensing denial. */
    static Denied license(Code code, long licenseId, String hardwareId) {
        return new Denied(code, code.defaultMessage(), licenseId, 0, hardwareId);
    }

    static Denied license(Code code, String message, long licenseId, String hardwareId) {
        return new Denied(code, message, licenseId, 0, hardwareId);
    }

    /**
     * A refusal by a pool's seats or policy, naming the requester's user and host (typed in its
     * ledger entry: the usage report counts refusals per user).
     */
    static Denied seat(Code code, String message, long licenseId, String seatKey, dev.licensor.floating.Holder who) {
        return new Denied(code, message, licenseId, 0, seatKey, who.user(), who.host());
    }

    /** A refusal naming what it concerns by {@code subject} (a product code, a client name), recorded if a 3xx/4xx. */
    static Denied subject(Code code, String message, String subject) {
        return new Denied(code, message, 0, 0, subject);
    }

    /** A refusal concerning a client license, recorded in the ledger if it is a licensing denial. */
    static Denied clientLicense(Code code, String message, long clientLicenseId, String clientName) {
        return new Denied(code, message, 0, clientLicenseId, clientName);
    }

    Code code() {
        return code;
    }

    long licenseId() {
        return licenseId;
    }

    long clientLicenseId() {
        return clientLicenseId;
    }

    String subject() {
        return subject;
    }

    /** The refused requester's user, for a seat refusal; else null. */
    String user() {
        return user;
    }

    /** The refused requester's host, for a seat refusal; else null. */
    String host() {
        return host;
    }

    /** Refusals by a license or pool that exists (3xx, 4xx) go to the ledger; bad input does not. */
    boolean isRecorded() {
        return code.number() >= 300 && code.number() < 500;
    }
}
