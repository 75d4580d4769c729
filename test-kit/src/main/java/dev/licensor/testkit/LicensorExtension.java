package dev.licensor.testkit;

import dev.licensor.Licensor;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.memory.MemoryLicenseStore;
import java.time.Instant;
import java.util.Objects;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test a fresh engine on a new memory store: declare a
 * {@link Licensor}, {@link MutableClock} or {@link LicenseStore} ({@link MemoryLicenseStore})
 * parameter on a test, {@code @BeforeEach} or {@code @AfterEach} method, and all of a test's
 * parameters are the same engine, its clock and its store. The next test gets new ones; the store is
 * closed when its test ends. Parameters of {@code @BeforeAll} methods and constructors get an engine
 * for the whole class.
 *
 * <pre>{@code
 * @ExtendWith(LicensorExtension.class)
 * class SeatTest {
 *     @Test
 *     void aSeatLapses(Licensor licensor, MutableClock clock) {
 *         ...
 *         clock.advance(Duration.ofMinutes(16));
 *     }
 * }
 * }</pre>
 *
 * <p>The clock starts at {@link TestLicensors#START}; {@link #startingAt} registers one that starts
 * elsewhere ({@code @RegisterExtension static LicensorExtension licensors = LicensorExtension.startingAt(...)}).
 *
 * <p>Thread-safe: it holds only its start instant; the engines live in JUnit's per-test store.
 */
public final class LicensorExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LicensorExtension.class);

    private final Instant start;

    /** An extension whose clocks start at {@link TestLicensors#START} (what {@code @ExtendWith} uses). */
    public LicensorExtension() {
        this(TestLicensors.START);
    }

    private LicensorExtension(Instant start) {
        this.start = start;
    }

    /** An extension whose clocks start at {@code start}. */
    public static LicensorExtension startingAt(Instant start) {
        return new LicensorExtension(Objects.requireNonNull(start, "start"));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Licensor.class || type == MutableClock.class || type == LicenseStore.class
                || type == MemoryLicenseStore.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Engine engine = context.getStore(NAMESPACE).getOrComputeIfAbsent(Engine.class, k -> Engine.start(start), Engine.class);
        Class<?> type = parameter.getParameter().getType();
        if (type == Licensor.class) {
            return engine.licensor();
        }
        return type == MutableClock.class ? engine.clock() : engine.store();
    }

    /** One test's engine; JUnit closes it (and so its store) when the test's context ends. */
    private record Engine(Licensor licensor, MutableClock clock, MemoryLicenseStore store) implements AutoCloseable {
        static Engine start(Instant start) {
            MutableClock clock = new MutableClock(start);
            MemoryLicenseStore store = new MemoryLicenseStore();
            return new Engine(Licensor.builder().store(store).clock(clock).build(), clock, store);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
