package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.token.TokenSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the token key from a PKCS#8 file: PEM and DER, public half derived, bad files refused. */
class TokenKeysTest {
    @TempDir
    Path dir;

    @Test
    void pemAndDerGiveTheSameKeyPairAsGenerated() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path der = dir.resolve("k.der");
        Files.write(der, pair.getPrivate().getEncoded());
        Path pem = dir.resolve("k.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        for (Path file : new Path[] {der, pem}) {
            TokenSigner signer = TokenKeys.load(file, "k9");
            assertThat(signer.keyId()).isEqualTo("k9");
            assertThat(signer.publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        }
    }

    @Test
    void badFilesAndIdsAreRefusedWithAMessage() throws Exception {
        Path rsa = dir.resolve("rsa.der");
        Files.write(rsa, KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate().getEncoded());
        Path junk = dir.resolve("junk");
        Files.writeString(junk, "hello", StandardCharsets.US_ASCII);
        Path cut = dir.resolve("cut.pem");
        Files.writeString(cut, "-----BEGIN PRIVATE KEY-----\nMC4CAQA\n");
        for (Path bad : new Path[] {rsa, junk, cut}) {
            assertThatThrownBy(() -> TokenKeys.load(bad, "k1")).as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.toString());
        }
        Path good = dir.resolve("good.der");
        Files.write(good, KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());
        assertThatThrownBy(() -> TokenKeys.load(good, "no spaces")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenKeys.load(dir.resolve("absent"), "k1")).isInstanceOf(java.io.IOException.class);
    }
}
