package dev.licensor.outcome;

import org.jspecify.annotations.Nullable;
import java.util.Objects;
import java.util.function.Function;

/**
 * The result of an engine operation: a {@link Success} carrying a value, or a {@link Failure}
 * carrying a stable {@link Code} and a message. Denials are values, not exceptions, so a host
 * maps them straight onto its own answers (HTTP status, {@code errorCode}).
 *
 * <pre>{@code
 * Outcome<Lease> o = licensor.floating().check(request);
 * if (o instanceof Outcome.Failure<Lease> f) {
 *     return httpError(400, f.code().key(), f.message());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe if the value is.
 *
 * @param <T> the value type of a success
 */
public sealed interface Outcome<T extends @Nullable Object> permits Outcome.Success, Outcome.Failure {

    /** A success with its value ({@code null} allowed for operations with nothing to return). */
    static <T extends @Nullable Object> Outcome<T> success(T value) {
        return new Success<>(value);
    }

    /**
     * A success with its value and a signed token (JWS compact, see {@code dev.licensor.token}),
     * issued by an engine that has a signer; {@code token} may be null.
     */
    static <T extends @Nullable Object> Outcome<T> success(T value, @Nullable String token) {
        return new Success<>(value, token);
    }

    /** A failure with the code's default message. */
    static <T extends @Nullable Object> Outcome<T> failure(Code code) {
        return new Failure<>(code, code.defaultMessage());
    }

    /** A failure with a specific message. */
    static <T extends @Nullable Object> Outcome<T> failure(Code code, String message) {
        return new Failure<>(code, message);
    }

    /** {@link Code#OK} for a success, else the failure's code. */
    Code code();

    /** Empty for a success, else the failure's message. */
    String message();

    /**
     * The signed token of a success, when the engine has a signer and the call issues one
     * ({@code check}, {@code borrow}, {@code activate}); else null, and always null for a failure.
     */
    @Nullable String token();

    /** True for a {@link Success}. */
    default boolean isSuccess() {
        return this instanceof Success;
    }

    /** The value of a success; throws {@link LicensingException} with the code of a failure. */
    T orElseThrow();

    /** Maps the value of a success; a failure passes through unchanged. */
    <U extends @Nullable Object> Outcome<U> map(Function<? super T, ? extends U> mapper);

    /**
     * A successful outcome.
     *
     * @param value the value, may be {@code null} for operations that return nothing
     * @param token the signed token, or null when none was issued
     */
    record Success<T extends @Nullable Object>(T value, @Nullable String token) implements Outcome<T> {
        /** A success without a token. */
        public Success(T value) {
            this(value, null);
        }

        @Override
        public Code code() {
            return Code.OK;
        }

        @Override
        public String message() {
            return "";
        }

        @Override
        public T orElseThrow() {
            return value;
        }

        @Override
        public <U extends @Nullable Object> Outcome<U> map(Function<? super T, ? extends U> mapper) {
            return new Success<>(mapper.apply(value), token);
        }
    }

    /**
     * A failed outcome: nothing changed in the store except, for licensing denials, one
     * {@code DENIED} ledger entry.
     *
     * @param code never {@link Code#OK}
     * @param message human-readable, never {@code null}
     */
    record Failure<T extends @Nullable Object>(Code code, String message) implements Outcome<T> {
        public Failure {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
            if (code == Code.OK) {
                throw new IllegalArgumentException("a failure cannot have code OK");
            }
        }

        @Override
        public @Nullable String token() {
            return null;
        }

        @Override
        public T orElseThrow() {
            throw new LicensingException(code, message);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <U extends @Nullable Object> Outcome<U> map(Function<? super T, ? extends U> mapper) {
            return (Outcome<U>) this;
        }
    }
}
