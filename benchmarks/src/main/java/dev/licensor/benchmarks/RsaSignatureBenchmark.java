package dev.licensor.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPrivateKeySpec;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The example server's LicenseSpring {@code LicenseSignature}: RSA-2048 PKCS#1 v1.5 SHA-256 over a
 * typical {@code check_license} answer body, each way the JDK or Bouncy Castle offers it, so the
 * server uses the fastest correct one ({@code ResponseSigner}):
 * <ul>
 *   <li>{@link #jdkPerCall}: {@code Signature.getInstance} + {@code initSign} per answer (the
 *       server before, CRT key);</li>
 *   <li>{@link #jdkReused}: one initialised {@link Signature} per thread, CRT key;</li>
 *   <li>{@link #jdkNoCrt}: the same with a private key of modulus and exponent only (no CRT);</li>
 *   <li>{@link #bcReused}: Bouncy Castle's {@link RSADigestSigner} per thread, CRT key, blinded.</li>
 * </ul>
 * Setup checks that all four produce the same signature bytes (PKCS#1 v1.5 is deterministic).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class RsaSignatureBenchmark {
    final byte[] body = ("{\"id\":1000004,\"license_type\":\"perpetual\",\"is_trial\":false,\"is_floating\":true,"
            + "\"floating_users\":5,\"floating_timeout\":30,\"license_active\":true,\"license_enabled\":true,"
            + "\"is_expired\":false,\"validity_period\":null,\"max_activations\":64,\"times_activated\":12,"
            + "\"product_details\":{\"product_id\":1,\"product_name\":\"Load\",\"short_code\":\"load\"},"
            + "\"license_key\":\"LOAD-KEY\",\"hardware_id\":\"dev-42\",\"floating_in_use_devices\":3,"
            + "\"license_signature\":\"\",\"license_token\":null}").getBytes(StandardCharsets.UTF_8);
    RSAPrivateCrtKey crt;
    PrivateKey noCrt;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        crt = (RSAPrivateCrtKey) pair.getPrivate();
        noCrt = KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateKeySpec(crt.getModulus(), crt.getPrivateExponent()));
        byte[] reference = jdkPerCall();
        PerThread t = new PerThread();
        t.setUp(this);
        if (!Arrays.equals(reference, jdkReused(t)) || !Arrays.equals(reference, jdkNoCrt(t))
                || !Arrays.equals(reference, bcReused(t))) {
            throw new IllegalStateException("the RSA implementations disagree");
        }
    }

    /** Ready signers, one set per thread (neither kind is thread-safe). */
    @State(Scope.Thread)
    public static class PerThread {
        Signature jdk;
        Signature jdkNoCrt;
        RSADigestSigner bc;

        @Setup(Level.Trial)
        public void setUp(RsaSignatureBenchmark b) throws GeneralSecurityException {
            jdk = Signature.getInstance("SHA256withRSA");
            jdk.initSign(b.crt);
            jdkNoCrt = Signature.getInstance("SHA256withRSA");
            jdkNoCrt.initSign(b.noCrt);
            bc = new RSADigestSigner(new SHA256Digest());
            bc.init(true, new RSAPrivateCrtKeyParameters(b.crt.getModulus(), b.crt.getPublicExponent(),
                    b.crt.getPrivateExponent(), b.crt.getPrimeP(), b.crt.getPrimeQ(), b.crt.getPrimeExponentP(),
                    b.crt.getPrimeExponentQ(), b.crt.getCrtCoefficient()));
        }
    }

    @Benchmark
    public byte[] jdkPerCall() throws GeneralSecurityException {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(crt);
        s.update(body);
        return s.sign();
    }

    @Benchmark
    public byte[] jdkReused(PerThread t) throws GeneralSecurityException {
        t.jdk.update(body);
        return t.jdk.sign();
    }

    @Benchmark
    public byte[] jdkNoCrt(PerThread t) throws GeneralSecurityException {
        t.jdkNoCrt.update(body);
        return t.jdkNoCrt.sign();
    }

    @Benchmark
    public byte[] bcReused(PerThread t) throws CryptoException {
        t.bc.update(body, 0, body.length);
        return t.bc.generateSignature();
    }
}
