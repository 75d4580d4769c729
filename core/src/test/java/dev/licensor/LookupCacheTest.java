package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.License;
import dev.licensor.lookup.CacheSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cache's own rules: hits skip the loader, a load racing an invalidation never caches stale
 * data, the time-to-live follows the engine clock, the size is bounded. The loaders here stand in
 * for a store read; the store-backed behaviour is covered by the shared store suite.
 */
@Timeout(30)
class LookupCacheTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static Supplier<String> counting(AtomicInteger calls, String value) {
        return () -> {
            calls.incrementAndGet();
            return value;
        };
    }

    @Test
    void aHitDoesNotLoadAndIsCounted() {
        LookupCache cache = new LookupCache(CacheSettings.singleProcess(100), Clock.systemUTC());
        AtomicInteger calls = new AtomicInteger();
        Object key = new LookupCache.SeatKey(1, "hw");

        assertThat(cache.<String>get(key, counting(calls, "a"))).isEqualTo("a");
        assertThat(cache.<String>get(key, counting(calls, "b"))).isEqualTo("a");

        assertThat(calls).hasValue(1);
        assertThat(cache.stats().hits()).isEqualTo(1);
        assertThat(cache.stats().misses()).isEqualTo(1);
    }

    @Test
    void anInvalidationDropsTheEntry() {
        LookupCache cache = new LookupCache(CacheSettings.singleProcess(100), Clock.systemUTC());
        AtomicInteger calls = new AtomicInteger();
        cache.get(new LookupCache.SeatKey(1, "hw"), counting(calls, "a"));
        cache.get(new LookupCache.ClientKey(7), counting(calls, "c"));

        cache.seatChanged(1, "hw");
        cache.clientChanged(7);

        assertThat(cache.<String>get(new LookupCache.SeatKey(1, "hw"), counting(calls, "b"))).isEqualTo("b");
        assertThat(cache.<String>get(new LookupCache.ClientKey(7), counting(calls, "d"))).isEqualTo("d");
        assertThat(calls).hasValue(4);
    }

    @Test
    void absentRowsAreNotCached() {
        LookupCache cache = new LookupCache(CacheSettings.singleProcess(100), Clock.systemUTC());
        AtomicInteger calls = new AtomicInteger();
        Object key = new LookupCache.ClientKey(3);

        assertThat(cache.<String>get(key, counting(calls, null))).isNull();
        assertThat(cache.<String>get(key, counting(calls, "now there"))).isEqualTo("now there");
        assertThat(calls).hasValue(2);
    }

    /** The load read the old row, the writer committed and invalidated, then the load finished. */
    @Test
    void aLoadThatBeganBeforeAnInvalidationDoesNotPutItsValue() throws Exception {
        LookupCache cache = new LookupCache(CacheSettings.singleProcess(100), Clock.systemUTC());
        Object key = new LookupCache.SeatKey(1, "hw");
        CountDownLatch readDone = new CountDownLatch(1);
        CountDownLatch invalidated = new CountDownLatch(1);

        Future<String> slowLoad = pool.submit(() -> cache.get(key, () -> {
            readDone.countDown();
            await(invalidated);
            return "stale";
        }));
        readDone.await();
        cache.seatChanged(1, "hw");
        invalidated.countDown();

        assertThat(slowLoad.get()).isEqualTo("stale"); // the caller gets what it read...
        AtomicInteger calls = new AtomicInteger();
        assertThat(cache.<String>get(key, counting(calls, "fresh"))).isEqualTo("fresh"); // ...but it was not cached
        assertThat(calls).hasValue(1);
    }

    @Test
    void aLicenseLoadThatBeganBeforeALicenseChangeDoesNotPutItsValue() throws Exception {
        LookupCache cache = new LookupCache(CacheSettings.singleProcess(100), Clock.systemUTC());
        License old = License.builder("cad").key("K").build().withId(5);
        License changed = old.withSwitches(false, true);
        Object index = new LookupCache.ByKey("cad", "K");
        CountDownLatch readDone = new CountDownLatch(1);
        CountDownLatch invalidated = new CountDownLatch(1);

        Future<License> slowLoad = pool.submit(() -> cache.license(index, () -> {
            readDone.countDown();
            await(invalidated);
            return old;
        }));
        readDone.await();
        cache.licenseChanged(5);
        invalidated.countDown();
        assertThat(slowLoad.get()).isEqualTo(old);

        assertThat(cache.license(index, () -> changed)).isEqualTo(changed);
        assertThat(cache.license(index, () -> old)).isEqualTo(changed);
    }

    /**
     * Writers bump a "row" version and then invalidate (commit, then hook); readers load the
     * version through the cache. Once a writer's invalidation returned, no reader may see an
     * older version: a stale load must never be resurrected.
     */
    @Test
    void racingLoadsAndInvalidationsNeverLeaveAStaleEntry() throws Exception {
        LookupCache cache = new LookupCache(CacheSettings.singleProcess(1000), Clock.systemUTC());
        int keys = 4;
        AtomicLong[] rows = new AtomicLong[keys];
        AtomicLong[] invalidatedUpTo = new AtomicLong[keys];
        for (int i = 0; i < keys; i++) {
            rows[i] = new AtomicLong();
            invalidatedUpTo[i] = new AtomicLong();
        }
        AtomicInteger staleReads = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            tasks.add(pool.submit(() -> {
                int n = 0;
                while (System.nanoTime() < deadline) {
                    int k = n++ % keys;
                    synchronized (rows[k]) { // one committer per row, as a store would serialise them
                        long v = rows[k].incrementAndGet();
                        cache.seatChanged(k + 1, "hw");
                        invalidatedUpTo[k].set(v);
                    }
                }
            }));
        }
        for (int r = 0; r < 2; r++) {
            tasks.add(pool.submit(() -> {
                int n = 0;
                while (System.nanoTime() < deadline) {
                    int k = n++ % keys;
                    long floor = invalidatedUpTo[k].get();
                    Long seen = cache.get(new LookupCache.SeatKey(k + 1, "hw"), () -> rows[k].get());
                    if (seen < floor) {
                        staleReads.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> task : tasks) {
            task.get();
        }
        assertThat(staleReads).hasValue(0);
        assertThat(cache.stats().hits() + cache.stats().misses()).isPositive();
    }

    @Test
    void entriesLiveForTheTimeToLiveOnTheEngineClock() {
        ManualClock clock = new ManualClock();
        LookupCache cache = new LookupCache(CacheSettings.of(100, Duration.ofSeconds(5)), clock);
        AtomicInteger calls = new AtomicInteger();
        Object key = new LookupCache.SeatKey(1, "hw");
        cache.get(key, counting(calls, "a"));

        clock.advance(Duration.ofMillis(4999));
        assertThat(cache.<String>get(key, counting(calls, "b"))).isEqualTo("a");
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.<String>get(key, counting(calls, "b"))).isEqualTo("b");
        assertThat(calls).hasValue(2);
    }

    @Test
    void theSizeIsBounded() {
        LookupCache cache = new LookupCache(CacheSettings.singleProcess(50), Clock.systemUTC());
        for (int i = 1; i <= 500; i++) {
            cache.get(new LookupCache.ClientKey(i), () -> "x");
        }
        cache.cleanUp();
        assertThat(cache.stats().size()).isLessThanOrEqualTo(50);
        assertThat(cache.stats().evictions()).isGreaterThanOrEqualTo(450);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
