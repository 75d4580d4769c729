/**
 * Client (Commvault-style) licenses: consuming, releasing and reconfiguring counted licenses
 * held by clients and agents.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor.clients;

import org.jspecify.annotations.NullMarked;
