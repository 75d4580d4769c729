package dev.licensor.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.token.TokenSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Every way of altering a token is refused, each with its typed result. */
class TamperingTest {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final Vendor vendor = new Vendor();
    private final TestClock local = new TestClock(Vendor.START);
    private final String token = vendor.lease("hw-1");
    private final LicenseVerifier verifier = vendor.verifier("hw-1", local).build();

    @Test
    void theUntouchedTokenIsValid() {
        assertThat(verifier.verify(token).status()).isEqualTo(Status.VALID);
    }

    @Test
    void everyCharacterReplacedIsRefused() {
        for (int i = 0; i < token.length(); i++) {
            for (int shift : new int[] {1, 17, 32}) {
                char c = token.charAt(i);
                char other = c == '.' ? 'A' : ALPHABET.charAt((ALPHABET.indexOf(c) + shift) % 64);
                String altered = token.substring(0, i) + other + token.substring(i + 1);
                assertThat(verifier.verify(altered).status()).as("char %d -> %s", i, other).isNotEqualTo(Status.VALID);
            }
        }
    }

    @Test
    void everyBitOfEveryDecodedByteFlippedIsRefused() {
        String[] parts = token.split("\\.");
        for (int p = 0; p < 3; p++) {
            byte[] bytes = Base64.getUrlDecoder().decode(parts[p]);
            for (int i = 0; i < bytes.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] copy = bytes.clone();
                    copy[i] ^= (byte) (1 << bit);
                    String[] altered = parts.clone();
                    altered[p] = Forge.B64.encodeToString(copy);
                    Verification v = verifier.verify(String.join(".", altered));
                    assertThat(v.status()).as("part %d byte %d bit %d", p, i, bit)
                            .isIn(Status.BAD_SIGNATURE, Status.MALFORMED, Status.UNKNOWN_KEY);
                }
            }
        }
    }

    @Test
    void everyTruncationIsRefused() {
        for (int n = 0; n < token.length(); n++) {
            assertThat(verifier.verify(token.substring(0, n)).status()).as("first %d chars", n)
                    .isIn(Status.MALFORMED, Status.BAD_SIGNATURE);
            assertThat(verifier.verify(token.substring(n + 1)).status()).as("without first %d chars", n + 1)
                    .isIn(Status.MALFORMED, Status.BAD_SIGNATURE, Status.UNKNOWN_KEY);
        }
    }

    @Test
    void paddedOrExtendedTokensAreRefused() {
        String[] parts = token.split("\\.");
        List<String> variants = new ArrayList<>(List.of(token + "=", token + "==", token + " ", " " + token,
                token + "\n", token + ".", token + ".x", "." + token, token + "A", token + token));
        for (int p = 0; p < 3; p++) {
            String[] padded = parts.clone();
            padded[p] = padded[p] + "=";
            variants.add(String.join(".", padded));
        }
        for (String v : variants) {
            assertThat(verifier.verify(v).status()).as(v).isIn(Status.MALFORMED, Status.BAD_SIGNATURE);
        }
    }

    @Test
    void reEncodedTokensAreRefused() {
        String[] parts = token.split("\\.");
        for (int p = 0; p < 3; p++) {
            String[] re = parts.clone();
            re[p] = Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(parts[p])); // standard alphabet, padded
            if (!re[p].equals(parts[p])) {
                assertThat(verifier.verify(String.join(".", re)).status()).as("standard base64 part %d", p)
                        .isEqualTo(Status.MALFORMED);
            }
        }
        // Same JSON meaning, other bytes: the signature covers the bytes.
        String header = Forge.json(token, 0).replace(",", ", ");
        assertThat(verifier.verify(Forge.b64(header) + "." + parts[1] + "." + parts[2]).status())
                .isEqualTo(Status.BAD_SIGNATURE);
        String payload = Forge.json(token, 1).replace("{", "{ ");
        assertThat(verifier.verify(parts[0] + "." + Forge.b64(payload) + "." + parts[2]).status())
                .isEqualTo(Status.BAD_SIGNATURE);
        // The last character of the signature carries 4 unused bits: another value decodes the same bytes.
        String sig = parts[2];
        char last = sig.charAt(sig.length() - 1);
        char sibling = ALPHABET.charAt(ALPHABET.indexOf(last) ^ 1);
        assertThat(verifier.verify(parts[0] + "." + parts[1] + "." + sig.substring(0, sig.length() - 1) + sibling).status())
                .isEqualTo(Status.MALFORMED);
    }

    @Test
    void algNoneIsRefused() {
        String payload = token.split("\\.")[1];
        for (String header : List.of("{\"alg\":\"none\",\"kid\":\"k1\"}", "{\"alg\":\"none\"}", "{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"k1\"}")) {
            assertThat(verifier.verify(Forge.b64(header) + "." + payload + ".").status()).as(header)
                    .isIn(Status.BAD_SIGNATURE, Status.MALFORMED);
            assertThat(verifier.verify(Forge.b64(header) + "." + payload + "." + token.split("\\.")[2]).status())
                    .isIn(Status.BAD_SIGNATURE, Status.MALFORMED);
        }
    }

    @Test
    void hmacWithThePublicKeyAsSecretIsRefused() throws Exception {
        byte[] x509 = vendor.signer.publicKey().getEncoded();
        byte[] raw = java.util.Arrays.copyOfRange(x509, 12, 44);
        String payload = token.split("\\.")[1];
        for (String alg : List.of("HS256", "HS384", "HS512")) {
            for (byte[] secret : List.of(x509, raw, Forge.B64.encode(raw))) {
                String input = Forge.b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"k1\"}") + "." + payload;
                Mac mac = Mac.getInstance("Hmac" + alg.replace("HS", "SHA"));
                mac.init(new SecretKeySpec(secret, mac.getAlgorithm()));
                String forged = input + "." + Forge.B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
                assertThat(verifier.verify(forged).status()).as(alg).isEqualTo(Status.BAD_SIGNATURE);
            }
        }
    }

    @Test
    void aTokenFromAnotherKeyUnderATrustedKeyIdIsRefused() {
        Vendor impostor = new Vendor(TokenSigner.generate("k1"));
        assertThat(verifier.verify(impostor.lease("hw-1")).status()).isEqualTo(Status.BAD_SIGNATURE);
    }

    @Test
    void expiredNotYetValidOtherDeviceAndOtherProduct() {
        String file = vendor.licenseFile("hw-1");
        local.set(Vendor.VALID_UNTIL.plus(Duration.ofMinutes(3)));
        assertThat(vendor.verifier("hw-1", local).build().verify(file).status()).isEqualTo(Status.EXPIRED);
        local.set(Vendor.VALID_UNTIL.plus(Duration.ofMinutes(1)));
        assertThat(vendor.verifier("hw-1", local).build().verify(file).status()).as("within tolerance").isEqualTo(Status.VALID);

        TestClock early = new TestClock(Vendor.START);
        String future = Forge.signed(vendor.signer, "{\"alg\":\"EdDSA\",\"kid\":\"k1\"}",
                "{\"kind\":\"license\",\"product\":\"cad\",\"license_id\":2,\"hardware_id\":\"hw-1\",\"iat\":"
                        + Vendor.START.getEpochSecond() + ",\"nbf\":" + Vendor.START.plusSeconds(3600).getEpochSecond() + "}");
        assertThat(vendor.verifier("hw-1", early).build().verify(future).status()).isEqualTo(Status.NOT_YET_VALID);

        assertThat(vendor.verifier("hw-2", new TestClock(Vendor.START)).build().verify(token).status())
                .isEqualTo(Status.WRONG_DEVICE);
        LicenseVerifier otherProduct = LicenseVerifier.builder().trust("k1", vendor.signer.publicKey())
                .product("cam").hardwareId("hw-1").clock(new TestClock(Vendor.START)).build();
        assertThat(otherProduct.verify(token).status()).isEqualTo(Status.WRONG_PRODUCT);
    }

    @Test
    void keyRotation() {
        TokenSigner first = vendor.signer;
        Vendor rotated = new Vendor(TokenSigner.generate("k2").alsoPublishing("k1", first.publicKey()));
        String newToken = rotated.lease("hw-1");
        assertThat(Forge.json(newToken, 0)).contains("\"kid\":\"k2\"");

        LicenseVerifier both = rotated.verifier("hw-1", local).build();
        assertThat(both.verify(token).status()).as("old token, old key still trusted").isEqualTo(Status.VALID);
        assertThat(both.verify(newToken).status()).isEqualTo(Status.VALID);

        LicenseVerifier oldRemoved = LicenseVerifier.builder().trust("k2", rotated.signer.publicKey())
                .product("cad").hardwareId("hw-1").clock(local).build();
        assertThat(oldRemoved.verify(token).status()).as("old token after the old key is removed").isEqualTo(Status.UNKNOWN_KEY);
        assertThat(oldRemoved.verify(newToken).status()).isEqualTo(Status.VALID);
        assertThat(verifier.verify(newToken).status()).as("a client that never learned k2").isEqualTo(Status.UNKNOWN_KEY);
    }

    @Test
    void signedButMalformedClaimsAreRefused() {
        String header = "{\"alg\":\"EdDSA\",\"kid\":\"k1\"}";
        String base = "\"product\":\"cad\",\"license_id\":1,\"hardware_id\":\"hw-1\",\"iat\":" + Vendor.START.getEpochSecond();
        for (String payload : List.of(
                "{\"kind\":\"lease\"," + base + ",\"kind\":\"lease\"}",           // duplicate key
                "{\"kind\":\"lease\"," + base + ",\"product\":\"cad\"}",          // duplicate key, same value
                "{\"kind\":\"lease\"," + base + ",\"exp\":1.5e9}",               // not an integer
                "{\"kind\":\"lease\"," + base + ",\"exp\":\"soon\"}",            // wrong type
                "{\"kind\":\"lease\"," + base + ",\"x\":{\"a\":1}}",              // nested
                "{\"kind\":\"lease\"," + base + ",\"x\":[1]}",                    // array
                "{\"kind\":\"lease\"," + base + ",\"x\":null}",                   // null
                "{\"kind\":\"lease\"," + base + ",\"exp\":0123}",                // leading zero
                "{\"kind\":\"lease\"," + base + ",\"exp\":99999999999999999999}", // out of range
                "{\"kind\":\"lease\"," + base + ",\"exp\":9000000000000000000}",  // beyond Instant
                "{\"kind\":\"lease\"," + base + "}x",                             // trailing
                "{\"kind\":\"lease\"," + base,                                    // unterminated
                "{\"kind\":\"coupon\"," + base + "}",                             // unknown kind
                "{" + base + "}",                                                 // no kind
                "{\"kind\":\"lease\",\"product\":\"cad\",\"hardware_id\":\"hw-1\",\"iat\":1}", // no license id
                "[]", "", "\"lease\"")) {
            assertThat(verifier.verify(Forge.signed(vendor.signer, header, payload)).status()).as(payload)
                    .isEqualTo(Status.MALFORMED);
        }
        String good = "{\"kind\":\"lease\"," + base + "}";
        assertThat(verifier.verify(Forge.signed(vendor.signer, header, good)).status()).isEqualTo(Status.VALID);
        for (String h : List.of("{\"alg\":\"EdDSA\",\"kid\":\"k1\",\"crit\":\"exp\"}", "{\"alg\":\"EdDSA\"}",
                "{\"alg\":\"EdDSA\",\"kid\":1}", "{\"alg\":\"EdDSA\",\"kid\":\"k1\",\"kid\":\"k1\"}",
                "{\"alg\":\"EdDSA\",\"kid\":\"k1\",\"typ\":\"JOSE+JSON\"}", "{\"alg\":\"EdDSA\",\"kid\":\"k1\",\"jku\":\"http://evil\"}")) {
            assertThat(verifier.verify(Forge.signed(vendor.signer, h, good)).status()).as(h).isEqualTo(Status.MALFORMED);
        }
    }

    @Test
    void nothingThrowsAndNothingOddIsValid() {
        for (String odd : new String[] {null, "", ".", "..", "...", "a.b.c", "\u0000", "é.é.é",
                "x".repeat(LicenseVerifier.MAX_TOKEN + 1), token.replace('.', ',')}) {
            Verification v = verifier.verify(odd);
            assertThat(v.status()).isEqualTo(Status.MALFORMED);
            assertThat(v.claims()).isNull();
        }
    }
}
