package dev.licensor;

import dev.licensor.outcome.Code;
import java.time.Duration;
import java.time.Instant;

/**
 * Input validation shared by every entry point. Each method throws {@link Denied} with
 * {@code missing_parameters} or {@code invalid_request} and a message naming the field. Text must
 * be well-formed UTF-16 (no unpaired surrogate) and free of control characters, so every store
 * keeps exactly the value it was given.
 */
final class Check {
    /** Longest accepted text field (names, keys, hardware ids). */
    static final int MAX_TEXT = 256;
    /** Longest accepted product code. */
    static final int MAX_CODE = 64;
    /** Most entries in one release or reconfigure request. */
    static final int MAX_ENTRIES = 1000;
    /**
     * Longest accepted duration (timeouts, borrow times): 100 years of 365.25 days. Any instant
     * within {@link #MIN_INSTANT}..{@link #MAX_INSTANT} plus this is still an {@link Instant}.
     */
    static final Duration MAX_DURATION = Duration.ofDays(36_525);
    /** Earliest accepted instant in a definition: the start of year 1. */
    static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    /** Latest accepted instant in a definition: the end of year 9999. */
    static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Check() {
    }

    /** A required, non-blank text field of at most {@code max} chars without control characters. */
    static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw Denied.of(Code.MISSING_PARAMETERS, field + " is required");
        }
        return optionalText(field, value, max);
    }

    static String text(String field, String value) {
        return text(field, value, MAX_TEXT);
    }

    /** An optional text field: null or empty passes, anything else as {@link #text}. */
    static String optionalText(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw Denied.of(Code.INVALID_REQUEST, field + " is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw Denied.of(Code.INVALID_REQUEST, field + " contains a control character");
            }
            // An unpaired surrogate is not text: a store may keep it as '?', so two values would become one.
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw Denied.of(Code.INVALID_REQUEST, field + " is not well-formed UTF-16 (an unpaired surrogate)");
            }
        }
        return value;
    }

    /** True if {@code value} is non-null, well-formed UTF-16 text: what a plain lookup may look for. */
    static boolean lookable(String value) {
        if (value == null) {
            return false;
        }
        try {
            optionalText("value", value, Integer.MAX_VALUE);
            return true;
        } catch (Denied denied) {
            return false;
        }
    }

    /** A product code: letters, digits, '.', '_' and '-', at most {@link #MAX_CODE} chars. */
    static String productCode(String value) {
        text("product", value, MAX_CODE);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                throw Denied.of(Code.INVALID_REQUEST, "product may hold only letters, digits, '.', '_' and '-'");
            }
        }
        return value;
    }

    /** A required value of any type: {@code missing_parameters} if null. */
    static <T> T required(String field, T value) {
        if (value == null) {
            throw Denied.of(Code.MISSING_PARAMETERS, field + " is required");
        }
        return value;
    }

    /**
     * A required duration, positive (or zero, if {@code zeroAllowed}) and at most
     * {@link #MAX_DURATION}, so adding it to any accepted instant cannot overflow.
     */
    static Duration duration(String field, Duration value, boolean zeroAllowed) {
        required(field, value);
        that(zeroAllowed ? !value.isNegative() : !value.isNegative() && !value.isZero(),
                field + (zeroAllowed ? " must not be negative" : " must be positive"));
        that(value.compareTo(MAX_DURATION) <= 0, field + " must be at most " + MAX_DURATION.toDays() + " days");
        return value;
    }

    /** An optional instant: null passes, else within {@link #MIN_INSTANT}..{@link #MAX_INSTANT}. */
    static Instant optionalInstant(String field, Instant value) {
        that(value == null || (!value.isBefore(MIN_INSTANT) && !value.isAfter(MAX_INSTANT)),
                field + " must be between " + MIN_INSTANT + " and " + MAX_INSTANT);
        return value;
    }

    /** Orders text by Unicode code point (not by UTF-16 unit, as {@link String#compareTo} does). */
    static int byCodePoint(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    static long positive(String field, long value) {
        if (value <= 0) {
            throw Denied.of(Code.INVALID_REQUEST, field + " must be positive");
        }
        return value;
    }

    static long notNegative(String field, long value) {
        if (value < 0) {
            throw Denied.of(Code.INVALID_REQUEST, field + " must not be negative");
        }
        return value;
    }

    static void that(boolean condition, String message) {
        if (!condition) {
            throw Denied.of(Code.INVALID_REQUEST, message);
        }
    }
}
