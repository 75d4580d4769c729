package dev.licensor.micrometer;

import dev.licensor.Licensor;
import dev.licensor.event.LicensorEvent;
import dev.licensor.event.LicensorListener;
import dev.licensor.lookup.CacheStats;
import dev.licensor.micrometer.internal.Counts;
import dev.licensor.micrometer.internal.Pools;
import dev.licensor.micrometer.internal.TimedProxy;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.CommitBatches;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer metrics of one Licensor engine: a {@link MeterBinder} that is also the engine's
 * {@link LicensorListener}.
 *
 * <pre>{@code
 * LicensorMetrics metrics = LicensorMetrics.builder().poolTags(20).build();
 * Licensor licensor = Licensor.builder().store(store).listener(metrics).build();
 * metrics.attach(licensor).bindTo(registry);
 * FloatingLicenses floating = metrics.timed(FloatingLicenses.class, licensor.floating());
 * }</pre>
 *
 * <h2>Meters</h2>
 * <ul>
 *   <li>{@code licensor.seats.in.use} and {@code licensor.seats.available} (gauges): seats of the
 *       floating pools followed, summed; with {@link Builder#poolTags} also one series per pool,
 *       tagged {@code pool} (the license id), for at most that many pools. A pool is followed
 *       from its first seat event on this engine, or from {@link #followPool}, up to
 *       {@link Builder#maxPools} pools. Values are read from the engine (two reads per pool) at
 *       most once per {@link Builder#readingMaxAge}, so they include other processes' seats.</li>
 *   <li>{@code licensor.grants} (counter, tag {@code kind}: {@code seat} or {@code client}): seats
 *       granted and client licenses consumed, by this engine.</li>
 *   <li>{@code licensor.denials} (counter, tag {@code code}): licensing refusals by code (the
 *       refusals the ledger records: 3xx and 4xx).</li>
 *   <li>{@code licensor.events} (counter, tag {@code type}, e.g. {@code seat_lapsed}): every change
 *       event of this engine.</li>
 *   <li>{@code licensor.operation} (timer, tags {@code operation} such as {@code floating.check}
 *       and {@code outcome}, the {@link Code} key): calls made through {@link #timed} facets.</li>
 *   <li>{@code cache.gets} (tag {@code result}: {@code hit}/{@code miss}), {@code cache.evictions}
 *       and {@code cache.size}, tagged {@code cache=licensor.lookups}: the lookup cache, under
 *       Micrometer's usual cache meter names.</li>
 * </ul>
 *
 * <p>Bind it to one registry (use a {@code CompositeMeterRegistry} for several). Counts made
 * before {@link #bindTo} are kept and show once bound; calls through {@link #timed} facets are
 * timed only once bound.
 *
 * <p>Thread-safe.
 */
public final class LicensorMetrics implements MeterBinder, LicensorListener {
    private static final Tags CACHE = Tags.of("cache", "licensor.lookups");

    private final int poolTags;
    private final Duration readingMaxAge;
    private final int maxPools;
    private final Counts counts = new Counts();
    private volatile Pools pools;
    private volatile Licensor licensor;
    private volatile CommitBatches.Source batches;
    private volatile MeterRegistry registry;
    private final TimedProxy timed = new TimedProxy(() -> registry);

    private LicensorMetrics(Builder b) {
        this.poolTags = b.poolTags;
        this.readingMaxAge = b.readingMaxAge;
        this.maxPools = b.maxPools;
        // Until bound, readings are timed by the JVM's clock; bindTo switches to the registry's.
        this.pools = new Pools(maxPools, readingMaxAge.toNanos(), System::nanoTime);
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The engine whose pools and lookup cache the gauges read; required before {@link #bindTo}. */
    public LicensorMetrics attach(Licensor engine) {
        if (engine == null) {
            throw new LicensingException(Code.INVALID_REQUEST, "licensor must not be null");
        }
        licensor = engine;
        pools.attach(engine);
        return this;
    }

    /**
     * Also shows how a store that batches write units into shared commits (group commit; e.g.
     * {@code SqliteLicenseStore}) has batched them: {@code licensor.store.commits} and
     * {@code licensor.store.units} (their rates' ratio is the mean batch size, units per durable
     * flush) and the gauge {@code licensor.store.batch.largest}. May be called before or after
     * {@link #bindTo}; once.
     */
    public LicensorMetrics commitBatches(CommitBatches.Source store) {
        Objects.requireNonNull(store, "store");
        MeterRegistry bound;
        synchronized (this) {
            if (batches != null) {
                throw new IllegalStateException("commitBatches was already set");
            }
            batches = store;
            bound = registry;
        }
        if (bound != null) {
            registerBatches(bound, store);
        }
        return this;
    }

    private static void registerBatches(MeterRegistry target, CommitBatches.Source store) {
        FunctionCounter.builder("licensor.store.commits", store, b -> b.commitBatches().commits())
                .description("Write transactions the store committed (each one durable flush)").register(target);
        FunctionCounter.builder("licensor.store.units", store, b -> b.commitBatches().units())
                .description("Units of work those commits carried: units per commit is the batch size").register(target);
        Gauge.builder("licensor.store.batch.largest", store, b -> b.commitBatches().largest())
                .description("The most units one commit has carried").register(target);
    }

    /** Follows a floating pool's seats from now on (if fewer than {@link Builder#maxPools} are followed). */
    public LicensorMetrics followPool(long licenseId) {
        if (licenseId <= 0) {
            throw new LicensingException(Code.INVALID_REQUEST, "licenseId must be positive");
        }
        follow(licenseId);
        return this;
    }

    /**
     * A facet of the engine ({@code licensor.floating()}, {@code licensor.clients()}, ...) whose
     * calls are timed by {@code licensor.operation}.
     *
     * @param facet the facet's interface, e.g. {@code FloatingLicenses.class}
     * @param target the engine's facet
     */
    public <T> T timed(Class<T> facet, T target) {
        if (facet == null || target == null || !facet.isInterface()) {
            throw new LicensingException(Code.INVALID_REQUEST, "give a facet interface and the engine's facet");
        }
        return timed.wrap(facet, target);
    }

    @Override
    public void bindTo(MeterRegistry target) {
        Objects.requireNonNull(target, "registry");
        Licensor engine = licensor;
        if (engine == null) {
            throw new IllegalStateException("attach(licensor) before bindTo");
        }
        CommitBatches.Source store;
        synchronized (this) {
            if (registry != null) {
                throw new IllegalStateException("already bound to a registry; use a CompositeMeterRegistry for several");
            }
            Pools timedPools = new Pools(maxPools, readingMaxAge.toNanos(), target.config().clock()::monotonicTime);
            timedPools.attach(engine);
            pools.followed().forEach(timedPools::follow);
            pools = timedPools;
            registry = target;
            store = batches;
        }
        if (store != null) {
            registerBatches(target, store);
        }
        Gauge.builder("licensor.seats.in.use", this, m -> m.pools.totalInUse())
                .description("Seats in use in the floating pools followed").baseUnit("seats").register(target);
        Gauge.builder("licensor.seats.available", this, m -> m.pools.totalAvailable())
                .description("Seats free in the floating pools followed").baseUnit("seats").register(target);
        pools.followed().forEach(this::registerPool);
        counts.bindTo(target);
        cacheMeter(target, engine, "hit", CacheStats::hits);
        cacheMeter(target, engine, "miss", CacheStats::misses);
        FunctionCounter.builder("cache.evictions", engine, l -> l.lookups().stats().evictions())
                .description("Lookup cache entries evicted for size or time-to-live").tags(CACHE).register(target);
        Gauge.builder("cache.size", engine, l -> l.lookups().stats().size())
                .description("Approximate number of lookup cache entries").tags(CACHE).register(target);
    }

    private static void cacheMeter(MeterRegistry target, Licensor engine, String result,
                                   ToDoubleFunction<CacheStats> value) {
        FunctionCounter.builder("cache.gets", engine, l -> value.applyAsDouble(l.lookups().stats()))
                .description("Lookups asked of the lookup cache, by result").tags(CACHE).tag("result", result)
                .register(target);
    }

    @Override
    public void onEvent(LicensorEvent event) {
        String type = typeName(event);
        counts.increment("licensor.events", "Change events of the engine, by type", Tags.of("type", type));
        if (event instanceof LicensorEvent.SeatGranted) {
            counts.increment("licensor.grants", "Seats granted and client licenses consumed", Tags.of("kind", "seat"));
        } else if (event instanceof LicensorEvent.ClientLicenseConsumed) {
            counts.increment("licensor.grants", "Seats granted and client licenses consumed", Tags.of("kind", "client"));
        } else if (event instanceof LicensorEvent.Denied d) {
            counts.increment("licensor.denials", "Licensing refusals, by code", Tags.of("code", d.code().key()));
        }
        if (isPoolEvent(event)) {
            follow(event instanceof LicensorEvent.SeatEvent s ? s.licenseId() : ((LicensorEvent.Denied) event).licenseId());
        }
    }

    private static boolean isPoolEvent(LicensorEvent event) {
        return event instanceof LicensorEvent.SeatGranted || event instanceof LicensorEvent.SeatRefreshed
                || event instanceof LicensorEvent.SeatBorrowed || event instanceof LicensorEvent.SeatReleased
                || event instanceof LicensorEvent.SeatLapsed || event instanceof LicensorEvent.SeatForceReleased
                || (event instanceof LicensorEvent.Denied d && d.code() == Code.FLOATING_NOT_AVAILABLE
                    && d.licenseId() > 0);
    }

    /** {@code SeatForceReleased} gives {@code seat_force_released}. */
    static String typeName(LicensorEvent event) {
        String simple = event.getClass().getSimpleName();
        return simple.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private void follow(long licenseId) {
        Pools current = pools;
        if (current.follow(licenseId) && registry != null) {
            registerPool(licenseId);
        }
    }

    /** Per-pool series for the first {@code poolTags} pools followed. */
    private synchronized void registerPool(long licenseId) {
        MeterRegistry target = registry;
        if (target == null || poolTags == 0) {
            return;
        }
        long tagged = target.find("licensor.seats.in.use").tagKeys("pool").gauges().size();
        if (tagged >= poolTags) {
            return;
        }
        Tags tags = Tags.of("pool", Long.toString(licenseId));
        Gauge.builder("licensor.seats.in.use", this, m -> m.pools.read(licenseId).inUse())
                .description("Seats in use in the floating pool").baseUnit("seats").tags(tags).register(target);
        Gauge.builder("licensor.seats.available", this, m -> m.pools.read(licenseId).available())
                .description("Seats free in the floating pool").baseUnit("seats").tags(tags).register(target);
    }

    /**
     * Options of {@link LicensorMetrics}. Not thread-safe.
     */
    public static final class Builder {
        private int poolTags;
        private Duration readingMaxAge = Duration.ofSeconds(1);
        private int maxPools = 1_000;

        private Builder() {
        }

        /**
         * Gives each of the first {@code max} pools followed its own {@code pool}-tagged seat
         * gauges (default 0: totals only). Each tagged pool is two more time series: keep it small.
         */
        public Builder poolTags(int max) {
            if (max < 0 || max > 10_000) {
                throw new LicensingException(Code.INVALID_REQUEST, "poolTags must be in 0..10000");
            }
            poolTags = max;
            return this;
        }

        /** Most pools the seat gauges follow (default 1,000); each is read from the engine per scrape. */
        public Builder maxPools(int max) {
            if (max < 1 || max > 100_000) {
                throw new LicensingException(Code.INVALID_REQUEST, "maxPools must be in 1..100000");
            }
            maxPools = max;
            return this;
        }

        /** How long one reading of a pool serves its gauges (default 1 second), on the registry's clock. */
        public Builder readingMaxAge(Duration age) {
            if (age == null || age.isNegative()) {
                throw new LicensingException(Code.INVALID_REQUEST, "readingMaxAge must be zero or positive");
            }
            readingMaxAge = age;
            return this;
        }

        /** The metrics. */
        public LicensorMetrics build() {
            return new LicensorMetrics(this);
        }
    }
}
