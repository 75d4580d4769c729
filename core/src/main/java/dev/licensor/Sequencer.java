package dev.licensor;

import dev.licensor.event.LicensorEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Delivers batches of events in the order their places were reserved, one batch at a time. A
 * place is reserved inside a unit of work (in commit order), then completed with the unit's
 * events after the commit, or cancelled if the unit did not commit. A completed batch waits for
 * every earlier place to be completed or cancelled. Whichever thread finds the head ready
 * delivers; no thread is started. Not API.
 *
 * <p>Thread-safe.
 */
final class Sequencer {
    /** A reserved place; its fields are guarded by the sequencer. */
    static final class Place {
        private List<LicensorEvent> events;
        private boolean cancelled;
    }

    private final Consumer<List<LicensorEvent>> delivery;
    private final ArrayDeque<Place> queue = new ArrayDeque<>();
    private boolean delivering;

    Sequencer(Consumer<List<LicensorEvent>> delivery) {
        this.delivery = delivery;
    }

    synchronized Place reserve() {
        Place place = new Place();
        queue.addLast(place);
        return place;
    }

    void complete(Place place, List<LicensorEvent> events) {
        synchronized (this) {
            place.events = events;
        }
        drain();
    }

    void cancel(Place place) {
        synchronized (this) {
            place.cancelled = true;
        }
        drain();
    }

    /** Delivers ready batches at the head until the head is pending or another thread delivers. */
    private void drain() {
        while (true) {
            List<LicensorEvent> batch;
            synchronized (this) {
                if (delivering) {
                    return; // that thread loops and will find what we completed
                }
                while (!queue.isEmpty() && queue.peekFirst().cancelled) {
                    queue.removeFirst();
                }
                Place head = queue.peekFirst();
                if (head == null || head.events == null) {
                    return;
                }
                queue.removeFirst();
                batch = head.events;
                delivering = true;
            }
            try {
                delivery.accept(batch);
            } finally {
                synchronized (this) {
                    delivering = false;
                }
            }
        }
    }
}
