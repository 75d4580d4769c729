package dev.licensor.outcome;

import org.jspecify.annotations.Nullable;
import java.util.Objects;

/**
 * The one unchecked exception root of Licensor. Thrown by {@link Outcome#orElseThrow()} for a
 * failed outcome, by builders for misconfiguration ({@link Code#INVALID_REQUEST}) and by stores
 * when persistence fails ({@link Code#STORE_FAILURE}). Expected denials are returned as
 * {@link Outcome.Failure} values, never thrown by the engine.
 *
 * <p>Immutable and thread-safe.
 */
public class LicensingException extends RuntimeException {
    private final Code code;

    public LicensingException(Code code, String message) {
        this(code, message, null);
    }

    public LicensingException(Code code, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The outcome code describing what went wrong. */
    public Code code() {
        return code;
    }
}
