package dev.licensor.token;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;

/**
 * The engine's Ed25519 signing key with its key id, plus the public keys still published for
 * tokens signed by earlier keys (rotation). Give it to {@code Licensor.builder().signer(…)}:
 * the engine then signs the outcomes of check, borrow and activate (compact JWS,
 * {@code alg: EdDSA}, the key id in the {@code kid} header).
 *
 * <p>Rotation: start signing with a new key and keep publishing the old public key
 * ({@link #alsoPublishing}) while tokens it signed may still be in use; clients trust every key
 * of {@link #jwks()}. Ed25519 comes from the JDK (15+); no native code. A faster implementation
 * of the same signature plugs in with {@link #signingWith} (e.g. {@code licensor-token-bc}): the
 * tokens are byte-identical either way.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenSigner {
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw 32-byte key follows. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final String keyId;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final Map<String, PublicKey> published;
    /** The raw signature: the JDK's pooled instances below unless {@link #signingWith} replaced it. */
    private final Ed25519Signing raw;
    /**
     * Ready-to-sign instances, reused: initSign derives the public point (a scalar multiplication),
     * which would otherwise double the cost of each token. A Signature is not thread-safe, so
     * each call takes one out; the queue holds at most as many as ever ran at once.
     */
    private final Queue<Signature> signatures = new ConcurrentLinkedQueue<>();

    private TokenSigner(String keyId, PrivateKey privateKey, PublicKey publicKey, Map<String, PublicKey> published,
                        Ed25519Signing raw) {
        this.keyId = keyId;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.published = Collections.unmodifiableMap(published);
        this.raw = raw != null ? raw : this::ed25519;
    }

    /** A signer with a fresh key pair (e.g. for tests; a vendor keeps its key: {@link #fromEncoded}). */
    public static TokenSigner generate(String keyId) {
        try {
            return of(keyId, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /**
     * A signer of an Ed25519 key pair.
     *
     * @throws LicensingException {@code invalid_request} for a bad key id, a key that is not
     *                            Ed25519 or a public key that does not match the private one
     */
    public static TokenSigner of(String keyId, KeyPair pair) {
        checkKeyId(keyId);
        if (pair == null || pair.getPrivate() == null) {
            throw invalid("an Ed25519 key pair is required");
        }
        rawKey(pair.getPublic());
        byte[] probe = "licensor-probe".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(pair.getPublic());
            verifier.update(probe);
            if (!verifier.verify(Jws.ed25519(Jws.signing(pair.getPrivate()), probe))) {
                throw invalid("the public key does not match the private key");
            }
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw invalid("the private key is not an Ed25519 key");
        }
        Map<String, PublicKey> published = new LinkedHashMap<>();
        published.put(keyId, pair.getPublic());
        return new TokenSigner(keyId, pair.getPrivate(), pair.getPublic(), published, null);
    }

    /** A signer of a stored key pair: PKCS#8 private key and X.509 public key, DER bytes. */
    public static TokenSigner fromEncoded(String keyId, byte[] pkcs8PrivateKey, byte[] x509PublicKey) {
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            return of(keyId, new KeyPair(factory.generatePublic(new X509EncodedKeySpec(x509PublicKey)),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8PrivateKey))));
        } catch (GeneralSecurityException | NullPointerException e) {
            throw invalid("not an encoded Ed25519 key pair");
        }
    }

    /** This signer, also publishing {@code retired} under {@code retiredKeyId} (key rotation). */
    public TokenSigner alsoPublishing(String retiredKeyId, PublicKey retired) {
        checkKeyId(retiredKeyId);
        rawKey(retired);
        if (published.containsKey(retiredKeyId)) {
            throw invalid("key id " + retiredKeyId + " is already published");
        }
        Map<String, PublicKey> more = new LinkedHashMap<>(published);
        more.put(retiredKeyId, retired);
        return new TokenSigner(keyId, privateKey, publicKey, more, raw); // keeps a replaced implementation
    }

    /**
     * This signer with its Ed25519 signature computed by {@code implementation} instead of the
     * JDK: same key, key ids and published keys, byte-identical tokens. The implementation is
     * proven once here: its signature of a probe must equal the JDK's, byte for byte (Ed25519 is
     * deterministic), so one bound to another key or computing anything else is refused.
     *
     * @throws LicensingException {@code invalid_request} when {@code implementation} is null,
     *                            throws, or answers other bytes than the JDK for this key
     */
    public TokenSigner signingWith(Ed25519Signing implementation) {
        if (implementation == null) {
            throw invalid("an Ed25519 implementation is required");
        }
        byte[] probe = "licensor-probe signingWith".getBytes(StandardCharsets.US_ASCII);
        byte[] theirs;
        try {
            theirs = implementation.sign(probe.clone());
        } catch (RuntimeException e) {
            throw invalid("the Ed25519 implementation failed on a probe: " + e);
        }
        if (!Arrays.equals(theirs, ed25519(probe))) {
            throw invalid("the Ed25519 implementation does not sign like this key");
        }
        return new TokenSigner(keyId, privateKey, publicKey, new LinkedHashMap<>(published), implementation);
    }

    /** The id of the signing key, sent in every token's {@code kid} header. */
    public String keyId() {
        return keyId;
    }

    /** The signing key's public half. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The private key, PKCS#8 DER: store it as a secret. */
    public byte[] privateKeyPkcs8() {
        return privateKey.getEncoded();
    }

    /** Every published public key by key id, the signing key first; unmodifiable. */
    public Map<String, PublicKey> publishedKeys() {
        return published;
    }

    /**
     * The published keys as a JWK Set (RFC 7517, RFC 8037: {@code kty OKP}, {@code crv Ed25519}),
     * for a client that fetches its trusted keys once, online.
     */
    public String jwks() {
        StringBuilder out = new StringBuilder("{\"keys\":[");
        String sep = "";
        for (Map.Entry<String, PublicKey> e : published.entrySet()) {
            out.append(sep).append("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"use\":\"sig\",\"alg\":\"EdDSA\",\"kid\":\"")
                    .append(e.getKey()).append("\",\"x\":\"").append(Jws.base64Url(rawKey(e.getValue()))).append("\"}");
            sep = ",";
        }
        return out.append("]}").toString();
    }

    /**
     * Signs a flat claims object (values String, Long, Integer or Boolean) as a compact JWS.
     * The engine calls this; a vendor may sign claims of its own with the same key.
     */
    public String sign(Map<String, ?> claims) {
        Objects.requireNonNull(claims, "claims");
        return Jws.sign(keyId, raw::sign, claims);
    }

    private byte[] ed25519(byte[] data) {
        Signature signing = signatures.poll();
        if (signing == null) {
            signing = Jws.signing(privateKey);
        }
        byte[] signature = Jws.ed25519(signing, data);
        signatures.offer(signing); // only after a complete sign: the instance is clean again
        return signature;
    }

    /** The raw 32-byte Ed25519 public key (the JWK {@code x}) of an X.509-encoded one. */
    static byte[] rawKey(PublicKey key) {
        byte[] der = key == null ? null : key.getEncoded();
        if (der == null || der.length != SPKI_PREFIX.length + 32
                || !Arrays.equals(Arrays.copyOf(der, SPKI_PREFIX.length), SPKI_PREFIX)) {
            throw invalid("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
    }

    private static void checkKeyId(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw invalid("a key id is 1 to 64 letters, digits, '.', '_' or '-'");
        }
    }

    private static LicensingException invalid(String message) {
        return new LicensingException(Code.INVALID_REQUEST, message);
    }
}
