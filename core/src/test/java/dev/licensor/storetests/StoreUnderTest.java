package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.Licensor;
import dev.licensor.store.LicenseStore;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What a store's test says about its store: how to build a fresh one and (optionally) the engine
 * over it. The test class implements this and runs the suite's areas as one-line {@code @Nested}
 * subclasses, which find the store through their enclosing instance:
 *
 * <pre>{@code
 * class MemoryLicenseStoreTest implements StoreUnderTest {
 *     public LicenseStore newStore() { return new MemoryLicenseStore(); }
 *
 *     @Nested class Guarantees extends StoreGuaranteesContract {}
 *     @Nested class Catalog extends CatalogContract {}
 *     // ... one line per area in AREAS
 * }
 * }</pre>
 *
 * <p>{@link #runsEveryArea()} fails if the class leaves an area of {@link #AREAS} out.
 *
 * <p>Implementations are used by one test at a time (JUnit makes an instance per test), but
 * {@link #newStore()} may be called by several threads of a race and must be thread-safe.
 */
public interface StoreUnderTest {

    /**
     * Every area of the suite, the store guarantees first: a store's test runs each one as a
     * {@code @Nested} subclass.
     */
    List<Class<?>> AREAS = List.of(
            StoreGuaranteesContract.class,
            StoreSpiContract.class,
            CatalogContract.class,
            FloatingSeatsContract.class,
            FloatingRulesContract.class,
            SeatAdministrationContract.class,
            ClientLicenseContract.class,
            LedgerContract.class,
            EventsContract.class,
            BadInputContract.class,
            ConcurrencyContract.class,
            LookupContract.class,
            HostileInputContract.class,
            ModelContract.class,
            PolicyContract.class,
            SeatQueueContract.class,
            StoredValuesContract.class,
            PolicyEdgesContract.class,
            SignedTokensContract.class,
            ListingContract.class,
            CatalogChangesContract.class,
            ProductClientChangesContract.class);

    /** A fresh, empty store; called once per test (or more, by tests that reopen). */
    LicenseStore newStore() throws Exception;

    /**
     * The engine builder the suite uses, with the store and clock set. Override to add options
     * (e.g. to turn a cache on); do not build it.
     */
    default Licensor.Builder engine(LicenseStore store, Clock clock) {
        return Licensor.builder().store(store).clock(clock);
    }

    /** The class runs every area of the suite as a concrete {@code @Nested} class. */
    @Test
    default void runsEveryArea() {
        Set<Class<?>> run = Arrays.stream(getClass().getDeclaredClasses())
                .filter(c -> c.isAnnotationPresent(Nested.class) && !Modifier.isAbstract(c.getModifiers()))
                .map(Class::getSuperclass)
                .collect(Collectors.toSet());
        assertThat(run).as("areas run by %s", getClass().getSimpleName()).containsAll(AREAS);
    }

    /**
     * Gives a suite class the {@link StoreUnderTest} that encloses it (or that it is itself), as a
     * parameter of its {@code @BeforeEach} method. Stateless, thread-safe.
     */
    final class Finder implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == StoreUnderTest.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRequiredTestInstances().getAllInstances().stream()
                    .filter(StoreUnderTest.class::isInstance)
                    .findFirst()
                    .orElseThrow(() -> new ParameterResolutionException(context.getRequiredTestClass().getName()
                            + " runs a suite area but neither it nor a class enclosing it implements StoreUnderTest"));
        }
    }
}
