package dev.licensor.clients;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.licensor.outcome.Outcome;
import java.util.List;

/**
 * Client and agent licenses (Commvault-style): consume, list, release, reconfigure, summary.
 *
 * <p>Release and reconfigure are all-or-nothing across the entries of one request. Checks run
 * in this order: request shape ({@code missing_parameters}/{@code invalid_request}),
 * {@code client_not_found}, for agent-level entries {@code agent_not_found}, then per entry
 * {@code license_not_consumed} (release) or {@code license_not_released} (reconfigure), then the
 * MediaAgent-first rule ({@code media_agent_licenses_held}) and capacity
 * ({@code not_enough_licenses}).
 *
 * <p>Thread-safe.
 */
@CheckReturnValue
public interface ClientLicenses {

    /**
     * Consumes one license for the client or its agent; idempotent if already held.
     *
     * @param request the client (and agent) and the client license to consume
     * @return the license held; a refusal in the order above
     */
    Outcome<HeldLicense> consume(ConsumeRequest request);

    /**
     * The licenses the client holds now.
     *
     * @param client the client's id or name
     * @return the licenses held; {@code client_not_found} or bad input
     */
    Outcome<List<HeldLicense>> consumed(ClientRef client);

    /**
     * Releases what the request's entries select; returns what was released.
     *
     * @param request the client and the entries to release
     * @return what was released; a refusal in the order above, changing nothing
     */
    Outcome<List<HeldLicense>> release(ClientLicensesRequest request);

    /**
     * Consumes again what the client released and the entries select; returns what was consumed.
     *
     * @param request the client and the entries to consume again
     * @return what was consumed; a refusal in the order above, changing nothing
     */
    Outcome<List<HeldLicense>> reconfigure(ClientLicensesRequest request);

    /**
     * The summary report of every client license.
     *
     * @return one line per client license: purchased (permanent, evaluation), used and available counts
     */
    List<UsageSummary> usage();
}
