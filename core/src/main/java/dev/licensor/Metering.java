package dev.licensor;

import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseType;
import dev.licensor.floating.ConsumptionBalance;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.PoolState;
import java.time.Instant;
import java.util.List;

/**
 * Consumption licenses: the decision that adds uses, within {@code maxConsumptions} or the
 * overage the license and the caller allow. Pure, like {@link FloatingRules}. Not API.
 *
 * <p>Thread-safe: static, stateless.
 */
final class Metering {
    /** Largest count accepted by one addConsumption call. */
    static final long MAX_CONSUMPTION_STEP = 1_000_000_000L;

    private Metering() {
    }

    /** Uses added to a consumption license; the counts are validated by the caller. */
    static FloatingRules.Decision<ConsumptionBalance> addConsumption(PoolState s, DeviceTarget t, Instant now, long count,
                                                       boolean allowOverage, Long maxOverage) {
        return FloatingRules.decide(() -> {
            License license = Admission.admit(s, t, now);
            Admission.requireDevice(s, t);
            if (license.type() != LicenseType.CONSUMPTION) {
                throw Denied.license(Code.LICENSE_NOT_CONSUMPTION, license.id(), t.hardwareId());
            }
            long total = license.consumed() + count;
            boolean overage = allowOverage && license.overageAllowed();
            long cap = tighterOverage(license.maxOverage(), maxOverage);
            boolean unlimited = overage && cap == 0;
            long limit = license.maxConsumptions() + (overage ? cap : 0);
            if (limit < 0) {
                limit = Long.MAX_VALUE; // both terms are non-negative: the sum overflowed
            }
            if (!unlimited && (total < 0 || total > limit)) {
                throw Denied.license(Code.LICENSE_NOT_ENOUGH_CONSUMPTIONS,
                        "consumed " + license.consumed() + " + " + count + " exceeds " + limit,
                        license.id(), t.hardwareId());
            }
            FloatingRules.Changes c = FloatingRules.Changes.of(s);
            c.license = license.withConsumed(total);
            c.ledger(c.entry(now, LedgerEvent.CONSUMPTION_ADDED, t.hardwareId(), "").withCount(count));
            return FloatingRules.granted(new ConsumptionBalance(license.id(), total, license.maxConsumptions(),
                    Math.max(0, total - license.maxConsumptions())), c, FloatingRules.AfterCommit.seats(List.of(), true, false));
        });
    }

    /** The tighter of two overage caps where 0 (or null for the caller's) means unlimited. */
    static long tighterOverage(long license, Long caller) {
        if (caller == null || caller == 0) {
            return license;
        }
        return license == 0 ? caller : Math.min(license, caller);
    }
}
