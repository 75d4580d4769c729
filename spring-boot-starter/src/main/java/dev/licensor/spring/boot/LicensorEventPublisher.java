package dev.licensor.spring.boot;

import dev.licensor.event.LicensorEvent;
import dev.licensor.event.LicensorListener;
import java.util.Objects;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes every {@link LicensorEvent} of the engine as a Spring application event, so
 * {@code @EventListener void on(LicensorEvent.SeatGranted e)} receives it. The engine calls it only
 * after the store committed the event's unit of work (never for one that rolled back), in commit
 * order, on the committing call's thread; a listener that throws is logged by the engine and does not
 * affect the call (see {@link LicensorListener}).
 *
 * <p>Thread-safe.
 */
public final class LicensorEventPublisher implements LicensorListener {
    private final ApplicationEventPublisher publisher;

    /** A publisher to {@code publisher} (the application context). */
    public LicensorEventPublisher(ApplicationEventPublisher publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    @Override
    public void onEvent(LicensorEvent event) {
        publisher.publishEvent(event);
    }
}
