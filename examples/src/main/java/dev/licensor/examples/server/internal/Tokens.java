package dev.licensor.examples.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * The secret tokens one API accepts. A candidate is compared with every token in constant time,
 * so neither the time taken nor an early exit tells a caller how close a guess came.
 *
 * <p>Immutable and thread-safe.
 */
final class Tokens {
    private final List<byte[]> tokens;

    Tokens(Set<String> tokens) {
        this.tokens = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** True if {@code candidate} is one of the tokens. */
    boolean accepts(String candidate) {
        byte[] given = candidate.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] t : tokens) {
            ok |= MessageDigest.isEqual(t, given);
        }
        return ok;
    }
}
