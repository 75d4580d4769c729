package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The response signing key file that servers sharing a database share. */
class ResponseSignerTest {

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void serversCreatingTheSameAbsentKeyFileAtOnceAllGetTheOneKeyWritten(@TempDir Path dir) throws Exception {
        int servers = 6;
        ExecutorService threads = Executors.newFixedThreadPool(servers);
        try {
            for (int round = 0; round < 5; round++) {
                Path file = dir.resolve("key-" + round + ".pem");
                CyclicBarrier start = new CyclicBarrier(servers);
                List<Future<ResponseSigner>> loads = new ArrayList<>();
                for (int s = 0; s < servers; s++) {
                    loads.add(threads.submit(() -> {
                        start.await(1, TimeUnit.MINUTES);
                        return ResponseSigner.loadOrCreate(file);
                    }));
                }
                ResponseSigner onDisk = ResponseSigner.loadOrCreate(file);
                for (Future<ResponseSigner> load : loads) {
                    assertThat(load.get(1, TimeUnit.MINUTES).publicKeyPem()).isEqualTo(onDisk.publicKeyPem());
                }
                assertThat(Files.readString(ResponseSigner.publicKeyFile(file))).isEqualTo(onDisk.publicKeyPem());
            }
            // No temporary files are left beside the key.
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.matches("key-\\d\\.pem(\\.pub\\.pem)?"));
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
