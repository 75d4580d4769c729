package dev.licensor.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clock-rollback guard: in memory, in its MAC'd state file, and against hand edits. */
class RollbackGuardTest {
    private static final byte[] KEY = "a product secret + hw-1".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final Vendor vendor = new Vendor();
    private final String token = vendor.licenseFile("hw-1"); // valid until June: only the clock decides
    private final TestClock local = new TestClock(Vendor.START);

    private LicenseVerifier withState(Path state) {
        return vendor.verifier("hw-1", local).stateFile(state, KEY).build();
    }

    @Test
    void aClockMovedBackPastTheToleranceIsTampered() {
        LicenseVerifier verifier = vendor.verifier("hw-1", local).build();
        local.advance(Duration.ofDays(10));
        assertThat(verifier.verify(token).status()).isEqualTo(Status.VALID);

        local.advance(Duration.ofMinutes(-1));
        assertThat(verifier.verify(token).status()).as("back by less than the tolerance").isEqualTo(Status.VALID);
        local.advance(Duration.ofMinutes(-2));
        Verification v = verifier.verify(token);
        assertThat(v.status()).as("back by more than the tolerance").isEqualTo(Status.CLOCK_TAMPERED);
        assertThat(v.claims()).isNotNull();
        local.advance(Duration.ofDays(-5));
        assertThat(verifier.verify(token).status()).isEqualTo(Status.CLOCK_TAMPERED);

        local.advance(Duration.ofDays(5).plusMinutes(3));
        assertThat(verifier.verify(token).status()).as("clock put right again").isEqualTo(Status.VALID);
    }

    @Test
    void aClockBeforeTheTokensIssueTimeIsTamperedEvenWithoutState() {
        local.set(Vendor.START.minus(Duration.ofMinutes(3)));
        assertThat(vendor.verifier("hw-1", local).build().verify(token).status()).isEqualTo(Status.CLOCK_TAMPERED);
        local.set(Vendor.START.minus(Duration.ofMinutes(1)));
        assertThat(vendor.verifier("hw-1", local).build().verify(token).status()).isEqualTo(Status.VALID);
    }

    @Test
    void aTokenWhoseIssueTimeIsTheLatestSeenMovesTheGuardForward() {
        LicenseVerifier verifier = vendor.verifier("hw-1", local).build();
        vendor.clock.advance(Duration.ofDays(30));
        String later = vendor.licensor.floating().check(Vendor.device("NODE", "hw-1")).token();
        local.advance(Duration.ofDays(30));
        assertThat(verifier.verify(later).status()).isEqualTo(Status.VALID);
        local.set(Vendor.START.plus(Duration.ofDays(1)));
        assertThat(verifier.verify(token).status()).as("the older token, with the clock before the newer one's issue")
                .isEqualTo(Status.CLOCK_TAMPERED);
    }

    @Test
    void theStateFileRemembersAcrossRestarts() throws Exception {
        Path state = dir.resolve("licensor.state");
        local.advance(Duration.ofDays(20));
        assertThat(withState(state).verify(token).status()).isEqualTo(Status.VALID);
        assertThat(Files.readString(state)).startsWith("licensor-verify-state 1\nlatest="
                + Vendor.START.plus(Duration.ofDays(20)).toEpochMilli() + "\nmac=");

        local.advance(Duration.ofDays(-10)); // the process restarts with the clock wound back
        assertThat(withState(state).verify(token).status()).isEqualTo(Status.CLOCK_TAMPERED);
        local.advance(Duration.ofDays(10));
        assertThat(withState(state).verify(token).status()).isEqualTo(Status.VALID);
    }

    @Test
    void aHandEditedStateFileIsDetected() throws Exception {
        Path state = dir.resolve("licensor.state");
        local.advance(Duration.ofDays(20));
        withState(state).verify(token);
        String original = Files.readString(state);
        long earlier = Vendor.START.toEpochMilli();

        Files.writeString(state, original.replaceFirst("latest=\\d+", "latest=" + earlier));
        assertThat(withState(state).verify(token).status()).as("time moved back by hand").isEqualTo(Status.CLOCK_TAMPERED);
        assertThat(withState(state).verify(token).detail()).contains("altered");

        for (String garbage : new String[] {"", "latest=1\n", original.replace("mac=", "mac=A"),
                original.replace("\n", "\r\n"), original + "extra\n", "x".repeat(10_000)}) {
            Files.writeString(state, garbage);
            assertThat(withState(state).verify(token).status()).as(garbage).isEqualTo(Status.CLOCK_TAMPERED);
        }

        Files.writeString(state, original);
        assertThat(LicenseVerifier.builder().trust("k1", vendor.signer.publicKey()).anyProduct().anyDevice().clock(local)
                .stateFile(state, "another key entirely".getBytes(StandardCharsets.UTF_8)).build()
                .verify(token).status()).as("a file MAC'd with another key").isEqualTo(Status.CLOCK_TAMPERED);
        assertThat(withState(state).verify(token).status()).as("the original, restored").isEqualTo(Status.VALID);
    }

    @Test
    void aDeletedStateFileStartsOverFromTheTokensIssueTime() throws Exception {
        Path state = dir.resolve("licensor.state");
        local.advance(Duration.ofDays(20));
        withState(state).verify(token);
        Files.delete(state);
        local.set(Vendor.START.plus(Duration.ofDays(1)));
        // Documented limit: deleting the file forgets the later time; the token's own iat still bounds it.
        assertThat(withState(state).verify(token).status()).isEqualTo(Status.VALID);
        local.set(Vendor.START.minus(Duration.ofDays(1)));
        assertThat(withState(state).verify(token).status()).isEqualTo(Status.CLOCK_TAMPERED);
    }

    @Test
    void aStateFileThatCannotBeWrittenIsNeverValid() throws Exception {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        Verification v = withState(notADir.resolve("licensor.state")).verify(token);
        assertThat(v.status()).isEqualTo(Status.CLOCK_TAMPERED);
        assertThat(v.detail()).contains("cannot");
    }

    @Test
    void stateIsWrittenOnlyForward() throws Exception {
        Path state = dir.resolve("licensor.state");
        LicenseVerifier verifier = withState(state);
        local.advance(Duration.ofDays(2));
        verifier.verify(token);
        String first = Files.readString(state);
        local.advance(Duration.ofMinutes(-1)); // within tolerance: valid, but the guard keeps the later time
        assertThat(verifier.verify(token).status()).isEqualTo(Status.VALID);
        assertThat(Files.readString(state)).isEqualTo(first);
        assertThat(Instant.ofEpochMilli(Long.parseLong(first.split("\n")[1].substring(7))))
                .isEqualTo(Vendor.START.plus(Duration.ofDays(2)));
    }
}
