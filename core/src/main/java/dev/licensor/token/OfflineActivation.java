package dev.licensor.token;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.licensor.floating.Activation;
import dev.licensor.outcome.Outcome;

/**
 * The vendor's half of offline activation: takes the request string a device without network
 * produced ({@link ActivationRequest}), activates it like {@code floating().activate} and answers
 * the signed license file in {@link Outcome#token()}. The device verifies that file with
 * {@code licensor-verify}. Available when the engine has a signer. A floating license is refused
 * ({@code floating_not_available}, nothing bound): a license file would grant it without a seat;
 * such a device activates online and borrows.
 *
 * <p>Thread-safe.
 */
@CheckReturnValue
public interface OfflineActivation {

    /**
     * Activates the device named by {@code request}; a request that cannot be read answers
     * {@code missing_parameters} or {@code invalid_request} and changes nothing.
     *
     * @param request the request string the device produced ({@link ActivationRequest})
     * @return the activation, with the signed license file as {@link Outcome#token()}; a refusal as
     *     {@code floating().activate}, or {@code floating_not_available} for a floating license
     */
    Outcome<Activation> activate(String request);
}
