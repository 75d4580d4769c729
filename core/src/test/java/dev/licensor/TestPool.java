package dev.licensor;

import dev.licensor.catalog.License;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Lease;
import dev.licensor.floating.QueueEntry;
import dev.licensor.policy.PoolPolicy;
import dev.licensor.policy.SeatGroup;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.PoolLoad;
import dev.licensor.store.PoolState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One pool as plain values, for rule tests: built by hand, loaded as a store's default
 * {@code loadPool} would load it, changed as a store's default {@code apply} would change it. No
 * store, no lock: a test runs it on one thread. Not thread-safe.
 */
final class TestPool {
    License license;
    boolean blacklisted;
    PoolPolicy policy = PoolPolicy.NONE;
    final Map<String, Activation> activations = new TreeMap<>();
    final Map<String, Lease> leases = new TreeMap<>();
    final Map<String, QueueEntry> queue = new TreeMap<>();
    final List<SeatGroup> groups = new ArrayList<>();

    TestPool(License license) {
        this.license = license;
    }

    TestPool activated(String hw) {
        activations.put(hw, new Activation(license.id(), hw, FloatingRulesTest.NOW.minusSeconds(3600)));
        return this;
    }

    TestPool blacklisted() {
        blacklisted = true;
        return this;
    }

    TestPool policy(PoolPolicy p) {
        policy = p;
        return this;
    }

    TestPool group(SeatGroup g) {
        groups.add(g);
        return this;
    }

    TestPool lease(Lease l) {
        leases.put(l.hardwareId(), l);
        return this;
    }

    TestPool queue(QueueEntry e) {
        queue.put(e.hardwareId(), e);
        return this;
    }

    // ---- the loads FloatingRules asks for, at FloatingRulesTest.NOW

    PoolState activation(DeviceTarget t) {
        return load(PoolLoads.activateLoad(license.id(), t, FloatingRulesTest.NOW));
    }

    PoolState seat(DeviceTarget t) {
        return load(PoolLoads.seatLoad(license.id(), t, FloatingRulesTest.NOW));
    }

    PoolState keys(DeviceTarget t) {
        return load(PoolLoads.seatKeysLoad(license.id(), t, FloatingRulesTest.NOW));
    }

    PoolState all(DeviceTarget t) {
        return load(PoolLoads.deactivateLoad(license.id(), t, FloatingRulesTest.NOW));
    }

    PoolState license(DeviceTarget t) {
        return load(PoolLoads.licenseLoad(license.id(), t, FloatingRulesTest.NOW));
    }

    /** What the default {@code StoreTransaction.loadPool} reads, from these values. */
    PoolState load(PoolLoad load) {
        Instant now = load.now();
        Map<String, Lease> seatLeases = new HashMap<>();
        for (String key : load.seatKeys()) {
            if (leases.containsKey(key)) {
                seatLeases.put(key, leases.get(key));
            }
        }
        List<Lease> live = List.of();
        int liveCount = -1;
        List<Lease> allLive = leases.values().stream().filter(l -> l.isLiveAt(now))
                .sorted(Comparator.comparing(Lease::grantedAt).thenComparing(Lease::hardwareId)).toList();
        boolean list = load.live() == PoolLoad.Live.LIST
                || (load.live() == PoolLoad.Live.LIST_IF_POLICY && !policy.isNone());
        if (list) {
            live = allLive;
            liveCount = live.size();
        } else if (load.live() != PoolLoad.Live.NONE) {
            liveCount = allLive.size();
        }
        List<Lease> lapsed = leases.values().stream().filter(l -> !l.isLiveAt(now))
                .sorted(Comparator.comparing(Lease::expiresAt).thenComparing(Lease::hardwareId))
                .limit(load.lapsedLimit()).toList();
        List<QueueEntry> q = load.queue() && policy.queueLength() > 0
                ? queue.values().stream().sorted(Comparator.comparingLong(QueueEntry::ticket)).toList() : List.of();
        return new PoolState(load, license, blacklisted, Optional.ofNullable(activations.get(load.hardwareId())),
                load.countActivations() ? activations.size() : -1, policy,
                load.live() == PoolLoad.Live.NONE ? List.of() : groups, seatLeases, liveCount, live, lapsed, q);
    }

    /** What the default {@code StoreTransaction.apply} writes, to these values. */
    void apply(PoolChanges c) {
        if (c.license() != null) {
            license = c.license();
        }
        if (c.activationPut() != null) {
            activations.put(c.activationPut().hardwareId(), c.activationPut());
        }
        c.leaseDeletes().forEach(leases::remove);
        c.leasePuts().forEach(l -> leases.put(l.hardwareId(), l));
        c.queueDeletes().forEach(queue::remove);
        c.queuePuts().forEach(e -> queue.put(e.hardwareId(), e));
        if (c.activationDelete() != null) {
            activations.remove(c.activationDelete());
        }
    }
}
