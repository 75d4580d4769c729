package dev.licensor.verify.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The clock-rollback guard's memory: the latest trusted time seen (token issue times and the
 * local clock at earlier checks), kept in memory and, when a file is named, in a three-line
 * text file whose last line is an HMAC-SHA256 of the first two under the host's key. A file
 * that does not verify is reported, never silently reset. A missing file starts from nothing.
 * Not API.
 *
 * <p>Thread-safe: synchronized. Several processes sharing one file each replace it atomically
 * with the later of what they read and what they saw; one may briefly overwrite another's later
 * time, never with a forged one.
 */
public final class RollbackGuard {
    private static final String MAGIC = "licensor-verify-state 1";
    private static final int MAX_FILE = 512;

    private final Path file;
    private final SecretKeySpec key;
    private long latestMillis = Long.MIN_VALUE;

    /** A guard in memory only ({@code file} null) or backed by {@code file} MAC'd with {@code macKey}. */
    public RollbackGuard(Path file, byte[] macKey) {
        this.file = file;
        this.key = file == null ? null : new SecretKeySpec(macKey.clone(), "HmacSHA256");
    }

    /** The guard's state could not be trusted: the file was altered, or cannot be read or written. */
    public static final class StateException extends Exception {
        public StateException(String message) {
            super(message);
        }
    }

    /**
     * The latest trusted time, merged with the file; {@code null} if nothing was seen yet.
     *
     * @throws StateException if the file is altered or unreadable
     */
    public synchronized Instant latest() throws StateException {
        load();
        return latestMillis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(latestMillis);
    }

    /**
     * Moves the latest trusted time forward to {@code seen} (never back) and persists it.
     *
     * @throws StateException if the file is altered, unreadable or cannot be written
     */
    public synchronized void advance(Instant seen) throws StateException {
        load();
        long millis = seen.toEpochMilli();
        if (millis <= latestMillis) {
            return;
        }
        latestMillis = millis;
        if (file != null) {
            store();
        }
    }

    private void load() throws StateException {
        if (file == null) {
            return;
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new StateException("state file is too large");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new StateException("state file cannot be read: " + e.getClass().getSimpleName());
        }
        String[] lines = new String(bytes, StandardCharsets.US_ASCII).split("\n", -1);
        if (lines.length != 4 || !lines[0].equals(MAGIC) || !lines[1].startsWith("latest=") || !lines[3].isEmpty()
                || !lines[2].startsWith("mac=")) {
            throw new StateException("state file is not a guard state");
        }
        byte[] expected = mac(lines[0] + "\n" + lines[1] + "\n");
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(lines[2].substring(4));
        } catch (IllegalArgumentException e) {
            throw new StateException("state file MAC is not base64url");
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw new StateException("state file was altered (MAC mismatch)");
        }
        long stored;
        try {
            stored = Long.parseLong(lines[1].substring(7));
        } catch (NumberFormatException e) {
            throw new StateException("state file time is not a number");
        }
        latestMillis = Math.max(latestMillis, stored);
    }

    private void store() throws StateException {
        String body = MAGIC + "\n" + "latest=" + latestMillis + "\n";
        String text = body + "mac=" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(body)) + "\n";
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.write(tmp, text.getBytes(StandardCharsets.US_ASCII));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new StateException("state file cannot be written: " + e.getClass().getSimpleName());
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }
}
