package dev.licensor.examples.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.RSADigestSigner;

/**
 * Signs LicenseSpring answers: the {@code LicenseSignature} header is base64 of an RSA PKCS#1
 * v1.5 SHA-256 signature ({@code SHA256withRSA}) over the exact response body bytes. The key is
 * an RSA private key in a PKCS#8 PEM file ({@code --signing-key}); {@link #loadOrCreate} makes a
 * 2048-bit one on first start and writes the public key beside it as {@code <file>.pub.pem}
 * (X.509 SubjectPublicKeyInfo PEM), which the server also serves at
 * {@code GET /api/v4/signature_public_key}.
 *
 * <p>Speed: the key is a CRT key (RSA with the Chinese remainder theorem; without it the same
 * signature took 1.7–2.6× as long) and each thread keeps one initialised Bouncy Castle
 * {@link RSADigestSigner} (blinded, with its fault check), reused for every answer: the fastest
 * of the ways measured in {@code RsaSignatureBenchmark} (about 0.6× the time of a reused JDK
 * {@link Signature}; see {@code examples/README.md}). PKCS#1 v1.5 is deterministic, so the bytes
 * are exactly the JDK's {@code SHA256withRSA}.
 *
 * <p>Thread-safe: the key is immutable and every thread signs with its own signer.
 */
public final class ResponseSigner {
    /** The response header that carries the signature. */
    public static final String HEADER = "LicenseSignature";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    /** One initialised signer per thread: it is not thread-safe, and generateSignature() resets it. */
    private final ThreadLocal<RSADigestSigner> signers;
    private final boolean unsigned;

    private ResponseSigner(PrivateKey privateKey, PublicKey publicKey, boolean unsigned) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.signers = ThreadLocal.withInitial(this::initialised);
        this.unsigned = unsigned;
    }

    private ResponseSigner(PrivateKey privateKey, PublicKey publicKey) {
        this(privateKey, publicKey, false);
    }

    /** A signer for an RSA key pair; the private key must be a CRT key (as every generated one is). */
    public static ResponseSigner of(KeyPair pair) {
        if (!(pair.getPrivate() instanceof RSAPrivateCrtKey)) {
            throw new IllegalArgumentException("the response signing key must be an RSA CRT private key");
        }
        return new ResponseSigner(pair.getPrivate(), pair.getPublic());
    }

    /**
     * A signer that signs nothing: {@link #sign} answers null and answers go out without
     * {@value #HEADER}. Only for measuring what the signature costs ({@code LoadTest}); a real
     * server must sign, LicenseSpring clients check the header.
     */
    public static ResponseSigner unsigned() {
        ResponseSigner any = ephemeral();
        return new ResponseSigner(any.privateKey, any.publicKey, true);
    }

    /** A signer with a fresh 2048-bit key that lives only in memory. */
    public static ResponseSigner ephemeral() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return of(g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    /**
     * Reads the PKCS#8 PEM private key at {@code file}, or creates one there (owner-only where
     * the file system allows); either way (re)writes {@code <file>.pub.pem}. Servers starting at
     * once with the same absent file all end up with the one key the first of them wrote: the
     * key is written to a temporary file and linked into place only if no other got there first,
     * so nobody reads a half-written file.
     */
    public static ResponseSigner loadOrCreate(Path file) throws IOException {
        ResponseSigner signer;
        if (Files.exists(file)) {
            signer = read(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
        } else {
            signer = create(file);
        }
        Path pub = publicKeyFile(file);
        if (!Files.exists(pub) || !Files.readString(pub, StandardCharsets.US_ASCII).equals(signer.publicKeyPem())) {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".licensor-pub-", ".tmp");
            Files.writeString(tmp, signer.publicKeyPem(), StandardCharsets.US_ASCII);
            Files.move(tmp, pub, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return signer;
    }

    private static ResponseSigner create(Path file) throws IOException {
        ResponseSigner fresh = ephemeral();
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".licensor-key-", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the file keeps the folder's permissions.
            }
            Files.writeString(tmp, pem("PRIVATE KEY", fresh.privateKey.getEncoded()), StandardCharsets.US_ASCII,
                    StandardOpenOption.SYNC);
            try {
                Files.createLink(file, tmp); // atomic: fails if another server's key is there already
                return fresh;
            } catch (java.nio.file.FileAlreadyExistsException another) {
                return read(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
            } catch (UnsupportedOperationException noHardLinks) {
                Files.move(tmp, file); // not atomic against a racing server, but complete when seen
                return fresh;
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Where {@link #loadOrCreate} writes the public key for {@code privateKeyFile}. */
    public static Path publicKeyFile(Path privateKeyFile) {
        return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub.pem");
    }

    private static ResponseSigner read(String pem, String source) {
        String b64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey key = rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
            if (!(key instanceof RSAPrivateCrtKey crt)) {
                throw new IllegalArgumentException(source + ": the key has no public part (need a PKCS#8 RSA CRT key)");
            }
            PublicKey pub = rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new ResponseSigner(key, pub);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is not a PKCS#8 PEM RSA private key"
                    + " (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem)", e);
        }
    }

    /** True for the {@link #unsigned} signer, whose {@link #sign} answers null. */
    public boolean isUnsigned() {
        return unsigned;
    }

    /** Base64 of the signature over {@code body}; null for an {@link #unsigned} signer. */
    public String sign(byte[] body) {
        if (unsigned) {
            return null;
        }
        RSADigestSigner s = signers.get();
        try {
            s.update(body, 0, body.length);
            return Base64.getEncoder().encodeToString(s.generateSignature());
        } catch (CryptoException | RuntimeException e) {
            signers.remove(); // its state is unknown now: the next call starts a fresh one
            throw new IllegalStateException("SHA256withRSA signing failed", e);
        }
    }

    private RSADigestSigner initialised() {
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) privateKey;
        RSADigestSigner s = new RSADigestSigner(new SHA256Digest());
        s.init(true, new RSAPrivateCrtKeyParameters(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient()));
        return s;
    }

    /** The public key. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The public key as X.509 SubjectPublicKeyInfo PEM. */
    public String publicKeyPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    /** Parses a public key PEM as written by {@link #publicKeyPem()}. */
    public static PublicKey parsePublicKey(String pem) throws GeneralSecurityException {
        String b64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
