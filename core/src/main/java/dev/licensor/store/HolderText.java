package dev.licensor.store;

import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lease's (or queue entry's) device and holder as one text column, for stores that persist rows as columns: the
 * empty string for a per-device lease with no holder (every lease written before holders
 * existed), else fields separated by U+001F, each a tag character and a value. The engine refuses
 * control characters in every field, so the separators never occur inside a value.
 *
 * <p>Thread-safe (stateless).
 */
public final class HolderText {
    private static final char SEP = '\u001F';

    private HolderText() {
    }

    /** The text of {@code lease}'s device and holder. */
    public static String encode(Lease lease) {
        return encode(lease.hardwareId(), lease.device(), lease.holder());
    }

    /** The text of a queue entry's device and holder. */
    public static String encode(QueueEntry entry) {
        return encode(entry.hardwareId(), entry.device(), entry.holder());
    }

    private static String encode(String key, String device, Holder h) {
        if (h.isEmpty() && device.equals(key)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        field(out, 'd', device);
        field(out, 'u', h.user());
        field(out, 'h', h.host());
        field(out, 'p', h.process());
        for (Map.Entry<String, String> e : h.metadata().entrySet()) {
            field(out, 'k', e.getKey());
            field(out, 'v', e.getValue());
        }
        return out.toString();
    }

    private static void field(StringBuilder out, char tag, String value) {
        if (value != null) {
            if (!out.isEmpty()) {
                out.append(SEP);
            }
            out.append(tag).append(value);
        }
    }

    /** {@code base} (as read from its other columns) with the device and holder of {@code text}. */
    public static Lease decode(Lease base, String text, boolean overLimit) {
        Parsed p = parse(base.hardwareId(), text);
        return new Lease(base.licenseId(), base.hardwareId(), base.grantedAt(), base.refreshedAt(), base.expiresAt(),
                base.borrowedUntil(), p.device(), p.holder(), overLimit);
    }

    /** {@code base} (as read from its other columns) with the device and holder of {@code text}. */
    public static QueueEntry decode(QueueEntry base, String text) {
        Parsed p = parse(base.hardwareId(), text);
        return new QueueEntry(base.licenseId(), base.hardwareId(), base.ticket(), base.enqueuedAt(), base.expiresAt(),
                p.device(), p.holder());
    }

    private record Parsed(String device, Holder holder) {
    }

    private static Parsed parse(String seatKey, String text) {
        if (text == null || text.isEmpty()) {
            return new Parsed(seatKey, Holder.NONE);
        }
        String device = seatKey;
        String user = null;
        String host = null;
        String process = null;
        Map<String, String> metadata = new LinkedHashMap<>();
        String key = null;
        for (String f : text.split(String.valueOf(SEP), -1)) {
            if (f.isEmpty()) {
                continue;
            }
            String v = f.substring(1);
            switch (f.charAt(0)) {
                case 'd' -> device = v;
                case 'u' -> user = v;
                case 'h' -> host = v;
                case 'p' -> process = v;
                case 'k' -> key = v;
                case 'v' -> metadata.put(key, v);
                default -> throw new IllegalStateException("unknown holder field " + f.charAt(0));
            }
        }
        return new Parsed(device, new Holder(user, host, process, metadata));
    }
}
