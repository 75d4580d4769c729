/**
 * Signed tokens: the engine's Ed25519 {@link dev.licensor.token.TokenSigner} (its signature
 * replaceable through {@link dev.licensor.token.Ed25519Signing}, e.g. by
 * {@code licensor-token-bc}), offline activation ({@link dev.licensor.token.ActivationRequest},
 * {@link dev.licensor.token.OfflineActivation}).
 * Tokens are compact JWS with {@code alg: EdDSA} (RFC 8037); clients verify them with
 * {@code licensor-verify} or any JOSE library. See {@code docs/offline.md}.
 *
 * <p>Null-marked (JSpecify): a type is non-null unless it says {@code @Nullable}; see
 * {@code docs/engine.md}, "Nullness and return values".
 */
@NullMarked
package dev.licensor.token;

import org.jspecify.annotations.NullMarked;
