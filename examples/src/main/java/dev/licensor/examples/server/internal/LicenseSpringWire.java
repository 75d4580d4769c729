package dev.licensor.examples.server.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The LicenseSpring License API v4 wire DTOs (JSON, snake_case), bound by Jackson. Unknown
 * request fields are ignored; a field of the wrong type fails binding ({@code malformed_body}).
 *
 * <p>All records are immutable and thread-safe.
 */
public final class LicenseSpringWire {
    private LicenseSpringWire() {
    }

    /**
     * The one time format of every answer: UTC, exactly three fractional digits, {@code Z}
     * ({@code 2026-12-07T10:00:00.000Z}). {@link Instant#toString()} prints 0, 3, 6 or 9 digits
     * by value, which breaks clients parsing with one pattern ({@code %Y-%m-%dT%H:%M:%S.%fZ}).
     */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** {@code t} in the answers' time format (sub-millisecond digits dropped), or null for null. */
    public static String time(Instant t) {
        return t == null ? null : TIME.format(t);
    }

    /**
     * Every POST body of the device calls: the device and license, plus each call's own fields
     * ({@code borrowed_until}, {@code consumptions}, {@code allow_overages}, {@code max_overages}).
     * {@code borrowed_until} is text so an ISO time without an offset can be read as UTC.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DeviceBody(String product, String licenseKey, String username, Long licenseId, String hardwareId,
                             String borrowedUntil, Long consumptions, Boolean allowOverages, Long maxOverages) {
    }

    /** The error body every refusal gets. */
    @JsonPropertyOrder({"status", "code", "message"})
    public record ErrorResp(int status, String code, String message) {
    }

    /**
     * The license answer of activate and check; lease fields only when the device holds a seat,
     * activation fields only on activate; {@code license_token} (a signed JWS, Licensor's
     * addition) only when the engine signs tokens.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LicenseResp(long licenseId, String product, String licenseKey, String username, String licenseType,
                              boolean licenseEnabled, boolean licenseActive, boolean isExpired,
                              @JsonInclude(JsonInclude.Include.ALWAYS) String validityPeriod,
                              int maxActivations, boolean isFloatingCloud, boolean isFloating, int floatingUsers,
                              long floatingTimeout, Integer floatingInUseDevices, boolean canBorrow,
                              long maxBorrowTime, List<String> productFeatures,
                              String hardwareId, String activatedAt,
                              String floatingGrantedAt, String floatingExpiresAt,
                              @JsonInclude(JsonInclude.Include.ALWAYS) String borrowedUntil,
                              String licenseToken) {
    }

    /** The borrow answer: the lease as kept; {@code license_token} only when the engine signs tokens. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BorrowResp(long licenseId, String hardwareId, String deviceId, String floatingGrantedAt,
                             String floatingExpiresAt, String borrowedUntil, long maxBorrowTime,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String licenseToken) {
    }

    /** The add_consumption answer. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ConsumptionResp(long licenseId, long totalConsumptions, long maxConsumptions, long overage,
                                  boolean allowOverages, long maxOverages) {
    }
}
