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

    /** Consumes one license for the client or its agent; idempotent if already held. */
    Outcome<HeldLicense> consume(ConsumeRequest request);

    /** The licenses the client holds now. */
    Outcome<List<HeldLicense>> consumed(ClientRef client);

    /** Releases what the request's entries select; returns what was released. */
    Outcome<List<HeldLicense>> release(ClientLicensesRequest request);

    /** Consumes again what the client released and the entries select; returns what was consumed. */
    Outcome<List<HeldLicense>> reconfigure(ClientLicensesRequest request);

    /** The summary report of every client license. */
    List<UsageSummary> usage();
}
