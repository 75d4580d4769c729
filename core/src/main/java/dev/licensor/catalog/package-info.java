/**
 * What can be licensed: products, licenses, clients, agents and client licenses, and the
 * {@link dev.licensor.catalog.Catalog} that defines them.
 *
 * <h2>Nulls and bad values: one rule for the whole API</h2>
 * Value types and builders a caller passes <em>into</em> the engine ({@code Product},
 * {@code License} and its builder, {@code ClientLicense}, and the request records of
 * {@code dev.licensor.floating} and {@code dev.licensor.clients}) accept any value, null included,
 * and never throw. The engine validates them at the call and answers with an
 * {@link dev.licensor.outcome.Outcome.Failure}: {@code missing_parameters} for a required field
 * that is null or blank, {@code invalid_request} for a value out of its bounds (see
 * {@code docs/engine-input.md} for every bound). Nothing is written then. Builders of the engine
 * and of stores, which run once at startup, throw
 * {@link dev.licensor.outcome.LicensingException} with {@code invalid_request} instead, as does
 * {@link dev.licensor.ledger.Ledger}, whose calls return plain values.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor.catalog;

import org.jspecify.annotations.NullMarked;
