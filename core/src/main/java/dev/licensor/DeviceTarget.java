package dev.licensor;

import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Holder;
import dev.licensor.outcome.Code;
import org.jspecify.annotations.Nullable;

/**
 * A device request after validation: what a floating unit of work may rely on. Exactly one of
 * {@code key} and {@code username} is set. Not API.
 *
 * <p>Immutable, so thread-safe.
 */
record DeviceTarget(String product, @Nullable String key, @Nullable String username, @Nullable Long licenseId,
                    String hardwareId, Holder holder) {

    /**
     * Validates {@code request} in the documented order ({@code docs/engine-input.md}).
     *
     * @throws Denied with {@code missing_parameters} or {@code invalid_request}
     */
    static DeviceTarget validate(@Nullable DeviceRequest request) {
        if (request == null) {
            throw Denied.of(Code.MISSING_PARAMETERS, "request is required");
        }
        String product = Check.productCode(request.product());
        String hardwareId = Check.text("hardware_id", request.hardwareId());
        String key = Check.optionalText("license_key", request.licenseKey(), Check.MAX_TEXT);
        String user = Check.optionalText("username", request.username(), Check.MAX_TEXT);
        boolean hasKey = key != null && !key.isBlank();
        boolean hasUser = user != null && !user.isBlank();
        if (!hasKey && !hasUser) {
            throw Denied.of(Code.MISSING_PARAMETERS, "license_key or username is required");
        }
        if (hasKey && hasUser) {
            throw Denied.of(Code.INVALID_REQUEST, "give license_key or username, not both");
        }
        if (request.licenseId() != null) {
            Check.positive("license_id", request.licenseId());
        }
        return new DeviceTarget(product, hasKey ? key : null, hasUser ? user : null, request.licenseId(), hardwareId,
                Seats.validate(request.holder()));
    }
}
