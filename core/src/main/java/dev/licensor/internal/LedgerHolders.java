package dev.licensor.internal;

import dev.licensor.ledger.LedgerEntry;

/**
 * Who a seat entry of the ledger names, for the reports: the user and host a {@code GRANTED} or
 * {@code REFRESHED} entry records as the seat's holder, or that a {@code DENIED} entry records as
 * the refused caller. Read with the one reader of the detail's {@code key=value} pairs
 * ({@link UsageReport#field}), so every name reads back exactly as the engine wrote it.
 *
 * <p>Stateless and thread-safe.
 */
public final class LedgerHolders {
    private LedgerHolders() {
    }

    /** The user the entry names, or null (none named, or an entry of another kind). */
    public static String user(LedgerEntry e) {
        return field(e, "user");
    }

    /** The host the entry names, or null (none named, or an entry of another kind). */
    public static String host(LedgerEntry e) {
        return field(e, "host");
    }

    private static String field(LedgerEntry e, String key) {
        return switch (e.event()) {
            case GRANTED, REFRESHED -> UsageReport.field(e.detail(), key);
            case DENIED -> UsageReport.field(UsageReport.who(e.detail()), key);
            default -> null;
        };
    }
}
