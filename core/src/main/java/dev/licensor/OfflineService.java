package dev.licensor;

import dev.licensor.floating.Activation;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import dev.licensor.token.ActivationRequest;
import dev.licensor.token.OfflineActivation;

/**
 * Offline activation over the engine's own activate (which signs the license file); a floating
 * license is refused, since a license file would grant it without a seat. Not API.
 *
 * <p>Thread-safe: stateless beyond the thread-safe engine.
 */
final class OfflineService implements OfflineActivation {
    private final FloatingService floating;

    OfflineService(FloatingService floating) {
        this.floating = floating;
    }

    @Override
    public Outcome<Activation> activate(String request) {
        ActivationRequest parsed;
        try {
            parsed = ActivationRequest.parse(request);
        } catch (LicensingException e) {
            return Outcome.failure(e.code(), e.getMessage());
        }
        return floating.activate(new DeviceRequest(parsed.product(), parsed.licenseKey(), parsed.username(),
                null, parsed.hardwareId()), true);
    }
}
