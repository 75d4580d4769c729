package dev.licensor.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.token.TokenSigner;
import dev.licensor.json.internal.FlatJson;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.jose4j.jws.JsonWebSignature;

/** Properties over random claims and random corruptions of the tokens they make. */
class VerifyPropertiesTest {
    private static final TokenSigner SIGNER = TokenSigner.generate("prop");
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private static LicenseVerifier verifier(String product, String hardwareId) {
        return LicenseVerifier.builder().trust("prop", SIGNER.publicKey()).product(product).hardwareId(hardwareId)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    /** Any strings (BMP, surrogates, controls), ids and times around now, plus random extra claims. */
    @Provide
    Arbitrary<Map<String, Object>> claims() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40);
        Arbitrary<Object> extra = Arbitraries.oneOf(text.map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l), Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<Map<String, Object>> extras = Arbitraries.maps(Arbitraries.strings().alpha().ofLength(6).map(s -> "x_" + s), extra)
                .ofMaxSize(5);
        return Combinators.combine(Arbitraries.of("lease", "license"), text, Arbitraries.longs().greaterOrEqual(1), text,
                        Arbitraries.longs().between(-86_400, 120), Arbitraries.longs().between(600, 86_400 * 400L), extras)
                .as((kind, product, id, hw, iatOffset, expOffset, more) -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("kind", kind);
                    c.put("product", product);
                    c.put("license_id", id);
                    c.put("hardware_id", hw);
                    c.put("iat", NOW.getEpochSecond() + iatOffset);
                    c.put("exp", NOW.getEpochSecond() + expOffset);
                    c.putAll(more);
                    return c;
                });
    }

    @Property(tries = 200)
    void everySignedTokenVerifiesHereAndInJose4j(@ForAll("claims") Map<String, Object> claims) throws Exception {
        String token = SIGNER.sign(claims);
        Verification v = verifier((String) claims.get("product"), (String) claims.get("hardware_id")).verify(token);
        assertThat(v.status()).isEqualTo(Status.VALID);
        assertThat(v.claims().values()).isEqualTo(claims);

        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        jws.setKey(SIGNER.publicKey());
        assertThat(jws.verifySignature()).isTrue();
    }

    @Property(tries = 300)
    void everyCorruptionIsRefusedWithoutThrowing(@ForAll("claims") Map<String, Object> claims,
                                                 @ForAll @IntRange(min = 0, max = 4) int operation,
                                                 @ForAll @IntRange(min = 0, max = 10_000) int where,
                                                 @ForAll @StringLength(min = 1, max = 3) String junk) {
        String token = SIGNER.sign(claims);
        int i = where % token.length();
        String corrupted = switch (operation) {
            case 0 -> token.substring(0, i) + junk + token.substring(i + 1);          // replace
            case 1 -> token.substring(0, i) + token.substring(Math.min(token.length(), i + junk.length())); // delete
            case 2 -> token.substring(0, i) + junk + token.substring(i);              // insert
            case 3 -> token.substring(0, i);                                          // truncate
            default -> {                                                              // swap two chars
                int j = (i * 7 + 3) % token.length();
                char[] cs = token.toCharArray();
                char t = cs[i];
                cs[i] = cs[j];
                cs[j] = t;
                yield new String(cs);
            }
        };
        Verification v = verifier((String) claims.get("product"), (String) claims.get("hardware_id")).verify(corrupted);
        if (corrupted.equals(token)) {
            assertThat(v.status()).isEqualTo(Status.VALID);
        } else {
            assertThat(v.status()).as(corrupted).isNotEqualTo(Status.VALID);
        }
    }

    @Property(tries = 500)
    void randomTextIsNeverValidAndNeverThrows(@ForAll @StringLength(max = 300) String text) {
        Verification v = verifier("p", "h").verify(text);
        assertThat(v.status()).isNotEqualTo(Status.VALID);
        assertThat(v.status()).isIn(Status.MALFORMED, Status.BAD_SIGNATURE, Status.UNKNOWN_KEY);
    }

    @Property(tries = 500)
    void flatJsonRoundTripsAndRejectsOnlyWithItsOwnException(@ForAll("claims") Map<String, Object> claims,
                                                             @ForAll byte[] noise) {
        assertThat(FlatJson.parse(FlatJson.writeBytes(claims))).isEqualTo(claims);
        try {
            FlatJson.parse(noise);
        } catch (IllegalArgumentException expected) {
            // the one refusal it may answer
        }
    }
}
