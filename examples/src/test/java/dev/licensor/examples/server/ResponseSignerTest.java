package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
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

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void threadsReusingTheirSignatureSignEachBodyExactlyAsAFreshInstance(@TempDir Path dir) throws Exception {
        ResponseSigner signer = ResponseSigner.loadOrCreate(dir.resolve("key.pem"));
        PrivateKey key = java.security.KeyFactory.getInstance("RSA").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
                Base64.getMimeDecoder().decode(Files.readString(dir.resolve("key.pem"))
                        .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""))));
        int threads = 4;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await(1, TimeUnit.MINUTES);
                    List<String> signatures = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        signatures.add(signer.sign(body(thread, i)));
                    }
                    return signatures;
                }));
            }
            for (int t = 0; t < threads; t++) {
                List<String> signatures = results.get(t).get(2, TimeUnit.MINUTES);
                for (int i = 0; i < perThread; i++) {
                    Signature fresh = Signature.getInstance("SHA256withRSA");
                    fresh.initSign(key);
                    fresh.update(body(t, i));
                    assertThat(signatures.get(i)).isEqualTo(Base64.getEncoder().encodeToString(fresh.sign()));
                    Signature check = Signature.getInstance("SHA256withRSA");
                    check.initVerify(signer.publicKey());
                    check.update(body(t, i));
                    assertThat(check.verify(Base64.getDecoder().decode(signatures.get(i)))).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnsignedSignerSignsNothing() {
        assertThat(ResponseSigner.unsigned().sign(body(0, 0))).isNull();
    }

    private static byte[] body(int thread, int i) {
        return ("{\"thread\":" + thread + ",\"i\":" + i + ",\"pad\":\"" + "x".repeat(i * 7) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
