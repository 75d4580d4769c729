package dev.licensor.spring.boot;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.token.TokenSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.core.io.Resource;

/** Reads {@code licensor.signer.*}'s key files: DER bytes, or PEM text around them. */
final class SignerKeys {
    private SignerKeys() {
    }

    static TokenSigner read(LicensorProperties.Signer signer) {
        if (signer.getPublicKey() == null) {
            throw new LicensingException(Code.INVALID_REQUEST,
                    "licensor.signer.private-key is set but licensor.signer.public-key is not: both key files are needed");
        }
        return TokenSigner.fromEncoded(signer.getKeyId(), der(signer.getPrivateKey(), "private-key"),
                der(signer.getPublicKey(), "public-key"));
    }

    private static byte[] der(Resource file, String property) {
        byte[] bytes;
        try {
            bytes = file.getContentAsByteArray();
        } catch (IOException e) {
            throw new LicensingException(Code.INVALID_REQUEST, "cannot read licensor.signer." + property + " ("
                    + file.getDescription() + "): " + e.getMessage(), e);
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN ")) {
            return bytes;
        }
        String body = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new LicensingException(Code.INVALID_REQUEST, "licensor.signer." + property + " ("
                    + file.getDescription() + ") is not valid PEM: " + e.getMessage(), e);
        }
    }
}
