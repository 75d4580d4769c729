package dev.licensor.internal;

import dev.licensor.outcome.Code;

/**
 * Input validation shared by every entry point. Each method throws {@link Denied} with
 * {@code missing_parameters} or {@code invalid_request} and a message naming the field.
 */
final class Check {
    /** Longest accepted text field (names, keys, hardware ids). */
    static final int MAX_TEXT = 256;
    /** Longest accepted product code. */
    static final int MAX_CODE = 64;
    /** Most entries in one release or reconfigure request. */
    static final int MAX_ENTRIES = 1000;

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
            if (Character.isISOControl(value.charAt(i))) {
                throw Denied.of(Code.INVALID_REQUEST, field + " contains a control character");
            }
        }
        return value;
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
