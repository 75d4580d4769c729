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

/**
 * Signs LicenseSpring answers: the {@code LicenseSignature} header is base64 of an RSA PKCS#1
 * v1.5 SHA-256 signature ({@code SHA256withRSA}) over the exact response body bytes. The key is
 * an RSA private key in a PKCS#8 PEM file ({@code --signing-key}); {@link #loadOrCreate} makes a
 * 2048-bit one on first start and writes the public key beside it as {@code <file>.pub.pem}
 * (X.509 SubjectPublicKeyInfo PEM), which the server also serves at
 * {@code GET /api/v4/signature_public_key}.
 *
 * <p>Immutable and thread-safe ({@link Signature} instances are made per call).
 */
public final class ResponseSigner {
    /** The response header that carries the signature. */
    public static final String HEADER = "LicenseSignature";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private ResponseSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    }

    /** A signer for an RSA key pair. */
    public static ResponseSigner of(KeyPair pair) {
        if (!"RSA".equals(pair.getPrivate().getAlgorithm())) {
            throw new IllegalArgumentException("the response signing key must be RSA");
        }
        return new ResponseSigner(pair.getPrivate(), pair.getPublic());
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

    /** Base64 of the signature over {@code body}. */
    public String sign(byte[] body) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(privateKey);
            s.update(body);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withRSA signing failed", e);
        }
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
