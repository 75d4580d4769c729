package dev.licensor.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server's call deadline: a request stuck in the engine (the store busy with another unit)
 * or queued behind busy workers is answered 503 {@code service_unavailable} at its deadline,
 * never with a success later; a request whose deadline passed in the queue is never started.
 */
class CallDeadlineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(1);
    private static final int THREADS = 8;
    private static final String CHECK = "/api/v4/check_license?product=cad-pro&license_key=CADPRO-FLOAT-5SEAT&hardware_id=ws-0001";

    @RegisterExtension
    final ServerFixture f = new ServerFixture(LicenseServer.DEFAULT_COMMVAULT_ROOT, null,
            b -> b.callDeadline(DEADLINE).threads(THREADS));

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void requestsStuckInTheEngineOrTheQueueAreAnswered503AtTheirDeadline() throws Exception {
        long entriesBefore = f.licensor.ledger().after(0, 10_000).size();
        // Another unit holds the whole store (a real unit of the memory store, waiting on a latch).
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> blocker = CompletableFuture.runAsync(() -> f.store.read(tx -> {
            holding.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        // Twice as many requests as workers: some wait in the engine, the rest in Jetty's queue.
        int requests = 2 * THREADS;
        List<CompletableFuture<long[]>> timed = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            CompletableFuture<HttpResponse<String>> answer = f.http.sendAsync(
                    f.signed(CHECK).timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
            answers.add(answer);
            timed.add(answer.thenApply(r -> new long[] {System.nanoTime() - start}));
        }
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = answers.get(i).get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.body()).contains("service_unavailable").contains("call deadline of 1000 ms");
            // Answered at the deadline, not when the store frees up (the 2 s allow for a loaded machine).
            assertThat(Duration.ofNanos(timed.get(i).get()[0])).isLessThan(DEADLINE.plusSeconds(2));
        }
        release.countDown();
        blocker.get(30, TimeUnit.SECONDS);

        // The calls that had reached the engine go on once the store frees up (each is a refresh of
        // one seat, safe to repeat); those still queued at their deadline never start.
        Thread.sleep(1_000);
        long ran = f.licensor.ledger().after(0, 10_000).size() - entriesBefore;
        assertThat(ran).as("engine calls that ran").isLessThan(requests);
        HttpResponse<String> after = f.lsGet(CHECK);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    }
}
