package dev.licensor.store.postgresql.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts (or finds) the {@link PgServer#shared() shared test server} before a test class and stops
 * it when the whole test run ends (the root context's store closes it; the JVM shutdown hook is the
 * backstop). Fails the class, never skips it, when no server can be had.
 *
 * <p>Stateless; safe for concurrent test classes.
 */
public final class PgExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.create(PgExtension.class))
                .getOrComputeIfAbsent("server", key -> new Stopper(PgServer.shared()), Stopper.class);
    }

    /** Closed by JUnit with the root context: stops the shared cluster at the end of the run. */
    private record Stopper(PgServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
