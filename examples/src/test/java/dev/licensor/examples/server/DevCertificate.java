package dev.licensor.examples.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A development certificate made exactly as examples/README.md shows: {@code keytool
 * -genkeypair} into a PKCS#12 keystore, for {@code localhost} and {@code 127.0.0.1}; and a
 * client {@link SSLContext} that trusts only that certificate (no trust-all shortcut).
 */
final class DevCertificate {
    static final char[] PASSWORD = "changeit-dev".toCharArray();

    final Path keystore;
    final SSLContext clientContext;

    private DevCertificate(Path keystore, SSLContext clientContext) {
        this.keystore = keystore;
        this.clientContext = clientContext;
    }

    /** Runs keytool (from this JDK) to make {@code dir/licensor-dev.p12}. */
    static DevCertificate create(Path dir) throws Exception {
        Path p12 = dir.resolve("licensor-dev.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "licensor", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "30", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, PASSWORD);
        }
        Certificate cert = ks.getCertificate("licensor");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("licensor", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return new DevCertificate(p12, ctx);
    }
}
