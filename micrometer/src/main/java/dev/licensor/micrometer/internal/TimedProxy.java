package dev.licensor.micrometer.internal;

import dev.licensor.outcome.LicensingException;
import dev.licensor.outcome.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Wraps a facet of the engine (an interface such as {@code FloatingLicenses}) so that each call
 * is timed by a {@link Timer} tagged with the operation ({@code floating.check}) and its outcome
 * (the {@link dev.licensor.outcome.Code} key, {@code ok} on success). A proxy rather than one
 * hand-written decorator per facet: it times whatever methods the facet has. Not API.
 *
 * <p>Thread-safe.
 */
public final class TimedProxy {
    /** Timer name. */
    public static final String NAME = "licensor.operation";

    private record Key(String operation, String outcome) {
    }

    private final Supplier<MeterRegistry> registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    public TimedProxy(Supplier<MeterRegistry> registry) {
        this.registry = registry;
    }

    /** The facet, timed. */
    public <T> T wrap(Class<T> facet, T target) {
        String prefix = prefix(facet);
        Object proxy = Proxy.newProxyInstance(facet.getClassLoader(), new Class<?>[] {facet},
                (self, method, args) -> invoke(prefix, target, method, args));
        return facet.cast(proxy);
    }

    /** The facet's accessor name on {@code Licensor} ({@code floating}, {@code seats}, ...), else its lower-case simple name. */
    private static String prefix(Class<?> facet) {
        return switch (facet.getSimpleName()) {
            case "FloatingLicenses" -> "floating";
            case "ClientLicenses" -> "clients";
            case "SeatAdministration" -> "seats";
            default -> facet.getSimpleName().toLowerCase(Locale.ROOT);
        };
    }

    private Object invoke(String prefix, Object target, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(target, args);
        }
        MeterRegistry meters = registry.get();
        long start = meters == null ? 0 : meters.config().clock().monotonicTime();
        String outcome = "ok";
        try {
            Object result = method.invoke(target, args);
            if (result instanceof Outcome<?> o) {
                outcome = o.code().key();
            }
            return result;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            outcome = cause instanceof LicensingException le ? le.code().key() : "error";
            throw cause;
        } finally {
            if (meters != null) {
                long elapsed = meters.config().clock().monotonicTime() - start;
                Key key = new Key(prefix + "." + method.getName(), outcome);
                timers.computeIfAbsent(key, k -> Timer.builder(NAME)
                        .description("Duration of engine calls, by operation and outcome code")
                        .tag("operation", k.operation()).tag("outcome", k.outcome())
                        .register(meters)).record(elapsed, TimeUnit.NANOSECONDS);
            }
        }
    }
}
