package dev.licensor.replay;

import java.time.Instant;
import java.util.List;

/**
 * What a replay produced beside what was recorded. Immutable and thread-safe.
 *
 * @param licenseId        the pool
 * @param from             start of the range, inclusive
 * @param to               end of the range, exclusive
 * @param seats            seats of the replayed pool
 * @param demands          recorded demands replayed
 * @param recorded         how the demands ended in the ledger
 * @param replayed         how they ended in the replay
 * @param buckets          recorded and replayed refusals and queue joins per bucket, in time order
 * @param divergent        demands whose replay ended otherwise than recorded
 * @param firstDivergences the first {@value WhatIf#MAX_DIVERGENCES} of them, in time order
 */
public record WhatIfReport(long licenseId, Instant from, Instant to, int seats, long demands, Tally recorded,
                           Tally replayed, List<BucketOutcome> buckets, long divergent,
                           List<Divergence> firstDivergences) {
    public WhatIfReport {
        buckets = List.copyOf(buckets);
        firstDivergences = List.copyOf(firstDivergences);
    }
}
