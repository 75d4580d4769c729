package dev.licensor;

import dev.licensor.policy.LeasingStrategy;
import dev.licensor.store.PoolLoad;
import java.time.Instant;
import java.util.List;

/**
 * What each floating decision reads ({@code *Load}), so {@link PoolUnit} asks the store for
 * exactly that in one call. Not API.
 *
 * <p>Thread-safe: static, stateless.
 */
final class PoolLoads {
    private PoolLoads() {
    }

    /**
     * The seat keys a request may have, one per strategy it gives a part for (the policy picks
     * one), in {@link LeasingStrategy} order without repeats. Built as one {@code List.of}, which
     * {@link PoolLoad} keeps without a copy: this runs on every seat call.
     */
    static List<String> candidateKeys(DeviceTarget t) {
        String device = Seats.keyIfGiven(LeasingStrategy.DEVICE, t); // always given
        String user = Seats.keyIfGiven(LeasingStrategy.USER, t);
        String process = Seats.keyIfGiven(LeasingStrategy.PROCESS, t);
        if (user != null && user.equals(device)) {
            user = null;
        }
        if (process != null && (process.equals(device) || process.equals(user))) {
            process = null;
        }
        if (user == null) {
            return process == null ? List.of(device) : List.of(device, process);
        }
        return process == null ? List.of(device, user) : List.of(device, user, process);
    }

    static PoolLoad activateLoad(long licenseId, DeviceTarget t, Instant now) {
        return new PoolLoad(licenseId, t.product(), t.hardwareId(), List.of(), now, PoolLoad.Live.NONE, false, 0, true);
    }

    /**
     * A seat decision (check, borrow): the live leases (listed if a policy decides, else counted),
     * a sweep batch one larger than {@link Sweep#SWEEP_BATCH} (the requester's own lapsed lease is freed
     * apart from the batch) and the queue.
     */
    static PoolLoad seatLoad(long licenseId, DeviceTarget t, Instant now) {
        return new PoolLoad(licenseId, t.product(), t.hardwareId(), candidateKeys(t), now,
                PoolLoad.Live.LIST_IF_POLICY, true, Sweep.SWEEP_BATCH + 1, false);
    }

    /** Consumption: the license row, blacklist and activation only. */
    static PoolLoad licenseLoad(long licenseId, DeviceTarget t, Instant now) {
        return new PoolLoad(licenseId, t.product(), t.hardwareId(), List.of(), now, PoolLoad.Live.NONE, false, 0, false);
    }

    /** Release, return, leaving the queue: the seat keys' leases. */
    static PoolLoad seatKeysLoad(long licenseId, DeviceTarget t, Instant now) {
        return new PoolLoad(licenseId, t.product(), t.hardwareId(), candidateKeys(t), now, PoolLoad.Live.NONE, false,
                0, false);
    }

    /** Deactivation: every live lease, to free the device's other seats. */
    static PoolLoad deactivateLoad(long licenseId, DeviceTarget t, Instant now) {
        return new PoolLoad(licenseId, t.product(), t.hardwareId(), candidateKeys(t), now, PoolLoad.Live.LIST, false,
                0, false);
    }
}
