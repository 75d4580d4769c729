package dev.licensor.floating;

import org.jspecify.annotations.Nullable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who holds (or asks for) a seat, beyond the device: the user, the host name, the process or
 * instance id and a few client-chosen metadata pairs. All optional; the engine checks the
 * bounds (text fields at most 256 characters, at most {@value #MAX_METADATA} metadata pairs with
 * keys of at most 256 and values of at most 4,096 characters, no control characters) and answers
 * {@code invalid_request} otherwise. Policies match {@code user} and {@code host}; the leasing
 * strategy may key seats by user or by process.
 *
 * <p>Immutable and thread-safe.
 *
 * @param user     the person, or null
 * @param host     the host name, or null
 * @param process  the process or instance id, or null
 * @param metadata client metadata, never null (a null argument is an empty map); unmodifiable
 */
public record Holder(@Nullable String user, @Nullable String host, @Nullable String process,
                     Map<String, String> metadata) {
    /** Most metadata pairs. */
    public static final int MAX_METADATA = 16;
    /** Longest metadata key. */
    public static final int MAX_METADATA_KEY = 256;
    /** Longest metadata value. */
    public static final int MAX_METADATA_VALUE = 4096;

    /** Nobody beyond the device. */
    public static final Holder NONE = new Holder(null, null, null, Map.of());

    public Holder {
        // a copy that accepts nulls: the engine, not this constructor, refuses them with a typed error
        metadata = metadata == null || metadata.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A holder with a user and a host. */
    public static Holder of(@Nullable String user, @Nullable String host) {
        return new Holder(user, host, null, Map.of());
    }

    /** This holder with a process id. */
    public Holder withProcess(@Nullable String value) {
        return new Holder(user, host, value, metadata);
    }

    /** This holder with metadata. */
    public Holder withMetadata(Map<String, String> value) {
        return new Holder(user, host, process, value);
    }

    /** True if nothing is set. */
    public boolean isEmpty() {
        return user == null && host == null && process == null && metadata.isEmpty();
    }
}
