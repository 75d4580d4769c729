/**
 * Ed25519 token signing on Bouncy Castle's lightweight API for Licensor's
 * {@link dev.licensor.token.TokenSigner}: {@link dev.licensor.token.bc.BouncyCastleEd25519}.
 */
module dev.licensor.token.bc {
    requires transitive dev.licensor.core;
    requires org.bouncycastle.provider;

    exports dev.licensor.token.bc;
}
