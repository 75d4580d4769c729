package dev.licensor.store.postgresql.internal;

import dev.licensor.store.ChangeListener;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The changes one unit of work made that a lookup cache may hold, as {@code NOTIFY} payloads:
 * {@code s <licenseId> <hardwareId>}, {@code l <licenseId>}, {@code c <clientId>}. Collected during
 * the unit and sent with {@code pg_notify} just before its {@code COMMIT}, so PostgreSQL delivers
 * them to every listener when, and only if, the unit commits.
 *
 * <p>Not thread-safe: one per unit.
 */
public final class Notices {
    /** PostgreSQL's limit for one payload is 8000 bytes; longer hardware ids become "everything". */
    private static final int MAX_PAYLOAD = 7_000;
    private final Set<String> payloads = new LinkedHashSet<>();

    /** A lease of the device changed. */
    public void seat(long licenseId, String hardwareId) {
        String payload = "s " + licenseId + " " + hardwareId;
        payloads.add(payload.length() <= MAX_PAYLOAD ? payload : "*");
    }

    /** The license row changed. */
    public void license(long licenseId) {
        payloads.add("l " + licenseId);
    }

    /** The client's consumptions changed. */
    public void client(long clientId) {
        payloads.add("c " + clientId);
    }

    /** The payloads to send, in the order recorded, once each. */
    public List<String> payloads() {
        return new ArrayList<>(payloads);
    }

    /** Whether nothing was recorded. */
    public boolean isEmpty() {
        return payloads.isEmpty();
    }

    /** Calls the listener method a payload stands for; ignores payloads it does not know. */
    public static void dispatch(String payload, ChangeListener listener) {
        try {
            if (payload.equals("*")) {
                listener.everythingChanged();
            } else if (payload.startsWith("s ")) {
                int space = payload.indexOf(' ', 2);
                listener.seatChanged(Long.parseLong(payload.substring(2, space)), payload.substring(space + 1));
            } else if (payload.startsWith("l ")) {
                listener.licenseChanged(Long.parseLong(payload.substring(2)));
            } else if (payload.startsWith("c ")) {
                listener.clientChanged(Long.parseLong(payload.substring(2)));
            }
        } catch (RuntimeException e) {
            // a payload of a newer version: dropping everything is always safe
            listener.everythingChanged();
        }
    }
}
