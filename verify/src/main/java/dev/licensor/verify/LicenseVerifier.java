package dev.licensor.verify;

import dev.licensor.json.internal.FlatJson;
import dev.licensor.verify.internal.RollbackGuard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Verifies Licensor's signed tokens (leases and license files) offline, in the product a vendor
 * ships: signature and key id against the trusted Ed25519 keys, product, hardware id, not-before
 * and expiry against the local clock within a tolerance, and a clock-rollback guard.
 *
 * <pre>{@code
 * LicenseVerifier verifier = LicenseVerifier.builder()
 *         .trust("k1", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")  // JWK "x" from the vendor
 *         .product("cad").hardwareId(myHardwareId)      // or anyProduct() / anyDevice(), said explicitly
 *         .kinds(TokenKind.LEASE)                       // a floating product: seats only
 *         .stateFile(Path.of("licensor.state"), stateKey)
 *         .build();
 * Verification v = verifier.verify(token);
 * }</pre>
 *
 * <p>The rollback guard remembers the latest trusted time it has seen (issue times of verified
 * tokens and the local clock at earlier checks); a clock more than the tolerance before it answers
 * {@link Status#CLOCK_TAMPERED}, never valid. Named state file: MAC'd, so a hand edit is detected.
 *
 * <p>{@link #verify} never throws: every input gets a {@link Verification}. Thread-safe.
 */
public final class LicenseVerifier {
    /** Longest token accepted. */
    public static final int MAX_TOKEN = 16 * 1024;
    private static final Set<String> HEADER_KEYS = Set.of("alg", "typ", "kid");
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final Map<String, PublicKey> trusted;
    /** Ready-to-verify instances per key id, reused (a Signature is not thread-safe: one user at a time). */
    private final Map<String, Queue<Signature>> verifiers = new ConcurrentHashMap<>();
    private final String product;
    private final String hardwareId;
    private final Set<TokenKind> kinds;
    private final Duration tolerance;
    private final Clock clock;
    private final RollbackGuard guard;

    private LicenseVerifier(Builder b) {
        this.trusted = Map.copyOf(b.trusted);
        this.product = b.product;
        this.hardwareId = b.hardwareId;
        this.kinds = b.kinds != null ? Set.copyOf(b.kinds) : EnumSet.allOf(TokenKind.class);
        // Defaults go to the verifier only: the builder keeps saying what the caller set.
        this.tolerance = b.tolerance != null ? b.tolerance : Duration.ofMinutes(5);
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.guard = new RollbackGuard(b.stateFile, b.stateKey);
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Verifies {@code token}; never throws. */
    public Verification verify(String token) {
        try {
            return check(token);
        } catch (RuntimeException e) {
            // Defensive: every known bad input is answered above; nothing unchecked escapes.
            return Verification.refused(Status.MALFORMED, null, "unreadable token");
        }
    }

    private Verification check(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN) {
            return malformed("a token is 1 to " + MAX_TOKEN + " characters");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return malformed("a compact JWS has three parts");
        }
        byte[] headerJson = base64Url(parts[0]);
        byte[] payloadJson = base64Url(parts[1]);
        byte[] signatureBytes = base64Url(parts[2]);
        if (headerJson == null || payloadJson == null || signatureBytes == null) {
            return malformed("a part is not canonical base64url");
        }
        Map<String, Object> header;
        try {
            header = FlatJson.parse(headerJson);
        } catch (IllegalArgumentException e) {
            return malformed("header: " + e.getMessage());
        }
        if (!HEADER_KEYS.containsAll(header.keySet()) || !(header.get("kid") instanceof String kid)
                || (header.containsKey("typ") && !"JWT".equals(header.get("typ")))) {
            return malformed("header must hold alg, kid and optionally typ JWT");
        }
        if (!"EdDSA".equals(header.get("alg"))) {
            return Verification.refused(Status.BAD_SIGNATURE, null, "only alg EdDSA is accepted");
        }
        PublicKey key = trusted.get(kid);
        if (key == null) {
            return Verification.refused(Status.UNKNOWN_KEY, null, "key id " + kid + " is not trusted");
        }
        byte[] input = (parts[0] + '.' + parts[1]).getBytes(StandardCharsets.US_ASCII);
        if (signatureBytes.length != 64 || !ed25519Verifies(kid, key, input, signatureBytes)) {
            return Verification.refused(Status.BAD_SIGNATURE, null, "signature does not verify");
        }
        Claims claims;
        try {
            claims = claims(FlatJson.parse(payloadJson));
        } catch (IllegalArgumentException e) {
            return malformed("claims: " + e.getMessage());
        }
        return judge(claims);
    }

    /** The checks on signed claims: clock first (a tampered clock makes every other answer moot). */
    private Verification judge(Claims claims) {
        Instant now = clock.instant();
        Instant issued = claims.issuedAt();
        try {
            Instant latest = guard.latest();
            if (latest != null && now.plus(tolerance).isBefore(latest)) {
                return Verification.refused(Status.CLOCK_TAMPERED, claims, "clock is before " + latest + ", already seen");
            }
            if (now.plus(tolerance).isBefore(issued)) {
                guard.advance(issued);
                return Verification.refused(Status.CLOCK_TAMPERED, claims, "clock is before the token's issue time " + issued);
            }
            guard.advance(now.isAfter(issued) ? now : issued);
        } catch (RollbackGuard.StateException e) {
            return Verification.refused(Status.CLOCK_TAMPERED, claims, e.getMessage());
        }
        if (product != null && !product.equals(claims.product())) {
            return Verification.refused(Status.WRONG_PRODUCT, claims, "issued for product " + claims.product());
        }
        if (hardwareId != null && !hardwareId.equals(claims.hardwareId())) {
            return Verification.refused(Status.WRONG_DEVICE, claims, "issued to another device");
        }
        TokenKind kind = TokenKind.valueOf(claims.kind().toUpperCase(java.util.Locale.ROOT));
        if (!kinds.contains(kind)) {
            return Verification.refused(Status.WRONG_KIND, claims, "a " + kind.key() + " is not accepted here");
        }
        if (kind == TokenKind.LICENSE && claims.values().get("floating_seats") instanceof Long seats && seats > 0) {
            return Verification.refused(Status.WRONG_KIND, claims,
                    "a license file of a floating license grants nothing offline: a seat comes as a lease");
        }
        Instant nbf = claims.notBefore();
        if (nbf != null && now.plus(tolerance).isBefore(nbf)) {
            return Verification.refused(Status.NOT_YET_VALID, claims, "valid from " + nbf);
        }
        Instant exp = claims.expiresAt();
        if (exp != null && !now.minus(tolerance).isBefore(exp)) {
            return Verification.refused(Status.EXPIRED, claims, "expired at " + exp);
        }
        return new Verification(Status.VALID, claims, "");
    }

    /** The claims every token must have, with their types; anything else is kept as given. */
    private static Claims claims(Map<String, Object> c) {
        require(c, "kind", String.class);
        if (!c.get("kind").equals("lease") && !c.get("kind").equals("license")) {
            throw new IllegalArgumentException("kind must be lease or license");
        }
        require(c, "product", String.class);
        require(c, "license_id", Long.class);
        require(c, "hardware_id", String.class);
        require(c, "iat", Long.class);
        for (String time : new String[] {"nbf", "exp", "granted_at", "borrowed_until", "activated_at"}) {
            if (c.containsKey(time) && !(c.get(time) instanceof Long)) {
                throw new IllegalArgumentException(time + " must be an integer");
            }
        }
        for (String time : new String[] {"iat", "nbf", "exp"}) {
            // Instant holds about ±3e16 s; a larger NumericDate is malformed, not an overflow later.
            if (c.get(time) instanceof Long s && Math.abs(s) > 31_556_889_864_403_199L) {
                throw new IllegalArgumentException(time + " is out of range");
            }
        }
        return new Claims(c);
    }

    private static void require(Map<String, Object> c, String name, Class<?> type) {
        if (!type.isInstance(c.get(name))) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    private boolean ed25519Verifies(String kid, PublicKey key, byte[] input, byte[] signature) {
        Queue<Signature> pool = verifiers.computeIfAbsent(kid, k -> new ConcurrentLinkedQueue<>());
        try {
            Signature verifier = pool.poll();
            if (verifier == null) {
                verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
            }
            verifier.update(input);
            boolean ok = verifier.verify(signature);
            pool.offer(verifier); // verify() resets it for the same key, also when it answers false
            return ok;
        } catch (GeneralSecurityException e) {
            return false; // the instance is dropped, never reused in an unknown state
        }
    }

    /** Decoded base64url without padding, or null unless {@code s} is its one canonical encoding. */
    private static byte[] base64Url(String s) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(s);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(s) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Verification malformed(String detail) {
        return Verification.refused(Status.MALFORMED, null, detail);
    }

    /**
     * Configures a {@link LicenseVerifier}; at least one trusted key is required. Each option
     * (other than {@code trust}, once per key) may be set once. Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, PublicKey> trusted = new LinkedHashMap<>();
        private String product;
        private String hardwareId;
        private boolean anyProduct;
        private boolean anyDevice;
        private Set<TokenKind> kinds;
        private Duration tolerance;
        private Clock clock;
        private Path stateFile;
        private byte[] stateKey;

        private Builder() {
        }

        /** Trusts an Ed25519 public key under its key id; call once per key kept during rotation. */
        public Builder trust(String keyId, PublicKey key) {
            if (keyId == null || keyId.isEmpty() || key == null) {
                throw new IllegalArgumentException("key id and key are required");
            }
            byte[] der = key.getEncoded();
            if (der == null || der.length != 44 || !Arrays.equals(Arrays.copyOf(der, 12), SPKI_PREFIX)) {
                throw new IllegalArgumentException("not an Ed25519 public key");
            }
            if (trusted.putIfAbsent(keyId, key) != null) {
                throw new IllegalArgumentException("key id " + keyId + " is already trusted");
            }
            return this;
        }

        /** Trusts a raw Ed25519 public key given as base64url (a JWK's {@code x}, 32 bytes). */
        public Builder trust(String keyId, String base64UrlKey) {
            byte[] raw = base64UrlKey == null ? null : base64Url(base64UrlKey);
            if (raw == null || raw.length != 32) {
                throw new IllegalArgumentException("a raw Ed25519 key is 32 bytes of base64url");
            }
            byte[] der = Arrays.copyOf(SPKI_PREFIX, 44);
            System.arraycopy(raw, 0, der, 12, 32);
            try {
                return trust(keyId, KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("not an Ed25519 public key", e);
            }
        }

        /** The product every token must be for; this or {@link #anyProduct()} is required. */
        public Builder product(String value) {
            once(product, "product");
            if (anyProduct) {
                throw new IllegalArgumentException("anyProduct() was already set");
            }
            this.product = required(value, "product");
            return this;
        }

        /** Accepts tokens of every product of the trusted keys: said explicitly, never by default. */
        public Builder anyProduct() {
            if (anyProduct || product != null) {
                throw new IllegalArgumentException("product was already set");
            }
            this.anyProduct = true;
            return this;
        }

        /** This device's hardware id, which every token must be bound to; this or {@link #anyDevice()} is required. */
        public Builder hardwareId(String value) {
            once(hardwareId, "hardware id");
            if (anyDevice) {
                throw new IllegalArgumentException("anyDevice() was already set");
            }
            this.hardwareId = required(value, "hardware id");
            return this;
        }

        /** Accepts tokens bound to any device (e.g. a server-side check): said explicitly, never by default. */
        public Builder anyDevice() {
            if (anyDevice || hardwareId != null) {
                throw new IllegalArgumentException("hardware id was already set");
            }
            this.anyDevice = true;
            return this;
        }

        /**
         * The kinds of token the product accepts, e.g. only {@link TokenKind#LEASE} for a product
         * sold as floating seats; default both. Another kind answers {@link Status#WRONG_KIND}.
         */
        public Builder kinds(TokenKind first, TokenKind... more) {
            once(kinds, "kinds");
            if (first == null || more == null || Arrays.asList(more).contains(null)) {
                throw new IllegalArgumentException("kinds are required");
            }
            this.kinds = EnumSet.of(first, more);
            return this;
        }

        /** Allowed clock difference for not-before, expiry and rollback; default 5 minutes, at most a day. */
        public Builder tolerance(Duration value) {
            once(tolerance, "tolerance");
            if (value == null || value.isNegative() || value.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("tolerance must be 0 to 1 day");
            }
            this.tolerance = value;
            return this;
        }

        /** The local clock; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock value) {
            once(clock, "clock");
            this.clock = required(value, "clock");
            return this;
        }

        /**
         * Keeps the rollback guard's latest trusted time in {@code file}, MAC'd with {@code macKey}
         * (at least 16 bytes; e.g. derived from a secret in the product and the hardware id).
         * Without it the guard lives in memory, for this verifier only.
         */
        public Builder stateFile(Path file, byte[] macKey) {
            once(stateFile, "state file");
            if (file == null || macKey == null || macKey.length < 16) {
                throw new IllegalArgumentException("a state file and a key of at least 16 bytes are required");
            }
            this.stateFile = file;
            this.stateKey = macKey.clone();
            return this;
        }

        /** The verifier. */
        public LicenseVerifier build() {
            if (trusted.isEmpty()) {
                throw new IllegalArgumentException("trust at least one key");
            }
            if (product == null && !anyProduct) {
                throw new IllegalArgumentException("set product(...), or anyProduct() to accept every product");
            }
            if (hardwareId == null && !anyDevice) {
                throw new IllegalArgumentException("set hardwareId(...), or anyDevice() to accept every device");
            }
            return new LicenseVerifier(this);
        }

        private static void once(Object current, String name) {
            if (current != null) {
                throw new IllegalArgumentException(name + " was already set");
            }
        }

        private static <T> T required(T value, String name) {
            if (value == null || (value instanceof String s && s.isEmpty())) {
                throw new IllegalArgumentException(name + " is required");
            }
            return value;
        }
    }
}
