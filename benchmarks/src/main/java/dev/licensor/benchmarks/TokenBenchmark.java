package dev.licensor.benchmarks;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.token.TokenSigner;
import dev.licensor.verify.LicenseVerifier;
import dev.licensor.verify.Status;
import dev.licensor.verify.Verification;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signed tokens beside their floor, the raw JDK Ed25519 operation on the same bytes, measured in
 * the same run ({@code run-tokens.sh} repeats the run so floor and token alternate):
 * <ul>
 *   <li>{@link #signFloor} vs {@link #signToken}: a pre-initialised {@link Signature} signing the
 *       token's signing input, vs building the claims JSON, encoding and signing;</li>
 *   <li>{@link #verifyFloor} vs {@link #verifyToken}: a pre-initialised {@link Signature}
 *       verifying, vs {@link LicenseVerifier#verify} (parse, key lookup, verify, claims, in-memory
 *       rollback guard);</li>
 *   <li>{@link #checkRefresh} with {@code signing} off and on: the whole check of a held seat on
 *       the memory store, with and without the lease token.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class TokenBenchmark {
    private static final Clock CLOCK = Clock.fixed(Fixture.NOW, ZoneOffset.UTC);

    final TokenSigner signer = TokenSigner.generate("bench");
    final Map<String, Object> claims = new LinkedHashMap<>();
    String token;
    byte[] signingInput;
    byte[] signature;
    LicenseVerifier verifier;

    @Setup(Level.Trial)
    public void setUp() {
        // A lease's claims, as the engine builds them.
        claims.put("kind", "lease");
        claims.put("product", "cad");
        claims.put("license_id", 123456L);
        claims.put("hardware_id", "3c:22:fb:9a:10:7e-workstation-42");
        claims.put("granted_at", Fixture.NOW.getEpochSecond());
        claims.put("iat", Fixture.NOW.getEpochSecond());
        claims.put("exp", Fixture.NOW.getEpochSecond() + 900);
        token = signer.sign(claims);
        signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        verifier = LicenseVerifier.builder().trust("bench", signer.publicKey()).product("cad")
                .hardwareId("3c:22:fb:9a:10:7e-workstation-42").clock(CLOCK).build();
        if (verifier.verify(token).status() != Status.VALID) {
            throw new IllegalStateException("the benchmark token does not verify");
        }
    }

    /** Raw JDK Ed25519 objects, one set per thread (a Signature is not thread-safe). */
    @State(Scope.Thread)
    public static class Raw {
        Signature signing;
        Signature verifying;
        byte[] signature;

        @Setup(Level.Trial)
        public void setUp(TokenBenchmark b) throws GeneralSecurityException {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            signing = Signature.getInstance("Ed25519");
            signing.initSign(pair.getPrivate());
            signing.update(b.signingInput);
            signature = signing.sign();
            verifying = Signature.getInstance("Ed25519");
            verifying.initVerify(pair.getPublic());
        }
    }

    @Benchmark
    public byte[] signFloor(Raw raw) throws GeneralSecurityException {
        raw.signing.update(signingInput);
        return raw.signing.sign();
    }

    @Benchmark
    public String signToken() {
        return signer.sign(claims);
    }

    @Benchmark
    public boolean verifyFloor(Raw raw) throws GeneralSecurityException {
        raw.verifying.update(signingInput);
        return raw.verifying.verify(raw.signature);
    }

    @Benchmark
    public Verification verifyToken() {
        return verifier.verify(token);
    }

    /** An engine on the memory store holding one seat per thread, with or without a signer. */
    @State(Scope.Benchmark)
    public static class Engine {
        @Param({"off", "on"})
        public String signing;

        Licensor licensor;
        int devices;

        @Setup(Level.Trial)
        public void setUp() {
            Licensor.Builder b = Licensor.builder().store(new MemoryLicenseStore()).clock(CLOCK);
            if (signing.equals("on")) {
                b.signer(TokenSigner.generate("bench"));
            }
            licensor = b.build();
            licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofHours(1), Duration.ofDays(7))).orElseThrow();
            licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(64).floatingSeats(64).build())
                    .orElseThrow();
        }

        @TearDown(Level.Iteration)
        public void prune() {
            Fixture.pruneLedger(licensor);
        }

        synchronized DeviceRequest newDevice() {
            DeviceRequest d = DeviceRequest.byKey("cad", "K", "device-" + devices++);
            licensor.floating().activate(d).orElseThrow();
            licensor.floating().check(d).orElseThrow();
            return d;
        }
    }

    /** The thread's device, holding its seat. */
    @State(Scope.Thread)
    public static class Device {
        DeviceRequest request;

        @Setup(Level.Trial)
        public void setUp(Engine engine) {
            request = engine.newDevice();
        }
    }

    @Benchmark
    public Outcome<LicenseCheck> checkRefresh(Engine engine, Device device) {
        Outcome<LicenseCheck> o = engine.licensor.floating().check(device.request);
        if (!o.isSuccess() || (engine.signing.equals("on") == (o.token() == null))) {
            throw new IllegalStateException(o.message());
        }
        return o;
    }
}
