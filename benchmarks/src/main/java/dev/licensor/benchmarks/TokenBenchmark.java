package dev.licensor.benchmarks;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Outcome;
import dev.licensor.store.memory.MemoryLicenseStore;
import dev.licensor.token.TokenSigner;
import dev.licensor.token.bc.BouncyCastleEd25519;
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
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
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
 * Signed tokens beside their floors, the raw Ed25519 operations on the same bytes, measured in
 * the same run ({@code run-tokens.sh} repeats the run so floors and figures alternate):
 * <ul>
 *   <li>floors: {@link #bcSignFloor} and {@link #bcVerifyFloor} (Bouncy Castle's lightweight
 *       Ed25519, the fastest measured), with the JDK's {@link #jdkSignFloor} and
 *       {@link #jdkVerifyFloor} beside them (ready {@link Signature} objects);</li>
 *   <li>{@link #signTokenBc} and {@link #signTokenJdk}: {@link TokenSigner#sign} (claims JSON,
 *       base64url, signature) with either implementation;</li>
 *   <li>{@link #verifyToken}: {@link LicenseVerifier#verify} (JDK only: parse, key lookup,
 *       signature, claims, in-memory rollback guard);</li>
 *   <li>{@link #checkRefresh}: the whole check of a held seat on the memory store, signing off,
 *       on with the JDK, on with Bouncy Castle; the engine's clock moves {@code step} per check
 *       (5 s: a device refreshing every 5 s, the lease token reused per the rule in
 *       docs/offline.md; 305 s: past the reuse window, so every check signs).</li>
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
    /** Signatures made before a signed check is measured (see {@link Engine#setUp}). */
    static final int WARM_SIGNATURES = 3_000;

    final TokenSigner jdk = TokenSigner.generate("bench");
    final TokenSigner bc = BouncyCastleEd25519.fast(jdk);
    final Map<String, Object> claims = new LinkedHashMap<>();
    String token;
    byte[] signingInput;
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
        token = jdk.sign(claims);
        if (!bc.sign(claims).equals(token)) {
            throw new IllegalStateException("Bouncy Castle and the JDK sign differently");
        }
        signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        verifier = LicenseVerifier.builder().trust("bench", jdk.publicKey()).product("cad")
                .hardwareId("3c:22:fb:9a:10:7e-workstation-42").clock(CLOCK).build();
        if (verifier.verify(token).status() != Status.VALID) {
            throw new IllegalStateException("the benchmark token does not verify");
        }
    }

    /** Raw Ed25519, one set per thread (a JDK Signature is not thread-safe). */
    @State(Scope.Thread)
    public static class Raw {
        Signature jdkSigning;
        Signature jdkVerifying;
        Ed25519PrivateKeyParameters bcPrivate;
        Ed25519PublicKeyParameters bcPublic;
        byte[] signature;

        @Setup(Level.Trial)
        public void setUp(TokenBenchmark b) throws GeneralSecurityException {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            jdkSigning = Signature.getInstance("Ed25519");
            jdkSigning.initSign(pair.getPrivate());
            jdkSigning.update(b.signingInput);
            signature = jdkSigning.sign();
            jdkVerifying = Signature.getInstance("Ed25519");
            jdkVerifying.initVerify(pair.getPublic());
            bcPrivate = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
            bcPublic = bcPrivate.generatePublicKey(); // also cached inside bcPrivate
        }
    }

    @Benchmark
    public byte[] jdkSignFloor(Raw raw) throws GeneralSecurityException {
        raw.jdkSigning.update(signingInput);
        return raw.jdkSigning.sign();
    }

    @Benchmark
    public boolean jdkVerifyFloor(Raw raw) throws GeneralSecurityException {
        raw.jdkVerifying.update(signingInput);
        return raw.jdkVerifying.verify(raw.signature);
    }

    @Benchmark
    public byte[] bcSignFloor(Raw raw) {
        byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
        raw.bcPrivate.sign(Ed25519.Algorithm.Ed25519, null, signingInput, 0, signingInput.length, signature, 0);
        return signature;
    }

    @Benchmark
    public boolean bcVerifyFloor(Raw raw) {
        return raw.bcPublic.verify(Ed25519.Algorithm.Ed25519, null, signingInput, 0, signingInput.length, raw.signature, 0);
    }

    @Benchmark
    public String signTokenJdk() {
        return jdk.sign(claims);
    }

    @Benchmark
    public String signTokenBc() {
        return bc.sign(claims);
    }

    @Benchmark
    public Verification verifyToken() {
        return verifier.verify(token);
    }

    /**
     * A clock the benchmark moves: the engine reads only this. Not licensor-test's MutableClock:
     * advancing by a long allocates nothing on the measured path.
     */
    static final class StepClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Fixture.NOW.toEpochMilli());

        Instant advance(long stepMillis) {
            return Instant.ofEpochMilli(millis.addAndGet(stepMillis));
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** An engine on the memory store holding one seat per thread, with or without a signer. */
    @State(Scope.Benchmark)
    public static class Engine {
        @Param({"off", "jdk", "bc"})
        public String signing;
        /** How far the engine's clock moves per check. */
        @Param({"5s", "305s"})
        public String step;

        final StepClock clock = new StepClock();
        long stepMillis;
        Licensor licensor;
        int devices;

        @Setup(Level.Trial)
        public void setUp() {
            stepMillis = Duration.parse("PT" + step.toUpperCase(java.util.Locale.ROOT)).toMillis();
            Licensor.Builder b = Licensor.builder().store(new MemoryLicenseStore()).clock(clock);
            TokenSigner signer = switch (signing) {
                case "jdk" -> TokenSigner.generate("bench");
                case "bc" -> BouncyCastleEd25519.fast(TokenSigner.generate("bench"));
                default -> null;
            };
            if (signer != null) {
                b.signer(signer);
                // A server signs for many devices, so its signature code is hot; here one device
                // signs once per 61 checks at a 5 s step, which under load leaves that code
                // interpreted through the warm-up. Sign first, as the server would have.
                Map<String, Object> warm = Map.of("kind", "lease", "iat", 1L);
                for (int i = 0; i < WARM_SIGNATURES; i++) {
                    signer.sign(warm);
                }
            }
            licensor = b.build();
            // A 10-minute refresh timeout: a 5 s step reuses a token for 61 checks, a 305 s step never.
            licensor.catalog().defineProduct(new Product("cad", "CAD", Duration.ofMinutes(10), Duration.ofDays(7))).orElseThrow();
            licensor.catalog().createLicense(License.builder("cad").key("K").maxActivations(64).floatingSeats(64).build())
                    .orElseThrow();
        }

        @TearDown(Level.Iteration)
        public void prune() {
            // Each refresh appends a ledger entry: drop this iteration's so the next does not pay for them.
            while (licensor.ledger().pruneBefore(clock.instant(), 50_000) > 0) {
                // until none is left
            }
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
        engine.clock.advance(engine.stepMillis);
        Outcome<LicenseCheck> o = engine.licensor.floating().check(device.request);
        if (!o.isSuccess() || (engine.signing.equals("off") != (o.token() == null))) {
            throw new IllegalStateException(o.message());
        }
        return o;
    }
}
