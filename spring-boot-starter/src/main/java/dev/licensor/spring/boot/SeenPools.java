package dev.licensor.spring.boot;

import dev.licensor.event.LicensorEvent;
import dev.licensor.event.LicensorListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The floating pools (license ids) this application's engine has seen a seat event of, for the
 * {@code licensor} Actuator endpoint's list: at most {@code max}, by license id. Pools another host
 * used but this one never touched are still shown by {@code /actuator/licensor/{licenseId}}.
 *
 * <p>Thread-safe.
 */
public final class SeenPools implements LicensorListener {
    private final int max;
    private final Set<Long> ids = new ConcurrentSkipListSet<>();

    /** Remembers at most {@code max} pools. */
    public SeenPools(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("licensor.endpoint.max-pools must not be negative: " + max);
        }
        this.max = max;
    }

    @Override
    public void onEvent(LicensorEvent event) {
        if (event instanceof LicensorEvent.SeatEvent seat && ids.size() < max) {
            ids.add(seat.licenseId());
        }
    }

    /** The pools seen, by license id. */
    public List<Long> ids() {
        return List.copyOf(ids);
    }
}
